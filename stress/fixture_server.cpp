// gum_fixture_server: a loopback fake of the GitHub REST API, for gum's sync tests and for
// `gum stress` (SPEC §3.3, §3.5).
//
// Why it is built this way:
// - It is a separate process, not an in-test thread, so that tests and the stress harness talk to
//   it exactly as gum talks to GitHub: over TCP, through libcurl, with real timeouts. It prints
//   `port=N` once it is bound, and it dies with its parent (getppid() is polled every 200 ms), so a
//   crashed test can never leak a server.
// - The repositories are synthetic but realistic and deterministic for a seed: nulls, unicode,
//   emoji, quotes, other owners, forks, archived and private repositories, all ordered by
//   pushed_at descending as `sort=pushed` promises.
// - Pagination uses opaque cursors in the `Link` header, so a client that builds page URLs itself
//   fails; `page=` is rejected outright. A 304 carries no Link header, so clients must remember
//   the next URLs they saw earlier.
// - Page bodies and their ETags are serialized once and cached until a mutation, because the
//   benchmark "full sync of 5000 repos under 1 s" includes this server's time.
// - Everything a test needs to provoke is reachable over HTTP under /_fixture/: the request log,
//   concurrency statistics, mutations between syncs and injectable faults (error statuses, cut and
//   malformed bodies, hangs, rate limits, ...). Control requests are not logged or counted.
// - No exception leaves a handler: bad control input is a 400 with a JSON message.
//
// The parts: fixture_catalogue (the generated repositories), fixture_faults (injected faults and
// the rate limit), fixture_routes (the HTTP handlers) and this file (command line, lifetime).
#include "stress/fixture_routes.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace gum::fixture {
namespace {

// ---- command line and process lifetime ------------------------------------------------------

const char* const usage =
    "usage: gum_fixture_server [--port N] [--repos N] [--owner NAME] [--seed S]\n"
    "                          [--per-page-max N] [--token T] [--threads N] [--state-file PATH]\n";

// Parses argv; false (with a message on stderr) for anything unexpected.
bool parse_args(int argc, char** argv, server_options& opt, bool& help) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      help = true;
      return true;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "gum_fixture_server: %s needs a value\n", a.c_str());
      return false;
    }
    const std::string v = argv[++i];
    auto number = [&](long lo, long hi, long& out) {
      try {
        size_t used = 0;
        const long n = std::stol(v, &used);
        if (used != v.size() || n < lo || n > hi) return false;
        out = n;
        return true;
      } catch (const std::exception&) {
        return false;
      }
    };
    long n = 0;
    bool ok = true;
    if (a == "--port") {
      ok = number(0, 65535, n);
      opt.port = static_cast<int>(n);
    } else if (a == "--repos") {
      ok = number(0, 1000000, n);
      opt.repos = n;
    } else if (a == "--owner") {
      ok = !v.empty() && v.find('/') == std::string::npos;
      opt.owner = v;
    } else if (a == "--seed") {
      try {
        size_t used = 0;
        opt.seed = std::stoull(v, &used);
        ok = used == v.size();
      } catch (const std::exception&) {
        ok = false;
      }
    } else if (a == "--per-page-max") {
      ok = number(1, 100000, n);
      opt.per_page_max = static_cast<int>(n);
    } else if (a == "--token") {
      ok = !v.empty();
      opt.token = v;
    } else if (a == "--threads") {
      ok = number(1, 1024, n);
      opt.threads = static_cast<int>(n);
    } else if (a == "--state-file") {
      std::fprintf(stderr, "gum_fixture_server: --state-file is accepted but ignored\n");
    } else {
      std::fprintf(stderr, "gum_fixture_server: unknown option %s\n%s", a.c_str(), usage);
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "gum_fixture_server: bad value for %s: %s\n", a.c_str(), v.c_str());
      return false;
    }
  }
  return true;
}

int run(int argc, char** argv) {
  const pid_t parent = getppid();
  server_options opt;
  bool help = false;
  if (!parse_args(argc, argv, opt, help)) return 2;
  if (help) {
    std::fputs(usage, stdout);
    return 0;
  }

  // Signals are taken synchronously by the watcher thread; block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  fixture_state state(opt);
  fixture_handler handler(state);
  httplib::Server svr;
  const size_t threads = static_cast<size_t>(opt.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_keep_alive_max_count(10000);
  svr.set_keep_alive_timeout(2);
  svr.set_payload_max_length(16 * 1024 * 1024);
  auto h = [&handler](const httplib::Request& req, httplib::Response& res) {
    handler.handle(req, res);
  };
  svr.Get(".*", h);
  svr.Post(".*", h);
  svr.Put(".*", h);
  svr.Patch(".*", h);
  svr.Delete(".*", h);

  int port = opt.port;
  if (port == 0) {
    port = svr.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
      std::fprintf(stderr, "gum_fixture_server: cannot bind 127.0.0.1\n");
      return 1;
    }
  } else if (!svr.bind_to_port("127.0.0.1", port)) {
    std::fprintf(stderr, "gum_fixture_server: cannot bind 127.0.0.1:%d\n", port);
    return 1;
  }
  state.catalogue.set_port(port);
  std::printf("port=%d\n", port);
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const timespec slice{0, 200 * 1000 * 1000};
    while (!done) {
      const int sig = sigtimedwait(&stop_signals, nullptr, &slice);
      if (sig == SIGTERM || sig == SIGINT || getppid() != parent) {
        state.stopping = true;
        svr.stop();
        // Idle keep-alive connections may hold workers for a while; don't wait for them long.
        for (int i = 0; i < 100 && !done; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!done) std::_Exit(0);
        return;
      }
    }
  });
  const bool listened = svr.listen_after_bind();
  done = true;
  watcher.join();
  return listened || state.stopping ? 0 : 1;
}

}  // namespace
}  // namespace gum::fixture

int main(int argc, char** argv) {
  try {
    return gum::fixture::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gum_fixture_server: %s\n", e.what());
    return 1;
  }
}
