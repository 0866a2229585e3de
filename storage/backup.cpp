// storage/backup.cpp: online backup and validated restore (see backup.hpp for why).
//
// The backup file and the file being restored are opened with plain sqlite3 calls, not with
// database::open: that function sets WAL and migrates, and a file we only copy from must not
// be changed (nor get -wal and -shm files beside it).
#include "storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/schema.hpp"

namespace gum::storage {

namespace {

struct sqlite_closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, sqlite_closer>;

[[noreturn]] void fail(status_code code, std::string message, std::string hint = {}) {
  throw storage_error(status::fail(code, std::move(message), std::move(hint)));
}

// Runs `sql` and returns the first column of every row as text; throws on an error.
std::vector<std::string> query_column(sqlite3* db, const char* sql, const std::string& what) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::vector<std::string> rows;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    rows.emplace_back(text ? text : "");
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    std::string why = sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_NOTADB) why = "not an SQLite database";
    fail(status_code::database, what + ": " + why);
  }
  return rows;
}

connection open_raw(const std::string& path, int flags, const std::string& what) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  connection db(raw);
  if (rc != SQLITE_OK) {
    std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    fail(status_code::database, "cannot open " + what + " " + path + ": " + why);
  }
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

// Runs one sqlite3_backup from `source` into `dest` in a single step (one read transaction
// on the source, one write transaction on the destination), retrying while either is busy.
int64_t copy_all(sqlite3* dest, sqlite3* source, int64_t deadline_ms, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (!backup) fail(status_code::database, what + ": " + sqlite3_errmsg(dest));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  int rc;
  while (true) {
    rc = sqlite3_backup_step(backup, -1);
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 + std::rand() % 20));
  }
  int64_t pages = sqlite3_backup_pagecount(backup);
  int finish = sqlite3_backup_finish(backup);
  if (rc == SQLITE_DONE) rc = finish;
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
      fail(status_code::database, "database is busy",
           "another gum process held the lock too long; try again");
    if ((rc & 0xff) == SQLITE_READONLY)
      fail(status_code::database, what + ": the page sizes differ or the target is read-only");
    if ((rc & 0xff) == SQLITE_FULL) fail(status_code::database, "disk is full: " + what);
    fail(status_code::database, what + ": " + sqlite3_errstr(rc));
  }
  return pages;
}

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Removes the temporary copy unless it was renamed into place.
struct temp_file {
  std::string path;
  bool keep = false;
  ~temp_file() {
    if (keep || path.empty()) return;
    ::unlink(path.c_str());
    ::unlink((path + "-journal").c_str());
  }
};

}  // namespace

