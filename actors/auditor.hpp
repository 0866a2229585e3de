// actors/auditor.hpp: the integrity auditor actor (SPEC §3.4).
//
// It runs the checks on its own read-only connection, inside one read transaction, so it audits
// one snapshot of a database that other processes keep writing, and it never writes. --repair
// is a request to the writer, the only code that writes, and then the checks run again.
#pragma once

#include "actors/interfaces.hpp"

namespace gum {

/// Spawns the auditor (detached: the checks block on SQLite).
auditor_actor spawn_auditor(caf::actor_system& system, std::string database_path,
                            int64_t busy_timeout_ms, writer_actor writer);

}  // namespace gum
