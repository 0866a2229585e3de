// tests/wal_test.cpp: the WAL stays bounded however gum is used (SPEC §2, docs/concurrency.md).
//
// Before the bound, every short-lived gum process closed without checkpointing, the next one
// rebuilt the WAL index from the file with nothing marked as checkpointed, and the -wal file
// only grew: 18 MB after 1 000 `gum add`. These tests run gum the way a shell hook, a cron job
// and the stress harness do, and look at the -wal file after every process. They start
// thousands of processes, so ctest labels them `slow` (the sanitizer pass skips them; every
// sanitizer test still closes connections through the same destructor).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/integrity_store.hpp"
#include "support/test_env.hpp"

namespace {

using gum::testing::test_env;
namespace fs = std::filesystem;

int64_t file_size(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

// A test_env whose visits go to distinct folders below HOME.
struct visit_world {
  test_env env;
  std::string dir(int i) const { return env.home() + "/d/" + std::to_string(i); }
  void make_dirs(int n) const {
    for (int i = 0; i < n; ++i) fs::create_directories(dir(i));
  }
  std::string wal() const { return env.db_path() + "-wal"; }
};

TEST(wal, stays_below_the_bound_after_2000_separate_gum_add_processes) {
  visit_world w;
  w.make_dirs(2000);
  int64_t largest = 0;
  for (int i = 0; i < 2000; ++i) {
    auto r = w.env.gum({"add", w.dir(i)});
    ASSERT_EQ(r.exit_code, 0) << "visit " << i << ": " << r.err;
    largest = std::max(largest, file_size(w.wal()));
  }
  // Every process that closes with a WAL over the threshold truncates it, so no process ever
  // leaves more than the threshold behind (before the bound: 35 MB after 2 000 visits).
  EXPECT_LE(largest, gum::storage::wal_truncate_threshold_bytes);
  EXPECT_EQ(gum::testing::sqlite_text(w.env.db_path(), "SELECT count(*) FROM dir_usage"), "2000");
}

TEST(wal, stays_below_the_bound_over_200_refresh_runs) {
  test_env env;
  const std::string root = env.home() + "/projects";
  for (int i = 0; i < 20; ++i) test_env::make_repo(root + "/repo" + std::to_string(i));
  int64_t largest = 0;
  for (int i = 0; i < 200; ++i) {
    // Every tenth run sees a new repository, so refreshes write real changes as well.
    if (i % 10 == 0) test_env::make_repo(root + "/new" + std::to_string(i), "https://github.com/o/n" + std::to_string(i));
    auto r = env.gum({"projects", "--refresh", "-f", "simple"});
    ASSERT_EQ(r.exit_code, 0) << "refresh " << i << ": " << r.err;
    largest = std::max(largest, file_size(env.db_path() + "-wal"));
  }
  EXPECT_LE(largest, gum::storage::wal_truncate_threshold_bytes);
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "SELECT count(*) FROM projects"), "40");
}

