// core/jump_target.hpp: the rules of `gum jump` (SPEC §3.2), shared by the command and by the
// resident engine's jump request, so both answer alike.
//
// Pure apart from stat(2); thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// The query a jump sends: the keywords, the two best existing entries, never `cwd` itself.
dir_query jump_query(std::vector<std::string> keywords, const std::string& cwd);

/// The best of `candidates` (best first) that is not the directory `here` (a path, "." for the
/// process's own), compared by device and inode too: the shell hook records $PWD, which may
/// name the current directory through a symlink. nullopt when none is left.
std::optional<std::string> pick_jump_target(const std::vector<dir_entry>& candidates,
                                            const std::string& here);

}  // namespace gum
