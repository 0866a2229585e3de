// tests/support/fixture_process.hpp: starting the loopback GitHub fixture server from a test.
//
// The built gum_fixture_server (GUM_FIXTURE_SERVER) is started with posix_spawn on port 0; it
// prints `port=N` on stdout, which is read from a pipe. The process is stopped with SIGTERM
// (then SIGKILL) when the object goes away. Shared by the fixture server's own tests and the
// sync tests, which talk to it over HTTP.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/process.hpp"
#include "tests/support/test_env.hpp"

#ifndef GUM_FIXTURE_SERVER
#error "GUM_FIXTURE_SERVER must be defined as the path of the gum_fixture_server binary"
#endif

extern char** environ;

namespace gum::testing {

// Starts argv[0] with stdout (and optionally stdin) redirected; -1 on failure.
inline pid_t spawn(const std::vector<std::string>& args, int stdout_fd, int stdin_fd = -1) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, stdout_fd, 1);
  if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&fa, stdin_fd, 0);
  const spawn_args argv(args);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.get(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

// Reads one line from fd, waiting at most timeout_ms; nullopt on EOF or timeout.
inline std::optional<std::string> read_line(int fd, int timeout_ms) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char c;
    const ssize_t n = read(fd, &c, 1);
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
}

// True when fd reaches EOF within timeout_ms (all writers gone).
inline bool eof_within(int fd, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[256];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) return false;
  }
  return false;
}

// A running gum_fixture_server child, stopped (SIGTERM, then SIGKILL) on destruction.
class fixture_process {
 public:
  explicit fixture_process(const std::vector<std::string>& extra = {}) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    std::vector<std::string> args{GUM_FIXTURE_SERVER, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn(args, fds[1]);
    close(fds[1]);
    out_ = fds[0];
    if (pid_ < 0) return;
    if (auto line = read_line(out_, 10000); line && line->rfind("port=", 0) == 0)
      port_ = std::atoi(line->c_str() + 5);
  }
  ~fixture_process() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGTERM);
      if (!wait_exit(pid_, 3000)) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    if (out_ >= 0) close(out_);
  }
  fixture_process(const fixture_process&) = delete;
  fixture_process& operator=(const fixture_process&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends sig and waits for the exit status.
  std::optional<int> stop(int sig, int timeout_ms) {
    kill(pid_, sig);
    auto status = wait_exit(pid_, timeout_ms);
    reaped_ = status.has_value();
    return status;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  bool reaped_ = false;
};

}  // namespace gum::testing
