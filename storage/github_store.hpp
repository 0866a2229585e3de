// storage/github_store.hpp: github_repos, http_cache and sync_runs.
//
// A sync run's changes are applied by the writer in ONE transaction (apply_github_changes):
// the repositories, the page validators, the sync_runs row and the project links together, so
// a failed or interrupted run leaves github_repos exactly as it was (SPEC §3.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/facts.hpp"
#include "gum/messages.hpp"

namespace gum::storage {

class database;

/// Applies a finished run: upserts repositories, deletes the unseen ones after a complete full
/// listing, stores validators and metadata, records the sync_runs row, relinks projects.
sync_result apply_github_changes(database& db, const github_changes& changes, int64_t now);

/// What a run would change, without writing (dry-run): summary counts and +/~/- lines.
sync_result diff_github_changes(database& db, const github_changes& changes);

/// Records a failed or interrupted run; github_repos is not touched. Returns the run id.
int64_t record_failed_sync(database& db, const sync_failure& failure, int64_t now);

/// Stored validators (http_cache) and repositories, read in one snapshot.
github_snapshot read_github_snapshot(database& db);

/// github_repos.repo_key, "host/owner/name" in lower case, of a synced repository: from its own
/// html_url, else clone_url, else ssh_url (the first that names a repository), so that the host
/// is the repository's, whatever the API URL. Only a repository that carries none of them falls
/// back to `fallback_host` (the API's git host) and its listed owner and name.
std::string repo_key_for(const std::optional<std::string>& html_url,
                         const std::optional<std::string>& clone_url,
                         const std::optional<std::string>& ssh_url, std::string_view fallback_host,
                         std::string_view owner, std::string_view name);

/// Recomputes every github_repos.repo_key with repo_key_for (a row that carries no URL keeps
/// its key) and relinks the projects. Schema migration 3, for keys written by a gum that took
/// the host from the API URL. Returns the number of keys that changed.
int64_t recompute_repo_keys(database& db);

/// Synced repositories for `gum github`, with the local path of linked projects.
std::vector<github_repo> query_github(database& db, const github_query& query);

/// The same query applied to `all`, every repository as query_github(db, github_query{})
/// returns them (a reader's list kept in memory: actors/cache.hpp, keep_lists): the same rows
/// in the same order.
std::vector<github_repo> select_github(const std::vector<github_repo>& all,
                                       const github_query& query);

}  // namespace gum::storage
