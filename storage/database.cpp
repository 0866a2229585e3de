// storage/database.cpp: opening connections, pragmas, statements and transactions.
//
// The order of the first statements on a connection matters. A file that is not SQLite, or a
// database written by a newer gum, must be left byte-identical, so the schema version is read
// (which also proves the file is a database) before anything that could write: setting
// journal_mode=WAL rewrites the file header, and a migration rewrites the schema.
#include "storage/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>

#include "storage/schema.hpp"

namespace gum::storage {

namespace {

status_code code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return status_code::permission;
    default:
      return status_code::database;
  }
}

// Creates `dir` and its missing parents with mode 0700 (only the folders gum creates).
void make_private_dirs(const std::string& dir) {
  if (dir.empty()) return;
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) return;
  auto slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) make_private_dirs(dir.substr(0, slash));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    auto code = errno == EACCES || errno == EROFS || errno == EPERM ? status_code::permission
                                                                    : status_code::database;
    throw storage_error(status::fail(code, "cannot create " + dir + ": " + std::strerror(errno)));
  }
}

// SQLite's own busy handler sleeps on a fixed schedule, so writers that collide keep colliding,
// and some statements (switching to WAL while another connection does the same) return
// SQLITE_BUSY without calling it at all. Such statements are retried here instead, with
// jittered, growing sleeps, until the deadline; returns the last result code.
template <class Attempt>
int retry_while_busy(database& db, Attempt attempt) {
  const auto& opts = db.options();
  int64_t deadline_ms = opts.busy_deadline_ms >= 0 ? opts.busy_deadline_ms : opts.busy_timeout_ms;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  std::minstd_rand rng(static_cast<unsigned>(
      std::chrono::steady_clock::now().time_since_epoch().count() ^ reinterpret_cast<uintptr_t>(&db)));
  int64_t backoff_us = 200;
  sqlite3_busy_timeout(db.handle(), 0);
  int rc;
  for (;;) {
    rc = attempt();
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) break;
    db.add_busy_retry();
    std::uniform_int_distribution<int64_t> jitter(backoff_us / 2, backoff_us);
    std::this_thread::sleep_for(std::chrono::microseconds(jitter(rng)));
    backoff_us = std::min<int64_t>(backoff_us * 2, 20000);
  }
  sqlite3_busy_timeout(db.handle(), static_cast<int>(opts.busy_timeout_ms));
  return rc;
}

// Runs a PRAGMA that answers one value; SQLITE_ROW means `value` holds it.
int read_pragma(sqlite3* handle, const char* sql, std::string& value) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    value = text ? text : "";
  }
  sqlite3_finalize(stmt);
  return rc;
}

}  // namespace

struct database::cached_statement {
  std::string sql;
  statement stmt;
};

