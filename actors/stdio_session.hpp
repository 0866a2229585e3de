// actors/stdio_session.hpp: the session of `gum engine --stdio`, one per shell (SPEC §3.7).
//
// The stdin reader (cli/commands/engine.cpp, a thread blocked in poll(2)) parses the framing of
// core/engine_framing.hpp and hands each record to this actor. The actor
// - batches visits: one flush is ONE visit_atom request to the engine, so one batch is one
//   writer transaction; a flush happens at `batch_visits` visits, `batch_ms` after the first
//   pending one (the only timer, and only while visits are pending), before a jump or query is
//   answered (so `j` sees the visits that preceded it), and on stop;
// - answers jump, query, ping and stats on `out_fd`, strictly in request order;
// - on stop (end of input, SIGHUP, SIGTERM, SIGINT) flushes, waits for the commit, and quits;
// - once it has been idle for `idle_ms` (nothing pending, nothing unanswered, no request),
//   calls `on_idle` once (the engine command gives back memory there), until the next request.
// It is spawned detached: a reply is a blocking write(2) to a pipe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "core/engine_framing.hpp"

namespace gum {

/// What a session needs: the engine to talk to, the config (dirs.exclude) and the paths to
/// resolve relative visits against.
struct stdio_session_options {
  engine_actor engine;
  gum::config config;
  std::string home;
  std::string cwd;
  int out_fd = 1;
  size_t batch_visits = 64;
  int batch_ms = 100;
  int idle_ms = 10000;             ///< quiet time before on_idle runs
  std::function<void()> on_idle;   ///< run in the session's thread; none: no idle timer
};

/// The counters the `stats` request reports (and the tests read).
struct stdio_session_counters {
  int64_t requests = 0;      ///< well-formed records
  int64_t malformed = 0;     ///< records answered with an error
  int64_t visits = 0;        ///< visits accepted into a batch
  int64_t ignored = 0;       ///< visits dropped: not a directory, or excluded
  int64_t flushes = 0;       ///< batches sent to the writer (one transaction each)
  int64_t recorded = 0;      ///< visits the writer confirmed as committed
  int64_t flush_errors = 0;  ///< batches the writer answered with an error
  int64_t largest_batch = 0;
  int64_t idle_calls = 0;    ///< times on_idle ran
};

/// The session's data.
struct stdio_session_state {
  static inline const char* name = "gum.stdio_session";
  stdio_session_options options;
  stdio_session_counters counters;
  std::vector<std::string> pending;  ///< visits of the next batch
  uint64_t generation = 0;           ///< bumped by each flush; stale ticks are ignored
  bool tick_scheduled = false;
  int64_t in_flight = 0;             ///< batches sent and not yet answered
  std::deque<parsed_record> backlog; ///< records that need a reply, in order
  bool answering = false;            ///< a jump or query waits for the cache
  bool stopping = false;
  bool output_broken = false;        ///< stdout is gone (EPIPE): replies are dropped
  uint64_t activity = 0;             ///< bumped by each request; stale idle timers are ignored
  uint64_t idle_armed = 0;           ///< the activity an idle timer waits on (0: none yet)
  bool idle_done = false;            ///< on_idle ran since the last request
};

using stdio_session_pointer = stdio_session_actor::stateful_pointer<stdio_session_state>;

/// The session's behaviour.
/// @param self the session  @param options engine, config, output and batching
stdio_session_actor::behavior_type stdio_session(stdio_session_pointer self,
                                                 stdio_session_options options);

/// Spawns a session (detached: it writes replies with blocking write(2)).
stdio_session_actor spawn_stdio_session(caf::actor_system& system,
                                        stdio_session_options options);

}  // namespace gum
