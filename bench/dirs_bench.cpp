// bench/dirs_bench.cpp: `gum add` and `gum jump` against `zoxide add` and `zoxide query`
// (SPEC §7, issue 6), measured in the same run and reported as ratios.
//
// What it does, per scenario:
// 1. Makes a temporary HOME holding N real directories and a z-format file ranking them, and
//    builds two equivalent databases from that one file: gum's (`gum import --from z`, then a
//    WAL checkpoint so that no run pays for the import's log) and zoxide's (`zoxide import`).
// 2. Runs, alternately, `gum add DIR`, `zoxide add DIR`, `gum jump KW` and `zoxide query KW`,
//    `gum jump MISS` and `zoxide query MISS` (no match), and the whole list, `gum dirs -f simple`
//    and `zoxide query --list` (issue 14's goal: at most 1.0x),
//    each `--runs` times, with posix_spawn. Before every run both databases are restored from
//    their pristine copies (untimed), so every run sees the same state: below the aging edge,
//    or exactly at it, where each add ages the whole database.
// 3. Prints the median (and p10/p90) wall time of each command and the ratios of the medians.
// A sanity line checks that both tools agree on how many directories survive one aging add.
//
// Scenarios (the ranks sum to N, or to 10 000 for the last one, warm-up visit included):
//   9000     9 000 directories of rank 1: total 9 000, below the edge (no aging).
//   10000   10 000 directories of rank 1: total 10 000, every add ages and drops all but the
//            visited directory.
//   10000w   5 000 directories of rank 2: total 10 000, every add ages and drops none (the
//            worst case for gum: every row is rewritten). Informational: SPEC §7 names 9 000
//            and 10 000 entries, so only those two fail the run (exit 3) when a ratio is
//            over 1.5.
//
// Usage: dirs_bench [--gum PATH] [--zoxide PATH] [--runs N] [--scenarios 9000,10000,10000w]
// The gum binary defaults to ../gum next to this executable. The environment is passed on, so
// LD_LIBRARY_PATH and the like reach both tools alike.
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/process.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct options {
  std::string gum;
  std::string zoxide = "/usr/bin/zoxide";
  int runs = 41;
  std::vector<std::string> scenarios = {"9000", "10000", "10000w"};
};

struct scenario {
  std::string name;
  int dirs = 0;
  double rank = 1;
  bool spec_target = true;  ///< SPEC §7 names this size: a ratio over 1.5 fails the run
};

// Runs argv with `env`, stdout to `out` (or /dev/null); returns the exit code (-1 on failure).
int run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        std::string* out = nullptr) {
  int pipe_fds[2] = {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const gum::spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  if (out) {
    close(pipe_fds[1]);
    char buf[65536];
    ssize_t n;
    while (rc == 0 && (n = read(pipe_fds[0], buf, sizeof buf)) > 0)
      out->append(buf, static_cast<size_t>(n));
    close(pipe_fds[0]);
  }
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void remove_if_exists(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

struct sample_set {
  std::vector<double> ms;
  double quantile(double q) const {
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5)];
  }
};

std::string self_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = '\0';
  return fs::path(buf).parent_path().string();
}

