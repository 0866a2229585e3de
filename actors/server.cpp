// actors/server.cpp: the published front of `gum serve` (actors/server.hpp).
//
// Every allowed request is forwarded to the engine with request/then rather than delegate, so
// that this actor knows when it has been answered: a stop (drain) waits for the requests in
// flight, which is what "flush pending writes" means for a server whose writes are refreshes
// and syncs that are still being scanned or fetched when the signal comes.
#include "actors/server.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace gum {

namespace {

struct server_state {
  static inline const char* name = "gum.server";
  int64_t in_flight = 0;
  int64_t waited = 0;  ///< requests a drain had to wait for
  bool closing = false;
  std::vector<caf::typed_response_promise<int64_t>> drains;
  std::map<caf::actor_addr, int64_t> clients;  ///< hello senders, numbered from 1
  int64_t next_client = 1;
  std::vector<cache_actor> readers;  ///< the reader pool (server_options::readers)
  std::vector<int64_t> reader_load;  ///< requests in flight at each reader
};

using server_pointer = server_actor::stateful_pointer<server_state>;

caf::error refused(const std::string& what) {
  return make_error(status::fail(status_code::usage, what + " is not allowed over --remote",
                                 "run it on the server itself"));
}

caf::error closing_error() {
  return make_error(status::fail(status_code::network, "the gum server is shutting down"));
}

void request_done(server_pointer self) {
  --self->state.in_flight;
  if (self->state.in_flight > 0 || self->state.drains.empty()) return;
  for (auto& rp : self->state.drains) rp.deliver(self->state.waited);
  self->state.drains.clear();
}

// Sends one request to the engine and delivers its reply (or error) to `rp`, counted in flight.
template <class Result, class... Ts>
void relay(server_pointer self, const engine_actor& engine,
           caf::typed_response_promise<Result> rp, Ts&&... xs) {
  ++self->state.in_flight;
  self->request(engine, caf::infinite, std::forward<Ts>(xs)...)
      .then(
          [self, rp](Result& value) mutable {
            rp.deliver(std::move(value));
            request_done(self);
          },
          [self, rp](caf::error& err) mutable {
            rp.deliver(std::move(err));
            request_done(self);
          });
}

// Forwards one request to the engine and answers its sender with the engine's reply.
template <class Result, class... Ts>
caf::result<Result> forward(server_pointer self, const engine_actor& engine,
                            const server_options& opts, const char* verb, Ts&&... xs) {
  if (self->state.closing) return closing_error();
  if (opts.debug && opts.log) opts.log(std::string("gum: debug: serve: request ") + verb);
  auto rp = self->template make_response_promise<Result>();
  relay(self, engine, rp, std::forward<Ts>(xs)...);
  return rp;
}

// The reader with the fewest requests in flight (the first of equals).
size_t pick_reader(server_pointer self) {
  auto& load = self->state.reader_load;
  return static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
}

// Sends one read to the least busy reader and answers its sender with the reader's reply;
// without a pool, to the engine. `then` may instead hand the request on (it returns false
// when it did not deliver `rp` itself).
template <class Result, class Then, class... Ts>
caf::result<Result> read(server_pointer self, const engine_actor& engine,
                         const server_options& opts, const char* verb, Then then, Ts... xs) {
  if (self->state.readers.empty())
    return forward<Result>(self, engine, opts, verb, std::move(xs)...);
  if (self->state.closing) return closing_error();
  if (opts.debug && opts.log) opts.log(std::string("gum: debug: serve: request ") + verb);
  auto rp = self->template make_response_promise<Result>();
  const size_t r = pick_reader(self);
  ++self->state.reader_load[r];
  ++self->state.in_flight;
  self->request(self->state.readers[r], caf::infinite, std::move(xs)...)
      .then(
          [self, rp, r, then](Result& value) mutable {
            --self->state.reader_load[r];
            if (!then(value, rp)) rp.deliver(std::move(value));
            request_done(self);
          },
          [self, rp, r](caf::error& err) mutable {
            --self->state.reader_load[r];
            rp.deliver(std::move(err));
            request_done(self);
          });
  return rp;
}

// A `then` for read(): the reader's reply goes to the client as it is.
struct as_is {
  template <class Result, class Promise>
  bool operator()(Result&, Promise&) const {
    return false;
  }
};

server_actor::behavior_type server_behavior(server_pointer self, server_options opts,
                                            std::vector<cache_actor> readers) {
  self->state.readers = readers;
  self->state.reader_load.assign(readers.size(), 0);
  // The readers end with the server (they are detached threads of its actor system).
  self->attach_functor([readers](const caf::error&) {
    for (auto& r : readers) caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
  });
  auto log = [opts](const std::string& line) {
    if (opts.log) opts.log(line);
  };
  self->set_down_handler([self, log](caf::down_msg& msg) {
    auto it = self->state.clients.find(msg.source);
    if (it == self->state.clients.end()) return;
    log("gum: serve: client " + std::to_string(it->second) + " disconnected");
    self->state.clients.erase(it);
  });
  const engine_actor engine = opts.engine;
  return {
      [=](hello_atom, int32_t client_protocol) -> caf::result<server_hello> {
        if (self->state.closing) return closing_error();
        auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
        if (sender && self->state.clients.count(sender) == 0) {
          int64_t id = self->state.next_client++;
          self->state.clients.emplace(sender, id);
          self->monitor(sender);
          std::string line = "gum: serve: client " + std::to_string(id) + " connected";
          if (sender.node() != self->node())
            line += " (node " + caf::to_string(sender.node()) + ")";
          if (client_protocol != opts.hello.protocol)
            line += ", protocol " + std::to_string(client_protocol) + " (this server speaks " +
                    std::to_string(opts.hello.protocol) + ")";
          log(line);
        }
        return opts.hello;
      },
      [=](refresh_atom a) -> caf::result<refresh_result> {
        return forward<refresh_result>(self, engine, opts, "refresh", a);
      },
      [=](projects_atom a, project_query& q) -> caf::result<projects_reply> {
        // The readers have no scanner, so they answer a stale index as it is; a query that
        // may rebuild it (not --cached) then goes to the engine, whose cache rebuilds first.
        auto rebuild = [self, engine, opts, a, q](projects_reply& reply,
                                                 caf::typed_response_promise<projects_reply>& rp) {
          if (!q.build_if_missing || reply.stale_reason.empty()) return false;
          relay(self, engine, rp, a, q);
          return true;
        };
        return read<projects_reply>(self, engine, opts, "projects", rebuild, a, std::move(q));
      },
      [=](stream_projects_atom, project_query&, project_sink_ptr&) -> caf::result<projects_reply> {
        // The sink is a pointer into the caller's process: a remote client asks projects_atom.
        return refused("a streamed projects list (ask for the list itself)");
      },
      [=](remove_dirs_atom, std::vector<std::string>&) -> caf::result<int64_t> {
        return refused("removing directories from the history (`gum dirs remove`)");
      },
      [=](clear_atom, std::string& dataset) -> caf::result<int64_t> {
        log("gum: serve: refused: clear " + dataset);
        return refused("clearing the " + dataset + " cache");
      },
      [=](visit_atom, std::vector<std::string>&) -> caf::result<int64_t> {
        return refused("recording visits (`gum add`)");
      },
      [=](dirs_atom a, dir_query& q) -> caf::result<std::vector<dir_entry>> {
        return read<std::vector<dir_entry>>(self, engine, opts, "dirs", as_is{}, a, std::move(q));
      },
      [=](sample_atom) -> caf::result<int64_t> {
        return refused("sampling the server's processes (`gum dirs --refresh`)");
      },
      [=](import_atom, std::vector<dir_entry>&) -> caf::result<int64_t> {
        return refused("importing directories (`gum import`)");
      },
      [=](sync_atom a, sync_options& o) -> caf::result<sync_result> {
        // The server's own credentials, whatever the client sent: a client can never point
        // the server's token at another URL, and never sees it.
        o.token = opts.token;
        o.api_url = opts.api_url;
        o.progress = false;
        o.debug = false;
        if (o.token.empty())
          return make_error(status::fail(status_code::usage, "the gum server has no GitHub token",
                                         "set GH_TOKEN or GITHUB_TOKEN where `gum serve` runs"));
        return forward<sync_result>(self, engine, opts, "sync", a, std::move(o));
      },
      [=](github_atom a, github_query& q) -> caf::result<std::vector<github_repo>> {
        return read<std::vector<github_repo>>(self, engine, opts, "github", as_is{}, a,
                                              std::move(q));
      },
      [=](audit_atom a, audit_options& o) -> caf::result<integrity_report> {
        if (o.repair && !opts.hello.allow_repair)
          return refused("`gum integrity --repair` (the server was not started with "
                         "--allow-repair)");
        return forward<integrity_report>(self, engine, opts, "audit", a, o);
      },
      [=](stats_atom a) -> caf::result<cache_stats> {
        return forward<cache_stats>(self, engine, opts, "stats", a);
      },
      [=](flush_atom a) -> caf::result<int64_t> {
        return forward<int64_t>(self, engine, opts, "flush", a);
      },
      [=](add_project_atom, project&) -> caf::result<int64_t> {
        return refused("adding a project (`gum clone`)");
      },
      [=](migrate_atom, legacy_import&) -> caf::result<legacy_import_result> {
        return refused("importing legacy caches (`gum migrate`)");
      },
      [=](drain_atom) -> caf::result<int64_t> {
        self->state.closing = true;
        if (self->state.in_flight == 0) return self->state.waited;
        self->state.waited = self->state.in_flight;
        auto rp = self->make_response_promise<int64_t>();
        self->state.drains.push_back(rp);
        return rp;
      },
  };
}

}  // namespace

server_actor spawn_server(caf::actor_system& system, server_options options) {
  std::vector<cache_actor> readers;
  auto reader = options.reader;
  reader.keep_lists = true;
  if (!reader.database_path.empty())
    for (int i = 0; i < options.readers; ++i)
      readers.push_back(spawn_cache(system, reader, scanner_actor{}));
  return system.spawn(server_behavior, std::move(options), std::move(readers));
}

}  // namespace gum