backup_info backup_database(const open_options& live, const std::string& target_path) {
  struct stat st;
  if (::stat(target_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    fail(status_code::usage, target_path + " is a directory; name the backup file");
  open_options source_options = live;
  source_options.read_only = true;
  database source = database::open(source_options);

  temp_file temp;
  temp.path = target_path + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.path.data());  // 0600
  if (fd < 0) {
    auto code = errno == EACCES || errno == EROFS || errno == EPERM ? status_code::permission
                                                                    : status_code::failure;
    std::string why = std::strerror(errno);
    temp.path.clear();
    fail(code, "cannot write a backup in " + parent_dir(target_path) + ": " + why);
  }
  ::close(fd);
  backup_info info;
  {
    connection dest = open_raw(temp.path, SQLITE_OPEN_READWRITE, "backup file");
    int64_t deadline = live.busy_deadline_ms >= 0 ? live.busy_deadline_ms : live.busy_timeout_ms;
    info.pages = copy_all(dest.get(), source.handle(), deadline, "backup failed");
    // One self-contained file: no -wal beside it.
    query_column(dest.get(), "PRAGMA journal_mode=DELETE", "backup failed");
    auto check = query_column(dest.get(), "PRAGMA quick_check", "backup failed");
    if (check.size() != 1 || check[0] != "ok")
      fail(status_code::database, "the backup copy failed its check: " +
                                      (check.empty() ? std::string("no result") : check[0]));
    auto version = query_column(dest.get(), "PRAGMA user_version", "backup failed");
    info.schema_version = version.empty() ? 0 : std::atoll(version[0].c_str());
  }
  fsync_path(temp.path, O_RDONLY);
  if (::rename(temp.path.c_str(), target_path.c_str()) != 0) {
    auto code = errno == EACCES || errno == EROFS || errno == EPERM ? status_code::permission
                                                                    : status_code::failure;
    fail(code, "cannot write " + target_path + ": " + std::strerror(errno));
  }
  temp.keep = true;
  fsync_path(parent_dir(target_path), O_RDONLY | O_DIRECTORY);
  if (::stat(target_path.c_str(), &st) == 0) info.bytes = st.st_size;
  return info;
}

backup_info check_backup(const std::string& backup_path) {
  struct stat st;
  if (::stat(backup_path.c_str(), &st) != 0) {
    if (errno == EACCES) fail(status_code::permission, "cannot read " + backup_path + ": " + std::strerror(errno));
    fail(status_code::usage, "no backup at " + backup_path);
  }
  if (S_ISDIR(st.st_mode)) fail(status_code::usage, backup_path + " is a directory, not a backup");
  if (::access(backup_path.c_str(), R_OK) != 0)
    fail(status_code::permission, "cannot read " + backup_path + ": " + std::strerror(errno));
  const std::string what = "refusing to restore " + backup_path;
  connection db = open_raw(backup_path, SQLITE_OPEN_READONLY, "backup");
  auto version_rows = query_column(db.get(), "PRAGMA user_version", what);
  backup_info info;
  info.schema_version = version_rows.empty() ? 0 : std::atoll(version_rows[0].c_str());
  if (info.schema_version == 0) fail(status_code::database, what + ": it is not a gum database");
  if (info.schema_version > schema_version)
    fail(status_code::database, what + ": its schema version " +
                                    std::to_string(info.schema_version) +
                                    " is newer than this gum understands (" +
                                    std::to_string(schema_version) + ")");
  auto tables = query_column(
      db.get(),
      "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name IN ('project_dirs', "
      "'projects', 'github_repos', 'http_cache', 'dir_usage', 'cache_metadata', 'sync_runs')",
      what);
  if (tables.empty() || tables[0] != "7")
    fail(status_code::database, what + ": it is not a gum database (tables are missing)");
  auto check = query_column(db.get(), "PRAGMA integrity_check", what);
  if (check.size() != 1 || check[0] != "ok")
    fail(status_code::database,
         what + ": it fails integrity_check (" + (check.empty() ? std::string("no result") : check[0]) + ")");
  auto foreign = query_column(db.get(), "PRAGMA foreign_key_check", what);
  if (!foreign.empty())
    fail(status_code::database, what + ": it fails foreign_key_check (" +
                                    std::to_string(foreign.size()) + " rows, first in table " +
                                    foreign[0] + ")");
  auto pages = query_column(db.get(), "PRAGMA page_count", what);
  info.pages = pages.empty() ? 0 : std::atoll(pages[0].c_str());
  info.bytes = st.st_size;
  return info;
}

backup_info restore_database(const open_options& live, const std::string& backup_path) {
  backup_info info = check_backup(backup_path);
  // The same file twice would copy a database onto itself while holding its write lock.
  {
    char* a = ::realpath(backup_path.c_str(), nullptr);
    char* b = ::realpath(live.path.c_str(), nullptr);
    bool same = a && b && std::strcmp(a, b) == 0;
    std::free(a);
    std::free(b);
    if (same) fail(status_code::usage, backup_path + " is the live database itself");
  }
  {
    open_options live_options = live;
    live_options.read_only = false;
    database target = database::open(live_options);  // creates, migrates, refuses a newer one
    connection source = open_raw(backup_path, SQLITE_OPEN_READONLY, "backup");
    int64_t deadline = live.busy_deadline_ms >= 0 ? live.busy_deadline_ms : live.busy_timeout_ms;
    copy_all(target.handle(), source.get(), deadline,
             "restore failed; the live database was not changed");
  }
  // Reopen: brings an older backup's schema up to date, and re-applies the pragmas.
  open_options reopen = live;
  reopen.read_only = false;
  database restored = database::open(reopen);
  auto check = restored.query_text("PRAGMA quick_check");
  if (!check || *check != "ok")
    fail(status_code::database, "the restored database fails quick_check",
         "run `gum integrity` for details");
  return info;
}

}  // namespace gum::storage
