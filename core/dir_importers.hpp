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
#include "gum/options.hpp"

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

/// Where `format`'s tool keeps its database when no file is named: z: $_Z_DATA, else ~/.z;
/// autojump: $XDG_DATA_HOME/autojump/autojump.txt, else ~/.local/share/autojump/autojump.txt.
/// zoxide has no text file: "" (its database is read through `zoxide query`).
std::string default_import_file(const std::string& format, const environment& env);

/// True when `text` is zoxide's binary database (db.zo) rather than the text of
/// `zoxide query --list --score`: it holds a NUL byte.
bool is_zoxide_binary_database(std::string_view text);

/// Runs `zoxide query --list --score` (`zoxide` is the program's path) with posix_spawn, in
/// `/` (newer zoxide leaves the working directory out), and sets `out` to what it prints. A
/// non-empty `data_dir` becomes its _ZO_DATA_DIR. Fails (status_code::failure) when zoxide
/// cannot start, runs past 30 s, or exits non-zero, with its first line of stderr.
status run_zoxide_query(const std::string& zoxide, const std::string& data_dir,
                        std::string& out);

}  // namespace gum
