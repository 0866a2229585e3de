// actors/stdio_session.cpp: batching, ordered replies and the final flush of one shell's
// session (see stdio_session.hpp).
#include "actors/stdio_session.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "core/dirs_exclude.hpp"
#include "core/jump_target.hpp"
#include "core/paths.hpp"
#include "core/text.hpp"

namespace gum {

namespace {

// Writes a whole reply; a closed or broken stdout only turns replies off (the shell is gone;
// visits still arrive until stdin ends, and are still recorded).
void write_reply(stdio_session_pointer self, const std::string& bytes) {
  auto& st = self->state;
  if (st.output_broken) return;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(st.options.out_fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      st.output_broken = true;
      return;
    }
    done += static_cast<size_t>(n);
  }
}

bool settled(const stdio_session_state& st) {
  return st.in_flight == 0 && st.pending.empty() && !st.answering && st.backlog.empty();
}

// Quits once stopping and settled; otherwise, once settled after a request, starts the idle
// timer (one per request: when it fires, on_idle runs if no request came since).
void quit_if_done(stdio_session_pointer self) {
  auto& st = self->state;
  if (!settled(st)) return;
  if (st.stopping) {
    self->quit();
    return;
  }
  if (st.options.on_idle && !st.idle_done && st.idle_armed != st.activity + 1) {
    st.idle_armed = st.activity + 1;
    self->delayed_send(self, std::chrono::milliseconds(st.options.idle_ms), idle_atom::value,
                       st.activity);
  }
}

void process_backlog(stdio_session_pointer self);

// Writes the reply to the request in flight, then goes on with the records behind it.
void finish_answer(stdio_session_pointer self, const std::string& reply) {
  write_reply(self, reply);
  self->state.answering = false;
  process_backlog(self);
  quit_if_done(self);
}

// Sends the pending visits to the engine as one request: one writer transaction.
void flush(stdio_session_pointer self) {
  auto& st = self->state;
  ++st.generation;
  st.tick_scheduled = false;
  if (st.pending.empty()) return;
  auto batch = std::move(st.pending);
  st.pending.clear();
  ++st.counters.flushes;
  st.counters.largest_batch =
      std::max(st.counters.largest_batch, static_cast<int64_t>(batch.size()));
  ++st.in_flight;
  self->request(st.options.engine, caf::infinite, visit_atom::value, std::move(batch))
      .then(
          [self](int64_t recorded) {
            self->state.counters.recorded += recorded;
            --self->state.in_flight;
            process_backlog(self);
            quit_if_done(self);
          },
          [self](caf::error&) {
            ++self->state.counters.flush_errors;
            --self->state.in_flight;
            process_backlog(self);
            quit_if_done(self);
          });
}

void add_visits(stdio_session_pointer self, std::vector<std::string>& raw_paths) {
  auto& st = self->state;
  for (auto& raw : raw_paths) {
    std::string path = normalize_path(raw, st.options.home, st.options.cwd);
    // As `gum add`: what is not a directory, or is excluded, is simply not kept.
    if (!is_directory(path) || is_excluded(st.options.config, path)) {
      ++st.counters.ignored;
      continue;
    }
    ++st.counters.visits;
    st.pending.push_back(std::move(path));
  }
  if (st.pending.size() >= st.options.batch_visits) {
    flush(self);
  } else if (!st.pending.empty() && !st.tick_scheduled) {
    st.tick_scheduled = true;
    self->delayed_send(self, std::chrono::milliseconds(st.options.batch_ms), tick_atom::value,
                       st.generation);
  }
}

std::string stats_reply(const stdio_session_counters& c) {
  const std::pair<const char*, int64_t> values[] = {
      {"requests", c.requests},   {"malformed", c.malformed}, {"visits", c.visits},
      {"ignored", c.ignored},     {"flushes", c.flushes},     {"recorded", c.recorded},
      {"flush_errors", c.flush_errors}, {"largest_batch", c.largest_batch},
      {"idle_calls", c.idle_calls}};
  std::vector<std::string> fields;
  for (const auto& [name, value] : values) {
    fields.emplace_back(name);
    fields.push_back(std::to_string(value));
  }
  return encode_engine_record("ok", fields);
}

// Asks the cache for a jump or a query; the reply is written when it comes.
void ask_cache(stdio_session_pointer self, engine_request request) {
  auto& st = self->state;
  st.answering = true;
  dir_query query;
  std::string here;
  const bool jump = request.verb == engine_verb::jump;
  if (jump) {
    here = normalize_path(request.fields[0], st.options.home, "/");
    query = jump_query({request.fields.begin() + 1, request.fields.end()}, here);
  } else {
    int64_t limit = -1;
    parse_int64(request.fields[0], limit);
    query.keywords.assign(request.fields.begin() + 1, request.fields.end());
    query.limit = limit < 0 ? -1 : limit;
  }
  self->request(st.options.engine, caf::infinite, dirs_atom::value, std::move(query))
      .then(
          [self, jump, here](std::vector<dir_entry>& dirs) {
            std::vector<std::string> fields;
            if (jump) {
              if (auto target = pick_jump_target(dirs, here)) fields.push_back(*target);
            } else {
              for (const auto& d : dirs) {
                char score[64];
                std::snprintf(score, sizeof score, "%.1f", d.score);
                fields.emplace_back(score);
                fields.push_back(d.path);
              }
            }
            finish_answer(self, encode_engine_record("ok", fields));
          },
          [self](caf::error& err) {
            finish_answer(self, encode_engine_error(to_status(err).message));
          });
}

// Asks the writer (through the engine) to forget the paths: all or none, as `gum dirs remove`.
void ask_remove(stdio_session_pointer self, engine_request request) {
  auto& st = self->state;
  st.answering = true;
  std::vector<std::string> paths;
  for (auto& raw : request.fields) {
    std::string path = normalize_path(raw, st.options.home, "/");
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  self->request(st.options.engine, caf::infinite, remove_dirs_atom::value, std::move(paths))
      .then(
          [self](int64_t removed) {
            finish_answer(self, encode_engine_record("ok", {std::to_string(removed)}));
          },
          [self](caf::error& err) {
            finish_answer(self, encode_engine_error(to_status(err).message));
          });
}

// Answers the records that need a reply, in order. A jump or query first flushes the pending
// visits and waits until every batch is committed, so its answer includes them.
void process_backlog(stdio_session_pointer self) {
  auto& st = self->state;
  while (!st.answering && !st.backlog.empty()) {
    auto& front = st.backlog.front();
    if (!front.ok) {
      write_reply(self, encode_engine_error(front.error));
      st.backlog.pop_front();
      continue;
    }
    switch (front.request.verb) {
      case engine_verb::ping:
        write_reply(self, encode_engine_record("ok", {}));
        st.backlog.pop_front();
        continue;
      case engine_verb::stats:
        if (st.in_flight > 0) return;  // counts committed batches; resumed by the reply
        write_reply(self, stats_reply(st.counters));
        st.backlog.pop_front();
        continue;
      case engine_verb::jump:
      case engine_verb::query:
      case engine_verb::remove: {
        // The visits before it are committed first: a jump sees them, a remove removes them.
        if (!st.pending.empty()) flush(self);
        if (st.in_flight > 0) return;  // resumed by the flush's reply
        auto request = std::move(front.request);
        st.backlog.pop_front();
        if (request.verb == engine_verb::remove)
          ask_remove(self, std::move(request));
        else
          ask_cache(self, std::move(request));
        return;
      }
      case engine_verb::visit:  // never queued
        st.backlog.pop_front();
        continue;
    }
  }
}

}  // namespace

stdio_session_actor::behavior_type stdio_session(stdio_session_pointer self,
                                                 stdio_session_options options) {
  self->state.options = std::move(options);
  return {
      [self](request_atom, int32_t verb, std::vector<std::string>& fields) {
        auto& st = self->state;
        ++st.counters.requests;
        ++st.activity;
        st.idle_done = false;
        if (static_cast<engine_verb>(verb) == engine_verb::visit) {
          add_visits(self, fields);  // no reply, so no place in the order of replies
          quit_if_done(self);        // (all of them ignored: idle again)
          return;
        }
        parsed_record record;
        record.ok = true;
        record.request.verb = static_cast<engine_verb>(verb);
        record.request.fields = std::move(fields);
        st.backlog.push_back(std::move(record));
        process_backlog(self);
        quit_if_done(self);
      },
      [self](malformed_atom, std::string& why) {
        ++self->state.activity;
        self->state.idle_done = false;
        ++self->state.counters.malformed;
        self->state.backlog.push_back(parsed_record{false, {}, std::move(why)});
        process_backlog(self);
        quit_if_done(self);
      },
      [self](stop_atom, int32_t) {
        self->state.stopping = true;
        flush(self);
        process_backlog(self);
        quit_if_done(self);
      },
      [self](tick_atom, uint64_t generation) {
        if (generation != self->state.generation) return;
        flush(self);
      },
      [self](idle_atom, uint64_t activity) {
        auto& st = self->state;
        if (activity != st.activity || st.idle_done || st.stopping || !settled(st)) return;
        st.idle_done = true;
        ++st.counters.idle_calls;
        st.options.on_idle();
      },
  };
}

stdio_session_actor spawn_stdio_session(caf::actor_system& system,
                                        stdio_session_options options) {
  return system.spawn<caf::detached>(stdio_session, std::move(options));
}

}  // namespace gum
