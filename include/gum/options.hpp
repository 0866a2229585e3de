// gum/options.hpp: the configuration of gum, as plain values.
//
// `config` mirrors $XDG_CONFIG_HOME/gum/config.yaml (SPEC §4); `engine_options` is what an
// embedder hands to gum::engine::start. Both are plain structs with documented defaults: copy
// them freely, they hold no resources and are safe to share between threads once built.
//
// Loading a config never throws: load_config returns a gum::status on failure (exit code 2 for a
// file that does not parse, with file, line and column in the message).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// How the file-system scanner discovers projects (config key `discovery`).
struct discovery_options {
  int max_depth = 6;                       ///< A root's direct child is at depth 1.
  std::vector<std::string> exclude = {"node_modules", ".cache", "vendor", "target"};
  bool nested = false;                     ///< Descend into a project to find more projects.
  int threads = 0;                         ///< Scanner threads; 0 means one per core.
};

/// The whole user configuration. Every path in it is absolute and normalised.
struct config {
  std::vector<std::string> roots;          ///< Project roots, in configured order.
  std::string roots_source;                ///< "config", "legacy-list" or "defaults".
  discovery_options discovery;
  int64_t cache_ttl_seconds = 3600;        ///< cache.ttl
  std::string github_api_url = "https://api.github.com";
  std::string github_token_command = "gh auth token";
  int64_t github_timeout_seconds = 30;     ///< total timeout of one HTTP request
  int64_t github_max_pages = 2000;         ///< github.max_pages: listing pages of one sync
  int64_t github_max_page_bytes = int64_t{32} << 20;  ///< github.max_page_bytes (decoded)
  int64_t github_max_run_bytes = int64_t{2} << 30;    ///< github.max_run_bytes (decoded)
  std::string clone_root;                  ///< empty: the first project root
  std::string clone_protocol = "https";    ///< https or ssh
  std::string clone_layout = "owner/name"; ///< clone.layout: owner/name or host/owner/name
  bool synchronous_full = false;           ///< storage.synchronous: full
  int64_t busy_timeout_ms = 5000;          ///< storage.busy_timeout_ms
  std::vector<std::string> dirs_exclude;   ///< dirs.exclude (default: $HOME itself)
  bool shell_engine = false;               ///< shell.engine: `gum init` as with --engine
  std::string config_path;                 ///< the file this came from, empty if none
  std::vector<std::string> warnings;       ///< unknown keys and the like, one line each
};

/// The environment gum runs in, captured once so that nothing else reads getenv.
struct environment {
  std::string home;             ///< $HOME
  std::string xdg_config_home;  ///< $XDG_CONFIG_HOME or ~/.config
  std::string xdg_cache_home;   ///< $XDG_CACHE_HOME or ~/.cache
  std::string cwd;              ///< the working directory
  /// $GIT_CONFIG_GLOBAL when set (even empty): git's global config file instead of
  /// $XDG_CONFIG_HOME/git/config and ~/.gitconfig, for the url.<base>.insteadOf rules.
  std::optional<std::string> git_config_global;
  /// Test aid, never set in normal use: $GUM_TEST_TX_DELAY_MS (0..10000). The engine's writer
  /// sleeps this long inside each write transaction, just before COMMIT, so that the stress
  /// harness's crash scenario can land a SIGKILL inside it (docs/architecture.md).
  int test_commit_delay_ms = 0;
  /// Test aid, never set in normal use: $GUM_TEST_NOW (unix seconds; 0, unset or unparsable:
  /// the real clock). The clock of the projects index's freshness: the time a refresh stamps in
  /// cache_metadata and the time the cache compares with cache.ttl, so that a test of the TTL
  /// need not sleep (docs/architecture.md).
  int64_t test_now = 0;
  /// The other variables gum reads (GUM_CONFIG, GUM_DB, GUM_DEBUG, NO_COLOR, GH_TOKEN,
  /// GITHUB_TOKEN, GUM_GITHUB_API_URL, PATH, TMPDIR, the stress harness's and the sanitizers';
  /// GUM_FZF_OPTS and FZF_DEFAULT_OPTS for `-i`, XDG_DATA_HOME and _Z_DATA for `gum import`),
  /// as they were when captured; unset ones are absent.
  std::map<std::string, std::string> variables;
  /// A captured variable, or "" when it is unset.
  std::string variable(const std::string& name) const {
    auto it = variables.find(name);
    return it == variables.end() ? std::string() : it->second;
  }
  /// Reads HOME, the XDG folders, GIT_CONFIG_GLOBAL, GUM_TEST_TX_DELAY_MS, GUM_TEST_NOW, the
  /// working directory and the variables above: the one place in gum that calls getenv.
  static environment from_process();
};

/// Loads the configuration: `path` if given, else $XDG_CONFIG_HOME/gum/config.yaml, else the
/// legacy ~/.config/projects-dirs.list, else the default roots that exist (SPEC §4).
/// On a file that does not parse, returns status_code::usage naming file, line and column.
status load_config(const environment& env, const std::optional<std::string>& path, config& out);

/// Which of the engine's actors engine::start spawns (engine_options::actors). Each actor that
/// blocks is a thread, so a one-shot process starts only those it will use; a request for an
/// actor that was not started is answered with an error (status_code::failure).
enum class engine_actors {
  all,          ///< every actor: what a long-lived service embeds
  writer_only,  ///< the writer alone: visits, imports, clears, flush (`gum add`)
  cache_only,   ///< the cache alone, for queries (`gum jump`); pair it with read_only
  writer_and_cache,  ///< the writer and the cache: the resident engine of a shell
};

/// What gum::engine::start needs. Defaults suit a short-lived CLI process.
struct engine_options {
  std::string database_path;         ///< Required: the SQLite file (created 0600 in a 0700 dir).
  gum::config config;                ///< Roots, discovery, storage settings.
  std::string home;                  ///< $HOME, for `~` expansion and the process sampler.
  int writer_batch_size = 512;       ///< The writer commits after this many messages...
  int writer_flush_interval_ms = 0;  ///< ...or this long after the first one; 0: as soon as
                                     ///< its mailbox is empty (best for one-shot processes).
  int64_t busy_deadline_ms = -1;     ///< How long a write retries SQLITE_BUSY; -1: busy_timeout.
  bool read_only = false;            ///< Open no write connection (integrity without --repair).
  /// When the database exists but cannot be written (a 0400 file, a restored read-only copy),
  /// start without a writer instead of failing: reads are served, and every write request is
  /// answered with the permission error that opening for writing met (exit 4).
  bool read_only_fallback = false;
  engine_actors actors = engine_actors::all;  ///< Which actors to spawn.
  /// Set to true (from any thread, e.g. a signal-watching one) to cancel a running GitHub sync
  /// promptly: it then fails with status_code::interrupted and applies nothing. May be null.
  std::shared_ptr<std::atomic<bool>> cancel;
  /// The process environment, when the caller captured it already (the CLI does, once per
  /// process); unset: engine::start captures it itself.
  std::optional<environment> process_environment;
};

}  // namespace gum
