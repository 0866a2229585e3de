// core/git_metadata.hpp: what a project's .git says about it, read without running git.
//
// Plain file reads, no git process: the discovery walk calls these for every project it finds.
// Thread-safe (no shared state); nothing throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gum/options.hpp"

namespace gum {

/// What a project's .git says about it.
struct git_metadata {
  std::string kind = "repo";              ///< repo, worktree or submodule
  std::optional<std::string> remote_url;  ///< origin, else the first remote
  std::optional<std::string> branch;      ///< null when detached or unreadable
};

/// git's `url.<base>.insteadOf` rules, in the order git reads them: grouped by base, in the
/// order each base first appears (global files first, then the repository's own config).
/// `pushInsteadOf` applies only to push URLs, which gum never shows, so it is not kept.
/// Includes (`include.path`, `includeIf`) and the system config are not followed.
struct url_rewrites {
  struct rule {
    std::string base;                     ///< what the matched prefix becomes
    std::vector<std::string> instead_of;  ///< the prefixes, in file order
  };
  std::vector<rule> rules;

  bool empty() const { return rules.empty(); }
  /// Adds the insteadOf entries of a git config file's text after those already held.
  void add_config(std::string_view config_text);
  /// `url` with its longest matching insteadOf prefix replaced by that rule's base, as git
  /// rewrites a remote's URL (`git remote get-url`); on a tie the earlier rule wins. Unchanged
  /// when nothing matches.
  std::string apply(std::string_view url) const;
};

/// The user's global git config files, in the order git reads them: $GIT_CONFIG_GLOBAL alone
/// when it is set (an empty value: none), else $XDG_CONFIG_HOME/git/config, then ~/.gitconfig.
std::vector<std::string> global_git_config_files(const environment& env);

/// The insteadOf rules of `files`, read in order; a file that is missing or unreadable adds
/// nothing. Reads files: call it once per scan, not per repository.
url_rewrites read_url_rewrites(const std::vector<std::string>& files);

/// Reads HEAD and config of the project at `project_dir` (which holds `.git`, a directory or
/// a `gitdir:` file) without running git. For a worktree, HEAD comes from its gitdir and the
/// remote from the common directory named by `commondir`. The remote is rewritten by the
/// insteadOf rules of `global` followed by those of the repository's config, as git shows it.
/// Reads files.
git_metadata read_git_metadata(const std::string& project_dir, const url_rewrites& global = {});

/// Whether the `.git` entry of the folder open as `dfd` makes it a project (a directory or a
/// regular file; a symlink counts when it points to either), and in `is_dir` which of the two.
/// `d_type` is the entry's dirent type, DT_UNKNOWN to stat it.
bool git_entry_kind(int dfd, unsigned char d_type, bool& is_dir);

/// read_git_metadata for a folder already open as `dfd` (path `dir_path`, no trailing slash);
/// `buf` is a reusable read buffer that only grows.
git_metadata read_git_metadata_at(int dfd, const std::string& dir_path, bool git_is_dir,
                                  std::string& buf, const url_rewrites& global = {});

}  // namespace gum
