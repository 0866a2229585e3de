// examples/embed_service/main.cpp: a small service that embeds gum's engine in its own
// caf::actor_system, as a team dashboard or an editor backend would.
//
// It shows the whole life cycle an embedder owns: register gum's message types on the config
// before the actor system exists, start the engine in that system, talk to it from an actor of
// our own with asynchronous typed requests (no blocking on the scheduler), and shut the engine
// down -- which flushes every pending write -- before the actor system is destroyed.
//
// Usage: embed_service [DATABASE [ROOT...]]
//   DATABASE defaults to $GUM_DB, else $XDG_CACHE_HOME/gum/gum.db (as the gum CLI).
//   ROOTs default to the user's gum configuration (config.yaml, projects-dirs.list, defaults).
// The service refreshes the projects index, lists the projects, records a visit to the first
// project (or the first root), lists the top directories, and prints an integrity report.
// Exit code: 0 on success, else the gum status code of the first request that failed (1 when
// the integrity report found a problem), as the gum CLI does.
#include <caf/all.hpp>
#include <gum/engine.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

// How long one request may take before the service gives up on it.
constexpr auto request_timeout = std::chrono::minutes(5);

// What the service actor leaves for main() when it is done.
struct service_outcome {
  gum::status status;
};

struct service_state {
  static inline const char* name = "embed_service";
};

using service_pointer = caf::stateful_actor<service_state>*;

// Absolute, lexically normal, no trailing slash: the form the engine stores paths in.
std::string absolute_path(const std::string& path) {
  auto p = std::filesystem::absolute(path).lexically_normal().string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// Ends the service with `st` (printed when it is an error).
void finish(service_pointer self, const std::shared_ptr<service_outcome>& outcome,
            const std::string& step, const gum::status& st) {
  if (!st.ok()) {
    std::cout << "error: " << step << ": " << st.message << '\n';
    if (!st.hint.empty()) std::cout << "hint: " << st.hint << '\n';
  }
  outcome->status = st;
  self->quit();
}

// Step 4: ask for an integrity report and print it.
void audit(service_pointer self, gum::engine_actor engine,
           std::shared_ptr<service_outcome> outcome) {
  self->request(engine, request_timeout, gum::audit_atom::value, gum::audit_options{})
      .then(
          [=](gum::integrity_report& report) {
            for (auto& check : report.checks)
              std::cout << "check: " << check.name << ' ' << (check.ok ? "ok" : "FAILED")
                        << (check.detail.empty() ? "" : " (" + check.detail + ")") << '\n';
            std::cout << "integrity: " << (report.ok ? "ok" : "FAILED") << '\n';
            finish(self, outcome, "audit",
                   report.ok ? gum::status::success()
                             : gum::status::fail(gum::status_code::failure,
                                                 "integrity checks failed"));
          },
          [=](caf::error& err) { finish(self, outcome, "audit", gum::to_status(err)); });
}

// Step 3: record one visit, then read the directories back. The visit is answered only after
// it is committed, so the query that follows is guaranteed to see it.
void visit(service_pointer self, gum::engine_actor engine,
           std::shared_ptr<service_outcome> outcome, std::string dir) {
  self->request(engine, request_timeout, gum::visit_atom::value, std::vector<std::string>{dir})
      .then(
          [=](int64_t recorded) {
            std::cout << "visited: " << dir << " (" << recorded << " recorded)\n";
            gum::dir_query query;
            query.limit = 5;
            self->request(engine, request_timeout, gum::dirs_atom::value, query)
                .then(
                    [=](std::vector<gum::dir_entry>& dirs) {
                      for (auto& d : dirs)
                        std::cout << "dir: " << d.path << " rank " << d.rank << '\n';
                      audit(self, engine, outcome);
                    },
                    [=](caf::error& err) { finish(self, outcome, "dirs", gum::to_status(err)); });
          },
          [=](caf::error& err) { finish(self, outcome, "visit", gum::to_status(err)); });
}

// Step 2: list the projects (sorted by path) and visit the first one.
void list_projects(service_pointer self, gum::engine_actor engine,
                   std::shared_ptr<service_outcome> outcome, std::string fallback_dir) {
  self->request(engine, request_timeout, gum::projects_atom::value, gum::project_query{})
      .then(
          [=](gum::projects_reply& reply) {
            for (auto& p : reply.projects) {
              std::cout << "project: " << p.path;
              if (p.remote_url)
                std::cout << " (" << *p.remote_url << ')';
              else if (p.branch)
                std::cout << " [" << *p.branch << ']';
              std::cout << '\n';
            }
            auto dir = reply.projects.empty() ? fallback_dir : reply.projects.front().path;
            if (dir.empty()) {
              finish(self, outcome, "visit",
                     gum::status::fail(gum::status_code::usage, "no project and no root to visit"));
              return;
            }
            visit(self, engine, outcome, dir);
          },
          [=](caf::error& err) { finish(self, outcome, "projects", gum::to_status(err)); });
}

// The service's own actor: step 1 (refresh) starts as soon as it is spawned; each reply
// triggers the next step, so the actor never blocks a scheduler thread.
caf::behavior service(service_pointer self, gum::engine_actor engine,
                      std::shared_ptr<service_outcome> outcome, std::string first_root) {
  self->request(engine, request_timeout, gum::refresh_atom::value)
      .then(
          [=](gum::refresh_result& r) {
            std::cout << "refreshed: " << r.projects << " projects (" << r.added << " added, "
                      << r.removed << " removed) in " << r.duration_ms << " ms\n";
            list_projects(self, engine, outcome, first_root);
          },
          [=](caf::error& err) { finish(self, outcome, "refresh", gum::to_status(err)); });
  // No behavior of its own: the actor lives for its pending requests and quits in finish().
  return {};
}

int report_failure(const gum::status& st) {
  std::cerr << "embed_service: " << st.message << '\n';
  if (!st.hint.empty()) std::cerr << "embed_service: " << st.hint << '\n';
  return static_cast<int>(st.code);
}

}  // namespace

