// storage/database.hpp: RAII wrappers around one SQLite connection and its statements.
//
// Why this shape:
// - Every connection is opened the same way (open_database) and sets the pragmas of SPEC §2:
//   WAL, foreign_keys=ON, busy_timeout, synchronous. A connection that skipped one would let a
//   second process see a different database, so there is no other way to open one.
// - Writes go through write_transaction, which is always BEGIN IMMEDIATE: the write lock is
//   taken at BEGIN, so a transaction never fails half-way with SQLITE_BUSY on its first write
//   (the deadlock that a DEFERRED read-then-write transaction can hit under WAL). When BEGIN
//   itself stays busy past busy_timeout, it is retried with jittered backoff until a deadline,
//   then reported as "database is busy" (exit 3). Nothing is half-written: a transaction that
//   is not committed is rolled back by the destructor.
// - Errors inside storage are thrown as storage_error, which carries a gum::status; the actors
//   catch it at their boundary, so nothing throws across the public API.
//
// - The WAL stays bounded (SPEC §2). SQLite keeps a WAL's "already checkpointed" mark only in
//   the shared-memory index, and the first connection of a process that finds no other one
//   rebuilds that index from the -wal file with nothing marked as checkpointed. A short-lived
//   gum process is nearly always that first connection, so an automatic checkpoint could copy
//   pages back but the file was never restarted: it only grew (18 MB after 1 000 `gum add`),
//   and every process paid to read and checksum all of it at open. Hence two levers:
//   * a read-write connection, when it closes, checkpoints with TRUNCATE if the WAL has grown
//     past wal_truncate_threshold_bytes. It never waits (no busy handler): if another
//     connection holds a lock or a snapshot, or the disk refuses, the command still succeeds
//     and the next process tries again. Below the threshold nothing is done, so a command
//     pays no fsync at exit unless the WAL really needs it;
//   * journal_size_limit on every read-write connection, so that a long-lived process (the
//     resident engine, an embedding service), whose automatic checkpoints do restart the WAL,
//     also shrinks the file when it restarts.
//   The threshold was chosen by measurement (docs/concurrency.md, "The WAL bound").
//
// Thread-safety: a connection and its statements belong to one thread (one actor) at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "gum/messages.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gum::storage {

/// A read-write connection that closes with a WAL larger than this checkpoints it and truncates
/// it to zero bytes (a quarter of a MiB: about 16 `gum add` visits between two truncations).
inline constexpr int64_t wal_truncate_threshold_bytes = 256 * 1024;
/// journal_size_limit of read-write connections: a long-lived process that restarts the WAL
/// after a checkpoint shrinks it back to this.
inline constexpr int64_t wal_journal_size_limit_bytes = 1024 * 1024;

/// What a TRUNCATE checkpoint did.
struct wal_checkpoint_result {
  int64_t bytes_before = 0;  ///< size of the -wal file before
  int64_t bytes_after = 0;   ///< size after (0 when it was truncated)
  bool complete = false;     ///< every frame was copied back and the file truncated
};

/// A failure inside storage, carrying the status the CLI reports.
class storage_error : public std::runtime_error {
 public:
  explicit storage_error(gum::status st)
      : std::runtime_error(st.message), status_(std::move(st)) {}
  const gum::status& error_status() const { return status_; }

 private:
  gum::status status_;
};

/// How to open a connection.
struct open_options {
  std::string path;
  bool read_only = false;        ///< SQLITE_OPEN_READONLY; never creates or migrates
  bool create = true;            ///< create the file (and its 0700 folder) when missing
  bool migrate = true;           ///< bring the schema up to date (read-write only)
  bool synchronous_full = false; ///< synchronous=FULL instead of NORMAL
  int64_t busy_timeout_ms = 5000;
  int64_t busy_deadline_ms = -1; ///< BEGIN IMMEDIATE retry deadline; -1: busy_timeout_ms
  bool no_checkpoint_on_close = true;  ///< SQLite's own close-checkpoint (always, with fsync) off
  /// A read-write connection truncates the WAL when it closes if the WAL is larger than this
  /// (see the header comment); -1 never does.
  int64_t wal_truncate_bytes = wal_truncate_threshold_bytes;
  std::string vfs;               ///< SQLite VFS to open with; empty: the default
};

class statement;

