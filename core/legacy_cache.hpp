// core/legacy_cache.hpp: parsers for the Go gum's legacy caches, for `gum migrate` (SPEC §3.6).
//
// Plain parsing code: no CLI, no actors, no SQLite. Each parser reads one file's text
// completely and either fills its output or sets legacy_file::error and leaves the output as
// it was: a file that does not parse is left out as a whole, never half of it. Keys of JSON
// objects are matched case-insensitively (the Go gum wrote "Path" and read "path"). The files:
//   projects.json       {"data": [{"Path", "Remote", "Branch"}], "timestamp", "ttl"}
//   project-dirs.json   {"data": [{"path", "last_scanned", "git_count"}]}
//   cwds                lines "<score> <path>"
//   projects-dirs.list  one root per line, # comments
// Paths are made absolute (`~` expanded) with normalize_path; a relative path is an error,
// except in projects-dirs.list, which is read relative to $HOME as load_config reads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gum/messages.hpp"
#include "gum/options.hpp"

namespace gum {

/// What reading one legacy file gave.
struct legacy_file {
  std::string path;
  bool found = false;
  std::string error;  ///< why it was skipped; empty when it parsed
  int64_t items = 0;
};

/// Reads `path` whole into `out` and sets `file.found`; `mtime` (when given) gets its
/// modification time. False when it does not exist, or (with `file.error` set) when it exists
/// but cannot be read.
bool read_legacy_file(const std::string& path, legacy_file& file, std::string& out,
                      int64_t* mtime);

/// projects.json: its projects (first of each path), timestamp and ttl into `out`.
void parse_projects_json(const std::string& text, const environment& env, legacy_file& file,
                         legacy_import& out);

/// project-dirs.json: its roots, appended to `out`.
void parse_project_dirs_json(const std::string& text, const environment& env, legacy_file& file,
                             std::vector<legacy_root>& out);

/// cwds: its directories, appended to `out`, with rank = score and last_seen = `mtime`. Scores
/// of 0 and directories in cfg.dirs_exclude are left out.
void parse_cwds(const std::string& text, int64_t mtime, const environment& env,
                const config& cfg, legacy_file& file, std::vector<dir_entry>& out);

/// ~/.config/projects-dirs.list: its roots, appended to `out`.
void parse_dirs_list(const std::string& text, const environment& env, legacy_file& file,
                     std::vector<legacy_root>& out);

}  // namespace gum