int main(int argc, char** argv) {
  // 1. The embedder's configuration: gum's values come from the same loader the CLI uses.
  auto env = gum::environment::from_process();
  gum::engine_options options;
  options.home = env.home;
  if (auto st = gum::load_config(env, std::nullopt, options.config); !st.ok())
    return report_failure(st);
  if (argc > 1) {
    options.database_path = absolute_path(argv[1]);
  } else if (const char* db = std::getenv("GUM_DB"); db && *db) {
    options.database_path = absolute_path(db);
  } else {
    options.database_path = env.xdg_cache_home + "/gum/gum.db";
  }
  if (argc > 2) {
    options.config.roots.clear();
    for (int i = 2; i < argc; ++i) options.config.roots.push_back(absolute_path(argv[i]));
  }
  std::string first_root = options.config.roots.empty() ? "" : options.config.roots.front();

  // 2. The actor system: gum's message types must be registered before it is created.
  caf::actor_system_config cfg;
  gum::add_message_types(cfg);
  caf::actor_system system{cfg};

  // 3. The engine lives in our system; it opens (creating or migrating) the database first.
  std::unique_ptr<gum::engine> engine;
  if (auto st = gum::engine::start(system, options, engine); !st.ok())
    return report_failure(st);

  // 4. Our own actor does the work; main() waits for it to finish.
  auto outcome = std::make_shared<service_outcome>();
  auto actor = system.spawn(service, engine->handle(), outcome, first_root);
  {
    caf::scoped_actor self{system};
    self->wait_for(actor);
  }

  // 5. Shut the engine down before the system goes away: every acknowledged write is on disk.
  auto stopped = engine->shutdown();
  engine.reset();
  if (!stopped.ok()) return report_failure(stopped);
  return static_cast<int>(outcome->status.code);
}
