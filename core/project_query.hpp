// core/project_query.hpp: the --search, --similar and --limit semantics of `gum projects` (SPEC §3.1).
//
// Pure functions over vectors of projects, used by the cache actor after it has read one
// snapshot. No I/O, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// True when every whitespace-separated term of `search` occurs in the project's name or path.
/// Smartcase: a term is matched case-insensitively unless it contains an upper-case letter.
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
