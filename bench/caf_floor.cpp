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
#include <cstdint>

#include "bench/floor_actor.hpp"

int main() {
  auto reply = gum::bench::ask_one_detached_actor<int32_t>(int32_t{41},
                                                         [](int32_t x) { return x + 1; });
  return reply && *reply == 42 ? 0 : 1;
}
