// actors/fs_scanner.hpp: the file-system scanner fetcher.
//
// It walks the configured roots (actors/discovery.hpp does the walking, on its own threads)
// and hands the whole result to the writer as ONE replace message: a refresh is one
// transaction, so readers see the old list or the new one (SPEC §2). It never touches SQLite.
#pragma once

#include "actors/interfaces.hpp"

namespace gum {

/// Spawns the scanner (detached: a walk blocks on the file system).
scanner_actor spawn_fs_scanner(caf::actor_system& system, config cfg, writer_actor writer);

/// Spawns the process sampler (detached: it reads /proc), which records visits via the writer.
sampler_actor spawn_proc_sampler(caf::actor_system& system, config cfg, std::string home,
                                 writer_actor writer);

}  // namespace gum
