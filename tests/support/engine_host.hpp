// tests/support/engine_host.hpp: an embedder's minimum, shared by the embedding tests and the
// second process of their two-process test (tests/embedding_child.cpp).
#pragma once

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <vector>

#include "gum/engine.hpp"

namespace gum::testing {

// An actor system with gum's message types and, once started, an engine in it. The engine is
// shut down before the system is destroyed, as an embedder must do.
class engine_host {
 public:
  explicit engine_host(int threads = 2) {
    cfg_.set("scheduler.max-threads", threads);
    gum::add_message_types(cfg_);
    system_ = std::make_unique<caf::actor_system>(cfg_);
  }
  ~engine_host() {
    if (engine) engine->shutdown();
    engine.reset();
    system_.reset();
  }
  engine_host(const engine_host&) = delete;
  engine_host& operator=(const engine_host&) = delete;

  gum::status start(gum::engine_options options) {
    return gum::engine::start(*system_, std::move(options), engine);
  }
  caf::actor_system& system() { return *system_; }

  std::unique_ptr<gum::engine> engine;

 private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> system_;
};

// Records visits to prefix/p<first>... one at a time, with a refresh every tenth. Returns ""
// when every request succeeded and every refresh saw `expected` projects, else what failed.
inline std::string visit_loop(gum::engine& engine, const std::string& prefix, int first,
                              int count, int64_t expected) {
  for (int i = first; i < first + count; ++i) {
    int64_t n = 0;
    auto st = engine.call(n, gum::visit_atom::value,
                          std::vector<std::string>{prefix + "/p" + std::to_string(i)});
    if (!st.ok() || n != 1) return "visit: " + st.message;
    if (i % 10 == 0) {
      gum::refresh_result r;
      st = engine.call(r, gum::refresh_atom::value);
      if (!st.ok()) return "refresh: " + st.message;
      if (r.projects != expected)
        return "refresh saw " + std::to_string(r.projects) + " projects";
    }
  }
  return "";
}

}  // namespace gum::testing
