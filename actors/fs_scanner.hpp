// actors/fs_scanner.hpp: the file-system scanner fetcher.
//
// It walks the configured roots (core/discovery_walk.hpp does the walking, on its own threads)
// and hands the whole result to the writer as ONE replace message: a refresh is one
// transaction, so readers see the old list or the new one (SPEC §2). It never touches SQLite.
#pragma once

#include <string>
#include <vector>

#include "actors/interfaces.hpp"

namespace gum {

/// The scanner keeps no data between scans; the state names the actor.
struct scanner_state {
  static inline const char* name = "gum.fs_scanner";
};

/// The scanner's behaviour: each refresh reads the url.<base>.insteadOf rules of
/// `git_config_files` (the user's global git config, core/git_metadata.hpp
/// global_git_config_files), walks `cfg.roots` and delegates the result to `writer` as one
/// replace message. @param self the scanner
scanner_actor::behavior_type scanner_behavior(scanner_actor::stateful_pointer<scanner_state> self,
                                              config cfg, std::vector<std::string> git_config_files,
                                              writer_actor writer);

/// Spawns the scanner (detached: a walk blocks on the file system).
scanner_actor spawn_fs_scanner(caf::actor_system& system, config cfg,
                               std::vector<std::string> git_config_files, writer_actor writer);

}  // namespace gum