TEST(wal, a_reader_holding_a_snapshot_defers_the_truncation_without_failing_a_command) {
  visit_world w;
  w.make_dirs(400);
  ASSERT_EQ(w.env.gum({"add", w.dir(0)}).exit_code, 0);
  // Another program holds a read snapshot: no checkpoint may copy past it, so the WAL grows.
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(w.env.db_path().c_str(), &reader, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM dir_usage;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  for (int i = 1; i < 300; ++i) {
    auto r = w.env.gum({"add", w.dir(i)});
    ASSERT_EQ(r.exit_code, 0) << "visit " << i << " while a snapshot was held: " << r.err;
  }
  const int64_t while_held = file_size(w.wal());
  EXPECT_GT(while_held, gum::storage::wal_truncate_threshold_bytes)
      << "the snapshot should have kept the WAL from being truncated";
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
  // Once the reader is gone, the next process to close truncates what was left.
  for (int i = 300; i < 310; ++i) ASSERT_EQ(w.env.gum({"add", w.dir(i)}).exit_code, 0);
  EXPECT_LE(file_size(w.wal()), gum::storage::wal_truncate_threshold_bytes);
  EXPECT_EQ(gum::testing::sqlite_text(w.env.db_path(), "SELECT count(*) FROM dir_usage"), "310");
}

TEST(wal, closing_beside_a_held_write_lock_neither_waits_nor_fails) {
  test_env env;
  const std::string path = env.root() + "/locked.db";
  gum::storage::open_options o;
  o.path = path;
  // A busy timeout far beyond the test's own timeout: if the close waited for the lock, the
  // test could only end by timing out.
  o.busy_timeout_ms = 3600 * 1000;
  {
    auto writer = std::make_unique<gum::storage::database>(gum::storage::database::open(o));
    writer->exec("CREATE TABLE filler(x BLOB)");
    for (int i = 0; i < 100; ++i) writer->exec("INSERT INTO filler VALUES (zeroblob(8000))");
    ASSERT_GT(file_size(path + "-wal"), gum::storage::wal_truncate_threshold_bytes);
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const int64_t before = file_size(path + "-wal");
    writer.reset();  // tries the truncating checkpoint, meets the lock, gives up at once
    EXPECT_GE(file_size(path + "-wal"), before);
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(other);
  }
  // The data is all there, and the next connection to close truncates the WAL.
  {
    auto db = gum::storage::database::open(o);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM filler"), 100);
  }
  EXPECT_EQ(file_size(path + "-wal"), 0);
}

TEST(wal, a_long_lived_connection_keeps_the_wal_near_its_size_limit) {
  test_env env;
  gum::storage::open_options o;
  o.path = env.root() + "/long.db";
  auto db = gum::storage::database::open(o);
  db.exec("CREATE TABLE visits(path TEXT PRIMARY KEY, n INTEGER)");
  int64_t largest = 0;
  for (int i = 0; i < 3000; ++i) {
    gum::storage::write_transaction tx(db);
    db.prepare("INSERT INTO visits VALUES (?1, 1) ON CONFLICT(path) DO UPDATE SET n = n + 1")
        .bind(1, std::string_view("/home/user/d/" + std::to_string(i % 500) + std::string(200, 'x')))
        .run();
    tx.commit();
    largest = std::max(largest, file_size(o.path + "-wal"));
  }
  // Automatic checkpoints restart the WAL, and journal_size_limit shrinks it on restart.
  EXPECT_LE(largest, gum::storage::wal_journal_size_limit_bytes + 64 * 1024);
}

TEST(wal, a_stress_run_leaves_a_wal_within_the_bound_and_the_next_process_truncates_it) {
  test_env env;
  const std::string dir = env.root() + "/ws";
  auto r = env.gum({"stress", "--scenario", "mixed", "--ops", "read,refresh,add", "--procs", "4",
                    "--iterations", "40", "--repos", "30", "--dir", dir, "--keep"},
                   {}, 280);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string db = dir + "/mixed/cache/gum/gum.db";
  ASSERT_TRUE(fs::exists(db));
  EXPECT_LE(file_size(db + "-wal"), gum::storage::wal_size_bound(file_size(db)));
  auto audit = env.gum({"--db", db, "integrity", "--quick"});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  fs::create_directories(env.home() + "/after");
  ASSERT_EQ(env.gum({"--db", db, "add", env.home() + "/after"}).exit_code, 0);
  EXPECT_LE(file_size(db + "-wal"), gum::storage::wal_truncate_threshold_bytes);
}

TEST(wal, integrity_repair_checkpoints_and_truncates_an_oversized_wal) {
  visit_world w;
  w.make_dirs(50);
  ASSERT_EQ(w.env.gum({"add", w.dir(0)}).exit_code, 0);
  // A WAL left over the bound, as processes killed before they could truncate leave it: grow
  // it from a connection that never checkpoints, and copy the files while it is open.
  const std::string copy = w.env.root() + "/copy.db";
  const std::string checked = w.env.root() + "/checked.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(w.env.db_path().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0; CREATE TABLE IF NOT EXISTS x(b BLOB);", nullptr, nullptr, nullptr);
    for (int i = 0; i < 2000; ++i) sqlite3_exec(db, "INSERT INTO x VALUES (zeroblob(4000))", nullptr, nullptr, nullptr);
    sqlite3_exec(db, "DELETE FROM x; DROP TABLE x;", nullptr, nullptr, nullptr);
    for (const auto& target : {copy, checked}) {
      fs::copy_file(w.env.db_path(), target);
      fs::copy_file(w.env.db_path() + "-wal", target + "-wal");
    }
    sqlite3_close(db);
  }
  ASSERT_GT(file_size(copy + "-wal"), gum::storage::wal_size_bound(file_size(copy)));
  // The read-only check fails on it (and, being read-only, leaves it as it is).
  auto check = w.env.gum({"--db", checked, "integrity"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("bound"), std::string::npos) << check.out;
  auto repair = w.env.gum({"--db", copy, "integrity", "--repair"});
  EXPECT_EQ(repair.exit_code, 0) << repair.out << repair.err;
  EXPECT_NE(repair.out.find("checkpointed the WAL and truncated it"), std::string::npos)
      << repair.out;
  EXPECT_EQ(file_size(copy + "-wal"), 0);
  EXPECT_EQ(w.env.gum({"--db", copy, "integrity"}).exit_code, 0);
}

}  // namespace
