// actors/interfaces.hpp: the engine's private message protocol, in one place.
//
// Data flows one way (SPEC §1): fetchers -> writer -> SQLite <- cache <- engine front actor.
// - writer_actor: the only code that writes SQLite. Each request is applied inside the next
//   batch transaction, in its own savepoint, and answered after COMMIT.
// - cache_actor: reads on its own read-only connection; on a never-built projects index it
//   asks the scanner to build it.
// - scanner_actor: walks the roots (a fetcher) and hands the result to the writer as ONE
//   message, so a refresh is one transaction.
// - auditor_actor: the integrity checks on its own read-only connection.
// - github_actor: the GitHub fetcher; a run's changes go to the writer as ONE message.
// Every actor that does blocking work (SQLite, file system, HTTP) is spawned detached.
// The payloads fetchers hand the writer are plain values in core/facts.hpp (storage applies
// them without knowing CAF); their CAF registration is here.
#pragma once

#include <caf/all.hpp>

#include <string>
#include <vector>

#include "core/facts.hpp"
#include "gum/engine.hpp"

namespace gum {

using replace_atom = caf::atom_constant<caf::atom("replace")>;
using apply_atom = caf::atom_constant<caf::atom("apply")>;
using failed_atom = caf::atom_constant<caf::atom("failed")>;
using repair_atom = caf::atom_constant<caf::atom("repair")>;
using checkpoint_atom = caf::atom_constant<caf::atom("checkpoint")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
using diff_atom = caf::atom_constant<caf::atom("diff")>;

}  // namespace gum

GUM_LOCAL_MESSAGE_TYPE(gum::projects_replacement)
GUM_LOCAL_MESSAGE_TYPE(gum::github_changes)
GUM_LOCAL_MESSAGE_TYPE(gum::sync_failure)
GUM_LOCAL_MESSAGE_TYPE(gum::github_snapshot)

namespace gum {

/// The single writer of a process.
using writer_actor = caf::typed_actor<
    caf::replies_to<replace_atom, projects_replacement>::with<refresh_result>,
    caf::replies_to<visit_atom, std::vector<std::string>>::with<int64_t>,
    caf::replies_to<import_atom, std::vector<dir_entry>>::with<int64_t>,
    caf::replies_to<clear_atom, std::string>::with<int64_t>,
    caf::replies_to<apply_atom, github_changes>::with<sync_result>,
    caf::replies_to<failed_atom, sync_failure>::with<int64_t>,
    caf::replies_to<repair_atom>::with<std::vector<std::string>>,
    caf::replies_to<checkpoint_atom>::with<std::vector<std::string>>,
    caf::replies_to<flush_atom>::with<int64_t>,
    caf::reacts_to<tick_atom, uint64_t>,
    caf::replies_to<add_project_atom, project>::with<int64_t>,
    caf::replies_to<migrate_atom, legacy_import>::with<legacy_import_result>,
    caf::replies_to<remove_dirs_atom, std::vector<std::string>>::with<int64_t>>;

/// The scanner fetcher: scans and hands the result to the writer.
using scanner_actor = caf::typed_actor<caf::replies_to<refresh_atom>::with<refresh_result>>;

/// The process sampler fetcher: records the working directories of the user's processes.
using sampler_actor = caf::typed_actor<caf::replies_to<sample_atom>::with<int64_t>>;

/// The read side.
using cache_actor = caf::typed_actor<
    caf::replies_to<projects_atom, project_query>::with<projects_reply>,
    caf::replies_to<stream_projects_atom, project_query, project_sink_ptr>::with<projects_reply>,
    caf::replies_to<dirs_atom, dir_query>::with<std::vector<dir_entry>>,
    caf::replies_to<github_atom, github_query>::with<std::vector<github_repo>>,
    caf::replies_to<snapshot_atom>::with<github_snapshot>,
    caf::replies_to<diff_atom, github_changes>::with<sync_result>,
    caf::replies_to<stats_atom>::with<cache_stats>>;

/// The integrity auditor.
using auditor_actor =
    caf::typed_actor<caf::replies_to<audit_atom, audit_options>::with<integrity_report>>;

/// The GitHub fetcher.
using github_actor = caf::typed_actor<caf::replies_to<sync_atom, sync_options>::with<sync_result>>;

// ---- the resident engine's stdio session (`gum engine --stdio`, actors/stdio_session.hpp) ----
using request_atom = caf::atom_constant<caf::atom("request")>;
using malformed_atom = caf::atom_constant<caf::atom("malformed")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using idle_atom = caf::atom_constant<caf::atom("idle")>;

/// One shell's session: the stdin reader hands it requests (verb as core/engine_framing.hpp's
/// engine_verb, and fields) and malformed records; it answers on stdout, batches visits to
/// the engine, and stops (after its last flush is committed) on end of input or a signal.
using stdio_session_actor = caf::typed_actor<
    caf::reacts_to<request_atom, int32_t, std::vector<std::string>>,
    caf::reacts_to<malformed_atom, std::string>,
    caf::reacts_to<stop_atom, int32_t>,
    caf::reacts_to<tick_atom, uint64_t>,
    caf::reacts_to<idle_atom, uint64_t>>;

}  // namespace gum
