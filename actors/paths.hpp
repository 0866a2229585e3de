// actors/paths.hpp: path normalisation, shared by every part of gum that stores a path.
//
// Paths are stored absolute and normalised (SPEC §2): `~` expanded, no `.` or `..`, no double
// or trailing slash (except "/" itself). Normalisation is lexical: it never touches the disk,
// so it is cheap and works for paths that no longer exist.
#pragma once

#include <string>
#include <string_view>

#include "gum/support.hpp"  // normalize_path, path_is_under, tilde_path (public)

namespace gum {

/// The last component of a normalised path ("/" for "/").
std::string_view path_basename(std::string_view path);

}  // namespace gum
