// bench/sqlite_floor.cpp: the floor of a command that drives one SQLite statement through an
// actor system, for bench/everyday.sh.
//
//   sqlite_floor DB SQL [--write]
//
// It is caf_floor (the same actor system, configured as the CLI configures it, one request to
// one detached actor) whose actor does the least any gum read or write must do: open DB
// (read-only; with --write read-write, synchronous=NORMAL, SQL inside BEGIN IMMEDIATE ...
// COMMIT), let SQLite parse the schema, run SQL, print its first column one row a line, and
// close, checkpointing only past gum's WAL bound, as gum's connections do. It links the same
// SQLite archive as gum and nothing gum does not link, so everyday.sh can split each ratio
// into the actor system's floor, SQLite's fixed cost on gum's schema, and gum's own code (the
// command line, the config, the engine and the output).
// Exit 0 when SQL ran, 1 when it failed (the message on stderr), 2 on a usage error.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench/floor_actor.hpp"

namespace {

struct statement_runner {
  std::string path, sql;
  bool write = false;

  // Returns "" when the statement ran, else SQLite's message.
  std::string run() const {
    // What gum's storage sets too (storage/database.cpp), so that the floor does no work gum
    // spares itself: no memory statistics, and no checkpoint (with its fsync) at every close.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_NOMUTEX | (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
    std::string error;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      error = db ? sqlite3_errmsg(db) : "out of memory";
    } else {
      sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      if (write) exec(db, "PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE", error);
      if (error.empty()) select(db, error);
      if (write && error.empty()) exec(db, "COMMIT", error);
      if (write && error.empty()) truncate_long_wal(db);
    }
    sqlite3_close(db);
    return error;
  }

  // gum's rule at close (storage/database.hpp): restart a WAL that grew past 256 KB, so that
  // the runs of a benchmark do not make each open read a longer one than gum would.
  static void truncate_long_wal(sqlite3* db) {
    const char* wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
    struct stat st;
    if (wal && ::stat(wal, &st) == 0 && st.st_size > 256 * 1024)
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }

  static void exec(sqlite3* db, const char* text, std::string& error) {
    char* message = nullptr;
    if (sqlite3_exec(db, text, nullptr, nullptr, &message) != SQLITE_OK)
      error = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
  }

  void select(sqlite3* db, std::string& error) const {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      error = sqlite3_errmsg(db);
      return;
    }
    std::string out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (sqlite3_column_count(stmt) == 0) continue;
      const auto* text = sqlite3_column_text(stmt, 0);
      if (text) out.append(reinterpret_cast<const char*>(text));
      out.push_back('\n');
    }
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 || (argc == 4 && std::strcmp(argv[3], "--write") != 0)) {
    std::fprintf(stderr, "usage: sqlite_floor DB SQL [--write]\n");
    return 2;
  }
  const statement_runner runner{argv[1], argv[2], argc == 4};
  const auto error = gum::bench::ask_one_detached_actor<std::string>(
      int32_t{1}, [runner](int32_t) { return runner.run(); });
  if (error && error->empty()) return 0;
  std::fprintf(stderr, "sqlite_floor: %s\n", error ? error->c_str() : "no reply");
  return 1;
}
