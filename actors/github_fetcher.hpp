// actors/github_fetcher.hpp: the GitHub fetcher actor (SPEC §3.3).
//
// It fetches a whole run (every page, then metadata) with github_client on its own thread,
// reading the stored validators through the cache, and hands the run's facts to the writer as
// ONE message, so the run lands in one transaction or not at all. It never touches SQLite.
#pragma once

#include <atomic>
#include <memory>

#include "actors/interfaces.hpp"

namespace gum {

/// The fetcher's data: the configuration, the cache it reads validators from, the writer it
/// hands a run to, and the cancel flag.
struct github_state {
  static inline const char* name = "gum.github_fetcher";
  config cfg;
  cache_actor cache;
  writer_actor writer;
  std::shared_ptr<std::atomic<bool>> cancel;
};

using github_pointer = github_actor::stateful_pointer<github_state>;

/// The fetcher's behaviour: each sync fetches a whole run, then hands it to the writer.
/// @param self the fetcher  @param cfg GitHub settings  @param cache the validators' source
/// @param writer applies the run  @param cancel stops a run promptly (may be null)
github_actor::behavior_type github_behavior(github_pointer self, config cfg, cache_actor cache,
                                            writer_actor writer,
                                            std::shared_ptr<std::atomic<bool>> cancel);

/// Spawns the fetcher (detached: HTTP blocks). `writer` may be null (read-only engine: only
/// dry runs work). `cancel`, when set to true, makes a running sync stop promptly and apply
/// nothing (status interrupted); it may be null.
github_actor spawn_github_fetcher(caf::actor_system& system, config cfg, cache_actor cache,
                                  writer_actor writer,
                                  std::shared_ptr<std::atomic<bool>> cancel = nullptr);

}  // namespace gum
