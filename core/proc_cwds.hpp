// core/proc_cwds.hpp: the working directories of running processes (SPEC §3.2 sampling).
//
// A plain /proc walk, used by the proc_sampler actor; thread-safe, never fails.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace gum {

/// The working directories of the current user's processes that lie under `home` (a real
/// path-prefix test), each once, sorted. `proc_root` is /proc except in tests.
std::vector<std::string> sample_process_cwds(const std::string& home,
                                             const std::string& proc_root = "/proc");

/// The same for the processes of user `owner` (those whose /proc/PID directory it owns).
std::vector<std::string> sample_process_cwds(const std::string& home, const std::string& proc_root,
                                             uid_t owner);

}  // namespace gum
