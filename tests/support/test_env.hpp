// tests/support/test_env.hpp: an isolated world for one test, and a way to run the gum binary.
//
// Every test that touches files makes a test_env: a fresh temporary folder holding HOME,
// XDG_CONFIG_HOME and XDG_CACHE_HOME, removed at the end. run() starts the built gum binary
// with posix_spawn and an environment that points only there (never the real $HOME), and
// captures stdout, stderr and the exit code.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/process.hpp"

namespace gum::testing {

namespace fs = std::filesystem;

/// What a finished process left behind.
struct run_result {
  int exit_code = -1;  ///< exit status, or 128 + signal
  std::string out;
  std::string err;
};

/// Starts `argv` in the background with exactly `env` (KEY=VALUE): stdin from /dev/null, stdout
/// and stderr to the given files (/dev/null when empty), in `dir` when given. Returns the pid, or
/// -1; the caller reaps it (wait_exit).
inline pid_t start_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                           const std::string& out_path = {}, const std::string& err_path = {},
                           const std::string& dir = {}) {
  const std::string out = out_path.empty() ? "/dev/null" : out_path;
  const std::string err = err_path.empty() ? "/dev/null" : err_path;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  const spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

/// Waits for a child; its wait status, or nullopt after timeout_ms (the child is left running).
inline std::optional<int> wait_exit(pid_t pid, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

/// Runs `argv` with exactly `env` (KEY=VALUE), optional stdin text, and a timeout in seconds
/// after which the process is SIGKILLed (exit_code 137).
inline run_result run_process(const std::vector<std::string>& argv,
                              const std::vector<std::string>& env, const std::string& input = {},
                              int timeout_s = 120) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(in_pipe, O_CLOEXEC))
    return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  const spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  run_result result;
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.err = "posix_spawn failed";
    return result;
  }
  if (!input.empty()) {
    signal(SIGPIPE, SIG_IGN);
    (void)!write(in_pipe[1], input.data(), input.size());
  }
  close(in_pipe[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool killed = false;
  char buf[65536];
  while (open_fds > 0) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (poll(fds, 2, left) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  if (WIFEXITED(wstatus))
    result.exit_code = WEXITSTATUS(wstatus);
  else if (WIFSIGNALED(wstatus))
    result.exit_code = 128 + WTERMSIG(wstatus);
  if (killed) result.err += "\n[test: killed after timeout]";
  return result;
}

/// A temporary HOME with XDG folders, removed on destruction.
class test_env {
 public:
  test_env() {
    std::string tmpl = (fs::temp_directory_path() / "gum-test-XXXXXX").string();
    root_ = mkdtemp(tmpl.data());
    fs::create_directories(home());
    fs::create_directories(config_home());
    fs::create_directories(cache_home());
  }
  ~test_env() {
    std::error_code ec;
    // Make everything removable again (tests chmod folders to 000).
    for (auto it = fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    fs::remove_all(root_, ec);
  }
  test_env(const test_env&) = delete;
  test_env& operator=(const test_env&) = delete;

  std::string root() const { return root_; }
  std::string home() const { return root_ + "/home"; }
  std::string config_home() const { return root_ + "/config"; }
  std::string cache_home() const { return root_ + "/cache"; }
  /// The default database path for this environment.
  std::string db_path() const { return cache_home() + "/gum/gum.db"; }

  /// Extra environment variables for every run (KEY -> VALUE).
  std::map<std::string, std::string> vars;

  /// The environment a gum process gets: only this test's folders, plus PATH.
  std::vector<std::string> environment() const {
    std::map<std::string, std::string> env = {
        {"HOME", home()},
        {"XDG_CONFIG_HOME", config_home()},
        {"XDG_CACHE_HOME", cache_home()},
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"LANG", "C.UTF-8"},
    };
    if (const char* asan = std::getenv("ASAN_OPTIONS")) env["ASAN_OPTIONS"] = asan;
    if (const char* lsan = std::getenv("LSAN_OPTIONS")) env["LSAN_OPTIONS"] = lsan;
    for (auto& [k, v] : vars) env[k] = v;
    std::vector<std::string> out;
    for (auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
  }

  /// Runs the built gum binary with `args`.
  run_result gum(const std::vector<std::string>& args, const std::string& input = {},
                 int timeout_s = 120) const {
    std::vector<std::string> argv = {GUM_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, environment(), input, timeout_s);
  }

  /// Writes $XDG_CONFIG_HOME/gum/config.yaml.
  void write_config(const std::string& yaml) const {
    fs::create_directories(config_home() + "/gum");
    write_file(config_home() + "/gum/config.yaml", yaml);
  }

  /// Makes a Git repository (just enough of .git for discovery) at `path`.
  static void make_repo(const std::string& path, const std::string& remote = {},
                        const std::string& branch = "main") {
    fs::create_directories(path + "/.git");
    write_file(path + "/.git/HEAD", "ref: refs/heads/" + branch + "\n");
    std::string config = "[core]\n\trepositoryformatversion = 0\n";
    if (!remote.empty()) config += "[remote \"origin\"]\n\turl = " + remote + "\n";
    write_file(path + "/.git/config", config);
  }

  static void write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
  }

  static std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

 private:
  std::string root_;
};

/// Runs `body` without root's power to bypass file modes, and returns what it returned. As a
/// normal user it simply calls `body`. As root (CI runs as root) it forks, drops to nobody
/// (uid/gid 65534) in the child and runs `body` there; a child that cannot drop privileges
/// returns 125. The files `body` needs must already let others in. Call it only before any
/// thread of the test is running (it forks).
template <class F>
int as_nobody(F&& body) {
  if (geteuid() != 0) return body();
  pid_t pid = fork();
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(125);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// as_nobody, after opening every folder under `tree` for others to read and traverse when
/// running as root (a folder whose mode denies them on purpose must be set after, or use
/// as_nobody directly).
template <class F>
int as_unprivileged(const std::string& tree, F&& body) {
  if (geteuid() == 0) {
    std::error_code ec;
    fs::permissions(tree, fs::perms::others_exec | fs::perms::others_read, fs::perm_options::add,
                    ec);
    for (auto it = fs::recursive_directory_iterator(tree, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_directory(ec) && !it->is_symlink(ec))
        fs::permissions(it->path(), fs::perms::others_exec | fs::perms::others_read,
                        fs::perm_options::add, ec);
  }
  return as_nobody(std::forward<F>(body));
}

/// The first column of the first row of `sql` on the database at `path` (read-only), or
/// "<no row>" / "<error: ...>" so a comparison in a test fails with a readable value.
inline std::string sqlite_text(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
  } else {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
    else if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    else
      out = "<no row>";
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

/// Splits output into lines (without the newlines).
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string line;
  while (std::getline(s, line)) out.push_back(line);
  return out;
}

}  // namespace gum::testing
