// stress/harness_process.cpp: the lane runner of `gum stress` (see harness_process.hpp).
//
// The loop is: start every lane whose previous op finished and whose next start time has come;
// poll the children's pidfds until the earliest of (a child exits, a lane may start, a kill is
// due, an op times out); reap with wait4; deliver due kills. A kill is counted only when the
// child then really died of SIGKILL, so a kill that arrived after the child exited by itself is
// not counted. pidfd_open needs Linux 5.3; without it the loop falls back to 1 ms polling.
#include "stress/harness_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/process.hpp"

namespace gum::stress {

namespace {

double ms_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Starts `argv` with exactly `env`, stdin from /dev/null, stdout and stderr to the given files
// (truncated), every signal at its default and none blocked. Returns the pid, or -1 with
// `error` set.
pid_t spawn_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    const std::string& out_path, const std::string& err_path, std::string& error) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawnattr_t attr;
  init_default_signals(attr);
  const spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.get(), envp.get());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

// Fills the exit fields of `r` from a wait status.
void record_exit(op_result& r, int wstatus, const rusage& ru) {
  if (WIFEXITED(wstatus)) {
    r.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    r.exit_code = -1;
    r.term_signal = WTERMSIG(wstatus);
  }
  r.maxrss_kb = ru.ru_maxrss;
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  r.cpu_ms = ms(ru.ru_utime) + ms(ru.ru_stime);
}

struct in_flight {
  pid_t pid = -1;
  int pidfd = -1;
  size_t lane = 0;
  op_result result;
  clock_type::time_point started;
  clock_type::time_point deadline;
  std::optional<clock_type::time_point> kill_at;
  bool kill_sent = false;
  std::string out_path, err_path;
};

}  // namespace

