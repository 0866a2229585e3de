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

/// The WAL bound the concurrency check enforces (docs/concurrency.md, "The WAL bound"): a
/// process that exits leaves at most wal_truncate_threshold_bytes plus its last transaction, and
/// a long-lived one wal_journal_size_limit_bytes plus the automatic checkpoint's window (1 MiB),
/// but while a refresh commits, the WAL briefly holds every page that the transaction wrote,
/// which is at most the size of the database. So the check fails when the WAL is larger than
/// 4 MiB plus the database file: checkpoints have then stopped working.
inline constexpr int64_t wal_slack_bytes = 4 * 1024 * 1024;
inline int64_t wal_size_bound(int64_t database_bytes) {
  return wal_slack_bytes + (database_bytes > 0 ? database_bytes : 0);
}

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

/// --repair's last step, outside any transaction: checkpoints the WAL and truncates it (without
/// waiting for other connections' snapshots). Returns one line when the WAL was larger than
/// wal_truncate_threshold_bytes, saying what was done; nothing otherwise.
std::vector<std::string> truncate_wal_for_repair(database& db);

/// What SQLite itself will fix when the file at `db_path` is next opened read-write (a hot
/// journal rolled back, journal_mode switched to WAL), phrased as done. Reads the file's
/// header and the journal's size only; never opens the database.
std::vector<std::string> repairs_done_by_opening(const std::string& db_path);

}  // namespace gum::storage
