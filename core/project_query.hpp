// core/project_query.hpp: the --search, --similar and --limit semantics of `gum projects` (SPEC §3.1).
//
// Pure functions over vectors of projects, used by the cache actor after it has read one
// snapshot. No I/O, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

/// Keeps the projects that match `search` (all when empty), in their order.
void filter_projects(std::vector<project>& projects, const std::string& search);

/// Orders by similarity of name to `text`: exact > prefix > substring > edit distance (all
/// case-insensitive), best first; ties by path. Projects whose name is too far away (edit
/// distance above max(2, len/2) and no substring match) are dropped.
void rank_by_similarity(std::vector<project>& projects, const std::string& text);

/// Applies a projects query (search, similar or path order, limit) to a list, as the cache does
/// to what it reads.
void apply_query(std::vector<project>& projects, const project_query& query);

}  // namespace gum
