// core/project_query.hpp: the --search, --similar and --limit semantics of `gum projects` (SPEC §3.1).
//
// Pure functions over vectors of projects, used by the cache actor after it has read one
// snapshot. No I/O, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_fold.hpp"
#include "gum/messages.hpp"

namespace gum {

/// The part of p.path below its root p.root ("group/Beta" for /home/bob/projects/group/Beta
/// under /home/bob/projects; empty when the project is the root itself). The whole path when
/// the root is unknown or is not a folder above the path.
std::string_view path_below_root(const project& p);

/// True when every whitespace-separated term of `search` occurs in the project's name or in its
/// path below its root (path_below_root: the root's own folders never match). Smartcase: a
/// term is matched case-insensitively unless it contains an upper-case letter.
bool project_matches(const project& p, const std::string& search);

/// The same with the search prepared once (core/case_fold.hpp), for a caller that asks it of
/// many projects.
bool project_matches(const project& p, const smartcase_search& search);

/// Keeps the projects that match `search` (all when empty), in their order.
void filter_projects(std::vector<project>& projects, const std::string& search);

/// Orders by similarity of name to `text`: exact > prefix > substring > edit distance (all
/// case-insensitive), best first; ties by path. Projects whose name is too far away (edit
/// distance above max(2, len/2) and no substring match) are dropped.
void rank_by_similarity(std::vector<project>& projects, const std::string& text);

/// The order rank_by_similarity gives, as indexes into `projects` (the dropped ones left out),
/// for a caller that copies only the rows it keeps.
std::vector<std::size_t> similarity_order(const std::vector<const project*>& projects,
                                          const std::string& text);

/// What the projects index holds about its own freshness, as storage reads it in the snapshot
/// it answers from (storage::read_index_state).
struct index_state {
  bool built = false;              ///< cache_metadata has the `projects` row
  int64_t last_updated = 0;        ///< unix seconds of the refresh that wrote it
  std::vector<std::string> roots;  ///< the roots refreshes scanned (project_dirs), sorted
};

/// Why the index must be rebuilt before it answers, or "" when it is fresh (SPEC §3.1), first
/// match wins: "never built"; "roots changed: added ~/code" (and/or "removed ..."; `~` for
/// `home`) when `configured_roots` are not the roots it was built from; "older than the 1h TTL"
/// when now - last_updated > ttl_seconds. ttl_seconds <= 0 turns the expiry off.
std::string index_staleness(const index_state& index,
                            const std::vector<std::string>& configured_roots, int64_t ttl_seconds,
                            int64_t now, std::string_view home);

/// `seconds` in the largest unit that divides it: "1h", "90m", "45s", "2d"; "0s" for 0.
std::string duration_text(int64_t seconds);

/// Applies a projects query (search, similar or path order, limit) to a list, as the cache does
/// to what it reads.
void apply_query(std::vector<project>& projects, const project_query& query);

}  // namespace gum
