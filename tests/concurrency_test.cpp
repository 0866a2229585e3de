// tests/concurrency_test.cpp: many gum processes on one database at once.
//
// Refreshers rescan a tree that flips between two states (one repository moved in and out by
// an atomic rename) while readers list the projects in a loop. Every read must be exactly one
// of the two complete lists: never a mixture, a partial list or a duplicate (SPEC §2).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::lines_of;
using gum::testing::test_env;

TEST(concurrency, reads_during_concurrent_refreshes_return_one_complete_list) {
  test_env env;
  auto root = env.home() + "/projects";
  for (int i = 0; i < 200; ++i) test_env::make_repo(root + "/r" + std::to_string(i));
  // The flipping repository lives outside the root and is renamed in and out.
  auto outside = env.root() + "/parked";
  test_env::make_repo(outside + "/flip");
  ASSERT_EQ(env.gum({"projects", "-r"}).exit_code, 0);
  auto without = env.gum({"projects", "-f", "simple"}).out;
  std::filesystem::rename(outside + "/flip", root + "/flip");
  ASSERT_EQ(env.gum({"projects", "-r"}).exit_code, 0);
  auto with = env.gum({"projects", "-f", "simple"}).out;
  ASSERT_NE(without, with);
  ASSERT_EQ(lines_of(with).size(), 201u);

  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, refreshes{0}, bad_reads{0}, failures{0};
  std::vector<std::string> bad_samples;
  std::mutex samples_mutex;
  std::thread flipper([&] {
    bool inside = true;
    while (!stop) {
      if (inside)
        std::filesystem::rename(root + "/flip", outside + "/flip");
      else
        std::filesystem::rename(outside + "/flip", root + "/flip");
      inside = !inside;
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w)
    workers.emplace_back([&] {
      while (!stop) {
        auto r = env.gum({"projects", "-r", "-f", "simple"});
        if (r.exit_code != 0) {
          ++failures;
          std::lock_guard<std::mutex> lock(samples_mutex);
          bad_samples.push_back("refresh: " + r.err);
        }
        ++refreshes;
      }
    });
  for (int w = 0; w < 3; ++w)
    workers.emplace_back([&] {
      while (!stop) {
        auto r = env.gum({"projects", "-f", "simple"});
        ++reads;
        if (r.exit_code != 0) {
          ++failures;
          std::lock_guard<std::mutex> lock(samples_mutex);
          bad_samples.push_back("read: " + r.err);
        } else if (r.out != with && r.out != without) {
          ++bad_reads;
          std::lock_guard<std::mutex> lock(samples_mutex);
          bad_samples.push_back("read of " + std::to_string(lines_of(r.out).size()) + " lines");
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::seconds(6));
  stop = true;
  for (auto& t : workers) t.join();
  flipper.join();
  EXPECT_GT(reads.load(), 20);
  EXPECT_GT(refreshes.load(), 10);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0);
  for (auto& s : bad_samples) ADD_FAILURE() << s;

  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace gum
