// actors/frecency.hpp: the pure parts of frecent directories (SPEC §3.2): scores, keyword
// matching, the process sampler's /proc walk, shell hooks, and other tools' databases.
//
// No SQLite here: storage/dirs_store.* keeps the ranks, these functions interpret them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"
#include "gum/support.hpp"  // frecency_score, shell_init_script, parse_dir_import

namespace gum {

/// zoxide-style: case-insensitive, keywords appear in `path` in order, and the last keyword
/// matches within the last path component. No keywords match everything.
bool keywords_match(std::string_view path, const std::vector<std::string>& keywords);

/// The working directories of the current user's processes that lie under `home` (a real
/// path-prefix test), each once, sorted. `proc_root` is /proc except in tests.
std::vector<std::string> sample_process_cwds(const std::string& home,
                                             const std::string& proc_root = "/proc");

/// The same for the processes of user `owner` (those whose /proc/PID directory it owns).
std::vector<std::string> sample_process_cwds(const std::string& home, const std::string& proc_root,
                                             uid_t owner);


}  // namespace gum
