// core/paths.hpp: the path rules gum stores and compares paths by (SPEC §2).
//
// Every path gum stores goes through normalize_path, so two spellings of one folder become one
// key in the database. All functions are thread-safe; only is_directory touches the disk.
#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>

namespace gum {

/// Normalises `path` as gum stores it: `~` expanded with `home`, relative paths made absolute
/// against `cwd`, no `.`, `..`, repeated or trailing slash. Lexical: never touches the disk.
std::string normalize_path(std::string_view path, std::string_view home, std::string_view cwd);

/// True when `path` is `prefix` or lies below it (component-wise: /home/bob2 is not under
/// /home/bob). Both must be normalised.
bool path_is_under(std::string_view path, std::string_view prefix);

/// Replaces a leading `home` with `~` for display.
std::string tilde_path(std::string_view path, std::string_view home);

/// The last component of a normalised path ("/" for "/").
std::string_view path_basename(std::string_view path);

/// Joins a folder and a relative name with exactly one slash.
std::string join_path(std::string_view dir, std::string_view name);

/// True when `path` exists and is a directory (following symlinks). Calls stat.
bool is_directory(const std::string& path);

/// is_directory, also giving the stat result in `st` (valid when it returns true).
bool is_directory(const std::string& path, struct stat& st);

}  // namespace gum
