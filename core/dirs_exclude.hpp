// core/dirs_exclude.hpp: the config's `dirs.exclude` list, as `gum add`, `gum import`,
// `gum migrate` and `gum dirs --refresh` apply it: an excluded directory is never recorded.
//
// Each entry is a path or a glob pattern, matched against the whole absolute, normalised path,
// with the syntax of zoxide's _ZO_EXCLUDE_DIRS (Rust's `glob` crate with its default options),
// so a list copied from zoxide excludes the same directories:
//   `*`      any run of characters, `/` included: `~/secret/*` is everything below ~/secret
//            (not ~/secret itself);
//   `?`      any one character;
//   `**`     as a whole component, any number of components, none included:
//            `~/**/node_modules` is ~/node_modules and every node_modules below ~;
//   `[abc]`, `[a-z]`, `[!abc]`  one character of (or not of) a set;
//   `[*]`, `[?]`, `[[]`         the character itself.
// An entry without any of these is an exact path. `~` is expanded when the config is read
// (normalize_exclude_pattern). Everything here is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "gum/options.hpp"

namespace gum {

/// True when `pattern` uses glob syntax (`*`, `?` or `[`) rather than naming one path.
bool is_glob_pattern(std::string_view pattern);

/// True when the absolute, normalised `path` matches `pattern` (syntax above). A malformed
/// set (`[` without `]`) matches a literal `[`.
bool exclude_pattern_matches(std::string_view pattern, std::string_view path);

/// A `dirs.exclude` entry as the config stores it: an exact path goes through normalize_path;
/// a pattern gets `~` expanded, and is made absolute against `cwd` unless it starts with a
/// wildcard (`**/node_modules` matches at any depth); its `*`, `?` and `[...]` are kept.
std::string normalize_exclude_pattern(std::string_view pattern, std::string_view home,
                                      std::string_view cwd);

/// True when `path` (absolute, normalised) matches an entry of cfg.dirs_exclude.
bool is_excluded(const config& cfg, const std::string& path);

}  // namespace gum
