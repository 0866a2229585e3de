// storage/integrity_store.hpp: the SQL of the integrity checks (SPEC §3.4) and of --repair.
//
// The checks only read, inside one read transaction, so they see one snapshot of a database
// that other processes keep writing. repair() runs inside the writer's transaction.
#pragma once

#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum::storage {

class database;

/// Runs the six checks on a read-only connection. `db_path` locates the -wal and -journal.
integrity_report run_integrity_checks(database& db, const audit_options& options,
                                      const std::string& db_path);

/// Fixes what is safe to fix: nulls dangling links, recounts cache_metadata, removes
/// duplicates. Returns one line per change.
std::vector<std::string> repair(database& db, int64_t now);

}  // namespace gum::storage
