// actors/frecency.hpp: the pure parts of frecent directories (SPEC §3.2): scores, keyword
// matching, the process sampler's /proc walk, shell hooks, and other tools' databases.
//
// No SQLite here: storage/dirs_store.* keeps the ranks, these functions interpret them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// rank x 4 (last visit under 1 hour ago), x 2 (under 1 day), x 0.5 (under 1 week), else x 0.25.
double frecency_score(double rank, int64_t last_seen, int64_t now);

/// zoxide-style: case-insensitive, keywords appear in `path` in order, and the last keyword
/// matches within the last path component. No keywords match everything.
bool keywords_match(std::string_view path, const std::vector<std::string>& keywords);

/// The working directories of the current user's processes that lie under `home` (a real
/// path-prefix test), each once, sorted. `proc_root` is /proc except in tests.
std::vector<std::string> sample_process_cwds(const std::string& home,
                                             const std::string& proc_root = "/proc");

/// The shell hook for `gum init SHELL --cmd NAME`. `gum_path` is the absolute binary path.
/// Fails with status_code::usage for an unknown shell or an invalid command name.
status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out);

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
