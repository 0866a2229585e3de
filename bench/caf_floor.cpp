// bench/caf_floor.cpp: the process floor of a command driven by an actor system, for
// bench/everyday.sh.
//
// It does what every gum command does before and after its work, and nothing else: it maps
// libcaf_core and libstdc++, starts an actor system configured as the CLI configures it
// (configure_cli_scheduler), spawns one detached actor (the engine's writer or cache),
// asks it one question, and shuts down. everyday.sh times it against the same references as
// gum, so that the note can say how much of each ratio is this floor and how much is gum's
// own work. It links only CAF (no benchmark library, no gum), so it pays no loader cost gum
// does not pay.
#include <caf/all.hpp>

#include "cli/scheduler_config.hpp"

namespace {

caf::behavior answer_one(caf::event_based_actor*) {
  return {[](int32_t x) { return x + 1; }};
}

}  // namespace

int main() {
  caf::actor_system_config cfg;
  gum::cli::configure_cli_scheduler(cfg);
  caf::actor_system sys{cfg};
  int rc = 1;
  {
    caf::scoped_actor self{sys};
    auto worker = sys.spawn<caf::detached>(answer_one);
    self->request(worker, caf::infinite, int32_t{41})
        .receive([&](int32_t y) { rc = y == 42 ? 0 : 1; }, [](caf::error&) {});
    self->send_exit(worker, caf::exit_reason::user_shutdown);
  }
  return rc;
}
