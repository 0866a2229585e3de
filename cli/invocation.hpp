// cli/invocation.hpp: what one gum invocation knows: its environment, global options, config and
// (when a command needs it) its actor system and engine; and report(), the one place that turns
// a command's status into an exit code and `gum: ...` lines.
//
// The actor system is created only by commands that talk to the engine, and with one scheduler
// thread: the engine's blocking actors are detached and bring their own threads, so the shared
// scheduler only runs the front actor, and a short-lived process should not start more.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "cli/output.hpp"
#include "gum/engine.hpp"
#include "gum/options.hpp"

namespace gum::cli {

/// Options that every command accepts (SPEC §3).
struct global_options {
  std::string db;
  std::string config;
  bool quiet = false;
  bool no_color = false;
  bool debug = false;
};

/// Where the engine comes from when it does not run in this process (`gum --remote`, in the
/// gum-net executable: cli/remote_client.cpp). Set once, before run(); then load_config reads
/// no local config and start_engine attaches to the remote engine instead of starting one.
struct engine_provider {
  virtual ~engine_provider() = default;
  /// Adds what the actor system needs (the middleman) to its config.
  virtual void configure(caf::actor_system_config& system_config) = 0;
  /// Connects; may fill `cfg` and `env` with the server's roots and home.
  virtual status connect(caf::actor_system& system, gum::config& cfg, environment& env,
                         std::unique_ptr<gum::engine>& out) = 0;
};
void set_engine_provider(engine_provider* provider);

/// One run of gum: what every command is given. Made once per process by cli/app.cpp.
class invocation {
 public:
  invocation(global_options options, environment env);
  ~invocation();

  const global_options& globals() const { return globals_; }
  /// The GitHub API base URL: GUM_GITHUB_API_URL, else config github.api_url, without a
  /// trailing slash. Needs the config loaded.
  std::string github_api_url() const;
  const environment& env() const { return env_; }
  /// How stdout may look: colour when it is a terminal (not with --no-color, NO_COLOR or
  /// TERM=dumb) and the terminal's width (its window size, else COLUMNS; 0 through a pipe).
  output_style style() const;
  /// True under `gum --remote`: the engine is a server's (engine_provider).
  bool remote() const;
  /// Loads the configuration (once); prints its warnings unless --quiet.
  status load_config();
  const gum::config& cfg() const { return config_; }
  /// --db, else GUM_DB, else $XDG_CACHE_HOME/gum/gum.db.
  std::string database_path() const;
  /// Which engine actors a command needs: all of them, or only the writer (`gum add`), or only
  /// the readers (`gum jump`). Fewer actors means fewer threads to start and join.
  /// `shell`: the writer and the readers, for `gum engine --stdio`.
  enum class engine_kind { full, writer_only, reader_only, shell };
  /// Starts the actor system and the engine (loads the config first).
  status start_engine(bool read_only = false);
  status start_engine(engine_kind kind);
  /// For a command that only reads (`gum dirs`, `gum projects --cached`): the cache alone when
  /// the database exists with this gum's schema (gum::database_is_current), else the whole
  /// engine, which creates or migrates it first, as the command always did.
  status start_reader_engine();
  gum::engine& engine() { return *engine_; }
  /// The actor system start_engine made (valid while the engine runs), for a command that
  /// spawns its own actor beside the engine (`gum engine --stdio`).
  caf::actor_system& engine_system() { return *system_; }
  /// Flushes and stops the engine: the last word on whether writes were committed.
  status stop_engine();
  /// A flag the engine polls to cancel a running sync (set before start_engine; see
  /// engine_options::cancel). `gum sync` sets it from its signal-watching thread.
  void set_cancel_flag(std::shared_ptr<std::atomic<bool>> flag) { cancel_ = std::move(flag); }

  void warn(const std::string& line) const;   ///< "gum: warning: ..." unless --quiet
  void debug(const std::string& line) const;  ///< "gum: debug: ..." with --debug

 private:
  status start_engine_as(bool read_only, engine_kind kind);
  global_options globals_;
  environment env_;
  gum::config config_;
  bool config_loaded_ = false;
  std::unique_ptr<caf::actor_system_config> system_config_;
  std::unique_ptr<caf::actor_system> system_;
  std::unique_ptr<gum::engine> engine_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

/// Prints `st` as "gum: message" (+ "gum: hint") on stderr and returns its exit code.
int report(const status& st);

}  // namespace gum::cli
