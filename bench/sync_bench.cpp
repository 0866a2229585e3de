// bench/sync_bench.cpp: `gum sync` against the loopback fixture server, with a reference measured
// in the same run (SPEC §7: full sync of 5000 repositories under 1 s, an all-304 incremental
// sync under 0.3 s).
//
// Why a plain program and not Google Benchmark: what is measured is a whole gum process (start,
// HTTP, parse, one SQLite transaction, exit), so each sample is one posix_spawn of the built
// binary, timed wall-clock. The reference is the irreducible network part: one `curl` process
// fetching the same 50 pages sequentially on one connection (with the same If-None-Match
// headers for the 304 case). The ratio says what gum adds on top of moving the bytes.
//
// Usage: sync_bench [--repos N] [--runs R]. The gum and gum_fixture_server binaries are found
// next to this one's build folder (../gum), or through GUM_BINARY and GUM_FIXTURE_SERVER.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/process.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

const char* const bench_token = "bench-token";

// Runs argv with env, stdout/stderr to /dev/null (or `out_file`); returns the exit code.
int run(const std::vector<std::string>& args, const std::vector<std::string>& env,
        const std::string& out_file = "/dev/null") {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  const gum::spawn_args argv(args), envp(env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0].c_str(), &fa, nullptr, argv.get(), envp.get());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Seconds taken by one run; nullopt when it failed.
std::optional<double> timed(const std::vector<std::string>& args,
                            const std::vector<std::string>& env) {
  auto t0 = clock_type::now();
  int rc = run(args, env);
  double s = std::chrono::duration<double>(clock_type::now() - t0).count();
  if (rc != 0) {
    std::fprintf(stderr, "sync_bench: %s exited %d\n", args[0].c_str(), rc);
    return std::nullopt;
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The fixture server child: started with --repos, stopped on destruction.
struct fixture_server {
  pid_t pid = -1;
  int port = 0;
  fixture_server(const std::string& binary, long repos) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    std::vector<std::string> args{binary, "--port", "0", "--repos", std::to_string(repos)};
    const gum::spawn_args argv(args);
    if (posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.get(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    std::string line;
    char c;
    pollfd p{fds[0], POLLIN, 0};
    while (pid > 0 && poll(&p, 1, 10000) > 0 && read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    if (line.rfind("port=", 0) == 0) port = std::atoi(line.c_str() + 5);
  }
  ~fixture_server() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

// The listing pages a full sync stored (url, etag), in the order the run walked them.
std::vector<std::pair<std::string, std::string>> stored_pages(const std::string& db_path) {
  std::vector<std::pair<std::string, std::string>> pages;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT url, etag FROM http_cache WHERE url LIKE '%/user/repos%' "
                           "ORDER BY rowid",
                           -1, &s, nullptr) == SQLITE_OK)
      while (sqlite3_step(s) == SQLITE_ROW)
        pages.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                           reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return pages;
}

// One curl process fetching every page in turn on one connection.
std::vector<std::string> curl_args(const std::vector<std::pair<std::string, std::string>>& pages,
                                   bool conditional) {
  std::vector<std::string> args{"curl", "-sS", "--fail-with-body"};
  for (size_t i = 0; i < pages.size(); ++i) {
    if (i) args.push_back("--next");
    args.insert(args.end(), {"-H", std::string("Authorization: Bearer ") + bench_token, "-H",
                             "Accept: application/vnd.github+json", "-o", "/dev/null"});
    if (conditional) args.insert(args.end(), {"-H", "If-None-Match: " + pages[i].second});
    args.push_back(pages[i].first);
  }
  return args;
}

std::string self_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

}  // namespace

int main(int argc, char** argv) {
  long repos = 5000;
  int runs = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--repos") repos = std::atol(argv[i + 1]);
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  const std::string build = fs::path(self_dir()).parent_path().string();
  const char* gum_env = std::getenv("GUM_BINARY");
  const char* server_env = std::getenv("GUM_FIXTURE_SERVER");
  const std::string gum = gum_env ? gum_env : build + "/gum";
  const std::string server_bin = server_env ? server_env : build + "/gum_fixture_server";
  if (!fs::exists(gum) || !fs::exists(server_bin)) {
    std::fprintf(stderr, "sync_bench: need %s and %s (set GUM_BINARY / GUM_FIXTURE_SERVER)\n",
                 gum.c_str(), server_bin.c_str());
    return 2;
  }
  fixture_server server(server_bin, repos);
  if (server.port <= 0) {
    std::fprintf(stderr, "sync_bench: the fixture server did not start\n");
    return 2;
  }
  std::string tmpl = (fs::temp_directory_path() / "gum-sync-bench-XXXXXX").string();
  const std::string root = mkdtemp(tmpl.data());
  fs::create_directories(root + "/home");
  const std::string db = root + "/cache/gum/gum.db";
  const std::vector<std::string> env = {
      "HOME=" + root + "/home", "XDG_CONFIG_HOME=" + root + "/config",
      "XDG_CACHE_HOME=" + root + "/cache", "PATH=/usr/local/bin:/usr/bin:/bin",
      std::string("GH_TOKEN=") + bench_token,
      "GUM_GITHUB_API_URL=http://127.0.0.1:" + std::to_string(server.port)};
  auto drop_db = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  };

  // Full sync into a new database (created, then every repository inserted), `runs` times.
  std::vector<double> full, full_again, incremental, curl_full, curl_304;
  for (int i = 0; i < runs; ++i) {
    drop_db();
    auto s = timed({gum, "sync", "-t", "full"}, env);
    if (!s) return 1;
    full.push_back(*s);
  }
  // Full sync over an unchanged listing: every repository fetched and compared, none rewritten.
  for (int i = 0; i < runs; ++i) {
    auto s = timed({gum, "sync", "-t", "full"}, env);
    if (!s) return 1;
    full_again.push_back(*s);
  }
  // All-304 incremental sync on top of the last full one.
  for (int i = 0; i < runs; ++i) {
    auto s = timed({gum, "sync"}, env);
    if (!s) return 1;
    incremental.push_back(*s);
  }
  auto pages = stored_pages(db);
  bool have_curl = run({"curl", "--version"}, env) == 0;
  for (int i = 0; have_curl && i < runs; ++i) {
    auto a = timed(curl_args(pages, false), env);
    auto b = timed(curl_args(pages, true), env);
    if (!a || !b) {
      have_curl = false;
      break;
    }
    curl_full.push_back(*a);
    curl_304.push_back(*b);
  }
  std::error_code ec;
  fs::remove_all(root, ec);

  const double f = median(full), n = median(incremental);
  std::printf("sync_bench: %ld repositories, %zu pages, median of %d runs\n", repos, pages.size(),
              runs);
  auto row = [&](const char* what, double gum_s, const std::vector<double>& ref, double target) {
    std::printf("  %-36s gum %7.3f s", what, gum_s);
    if (!ref.empty()) {
      const double r = median(ref);
      std::printf("   curl %7.3f s   ratio %5.2fx", r, r > 0 ? gum_s / r : 0.0);
    } else {
      std::printf("   curl n/a");
    }
    std::printf("   target < %.1f s: %s\n", target, gum_s < target ? "met" : "MISSED");
  };
  const double g = median(full_again);
  row("full sync, new database", f, curl_full, 1.0);
  row("full sync, nothing changed", g, curl_full, 1.0);
  row("incremental sync, every page 304", n, curl_304, 0.3);
  return f < 1.0 && g < 1.0 && n < 0.3 ? 0 : 1;
}
