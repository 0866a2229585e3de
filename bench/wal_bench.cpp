// bench/wal_bench.cpp: the steady state of the shell hook (SPEC §7, docs/concurrency.md).
//
// A shell hook runs one `gum add` per directory change, thousands a week. What matters is what
// one more visit costs after all of those, not on a fresh database: before the WAL bound, the
// WAL grew by four pages a visit and every process read and checksummed all of it at open
// (one add after 2 000 cost 6.4x the same add on a fresh database).
//
// What it does:
// 1. Records --visits visits (default 2 000), one `gum add` process each, on distinct folders,
//    and reports the -wal file's size along the way.
// 2. Snapshots that database as a fresh one: the same rows, checkpointed, with no WAL.
// 3. Alternates, --runs times: one more `gum add NEW` on the live database (so the series goes
//    on as a hook's would, truncations included), and the same add on a copy of the fresh
//    snapshot restored before each run. Reports medians, means and the ratio of the medians.
// Exits 3 when the ratio misses 1.1x.
//
// Usage: wal_bench [--gum PATH] [--visits N] [--runs N]
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"

namespace fs = std::filesystem;

namespace {

int64_t file_size(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string gum = "./gum";
  int visits = 2000;
  int runs = 41;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--gum") {
      gum = value();
    } else if (a == "--visits") {
      visits = std::atoi(value().c_str());
    } else if (a == "--runs") {
      runs = std::atoi(value().c_str());
    } else {
      std::fprintf(stderr, "usage: wal_bench [--gum PATH] [--visits N] [--runs N]\n");
      return 2;
    }
  }
  if (visits < 1 || runs < 1) return 2;
  gum = fs::absolute(gum).string();
  char tmpl[] = "/tmp/gum-wal-bench-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string root = tmpl, home = root + "/home", live = root + "/live/gum.db",
                    fresh = root + "/fresh/gum.db", pristine = root + "/pristine.db";
  fs::create_directories(root + "/live");
  fs::create_directories(root + "/fresh");
  for (int i = 0; i < visits + runs + 1; ++i) fs::create_directories(home + "/d/" + std::to_string(i));
  const std::vector<std::string> base = {"HOME=" + home, "XDG_CONFIG_HOME=" + root + "/config",
                                         "XDG_CACHE_HOME=" + root + "/cache", "PATH=/usr/bin:/bin"};
  auto env_for = [&](const std::string& db) {
    auto env = base;
    env.push_back("GUM_DB=" + db);
    return env;
  };
  const auto live_env = env_for(live), fresh_env = env_for(fresh);

  int64_t largest_wal = 0;
  for (int i = 0; i < visits; ++i) {
    auto s = gum::bench::run_once({gum, "add", home + "/d/" + std::to_string(i)}, live_env);
    if (s.exit_code != 0) {
      std::fprintf(stderr, "visit %d exited %d\n", i, s.exit_code);
      return 1;
    }
    largest_wal = std::max(largest_wal, file_size(live + "-wal"));
  }
  std::printf("after %d single visits: gum.db %ld KB, gum.db-wal %ld KB (largest seen %ld KB)\n",
              visits, static_cast<long>(file_size(live) / 1024),
              static_cast<long>(file_size(live + "-wal") / 1024),
              static_cast<long>(largest_wal / 1024));

  // The fresh snapshot: the same rows in a checkpointed file without a WAL.
  {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(live.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
    std::string sql = "VACUUM INTO '" + pristine + "'";
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "VACUUM INTO failed: %s\n", sqlite3_errmsg(db));
      return 1;
    }
    sqlite3_close(db);
    // VACUUM INTO writes a rollback-journal file; a gum process switches it to WAL at open,
    // which would be a write the live database never pays: switch it here, once.
    if (sqlite3_open(pristine.c_str(), &db) != SQLITE_OK) return 1;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto restore = [&] {
    std::error_code ec;
    fs::remove(fresh + "-wal", ec);
    fs::remove(fresh + "-shm", ec);
    gum::bench::copy_synced(pristine, fresh);
  };

  std::vector<double> steady, first;
  restore();
  gum::bench::run_once({gum, "add", home + "/d/" + std::to_string(visits + runs)}, fresh_env);
  for (int r = 0; r < runs; ++r) {
    const std::string target = home + "/d/" + std::to_string(visits + r);
    restore();
    // The order alternates, so that neither side always runs right after the restore.
    gum::bench::sample f, s;
    if (r % 2 == 0) {
      f = gum::bench::run_once({gum, "add", target}, fresh_env);
      s = gum::bench::run_once({gum, "add", target}, live_env);
    } else {
      s = gum::bench::run_once({gum, "add", target}, live_env);
      f = gum::bench::run_once({gum, "add", target}, fresh_env);
    }
    if (f.exit_code != 0 || s.exit_code != 0) {
      std::fprintf(stderr, "a timed add failed (%d, %d)\n", f.exit_code, s.exit_code);
      return 1;
    }
    first.push_back(f.ms);
    steady.push_back(s.ms);
  }
  std::printf("one more gum add, %d runs alternated:\n", runs);
  std::printf("  after %d visits   median %7.3f ms   mean %7.3f ms\n", visits, median(steady),
              mean(steady));
  std::printf("  fresh database     median %7.3f ms   mean %7.3f ms\n", median(first), mean(first));
  const double ratio = median(steady) / median(first);
  std::printf("  ratio (steady/fresh, medians) %.2f   %s;  means %.2f\n", ratio,
              ratio <= 1.1 ? "within 1.1x" : "OVER 1.1x", mean(steady) / mean(first));
  std::printf("  gum.db-wal after the runs: %ld KB\n", static_cast<long>(file_size(live + "-wal") / 1024));
  std::error_code ec;
  fs::remove_all(root, ec);
  return ratio <= 1.1 ? 0 : 3;
}