database database::open(const open_options& options) {
  database db;
  db.options_ = options;
  const auto& path = options.path;
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  bool created = false;  // this open made the file (and removes it if the create fails)
  if (!exists) {
    if (options.read_only || !options.create)
      throw storage_error(status::fail(status_code::database, "no database at " + path,
                                       "run `gum projects --refresh` to create it"));
    auto slash = path.find_last_of('/');
    if (slash != std::string::npos && slash > 0) make_private_dirs(path.substr(0, slash));
    // Create the file ourselves so that it is 0600 from the first byte: it names private
    // repositories. SQLite gives the -wal and -shm files the same mode.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      auto code = errno == EACCES || errno == EROFS || errno == EPERM ? status_code::permission
                                                                      : status_code::database;
      throw storage_error(status::fail(code, "cannot create " + path + ": " + std::strerror(errno)));
    }
    if (fd >= 0) {
      ::close(fd);
      created = true;
    }
  } else if (S_ISDIR(st.st_mode)) {
    throw storage_error(status::fail(status_code::database, path + " is a directory, not a database"));
  } else if (::access(path.c_str(), options.read_only ? R_OK : (R_OK | W_OK)) != 0) {
    throw storage_error(status::fail(status_code::permission,
                                     "cannot " + std::string(options.read_only ? "read " : "write ") +
                                         path + ": " + std::strerror(errno)));
  }
  // A create that fails (a full disk) must not leave a 0-byte gum.db behind for the next
  // command to misread as an old schema: what this open created goes again, and only that.
  struct creation_guard {
    const std::string& path;
    bool armed;
    ~creation_guard() {
      if (armed)
        for (const char* suffix : {"-wal", "-shm", ""}) ::unlink((path + suffix).c_str());
    }
  } guard{path, created};
  // Memory statistics take a global mutex on every allocation; gum never reads them. This
  // only takes effect before SQLite initialises, i.e. on the first open in a process.
  static const bool memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)memstatus_off;
  int flags = SQLITE_OPEN_NOMUTEX | (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    throw storage_error(status::fail(code_for(rc), "cannot open database " + path + ": " + msg));
  }
  sqlite3_extended_result_codes(db.db_, 1);
  sqlite3_busy_timeout(db.db_, static_cast<int>(options.busy_timeout_ms));
  if (options.no_checkpoint_on_close)
    sqlite3_db_config(db.db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);

  // Read before any write: proves the file is SQLite and refuses a newer schema untouched.
  int64_t version = 0;
  {
    std::string text;
    rc = retry_while_busy(db, [&] { return read_pragma(db.db_, "PRAGMA user_version", text); });
    if (rc == SQLITE_ROW) version = std::stoll(text);
    if (rc != SQLITE_ROW) {
      if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        throw storage_error(status::fail(status_code::database,
                                         path + " is not a gum database (" + sqlite3_errstr(rc) + ")",
                                         "move it away or pass another --db"));
      db.fail(rc, "cannot read " + path);
    }
  }
  if (version > schema_version)
    throw storage_error(status::fail(
        status_code::database,
        "database " + path + " has schema version " + std::to_string(version) +
            ", newer than this gum understands (" + std::to_string(schema_version) + ")",
        "upgrade gum; the database was not modified"));

  if (!options.read_only) {
    std::string mode;
    rc = retry_while_busy(db, [&] { return read_pragma(db.db_, "PRAGMA journal_mode=WAL", mode); });
    if (rc != SQLITE_ROW) db.fail(rc, "cannot enable WAL on " + path);
    if (mode != "wal")
      throw storage_error(status::fail(status_code::database, "cannot enable WAL on " + path));
  }
  db.exec("PRAGMA foreign_keys=ON");
  // A refresh rewrites thousands of rows in one transaction: a larger page cache keeps them
  // in memory until COMMIT instead of spilling them to the WAL half-way (pages are only
  // allocated when used, so small commands do not pay for it).
  if (!options.read_only) db.exec("PRAGMA cache_size=-16384");
  // The automatic checkpoint moves a long-lived process's WAL back into the database file. At
  // SQLite's default of 1000 pages a refresh of 10 000 projects (about 800 pages) stayed in the
  // WAL, and every reader then looked each page up in the WAL index: opening took 2.4 ms
  // instead of 0.5 and a full read 14 ms instead of 10. 256 pages (1 MB) keeps the WAL short;
  // journal_size_limit shrinks the file when such a process restarts the WAL, and the
  // destructor truncates what short-lived processes leave (see database.hpp).
  if (!options.read_only) {
    db.exec("PRAGMA wal_autocheckpoint=256");
    db.exec("PRAGMA journal_size_limit=" + std::to_string(wal_journal_size_limit_bytes));
  }
  db.exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  if (!options.read_only && options.migrate && version < schema_version) {
    migrate(db);
    // Once in a database's life: move the new schema into the file itself, so that its header
    // says the version (gum::database_is_current, which lets reads start the cache alone,
    // reads the header and nothing else; without this a new database's header stays at 0
    // until the WAL is first checkpointed). Best effort: a reader elsewhere may hold it back.
    db.checkpoint_truncate();
  }
  if (options.read_only && version == 0 && exists && st.st_size == 0)
    throw storage_error(status::fail(status_code::database,
                                     "database " + path + " is empty (0 bytes): it was never "
                                     "created completely",
                                     "run any writing gum command, e.g. `gum projects`, to "
                                     "create it"));
  if (options.read_only && version < schema_version)
    throw storage_error(status::fail(status_code::database,
                                     "database " + path + " has an old schema (version " +
                                         std::to_string(version) + ")",
                                     "run any writing gum command, e.g. `gum projects`"));
  guard.armed = false;
  return db;
}

