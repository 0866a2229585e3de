// cli/scheduler_config.hpp: the scheduler every CLI process runs its actor system with.
//
// A command has one request in flight at a time, so one scheduler thread with work sharing
// serves it, and every extra thread would be started and joined for nothing. Header-only, so
// that bench/caf_floor (which links CAF alone) measures exactly this configuration.
#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

namespace gum::cli {

inline void configure_cli_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 1);
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

}  // namespace gum::cli
