// actors/auditor.hpp: the integrity auditor actor (SPEC §3.4).
//
// It runs the checks on its own read-only connection, inside one read transaction, so it audits
// one snapshot of a database that other processes keep writing, and it never writes. --repair
// is a request to the writer, the only code that writes, and then the checks run again.
#pragma once

#include <cstdint>
#include <string>

#include "actors/interfaces.hpp"

namespace gum {

/// The auditor keeps no data between audits; the state names the actor.
struct auditor_state {
  static inline const char* name = "gum.auditor";
};

/// The auditor's behaviour: each audit runs the checks on a fresh read-only connection.
/// @param self the auditor  @param path the database  @param busy_timeout_ms for SQLITE_BUSY
/// @param writer where --repair is sent
auditor_actor::behavior_type auditor_behavior(auditor_actor::stateful_pointer<auditor_state> self,
                                              std::string path, int64_t busy_timeout_ms,
                                              writer_actor writer);

/// Spawns the auditor (detached: the checks block on SQLite).
auditor_actor spawn_auditor(caf::actor_system& system, std::string database_path,
                            int64_t busy_timeout_ms, writer_actor writer);

}  // namespace gum
