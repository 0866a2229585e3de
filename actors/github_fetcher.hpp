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

/// Spawns the fetcher (detached: HTTP blocks). `writer` may be null (read-only engine: only
/// dry runs work). `cancel`, when set to true, makes a running sync stop promptly and apply
/// nothing (status interrupted); it may be null.
github_actor spawn_github_fetcher(caf::actor_system& system, config cfg, cache_actor cache,
                                  writer_actor writer,
                                  std::shared_ptr<std::atomic<bool>> cancel = nullptr);

}  // namespace gum
