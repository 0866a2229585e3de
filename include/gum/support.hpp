// gum/support.hpp: the pure functions a front end needs besides the engine.
//
// Everything here is stateless, thread-safe and does no I/O unless it says so: the path rules
// gum stores paths by, the projects query semantics (so a front end can filter a list it
// already holds, e.g. the listing a refresh returns), and the version of every library.
// The gum CLI is built on this header, engine.hpp and messages.hpp only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// Normalises `path` as gum stores it: `~` expanded with `home`, relative paths made absolute
/// against `cwd`, no `.`, `..`, repeated or trailing slash. Lexical: never touches the disk.
std::string normalize_path(std::string_view path, std::string_view home, std::string_view cwd);

/// True when `path` is `prefix` or lies below it (component-wise: /home/bob2 is not under
/// /home/bob). Both must be normalised.
bool path_is_under(std::string_view path, std::string_view prefix);

/// Replaces a leading `home` with `~` for display.
std::string tilde_path(std::string_view path, std::string_view home);

/// Applies a projects query (search, similar or path order, limit) to a list, as the engine
/// does to what it reads.
void apply_query(std::vector<project>& projects, const project_query& query);

/// Versions of gum and of the libraries it runs with, as "name: version" pairs in a fixed order
/// (gum, commit, build date, compiler, CAF, SQLite, libcurl, Boost). Loads libcurl to ask it.
std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace gum
