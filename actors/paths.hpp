// actors/paths.hpp: path normalisation, shared by every part of gum that stores a path.
//
// Paths are stored absolute and normalised (SPEC §2): `~` expanded, no `.` or `..`, no double
// or trailing slash (except "/" itself). Normalisation is lexical: it never touches the disk,
// so it is cheap and works for paths that no longer exist.
#pragma once

#include <string>
#include <string_view>

namespace gum {

/// Normalises `path`: expands a leading `~` or `~/` with `home`, makes a relative path absolute
/// against `cwd`, and removes `.`, `..`, repeated and trailing slashes.
std::string normalize_path(std::string_view path, std::string_view home, std::string_view cwd);

/// True when `path` is `prefix` or lies below it: a real component-wise test, so /home/bob2 is
/// not under /home/bob. Both must be normalised.
bool path_is_under(std::string_view path, std::string_view prefix);

/// The last component of a normalised path ("/" for "/").
std::string_view path_basename(std::string_view path);

/// Replaces a leading `home` with `~` for display (only on a component boundary).
std::string tilde_path(std::string_view path, std::string_view home);

}  // namespace gum