int run_scenario(const options& opt, const scenario& sc) {
  char tmpl[] = "/tmp/gum-dirs-bench-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string root = tmpl;
  const std::string home = root + "/home", cache = root + "/cache", config = root + "/config",
                    zo = root + "/zo", pristine = root + "/pristine";
  for (auto& d : {home, cache, config, zo, pristine}) fs::create_directories(d);

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    auto key = kv.substr(0, kv.find('='));
    if (key == "HOME" || key.rfind("XDG_", 0) == 0 || key.rfind("_ZO_", 0) == 0 ||
        key.rfind("GUM_", 0) == 0)
      continue;
    env.push_back(kv);
  }
  env.push_back("HOME=" + home);
  env.push_back("XDG_CACHE_HOME=" + cache);
  env.push_back("XDG_CONFIG_HOME=" + config);
  env.push_back("_ZO_DATA_DIR=" + zo);

  // The directories and the z file both tools import.
  std::ostringstream z;
  const long long base_time = 1700000000;
  for (int i = 0; i < sc.dirs; ++i) {
    char rel[64];
    std::snprintf(rel, sizeof rel, "/src/g%02d/project-%05d", i % 100, i);
    std::string path = home + rel;
    fs::create_directories(path);
    // Directory 0 gets its last unit of rank from the warm-up visit below.
    double rank = i == 0 ? sc.rank - 1 : sc.rank;
    if (rank > 0) z << path << '|' << rank << '|' << base_time + i << '\n';
  }
  const std::string z_file = root + "/z.txt";
  {
    std::ofstream f(z_file);
    f << z.str();
  }
  const std::string db = cache + "/gum/gum.db";
  if (run({opt.gum, "--quiet", "import", "--from", "z", z_file}, env) != 0) {
    std::fprintf(stderr, "gum import failed\n");
    return 1;
  }
  // Fold the import's WAL into the database file: every run starts from a checkpointed file.
  if (run({"/usr/bin/sqlite3", db, "PRAGMA wal_checkpoint(TRUNCATE)"}, env) != 0) {
    std::fprintf(stderr, "sqlite3 checkpoint failed (is sqlite3 installed?)\n");
    return 1;
  }
  remove_if_exists(db + "-wal");
  remove_if_exists(db + "-shm");
  if (run({opt.zoxide, "import", z_file}, env) != 0) {
    std::fprintf(stderr, "zoxide import failed\n");
    return 1;
  }
  // One visit with each tool before the snapshot. For gum this starts a write-ahead log, as a
  // database in use always has one: the transaction that restarts an empty log syncs its
  // header (one fsync, several ms on a virtual disk), which happens once per checkpoint, not
  // once per visit, and so is not what a typical `gum add` costs.
  const std::string warm = home + "/src/g00/project-00000";
  if (run({opt.gum, "add", warm}, env) != 0 || run({opt.zoxide, "add", warm}, env) != 0) {
    std::fprintf(stderr, "warm-up add failed\n");
    return 1;
  }
  remove_if_exists(db + "-shm");  // every run starts as the first process: it rebuilds it
  gum::bench::copy_synced(db, pristine + "/gum.db");
  gum::bench::copy_synced(db + "-wal", pristine + "/gum.db-wal");
  gum::bench::copy_synced(zo + "/db.zo", pristine + "/db.zo");
  auto restore = [&] {
    remove_if_exists(db + "-shm");
    gum::bench::copy_synced(pristine + "/gum.db", db);
    gum::bench::copy_synced(pristine + "/gum.db-wal", db + "-wal");
    gum::bench::copy_synced(pristine + "/db.zo", zo + "/db.zo");
  };

  char target_rel[64];
  std::snprintf(target_rel, sizeof target_rel, "/src/g%02d/project-%05d", (sc.dirs / 2) % 100,
                sc.dirs / 2);
  const std::string target = home + target_rel;
  char keyword[32];
  std::snprintf(keyword, sizeof keyword, "project-%04d", (sc.dirs / 3) / 10);  // 10 matches

  // Sanity: both tools agree on what one add leaves behind.
  restore();
  run({opt.gum, "add", target}, env);
  run({opt.zoxide, "add", target}, env);
  std::string gum_list, zo_list;
  run({opt.gum, "dirs", "-f", "simple"}, env, &gum_list);
  run({opt.zoxide, "query", "--list"}, env, &zo_list);
  auto count_lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  std::printf("scenario %s: %d directories of rank %g; after one add: gum keeps %ld, zoxide %ld\n",
              sc.name.c_str(), sc.dirs, sc.rank, static_cast<long>(count_lines(gum_list)),
              static_cast<long>(count_lines(zo_list)));

  struct command {
    std::string label;
    std::vector<std::string> argv;
    sample_set samples;
    int expected_exit = 0;
  };
  // A keyword no directory holds: both tools read everything they index and find nothing.
  const std::string miss = "nomatchxq";
  std::vector<command> commands = {
      {"gum add", {opt.gum, "add", target}, {}},
      {"zoxide add", {opt.zoxide, "add", target}, {}},
      {"gum jump", {opt.gum, "jump", keyword}, {}},
      {"zoxide query", {opt.zoxide, "query", keyword}, {}},
      {"gum jump MISS", {opt.gum, "jump", miss}, {}, 1},
      {"zoxide q MISS", {opt.zoxide, "query", miss}, {}, 1},
      {"gum dirs list", {opt.gum, "dirs", "-f", "simple"}, {}},
      {"zoxide --list", {opt.zoxide, "query", "--list"}, {}},
  };
  for (int r = 0; r < opt.runs; ++r) {
    for (auto& c : commands) {
      restore();
      auto start = std::chrono::steady_clock::now();
      int code = run(c.argv, env);
      auto end = std::chrono::steady_clock::now();
      if (code != c.expected_exit) {
        std::fprintf(stderr, "%s exited %d\n", c.label.c_str(), code);
        return 1;
      }
      c.samples.ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
  }
  for (auto& c : commands)
    std::printf("  %-13s median %7.3f ms   p10 %7.3f   p90 %7.3f\n", c.label.c_str(),
                c.samples.quantile(0.5), c.samples.quantile(0.1), c.samples.quantile(0.9));
  double add_ratio = commands[0].samples.quantile(0.5) / commands[1].samples.quantile(0.5);
  double jump_ratio = commands[2].samples.quantile(0.5) / commands[3].samples.quantile(0.5);
  double miss_ratio = commands[4].samples.quantile(0.5) / commands[5].samples.quantile(0.5);
  double list_ratio = commands[6].samples.quantile(0.5) / commands[7].samples.quantile(0.5);
  std::printf("  ratio add  (gum/zoxide) %.2f   %s\n", add_ratio,
              add_ratio <= 1.5 ? "within 1.5x" : "OVER 1.5x");
  std::printf("  ratio jump (gum/zoxide) %.2f   %s\n", jump_ratio,
              jump_ratio <= 1.5 ? "within 1.5x" : "OVER 1.5x");
  // Issue 14's goals, reported beside SPEC §7's (they do not fail the run: issue 14 sets them
  // as targets to reach, not yet as the SPEC's bound).
  std::printf("  ratio jump MISS (gum/zoxide) %.2f   %s\n", miss_ratio,
              miss_ratio <= 1.25 ? "within 1.25x" : "over 1.25x (goal)");
  std::printf("  ratio dirs list (gum dirs -f simple / zoxide query --list) %.2f   %s\n",
              list_ratio, list_ratio <= 1.0 ? "within 1.0x" : "over 1.0x (goal)");
  std::error_code ec;
  fs::remove_all(root, ec);
  if (!sc.spec_target) {
    std::printf("  (informational: not a SPEC §7 target)\n");
    return 0;
  }
  return add_ratio <= 1.5 && jump_ratio <= 1.5 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  opt.gum = (fs::path(self_dir()) / ".." / "gum").lexically_normal().string();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--gum") {
      opt.gum = value();
    } else if (a == "--zoxide") {
      opt.zoxide = value();
    } else if (a == "--runs") {
      opt.runs = std::max(3, std::atoi(value().c_str()));
    } else if (a == "--scenarios") {
      opt.scenarios.clear();
      std::stringstream s(value());
      std::string item;
      while (std::getline(s, item, ',')) opt.scenarios.push_back(item);
    } else {
      std::fprintf(stderr,
                   "usage: dirs_bench [--gum PATH] [--zoxide PATH] [--runs N] "
                   "[--scenarios 9000,10000,10000w]\n");
      return 2;
    }
  }
  if (access(opt.zoxide.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "zoxide not found at %s (apt-get install zoxide)\n", opt.zoxide.c_str());
    return 2;
  }
  if (access(opt.gum.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "gum not found at %s (pass --gum)\n", opt.gum.c_str());
    return 2;
  }
  const std::map<std::string, scenario> known = {{"9000", {"9000", 9000, 1}},
                                                 {"10000", {"10000", 10000, 1}},
                                                 {"10000w", {"10000w", 5000, 2, false}}};
  std::printf("gum: %s\nzoxide: %s\nruns per command: %d (alternating; databases restored "
              "before each run)\n",
              opt.gum.c_str(), opt.zoxide.c_str(), opt.runs);
  int rc = 0;
  for (auto& name : opt.scenarios) {
    auto it = known.find(name);
    if (it == known.end()) {
      std::fprintf(stderr, "unknown scenario %s\n", name.c_str());
      return 2;
    }
    rc |= run_scenario(opt, it->second);
  }
  return rc;
}
