// core/discovery_walk.hpp: finding Git projects under the configured roots (SPEC §4 "Discovery").
//
// Pure file-system code: no SQLite, no actors. The fs_scanner actor calls scan_roots from a
// detached thread; the benchmark calls it directly. scan_roots is thread-safe (it shares no
// state between calls) and uses up to discovery_options::threads threads of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gum/messages.hpp"
#include "core/git_metadata.hpp"
#include "gum/options.hpp"

namespace gum {

/// Everything one scan found. `projects` is sorted by path (bytewise) and holds no duplicates.
struct scan_result {
  std::vector<project> projects;   ///< github is never set here
  std::vector<root_scan> roots;    ///< one per requested root, in the requested order
  std::vector<std::string> unreadable_paths;  ///< the first few folders that could not be read
  int64_t unreadable_count = 0;
  int64_t duration_ms = 0;
};

/// Scans every root (absolute, normalised) in parallel. A root that does not exist yields a
/// root_scan with exists=false and no projects. Never follows symlinks below a root; a root
/// that is itself a symlink is followed. Unreadable folders are counted, never fatal.
/// `rewrites` are the user's global url.<base>.insteadOf rules (read_url_rewrites, read once per
/// scan by the caller); each project's remote is rewritten with them and its own config's.
scan_result scan_roots(const std::vector<std::string>& roots, const discovery_options& options,
                       const url_rewrites& rewrites = {});

}  // namespace gum
