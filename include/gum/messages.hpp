// gum/messages.hpp: every value that crosses the engine's public interface.
//
// These are plain value types: default-constructible, copyable, with no pointers into the
// engine. A reply is a snapshot taken inside one read transaction, so a list of projects is
// always a list that some committed state held, never a mixture of two.
//
// Errors: a request that fails is answered with a caf::error whose category is "gum"; use
// gum::to_status to turn it into a gum::status (a code that maps 1:1 to the CLI's exit codes and
// a one-line message). Nothing in the public API throws.
#pragma once

#include <cstdint>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gum {

/// What went wrong, as the CLI's exit code (SPEC §3).
enum class status_code : int {
  ok = 0,
  failure = 1,      ///< general failure, or a check that failed
  usage = 2,        ///< usage or configuration error
  database = 3,     ///< cannot open, not a database, corrupt, schema too new, busy
  permission = 4,   ///< unreadable or unwritable file or folder
  network = 5,      ///< network or remote API error
  interrupted = 130, ///< SIGINT, or a run cancelled through engine_options::cancel
  terminated = 143   ///< SIGTERM (the CLI maps an interrupted run to this after SIGTERM)
};

/// The outcome of an operation: ok, or a code with a one-line message and an optional hint.
struct status {
  status_code code = status_code::ok;
  std::string message;  ///< "what went wrong", without the "gum: " prefix
  std::string hint;     ///< "what to do", may be empty
  bool ok() const { return code == status_code::ok; }
  static status success() { return {}; }
  static status fail(status_code c, std::string msg, std::string hint_text = {}) {
    return status{c, std::move(msg), std::move(hint_text)};
  }
};

// ---- projects ----------------------------------------------------------------------------

/// The GitHub facts shown next to a linked project (`gum projects --with-github`).
struct github_link {
  std::string full_name;
  int64_t stars = 0;
  std::optional<std::string> language;
  std::vector<std::string> topics;
  bool archived = false;
  std::optional<std::string> pushed_at;
};

/// One Git project found under a configured root.
struct project {
  std::string path;                       ///< absolute, normalised
  std::string name;                       ///< last path component
  std::string root;                       ///< the configured root it was found under
  std::string kind = "repo";              ///< repo, worktree or submodule
  std::optional<std::string> remote_url;  ///< origin, else the first remote; null if none
  std::optional<std::string> branch;      ///< null when HEAD is detached or unreadable
  std::optional<github_link> github;      ///< filled only when asked for and linked
};

/// Filters for a projects query. Empty strings mean "no filter".
struct project_query {
  std::string search;        ///< whitespace-separated terms, all must match (smartcase)
  std::string similar;       ///< rank by name similarity instead of sorting by path
  int64_t limit = -1;        ///< applied after filtering; -1 means no limit
  bool with_github = false;  ///< fill project::github
  /// Rebuild the index first (one refresh) when it is not fresh: never built, built from other
  /// roots than the configured ones, or older than cache.ttl. false (`--cached`): answer from
  /// the index as it is, even when it was never built.
  bool build_if_missing = true;
};

/// The answer to a projects query.
struct projects_reply {
  std::vector<project> projects;
  bool hit = true;  ///< false when the index had to be built to answer
  /// Why the index was not fresh ("never built", "roots changed: added ~/code", "older than the
  /// 1h TTL"), empty when it was. With build_if_missing it says why it was rebuilt; without,
  /// why it would have been.
  std::string stale_reason;
  /// Set only by `gum serve`'s readers (actors/cache.hpp, keep_lists) for a whole list: the
  /// projects already serialised by CAF's binary serializer, as its serializer would write
  /// `projects`, which is then empty. The server sends these bytes as they are
  /// (gum/inspect.hpp), so a list read once is not serialised again for every client; a
  /// receiver gets an ordinary `projects`. Never set it yourself.
  std::shared_ptr<const std::vector<char>> serialized_projects;
};

/// Receives a projects list in chunks, in output order, as the cache reads it (the streamed
/// read: `stream_projects_atom`). The cache calls write() from its own thread while the
/// requester waits for the reply, so an implementation needs no lock of its own as long as
/// the requester touches it only before the request and after the reply.
class project_sink {
 public:
  virtual ~project_sink() = default;
  /// The next `count` rows. Returns false to stop the read (the output failed or is closed).
  virtual bool write(const project* rows, std::size_t count) = 0;
  /// True when the sink prints only each row's path (`gum projects -f simple`): the cache may
  /// then hand it rows whose other fields are empty, read from the path index alone.
  virtual bool paths_only() const { return false; }
};
using project_sink_ptr = std::shared_ptr<project_sink>;

/// One configured root as seen by the last scan.
struct root_scan {
  std::string path;
  bool exists = true;
  int64_t repo_count = 0;
  int64_t scan_ms = 0;
  int64_t unreadable = 0;  ///< folders that could not be read (not fatal)
};

/// The outcome of a refresh, which replaced the projects of every scanned root in one
/// transaction: counts only. The list itself is read through the cache (a read never writes).
struct refresh_result {
  std::vector<root_scan> roots;
  int64_t projects = 0;  ///< rows after the refresh
  int64_t added = 0;
  int64_t removed = 0;
  int64_t linked = 0;    ///< projects linked to a GitHub repository
  int64_t duration_ms = 0;
  std::vector<std::string> unreadable_paths;  ///< first few folders that could not be read
};

/// Freshness of one dataset (a row of cache_metadata).
struct dataset_stats {
  std::string key;                         ///< "projects", "dirs", "github", ...
  int64_t item_count = 0;
  std::optional<int64_t> age_seconds;      ///< null: never built
  std::optional<int64_t> ttl_seconds;
  std::optional<int64_t> last_duration_ms;
};

