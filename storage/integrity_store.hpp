// storage/integrity_store.hpp: the SQL of the integrity checks (SPEC §3.4) and of --repair.
//
// The checks only read, inside one read transaction, so they see one snapshot of a database
// that other processes keep writing. repair() runs inside the writer's transaction.
//
// Thread-safety: like every storage function, these use the connection they are given from
// one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum::storage {

class database;

/// A WAL larger than this fails the concurrency check: SQLite checkpoints at ~4 MiB, so a WAL
/// sixteen times that size means checkpoints have been starved for a long time.
inline constexpr int64_t wal_size_bound_bytes = 64 * 1024 * 1024;

/// Opens the auditor's read-only connection. It uses a VFS that does not see a leftover
/// rollback journal (DB-journal): a read-only connection cannot roll one back and would refuse
/// to read, and the audit must still report on the rest of the file (the concurrency check
/// names the journal). Throws storage_error like database::open.
database open_for_audit(const std::string& db_path, int64_t busy_timeout_ms);

/// Runs the six checks on a read-only connection. `db_path` locates the -wal and -journal.
integrity_report run_integrity_checks(database& db, const audit_options& options,
                                      const std::string& db_path);

/// Fixes what is safe to fix: nulls dangling links, re-points or removes projects whose root is
/// gone, merges duplicates, removes cache_metadata rows of unknown datasets and recounts the
/// rest. Never inserts a row. Returns one line per change.
std::vector<std::string> repair(database& db, int64_t now);

/// What SQLite itself will fix when the file at `db_path` is next opened read-write (a hot
/// journal rolled back, journal_mode switched to WAL), phrased as done. Reads the file's
/// header and the journal's size only; never opens the database.
std::vector<std::string> repairs_done_by_opening(const std::string& db_path);

}  // namespace gum::storage
