// actors/cache.hpp: the cache actor, which answers every read.
//
// It reads on its own read-only connection (SQLITE_OPEN_READONLY), so a read can never write
// the database, and each answer is read inside one transaction: one committed snapshot. It
// counts hits and misses in memory. When the projects index has never been built it asks the
// scanner to build it rather than answering with nothing; network data is never fetched here.
#pragma once

#include "actors/interfaces.hpp"

namespace gum {

struct cache_options {
  std::string database_path;
  int64_t busy_timeout_ms = 5000;
  std::string home;
};

/// Spawns the cache (detached: it blocks on SQLite).
cache_actor spawn_cache(caf::actor_system& system, cache_options options, scanner_actor scanner,
                        writer_actor writer);

}  // namespace gum
