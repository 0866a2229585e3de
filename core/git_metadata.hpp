// core/git_metadata.hpp: what a project's .git says about it, read without running git.
//
// Plain file reads, no git process: the discovery walk calls these for every project it finds.
// Thread-safe (no shared state); nothing throws.
#pragma once

#include <optional>
#include <string>

namespace gum {

/// What a project's .git says about it.
struct git_metadata {
  std::string kind = "repo";              ///< repo, worktree or submodule
  std::optional<std::string> remote_url;  ///< origin, else the first remote
  std::optional<std::string> branch;      ///< null when detached or unreadable
};

/// Reads HEAD and config of the project at `project_dir` (which holds `.git`, a directory or
/// a `gitdir:` file) without running git. For a worktree, HEAD comes from its gitdir and the
/// remote from the common directory named by `commondir`. Reads files.
git_metadata read_git_metadata(const std::string& project_dir);

/// Whether the `.git` entry of the folder open as `dfd` makes it a project (a directory or a
/// regular file; a symlink counts when it points to either), and in `is_dir` which of the two.
/// `d_type` is the entry's dirent type, DT_UNKNOWN to stat it.
bool git_entry_kind(int dfd, unsigned char d_type, bool& is_dir);

/// read_git_metadata for a folder already open as `dfd` (path `dir_path`, no trailing slash);
/// `buf` is a reusable read buffer that only grows.
git_metadata read_git_metadata_at(int dfd, const std::string& dir_path, bool git_is_dir,
                                  std::string& buf);

}  // namespace gum
