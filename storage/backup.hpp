// storage/backup.hpp: `gum migrate --backup` and `--restore`, through SQLite's online backup API.
//
// Why the backup API and not a file copy: under WAL the committed state is the main file PLUS
// the -wal file, and another process may be appending to the WAL while we read. (The Go gum
// copied gum.db alone and lost every transaction still in the WAL.) sqlite3_backup_step(-1)
// copies every page inside ONE read transaction of the source connection, so the copy is
// exactly one committed state, while other processes go on writing.
//
// - backup_database writes the copy to a temporary file beside the target (mode 0600 from its
//   first byte: it names private repositories), switches the copy to journal_mode=DELETE so it
//   is one self-contained file, checks it, fsyncs it and renames it over the target.
// - restore_database first validates the backup (read-only: it is SQLite, integrity_check and
//   foreign_key_check pass, the schema version is one this gum knows), and only then copies it
//   onto the live database with sqlite3_backup_step(-1) on the live connection: one write
//   transaction that holds the write lock while it copies. Other processes see the old database
//   or the restored one, never a mixture; any failure leaves the live database untouched.
//
// Errors are thrown as storage_error, like the rest of storage/: status_code::database for a
// bad backup (not SQLite, corrupt, too new), usage for a missing file, permission for one that
// cannot be read or written.
#pragma once

#include <cstdint>
#include <string>

namespace gum::storage {

struct open_options;

/// What was copied.
struct backup_info {
  int64_t pages = 0;
  int64_t bytes = 0;
  int64_t schema_version = 0;
};

/// Copies the live database `live` (opened read-only) to `target_path`, atomically replacing
/// any file there. The copy is 0600 and uses journal_mode=DELETE.
backup_info backup_database(const open_options& live, const std::string& target_path);

/// Validates a backup file without writing anything to it.
backup_info check_backup(const std::string& backup_path);

/// Validates `backup_path`, then replaces the live database's content with it in one write
/// transaction, then brings its schema up to date.
backup_info restore_database(const open_options& live, const std::string& backup_path);

}  // namespace gum::storage
