// stress/harness_tree.hpp: the deterministic tree of Git repositories a stress run works on.
//
// The harness must know the ground truth, every project gum ought to find, without asking gum:
// that is what makes a read checkable. So the tree is generated from the repository index
// alone (no randomness), and the generator returns the exact sorted list of project paths
// alongside decoys gum must NOT report (a repository under node_modules, one nested inside
// another project, plain folders).
#pragma once

#include <string>
#include <vector>

namespace gum::stress {

/// What generate_tree made.
struct tree_truth {
  std::vector<std::string> projects;       ///< every project path gum must list, sorted bytewise
  std::vector<std::string> visit_targets;  ///< existing folders `gum add` visits
};

/// Writes `repos` repositories under `root` (which must exist): plain repositories, worktrees
/// (whose git folders live under `gitdirs`), detached HEADs, names with spaces and UTF-8, at
/// depths 1 to 3, with remotes on github.com (`github_names`, owner/name as the fixture serves
/// them, so that a sync links some), other hosts, or none. Throws std::runtime_error (caught by
/// the caller) when a file cannot be written.
tree_truth generate_tree(const std::string& root, const std::string& gitdirs, int repos,
                         const std::vector<std::string>& github_names);

/// The exact text `gum projects -f simple` prints for `truth`: one path per line.
std::string expected_listing(const tree_truth& truth);

}  // namespace gum::stress