/// Cache statistics for `--verbose`.
struct cache_stats {
  std::map<std::string, int64_t> table_counts;
  std::vector<dataset_stats> datasets;
  int64_t hits = 0;    ///< reads served from the index by this engine
  int64_t misses = 0;  ///< reads that had to build the index first
};

// ---- frecent directories -----------------------------------------------------------------

/// One directory of dir_usage, with its score at the time of the query.
struct dir_entry {
  std::string path;
  double rank = 0;
  int64_t last_seen = 0;   ///< unix seconds
  int64_t first_seen = 0;  ///< unix seconds
  double score = 0;
};

/// Filters for a directories query.
struct dir_query {
  std::vector<std::string> keywords;  ///< zoxide-style, see SPEC §3.2
  int64_t limit = -1;
  int64_t now = 0;                    ///< unix seconds; 0 means the current time
  bool only_existing = true;          ///< hide directories that no longer exist
  std::string exclude_path;           ///< never return this one (the current directory)
};

// ---- GitHub ------------------------------------------------------------------------------

/// One row of github_repos.
struct github_repo {
  int64_t github_id = 0;
  std::string full_name, owner, name;
  std::optional<std::string> description;
  std::vector<std::string> topics;
  bool topics_known = false;  ///< false when the listing carried no topics field
  std::optional<std::string> language;
  std::map<std::string, int64_t> languages;  ///< bytes per language (metadata sync)
  bool is_private = false, fork = false, archived = false, is_template = false;
  std::optional<std::string> visibility, default_branch, license;
  int64_t stars = 0, forks = 0, open_issues = 0, size = 0;
  std::optional<std::string> html_url, clone_url, ssh_url;
  std::optional<std::string> created_at, updated_at, pushed_at;
  std::optional<std::string> local_path;  ///< filled by queries: a linked local project
};

/// Filters for `gum github`.
struct github_query {
  std::string search;
  std::string language;
  std::string topic;
  int archived = -1;          ///< -1 any, 0 only not archived, 1 only archived
  std::string sort = "name";  ///< name, stars or pushed
  int64_t limit = -1;
};

/// How to run a sync (`gum sync`).
struct sync_options {
  std::string type = "incremental";  ///< full, incremental or metadata
  bool dry_run = false;
  int jobs = 4;
  int64_t max_wait_seconds = 60;
  std::string api_url;               ///< empty: from the config
  std::string token;                 ///< resolved by the caller; never logged
  bool debug = false;                ///< HTTP debug lines on stderr (the token never appears)
  bool progress = false;             ///< a progress line on stderr (the caller checks for a TTY)
};

/// The outcome of one sync run (also one row of sync_runs).
struct sync_result {
  std::string type;
  int64_t repos_seen = 0, added = 0, updated = 0, removed = 0;
  int64_t pages = 0, not_modified = 0, requests = 0;
  int64_t linked = 0;
  int64_t total = 0;                 ///< repositories stored after the run (dry-run: would be)
  std::vector<std::string> changes;  ///< dry-run only: "+ owner/repo", "~ owner/repo", "- owner/repo"
  /// What the run could not store as listed, one line each (a name that differs only in case
  /// from a newer repository's); printed as warnings, never dropped silently.
  std::vector<std::string> warnings;
};

// ---- the Go gum's legacy caches (`gum migrate`) --------------------------------------------

/// A project root named by a legacy file (project-dirs.json or ~/.config/projects-dirs.list).
struct legacy_root {
  std::string path;                     ///< absolute, normalised
  std::optional<int64_t> last_scanned;  ///< unix seconds; null when unknown
  std::optional<int64_t> repo_count;    ///< the legacy git_count; null when unknown
};

/// Everything `gum migrate` read from the legacy caches, applied in ONE transaction.
struct legacy_import {
  std::vector<legacy_root> roots;        ///< project-dirs.json, then projects-dirs.list
  std::vector<std::string> known_roots;  ///< the configured roots, to place projects under
  std::vector<project> projects;         ///< projects.json: path, remote_url, branch
  std::optional<int64_t> projects_timestamp;  ///< projects.json "timestamp" (unix seconds)
  std::optional<int64_t> projects_ttl;        ///< projects.json "ttl" (seconds)
  std::vector<dir_entry> dirs;           ///< cwds: path, rank (the legacy score), last_seen
};

/// What a legacy import changed. Re-running the same import changes nothing more.
struct legacy_import_result {
  int64_t roots_added = 0;
  int64_t projects_added = 0;      ///< new rows; paths already indexed are left as they are
  int64_t projects_new_roots = 0;  ///< projects under no known root (their parent became one)
  int64_t dirs_added = 0;          ///< directories new to dir_usage
  int64_t dirs_raised = 0;         ///< known directories whose rank rose to the legacy score
};

// ---- integrity ---------------------------------------------------------------------------

/// One integrity check's verdict.
struct integrity_check {
  std::string name;    ///< file, foreign_keys, orphans, duplicates, cache_consistency, concurrency
  bool ok = true;
  std::string detail;  ///< what failed, or a short note
  int64_t count = 0;   ///< how many things failed
};

/// How to audit.
struct audit_options {
  bool quick = false;   ///< quick_check instead of integrity_check
  bool repair = false;  ///< fix what is safe to fix, through the writer
};

/// The auditor's report; `repairs` lists every change --repair made.
struct integrity_report {
  std::vector<integrity_check> checks;
  std::vector<std::string> repairs;
  bool ok = true;
};

}  // namespace gum
