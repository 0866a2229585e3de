// actors/proc_sampler.hpp: the process sampler fetcher (SPEC §3.2 "sampling").
//
// It reads the working directories of the user's running processes (core/proc_cwds.hpp) and
// records them as visits through the writer, as ONE visit message, so one sample is one
// transaction. It never touches SQLite.
#pragma once

#include <string>

#include "actors/interfaces.hpp"

namespace gum {

/// Spawns the process sampler (detached: it reads /proc), which records visits via the writer.
/// `home` bounds what is sampled; `cfg.dirs_exclude` is skipped.
sampler_actor spawn_proc_sampler(caf::actor_system& system, config cfg, std::string home,
                                 writer_actor writer);

}  // namespace gum
