// core/facts.hpp: the facts fetchers produce and storage applies, as plain values.
//
// Why here: the fs_scanner and github_fetcher actors build these, the writer hands them to
// storage/ in one transaction each, and the cache reads a github_snapshot back. Keeping them
// CAF-free lets storage apply them without including actors/ or CAF; their CAF message
// registration lives in actors/interfaces.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gum/messages.hpp"

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

}  // namespace gum