database::database(database&& other) noexcept
    : db_(other.db_), options_(std::move(other.options_)), busy_retries_(other.busy_retries_),
      cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
  other.cache_.clear();
}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    this->~database();
    new (this) database(std::move(other));
  }
  return *this;
}

database::~database() {
  for (auto* c : cache_) delete c;
  cache_.clear();
  if (db_ && !options_.read_only) {
    int64_t threshold = options_.wal_truncate_bytes;
    // Statements are finalized, so no read is open on this connection; another connection of
    // this process or of another one may still hold a snapshot, and then the checkpoint is
    // partial and the next process to close tries again.
    if (threshold >= 0 && sqlite3_get_autocommit(db_)) {
      struct stat st;
      auto wal = wal_path();
      if (!wal.empty() && ::stat(wal.c_str(), &st) == 0 && st.st_size > threshold)
        checkpoint_truncate();
    }
  }
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

bool database::enable_triggers(bool on) {
  int was = 1;
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &was);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, nullptr);
  return was != 0;
}

std::string database::wal_path() const {
  const char* name = sqlite3_db_filename(db_, "main");
  if (!name || !*name) return {};
  const char* wal = sqlite3_filename_wal(name);
  return wal ? wal : "";
}

wal_checkpoint_result database::checkpoint_truncate() {
  wal_checkpoint_result result;
  auto wal = wal_path();
  struct stat st;
  if (!wal.empty() && ::stat(wal.c_str(), &st) == 0) result.bytes_before = st.st_size;
  // No busy handler: TRUNCATE would otherwise wait up to busy_timeout for every reader of
  // another process to finish, and a command's exit must not block on someone else's snapshot.
  sqlite3_busy_timeout(db_, 0);
  int log_frames = -1;
  int copied = -1;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &copied);
  sqlite3_busy_timeout(db_, static_cast<int>(options_.busy_timeout_ms));
  result.bytes_after = result.bytes_before;
  if (!wal.empty() && ::stat(wal.c_str(), &st) == 0) result.bytes_after = st.st_size;
  else if (!wal.empty()) result.bytes_after = 0;
  result.complete = rc == SQLITE_OK && result.bytes_after == 0;
  return result;
}

namespace {

// The folder of `path` ("." when it has none).
std::string folder_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// For a write that SQLite refused as read-only or could not open: which file or folder said
// no, in words ("the folder F is read-only", "F-shm is not writable (mode 0400)"), or empty
// when none of them did. SQLite itself says only "attempt to write a readonly database".
std::string refusing_file(const std::string& db_path) {
  if (db_path.empty()) return {};
  for (const char* suffix : {"-shm", "-wal"}) {
    std::string side = db_path + suffix;
    struct stat st;
    if (::stat(side.c_str(), &st) == 0 && ::access(side.c_str(), R_OK | W_OK) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      return side + " is not writable (mode " + mode +
             "); remove it when no gum process runs, or make it writable";
    }
  }
  if (::access(db_path.c_str(), W_OK) != 0 && errno != ENOENT)
    return db_path + " is not writable: " + std::strerror(errno);
  std::string dir = folder_of(db_path);
  if (::access(dir.c_str(), W_OK) != 0)
    return "the folder " + dir + " is not writable (" + std::strerror(errno) +
           "): SQLite creates " + db_path + "-wal and -shm there";
  return {};
}

}  // namespace