uint64_t fnv1a(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

op_runner::op_runner(runner_config config) : config_(std::move(config)), rng_(config_.seed) {}

void op_runner::run(std::vector<lane>& lanes, const std::function<void(op_result&)>& on_result,
                      const std::function<void()>& on_tick) {
  const auto t0 = clock_type::now();
  struct lane_state {
    int next = 0;
    bool busy = false;
  };
  std::vector<lane_state> states(lanes.size());
  std::vector<in_flight> running;
  auto last_tick = t0;
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  auto start_time = [&](size_t i) {
    const auto& l = lanes[i];
    return t0 + std::chrono::microseconds(static_cast<int64_t>(
                    (l.first_delay_ms + l.interval_ms * states[i].next) * 1000.0));
  };

  auto finish = [&](in_flight& f, int wstatus, const rusage& ru, clock_type::time_point now) {
    auto& r = f.result;
    r.latency_ms = ms_between(f.started, now);
    record_exit(r, wstatus, ru);
    r.killed = f.kill_sent && r.term_signal == SIGKILL && !r.timed_out;
    if (r.killed) ++kills_;
    r.out = read_file(f.out_path);
    r.err = read_file(f.err_path);
    if (!r.victim && !r.timed_out && r.exit_code == 0) {
      // Running estimate of how long this kind takes undisturbed: the window in which
      // victims are killed.
      auto& typical = typical_ms_[r.request.kind];
      typical = typical == 0 ? r.latency_ms : 0.8 * typical + 0.2 * r.latency_ms;
    }
    if (f.pidfd >= 0) close(f.pidfd);
    states[f.lane].busy = false;
    ++states[f.lane].next;
    on_result(r);
  };

  for (;;) {
    auto now = clock_type::now();
    if (config_.cancel != nullptr && config_.cancel->load()) {
      // Interrupted: nothing of this run will be reported, and no child may outlive it.
      for (auto& f : running) {
        kill(f.pid, SIGKILL);
        waitpid(f.pid, nullptr, 0);
        if (f.pidfd >= 0) close(f.pidfd);
      }
      break;
    }
    // Start what may start.
    for (size_t i = 0; i < lanes.size(); ++i) {
      auto& s = states[i];
      if (s.busy || s.next >= lanes[i].count || now < start_time(i)) continue;
      in_flight f;
      f.lane = i;
      f.result.request = lanes[i].next(s.next);
      f.result.lane = static_cast<int>(i);
      f.out_path = config_.log_dir + "/lane-" + std::to_string(i) + ".out";
      f.err_path = config_.log_dir + "/lane-" + std::to_string(i) + ".err";
      std::vector<std::string> argv{config_.binary};
      argv.insert(argv.end(), f.result.request.args.begin(), f.result.request.args.end());
      std::vector<std::string> env = config_.env;
      const bool victim = config_.kills.rate > 0 && unit(rng_) < config_.kills.rate;
      f.result.victim = victim;
      if (victim && config_.kills.tx_delay_ms > 0)
        env.push_back("GUM_TEST_TX_DELAY_MS=" + std::to_string(config_.kills.tx_delay_ms));
      std::string error;
      f.started = clock_type::now();
      f.result.start_ms = ms_between(t0, f.started);
      f.pid = spawn_process(argv, env, f.out_path, f.err_path, error);
      if (f.pid < 0) {
        f.result.spawn_failed = true;
        f.result.err = error;
        s.busy = false;
        ++s.next;
        on_result(f.result);
        continue;
      }
      s.busy = true;
      f.pidfd = open_pidfd(f.pid);
      f.deadline = f.started + std::chrono::seconds(config_.op_timeout_s);
      if (victim) {
        // A random moment within the op's expected life, widened by the commit delay, so
        // many kills land inside the write transaction the delay holds open.
        double typical = typical_ms_[f.result.request.kind];
        if (typical <= 0) typical = 30;
        double window = typical + config_.kills.tx_delay_ms;
        f.kill_at = f.started +
                    std::chrono::microseconds(static_cast<int64_t>(unit(rng_) * window * 1000.0));
      }
      running.push_back(std::move(f));
    }
    bool lanes_done = true;
    for (size_t i = 0; i < lanes.size(); ++i)
      if (states[i].next < lanes[i].count) lanes_done = false;
    if (running.empty() && lanes_done) break;

    // Sleep until something is due (at most 100 ms, so that a cancel is seen promptly).
    auto wake = now + std::chrono::milliseconds(100);
    for (size_t i = 0; i < lanes.size(); ++i)
      if (!states[i].busy && states[i].next < lanes[i].count) wake = std::min(wake, start_time(i));
    bool all_pidfds = true;
    std::vector<pollfd> fds;
    for (auto& f : running) {
      if (f.kill_at && !f.kill_sent) wake = std::min(wake, *f.kill_at);
      wake = std::min(wake, f.deadline);
      if (f.pidfd >= 0)
        fds.push_back(pollfd{f.pidfd, POLLIN, 0});
      else
        all_pidfds = false;
    }
    int timeout = static_cast<int>(std::ceil(std::max(0.0, ms_between(now, wake))));
    if (!all_pidfds) timeout = std::min(timeout, 1);
    if (timeout > 0 || !fds.empty()) poll(fds.data(), fds.size(), timeout);

    // Reap, kill, time out.
    now = clock_type::now();
    for (size_t k = 0; k < running.size();) {
      auto& f = running[k];
      int wstatus = 0;
      rusage ru{};
      pid_t r = wait4(f.pid, &wstatus, WNOHANG, &ru);
      if (r == f.pid) {
        finish(f, wstatus, ru, now);
        running.erase(running.begin() + static_cast<long>(k));
        continue;
      }
      if (f.kill_at && !f.kill_sent && now >= *f.kill_at) {
        if (kill(f.pid, SIGKILL) == 0) f.kill_sent = true;
        f.kill_at.reset();
      }
      if (now >= f.deadline && !f.result.timed_out) {
        f.result.timed_out = true;
        kill(f.pid, SIGKILL);
      }
      ++k;
    }
    if (on_tick && ms_between(last_tick, now) >= 250) {
      last_tick = now;
      on_tick();
    }
  }
  if (on_tick) on_tick();
}

op_result run_once(const runner_config& config, op_request request, int timeout_s) {
  runner_config c = config;
  c.kills = kill_policy{};
  c.op_timeout_s = timeout_s;
  op_runner runner(std::move(c));
  std::vector<lane> lanes(1);
  lanes[0].count = 1;
  lanes[0].next = [&request](int) { return request; };
  op_result out;
  runner.run(lanes, [&out](op_result& r) { out = std::move(r); });
  return out;
}

}  // namespace gum::stress
