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
#pragma once

#include <caf/all.hpp>

#include <string>
#include <vector>

#include "gum/engine.hpp"

namespace gum {

/// The scanner's finished work, as the writer applies it.
struct projects_replacement {
  std::vector<std::string> configured_roots;
  std::vector<root_scan> roots;
  std::vector<project> projects;
  std::vector<std::string> unreadable_paths;
  int64_t duration_ms = 0;
  int64_t ttl_seconds = 0;
};

/// One sync run's facts, applied by the writer in one transaction.
struct github_changes {
  sync_result summary;                 ///< type, pages, not_modified, requests
  int64_t started_at = 0;
  int64_t duration_ms = 0;             ///< time spent fetching (cache_metadata.last_duration_ms)
  bool listing_complete = false;       ///< full: delete repositories not in `repos`
  std::vector<github_repo> repos;      ///< every repository seen on changed pages (unique ids)
  std::string host;                    ///< git host of the API (github.com or the GHE host)
  std::string api_url;                 ///< the API base URL, no trailing slash
  struct page {
    std::string url;
    std::optional<std::string> etag, last_modified, next_url;
  };
  std::vector<page> pages;             ///< validators of the pages that changed (200 replies)
  struct metadata {
    std::string full_name;
    std::map<std::string, int64_t> languages;
    bool languages_changed = true;
    std::optional<std::vector<std::string>> topics;
    std::optional<std::string> languages_url, languages_etag;
  };
  std::vector<metadata> metadata;      ///< metadata sync results
};

/// A failed or interrupted sync run, recorded in sync_runs without touching github_repos.
struct sync_failure {
  std::string type;
  int64_t started_at = 0;
  std::string status;  ///< failed or interrupted
  std::string error;
  int64_t pages = 0;
};

/// What the fetcher needs before a run: stored validators, and the repositories whose
/// metadata is due (pushed since their last metadata sync, or never synced).
struct github_snapshot {
  std::map<std::string, github_changes::page> validators;  ///< by URL
  struct due {
    std::string full_name;
    bool want_topics = false;  ///< the listing carried no topics (topics is NULL)
  };
  std::vector<due> metadata_due;
};

using replace_atom = caf::atom_constant<caf::atom("replace")>;
using apply_atom = caf::atom_constant<caf::atom("apply")>;
using failed_atom = caf::atom_constant<caf::atom("failed")>;
using forget_atom = caf::atom_constant<caf::atom("forget")>;
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
    caf::replies_to<forget_atom, std::vector<std::string>>::with<int64_t>,
    caf::replies_to<clear_atom, std::string>::with<int64_t>,
    caf::replies_to<apply_atom, github_changes>::with<sync_result>,
    caf::replies_to<failed_atom, sync_failure>::with<int64_t>,
    caf::replies_to<repair_atom>::with<std::vector<std::string>>,
    caf::replies_to<checkpoint_atom>::with<std::vector<std::string>>,
    caf::replies_to<flush_atom>::with<int64_t>,
    caf::reacts_to<tick_atom, uint64_t>,
    caf::replies_to<add_project_atom, project>::with<int64_t>,
    caf::replies_to<migrate_atom, legacy_import>::with<legacy_import_result>>;

/// The scanner fetcher: scans and hands the result to the writer.
using scanner_actor = caf::typed_actor<caf::replies_to<refresh_atom>::with<refresh_result>>;

/// The process sampler fetcher: records the working directories of the user's processes.
using sampler_actor = caf::typed_actor<caf::replies_to<sample_atom>::with<int64_t>>;

/// The read side.
using cache_actor = caf::typed_actor<
    caf::replies_to<projects_atom, project_query>::with<projects_reply>,
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

}  // namespace gum
