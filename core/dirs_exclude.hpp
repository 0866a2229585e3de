// core/dirs_exclude.hpp: the config's `dirs.exclude` list, as `gum add` and `gum import` apply
// it: an excluded directory is never recorded.
#pragma once

#include <algorithm>
#include <string>

#include "gum/options.hpp"

namespace gum {

/// True when `path` (absolute, normalised) is listed in cfg.dirs_exclude.
inline bool is_excluded(const config& cfg, const std::string& path) {
  return std::find(cfg.dirs_exclude.begin(), cfg.dirs_exclude.end(), path) !=
         cfg.dirs_exclude.end();
}

}  // namespace gum
