// gum/versions.hpp: the versions of gum and of the libraries it runs with (`gum version`).
//
// Thread-safe; loads libcurl to ask it (net/curl_loader), so it may take a few milliseconds.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gum {

/// Versions of gum and of the libraries it runs with, as "name: version" pairs in a fixed order
/// (gum, commit, built, compiler, CAF, SQLite, libcurl, Boost). Loads libcurl to ask it.
std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace gum
