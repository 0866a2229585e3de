// actors/proc_sampler.hpp: the process sampler fetcher (SPEC §3.2 "sampling").
//
// It reads the working directories of the user's running processes (core/proc_cwds.hpp) and
// records them as visits through the writer, as ONE visit message, so one sample is one
// transaction. It never touches SQLite.
#pragma once

#include <string>

#include "actors/interfaces.hpp"

namespace gum {

/// The sampler keeps no data between samples; the state names the actor.
struct sampler_state {
  static inline const char* name = "gum.proc_sampler";
};

/// The sampler's behaviour: each sample reads /proc and delegates the directories under `home`
/// (minus `cfg.dirs_exclude`) to `writer` as one visit message. @param self the sampler
sampler_actor::behavior_type sampler_behavior(sampler_actor::stateful_pointer<sampler_state> self,
                                              config cfg, std::string home, writer_actor writer);

/// Spawns the process sampler (detached: it reads /proc), which records visits via the writer.
/// `home` bounds what is sampled; `cfg.dirs_exclude` is skipped.
sampler_actor spawn_proc_sampler(caf::actor_system& system, config cfg, std::string home,
                                 writer_actor writer);

}  // namespace gum