/// One SQLite connection with gum's pragmas applied. Movable, not copyable.
class database {
 public:
  /// Opens (and, read-write, creates and migrates) the database. Throws storage_error with
  /// status_code::database for a file that is not SQLite or has a newer schema,
  /// status_code::permission for a file or folder that cannot be read or written.
  static database open(const open_options& options);

  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  ~database();

  /// Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  /// Prepares a statement (cached: the same SQL text returns the same prepared statement).
  statement& prepare(std::string_view sql);
  /// The rowid of the last insert.
  int64_t last_insert_rowid() const;
  /// Rows changed by the last statement.
  int64_t changes() const;
  /// A single integer from a query such as PRAGMA user_version.
  int64_t query_int(std::string_view sql);
  /// A single text value, or nullopt for NULL / no row.
  std::optional<std::string> query_text(std::string_view sql);

  const open_options& options() const { return options_; }
  /// SQLITE_BUSY retries taken by write transactions on this connection.
  int64_t busy_retries() const { return busy_retries_; }
  void add_busy_retry() { ++busy_retries_; }
  sqlite3* handle() const { return db_; }

  /// Turns this connection's triggers on or off (SQLITE_DBCONFIG_ENABLE_TRIGGER); returns
  /// whether they were on. Other connections are not affected.
  bool enable_triggers(bool on);

  /// The -wal file of this connection's database (empty for an in-memory database).
  std::string wal_path() const;
  /// Checkpoints the WAL with TRUNCATE without waiting for any lock: when another connection
  /// holds the write lock or a snapshot, copies what it can and leaves the file. Never throws;
  /// must not be called inside a transaction.
  wal_checkpoint_result checkpoint_truncate();

  /// Throws storage_error for rc, with what SQLite says, mapped to an exit code.
  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  database() = default;
  struct cached_statement;
  sqlite3* db_ = nullptr;
  open_options options_;
  int64_t busy_retries_ = 0;
  std::vector<cached_statement*> cache_;
};

/// A prepared statement, reset before each use. Binding indexes are 1-based.
class statement {
 public:
  statement(database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& reset();  ///< clears bindings and rewinds
  statement& bind(int index, int64_t value);
  statement& bind(int index, double value);
  statement& bind(int index, std::string_view value);
  statement& bind(int index, const std::optional<std::string>& value);  ///< nullopt => NULL
  statement& bind(int index, const std::optional<int64_t>& value);
  statement& bind_null(int index);
  /// Steps once: true while there is a row.
  bool step();
  /// Steps to completion (for statements without rows).
  void run();

  int64_t column_int(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  /// The column's text without a copy: valid until the next step, reset or column call.
  std::string_view column_view(int col) const;
  std::optional<std::string> column_optional_text(int col) const;
  std::optional<int64_t> column_optional_int(int col) const;
  bool column_is_null(int col) const;

 private:
  database* db_;
  sqlite3_stmt* stmt_;
};

/// A BEGIN IMMEDIATE transaction with busy retries; rolled back unless commit() succeeds.
class write_transaction {
 public:
  explicit write_transaction(database& db);
  ~write_transaction();
  write_transaction(const write_transaction&) = delete;
  write_transaction& operator=(const write_transaction&) = delete;
  void commit();

 private:
  database& db_;
  bool open_ = false;
};

/// A read transaction: every query inside it sees one snapshot.
class read_transaction {
 public:
  explicit read_transaction(database& db);
  ~read_transaction();
  read_transaction(const read_transaction&) = delete;
  read_transaction& operator=(const read_transaction&) = delete;

 private:
  database& db_;
};

/// SQLite's PRAGMA data_version for this connection: it changes whenever another connection
/// committed since this one last read, and never for this connection's own commits. Read
/// inside a read_transaction, after its first query, it names that snapshot: two reads with
/// the same value saw the same committed database (the server's readers keep a list in memory
/// while it stays the same: actors/cache.hpp, keep_lists).
int64_t data_version(database& db);

/// A savepoint inside a transaction: one failed batch item is undone alone.
class savepoint {
 public:
  explicit savepoint(database& db);
  ~savepoint();  ///< rolls back to the savepoint unless released
  void release();

 private:
  database& db_;
  bool open_ = true;
};

/// The current time in unix seconds (core/clock.hpp; the one place gum asks the clock).
using gum::unix_now;

}  // namespace gum::storage
