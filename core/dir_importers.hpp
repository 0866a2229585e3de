// core/dir_importers.hpp: parsers for other tools' directory databases (`gum import`).
//
// Pure and thread-safe; failures come back as gum::status. Writing what was parsed is the
// writer's job (storage/dirs_store).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// One directory imported from another tool.
struct imported_dir {
  std::string path;
  double rank = 0;
  int64_t last_seen = 0;  ///< unix seconds; 0 when the format has none
};

/// Parses another tool's database: "z" (path|rank|time), "autojump" (weight<TAB>path) or
/// "zoxide" (`zoxide query --list --score`: "  SCORE PATH"). Malformed lines are skipped and
/// described in `skipped` ("line N: why"); unknown formats fail with status_code::usage.
status parse_dir_import(const std::string& format, std::string_view text,
                        std::vector<imported_dir>& out, std::vector<std::string>& skipped);

}  // namespace gum
