// actors/cache.hpp: the cache actor, which answers every read.
//
// It reads on its own read-only connection (SQLITE_OPEN_READONLY), so a read can never write
// the database, and each answer is read inside one transaction: one committed snapshot. It
// counts hits and misses in memory. When the projects index has never been built it asks the
// scanner to build it rather than answering with nothing; network data is never fetched here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

namespace gum {

struct cache_options {
  std::string database_path;
  int64_t busy_timeout_ms = 5000;
  std::string home;
  std::vector<std::string> roots;  ///< the configured roots: an index built from others is stale
  int64_t ttl_seconds = 3600;      ///< cache.ttl; 0 turns the expiry off
  int64_t fixed_now = 0;           ///< test aid (GUM_TEST_NOW): the freshness clock; 0: real
  /// Keep the last projects list read (one with and one without GitHub facts) and every
  /// synced repository in memory, and answer projects and github queries from them while
  /// storage::data_version says the database has not changed: a long-lived reader (`gum serve`'s pool, actors/server.hpp) then filters in
  /// memory instead of reading every row again. A whole list (no search, similar or limit)
  /// is then answered with projects_reply::serialized_projects and no `projects`: for a
  /// requester across the network only (the server sends it on). Off for one-shot commands.
  bool keep_lists = false;
};

/// A projects list as one snapshot held it (cache_options::keep_lists), in path order.
struct kept_projects {
  bool valid = false;
  int64_t data_version = 0;
  std::vector<project> rows;
  std::shared_ptr<const std::vector<char>> serialized;  ///< rows as CAF serialises them
};

/// Every synced repository as one snapshot held them (cache_options::keep_lists), in the
/// order storage::query_github lists them.
struct kept_github {
  bool valid = false;
  int64_t data_version = 0;
  std::vector<github_repo> rows;
};

/// The cache's data: its options, its read-only connection (opened on first use), the scanner
/// it asks to build a never-built index, and its hit and miss counts. It holds no writer: a
/// read never writes.
struct cache_state {
  static inline const char* name = "gum.cache";
  cache_options options;
  std::unique_ptr<storage::database> db;
  scanner_actor scanner;
  int64_t hits = 0;
  int64_t misses = 0;
  kept_projects kept[2];  ///< keep_lists: [0] without, [1] with GitHub facts
  kept_github kept_repos;  ///< keep_lists: every synced repository
};

using cache_pointer = cache_actor::stateful_pointer<cache_state>;

/// The cache's behaviour: every read is answered from one snapshot of its own connection.
/// @param self the cache  @param options where and how to open  @param scanner builds a
/// never-built index (may be null: then such a read fails)
cache_actor::behavior_type cache_behavior(cache_pointer self, cache_options options,
                                          scanner_actor scanner);

/// Spawns the cache (detached: it blocks on SQLite).
cache_actor spawn_cache(caf::actor_system& system, cache_options options, scanner_actor scanner);

}  // namespace gum
