// bench/floor_actor.hpp: what caf_floor and sqlite_floor share, the part of every gum command
// that is not its own work: an actor system configured as the CLI configures it
// (configure_cli_scheduler), one detached actor (the engine's writer or cache), one request to
// it, and the shutdown. Header-only, so that caf_floor still links CAF alone.
#pragma once

#include <caf/all.hpp>

#include <optional>
#include <utility>

#include "cli/scheduler_config.hpp"

namespace gum::bench {

/// Starts the actor system, spawns `work` (a function `Reply(Request)`) as a detached actor,
/// asks it `request` once and stops everything. The reply, or nothing when the request failed.
template <class Reply, class Request, class Work>
std::optional<Reply> ask_one_detached_actor(Request request, Work work) {
  caf::actor_system_config cfg;
  gum::cli::configure_cli_scheduler(cfg);
  caf::actor_system sys{cfg};
  std::optional<Reply> reply;
  caf::scoped_actor self{sys};
  auto worker = sys.spawn<caf::detached>(
      [work](caf::event_based_actor*) -> caf::behavior { return {work}; });
  self->request(worker, caf::infinite, std::move(request))
      .receive([&](Reply& r) { reply = std::move(r); }, [](caf::error&) {});
  self->send_exit(worker, caf::exit_reason::user_shutdown);
  return reply;
}

}  // namespace gum::bench