void database::fail(int rc, std::string_view what) const {
  std::string msg(what);
  msg += ": ";
  msg += db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  const char* name = db_ ? sqlite3_db_filename(db_, "main") : nullptr;
  const std::string db_path = name ? name : "";
  const int sys_errno = db_ ? sqlite3_system_errno(db_) : 0;
  const int primary = rc & 0xff;
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM) {
    if (auto who = refusing_file(db_path); !who.empty())
      throw storage_error(status::fail(status_code::permission, "cannot write " + db_path + ": " + who));
  }
  // "disk I/O error" says nothing: name the cause the operating system gave.
  if (primary == SQLITE_IOERR && sys_errno == ENOSPC)
    throw storage_error(status::fail(status_code::database,
                                     "disk is full: " + std::string(what) + " (" +
                                         (db_path.empty() ? std::string("the database") : db_path) +
                                         ": " + std::strerror(sys_errno) + ")"));
  if (primary == SQLITE_IOERR && sys_errno != 0) {
    std::string side;
    if (rc == SQLITE_IOERR_SHMOPEN || rc == SQLITE_IOERR_SHMSIZE || rc == SQLITE_IOERR_SHMMAP)
      side = db_path + "-shm: ";
    msg += " (" + side + std::strerror(sys_errno) + ")";
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    throw storage_error(status::fail(status_code::database, "database is busy",
                                     "another gum process held the write lock too long; try again"));
  if ((rc & 0xff) == SQLITE_FULL)
    throw storage_error(status::fail(status_code::database, "disk is full: " + msg));
  throw storage_error(status::fail(code_for(rc), msg));
}

void database::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, "SQL error");
}

statement& database::prepare(std::string_view sql) {
  for (auto* c : cache_)
    if (c->sql == sql) return c->stmt.reset();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, "cannot prepare statement");
  cache_.push_back(new cached_statement{std::string(sql), statement(*this, stmt)});
  return cache_.back()->stmt;
}

int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t database::changes() const { return sqlite3_changes64(db_); }

int64_t database::query_int(std::string_view sql) {
  auto& stmt = prepare(sql);
  int64_t value = stmt.step() ? stmt.column_int(0) : 0;
  stmt.reset();
  return value;
}

std::optional<std::string> database::query_text(std::string_view sql) {
  auto& stmt = prepare(sql);
  std::optional<std::string> value;
  if (stmt.step()) value = stmt.column_optional_text(0);
  stmt.reset();
  return value;
}

// ---- statement ---------------------------------------------------------------------------

statement::~statement() { sqlite3_finalize(stmt_); }

statement& statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

statement& statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, std::string_view(*value));
  return bind_null(index);
}

statement& statement::bind(int index, const std::optional<int64_t>& value) {
  if (value) return bind(index, *value);
  return bind_null(index);
}

statement& statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_->fail(rc, "SQL error");
}

void statement::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);
}

int64_t statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
double statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string statement::column_text(int col) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!text) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view statement::column_view(int col) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!text) return {};
  return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> statement::column_optional_text(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_text(col);
}

std::optional<int64_t> statement::column_optional_int(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_int(col);
}

bool statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

// ---- transactions ------------------------------------------------------------------------

write_transaction::write_transaction(database& db) : db_(db) {
  int rc = retry_while_busy(db, [&] {
    return sqlite3_exec(db.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  });
  if (rc != SQLITE_OK) db.fail(rc, "cannot begin write transaction");
  open_ = true;
}

write_transaction::~write_transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void write_transaction::commit() {
  int rc = sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) db_.fail(rc, "cannot commit");  // the destructor rolls back
  open_ = false;
}

read_transaction::read_transaction(database& db) : db_(db) { db_.exec("BEGIN"); }
read_transaction::~read_transaction() {
  sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

int64_t data_version(database& db) { return db.query_int("PRAGMA data_version"); }

savepoint::savepoint(database& db) : db_(db) { db_.exec("SAVEPOINT gum_item"); }
savepoint::~savepoint() {
  if (open_) {
    sqlite3_exec(db_.handle(), "ROLLBACK TO gum_item", nullptr, nullptr, nullptr);
    sqlite3_exec(db_.handle(), "RELEASE gum_item", nullptr, nullptr, nullptr);
  }
}
void savepoint::release() {
  db_.exec("RELEASE gum_item");
  open_ = false;
}

}  // namespace gum::storage
