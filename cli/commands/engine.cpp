// cli/commands/engine.cpp: `gum engine --stdio` (SPEC §3.7): the resident engine of one shell.
//
// It runs the engine (writer and cache, the same actors as every command) until its standard
// input ends, reading requests in the framing of core/engine_framing.hpp and answering on
// standard output through one session actor (actors/stdio_session.hpp).
//
// Threads: the actor system's (one scheduler thread, the writer, the cache, the session) and
// one reader thread blocked in poll(2) on stdin and a signalfd: idle, nothing runs and no
// database lock is held. SIGHUP, SIGTERM and SIGINT are blocked in every thread and taken from
// the signalfd, so a signal, like the end of input, ends in one last flush that is committed
// before the process exits. SIGPIPE is ignored: a shell that went away makes write(2) fail
// with EPIPE, which only turns replies off.
//
// Memory (docs/dirs.md, "Cost"): one malloc arena for all threads, and after --idle-ms (10 s)
// without a request the session calls release_idle_memory, which gives free heap back (malloc_trim) and
// unmaps the clean pages of code and constants (the binary's and the libraries'): they stay
// in the page cache, shared, and the next request maps back what it touches.
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "actors/stdio_session.hpp"
#include "cli/command.hpp"
#include "core/engine_framing.hpp"

namespace gum::cli {

namespace {

struct engine_args {
  bool stdio = false;
  int idle_ms = 10000;
};

// Gives memory back while the engine idles: free heap pages (malloc_trim), and this process's
// mappings of clean file pages. A mapping qualifies when it is private, not writable, backed
// by a file, and holds no anonymous (copied-on-write) page: code and read-only data, never
// the relocated RELRO part or data. MADV_DONTNEED on such a mapping only drops page-table
// entries: the pages stay in the page cache and fault back in, unchanged, when touched.
void release_idle_memory() {
  ::malloc_trim(0);
  std::FILE* smaps = std::fopen("/proc/self/smaps", "re");
  if (!smaps) return;
  struct mapping {
    uintptr_t start = 0, end = 0;
    bool clean_file = false;
    long anonymous = -1;
  };
  std::vector<mapping> maps;
  char line[4096];
  while (std::fgets(line, sizeof line, smaps)) {
    unsigned long start = 0, end = 0, inode = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%lx-%lx %7s %*s %*s %lu", &start, &end, perms, &inode) == 4 &&
        std::strlen(perms) == 4) {
      mapping m;
      m.start = start;
      m.end = end;
      m.clean_file = perms[1] != 'w' && perms[3] == 'p' && inode != 0;
      maps.push_back(m);
    } else if (!maps.empty() && std::strncmp(line, "Anonymous:", 10) == 0) {
      maps.back().anonymous = std::strtol(line + 10, nullptr, 10);
    }
  }
  std::fclose(smaps);
  for (const auto& m : maps)
    if (m.clean_file && m.anonymous == 0)
      ::madvise(reinterpret_cast<void*>(m.start), m.end - m.start, MADV_DONTNEED);
}

// Hands every record of stdin to the session until stdin ends, a signal arrives, or `wake_fd`
// becomes readable (the session stopped on its own). Sends the session its stop at the end.
void read_requests(stdio_session_actor session, int signal_fd, int wake_fd) {
  engine_request_parser parser;
  std::string buffer(64 * 1024, '\0');
  int32_t reason = 0;
  auto hand_over = [&] {
    parsed_record record;
    while (parser.next(record)) {
      if (record.ok)
        caf::anon_send(session, request_atom::value, static_cast<int32_t>(record.request.verb),
                       std::move(record.request.fields));
      else
        caf::anon_send(session, malformed_atom::value, std::move(record.error));
    }
  };
  for (;;) {
    pollfd fds[3] = {{0, POLLIN, 0}, {signal_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents != 0) return;  // the session is gone already
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info{};
      if (::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        reason = static_cast<int32_t>(info.ssi_signo);
        // What the shell wrote before the signal (zsh sends SIGHUP as it exits) is still in
        // the pipe: take it, without waiting for more, so the last flush includes it.
        ::fcntl(0, F_SETFL, ::fcntl(0, F_GETFL) | O_NONBLOCK);
        for (;;) {
          ssize_t n = ::read(0, buffer.data(), buffer.size());
          if (n <= 0) break;
          parser.feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
        }
        hand_over();
        break;
      }
    }
    if (fds[0].revents == 0) continue;
    ssize_t n = ::read(0, buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      parsed_record record;
      if (parser.finish(record)) caf::anon_send(session, malformed_atom::value, record.error);
      break;
    }
    parser.feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
    hand_over();
  }
  caf::anon_send(session, stop_atom::value, reason);
}

status run_engine(invocation& inv, const engine_args& args) {
  if (!args.stdio)
    return status::fail(status_code::usage, "gum engine needs --stdio",
                        "run `gum engine --stdio`; the shell hook does (gum init bash --engine)");
  // Before any thread starts: the signal mask every thread inherits. (main has already set one
  // malloc arena for every command; for the engine it also saves each thread's own arena,
  // ~50 KB resident for nothing.)
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGHUP);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  const int signal_fd = ::signalfd(-1, &stop_signals, SFD_CLOEXEC);
  int wake[2];
  if (signal_fd < 0 || ::pipe2(wake, O_CLOEXEC) != 0)
    return status::fail(status_code::failure, "cannot set up the engine's input");
  // A larger pipe: the shell never waits on a write while the engine is busy for a moment.
  ::fcntl(0, F_SETPIPE_SZ, 1 << 20);
  if (auto st = inv.start_engine(invocation::engine_kind::shell); !st.ok()) return st;
  stdio_session_options options;
  options.engine = inv.engine().handle();
  options.config = inv.cfg();
  options.home = inv.env().home;
  options.cwd = inv.env().cwd;
  if (args.idle_ms > 0) options.on_idle = release_idle_memory;
  options.idle_ms = args.idle_ms;
  {
    // The handle lives in this scope only: a detached actor's thread ends when the last
    // reference to it goes, and the actor system waits for that thread when it stops.
    auto session = spawn_stdio_session(inv.engine_system(), std::move(options));
    caf::scoped_actor self{inv.engine_system()};
    self->monitor(session);
    std::thread reader(read_requests, session, signal_fd, wake[0]);
    self->receive([](const caf::down_msg&) {});
    char byte = 1;
    (void)!::write(wake[1], &byte, 1);
    reader.join();
  }
  inv.debug("engine session ended");
  ::close(wake[0]);
  ::close(wake[1]);
  ::close(signal_fd);
  return inv.stop_engine();
}

}  // namespace

void register_engine(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<engine_args>();
  auto* sub = app.add_subcommand(
      "engine", "Run a resident engine for a shell hook (see gum init)");
  sub->add_flag("--stdio", args->stdio,
                "Answer framed requests on stdin/stdout until stdin ends (docs/dirs.md)");
  sub->add_option("--idle-ms", args->idle_ms,
                  "Give memory back after this many quiet milliseconds (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  commands.push_back({sub, [args](invocation& inv) { return run_engine(inv, *args); }});
}

}  // namespace gum::cli
