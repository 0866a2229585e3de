// gum/backup.hpp: copying, restoring and inspecting the database file from outside the engine.
//
// `gum db backup`, `gum db restore` and `gum integrity` use these without starting an actor
// system. Every function is thread-safe and touches files; none throws: failures come back as
// gum::status. A backup is a consistent snapshot even while other processes write (SQLite's
// online backup API), and a restore replaces the live file atomically or not at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// What a backup or restore copied.
struct backup_info {
  int64_t pages = 0;
  int64_t bytes = 0;
  int64_t schema_version = 0;
};

/// Copies the live database at `db_path` to `target` with SQLite's online backup API: a
/// consistent snapshot even while other processes write. The copy is 0600.
status backup_database(const std::string& db_path, int64_t busy_timeout_ms,
                       const std::string& target, backup_info& out);

/// Checks `backup` (SQLite, integrity_check, schema not newer) and then replaces the live
/// database at `db_path` with it atomically; a bad backup leaves the live database untouched.
status restore_database(const std::string& db_path, int64_t busy_timeout_ms,
                        bool synchronous_full, const std::string& backup, backup_info& out);

/// What SQLite itself will fix when the file at `db_path` is next opened read-write (a hot
/// journal rolled back, journal_mode switched to WAL), phrased as done. Reads the header only.
std::vector<std::string> repairs_done_by_opening(const std::string& db_path);

}  // namespace gum
