// storage/projects_store.hpp: the projects index (project_dirs, projects, cache_metadata).
//
// A refresh replaces the projects of every scanned root inside the caller's write
// transaction, together with cache_metadata, so a reader sees the old list or the new list and
// never a mixture (SPEC §2). Rows that did not change are not rewritten: a warm refresh of an
// unchanged tree writes only its bookkeeping.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/project_query.hpp"
#include "gum/messages.hpp"

namespace gum::storage {

class database;

/// Counts of what replace_projects changed.
struct replace_counts {
  int64_t added = 0, updated = 0, removed = 0, total = 0;
};

/// Replaces the projects of the scanned roots with `projects` (all of whose root is one of
/// `roots`). Roots no longer configured (not in `configured_roots`) are forgotten with their
/// projects. Must run inside a write_transaction.
replace_counts replace_projects(database& db, const std::vector<std::string>& configured_roots,
                                const std::vector<root_scan>& roots,
                                const std::vector<project>& projects, int64_t now,
                                int64_t duration_ms, int64_t ttl_seconds);

/// Every project, sorted by path, with its GitHub link when `with_github`.
std::vector<project> load_projects(database& db, bool with_github);

/// Every project in path order (bytewise), handed to `visit` one at a time as it is read: no
/// list is built. `visit` returns false to stop. Returns the rows read.
int64_t for_each_project(database& db, bool with_github,
                         const std::function<bool(project&&)>& visit);

/// Every project's path in path order (bytewise), as for_each_project, read from the path index
/// alone (no table row is visited): for a list that prints only paths (`gum projects -f
/// simple`). The view is valid during the call only. Returns the rows read.
int64_t for_each_project_path(database& db, const std::function<bool(std::string_view)>& visit);

/// Whether the projects index was ever built (cache_metadata has its row).
bool projects_built(database& db);

/// What the index says about its freshness: whether it was built, when, and from which roots
/// (the project_dirs a refresh scanned; a root `gum clone` recorded but no refresh scanned yet
/// does not count). Read it in the same read transaction as the projects it vouches for.
index_state read_index_state(database& db);

/// Empties the projects index and forgets that it was built. Returns the rows removed.
int64_t clear_projects(database& db);

/// Links every project whose remote names a synced repository, and unlinks the rest.
/// Returns the number of linked projects.
int64_t link_projects(database& db);

/// Adds or updates the one project `p` (`gum clone`), under the root p.root, whose row is
/// made when missing; links it by its remote like replace_projects does, and keeps
/// cache_metadata's item_count exact when the index was built (an index never built stays
/// unbuilt: the first read scans). Returns true when the project is linked to a synced
/// repository. Must run inside a write_transaction.
bool upsert_project(database& db, const project& p, int64_t now);

/// The number of projects linked to a synced GitHub repository.
int64_t count_linked_projects(database& db);

/// Row counts of every table and the freshness of every dataset, read in one snapshot.
cache_stats read_cache_stats(database& db, int64_t now);

/// Sets a cache_metadata row (inside the caller's transaction).
void touch_dataset(database& db, const std::string& key, int64_t now, int64_t item_count,
                   std::optional<int64_t> ttl_seconds, std::optional<int64_t> duration_ms);

/// "host/owner/name" in lower case for a remote URL, or nullopt when it names no repository.
std::optional<std::string> remote_key_for(const std::optional<std::string>& remote_url);

}  // namespace gum::storage
