// cli/context.hpp: what one gum invocation knows: its environment, global options, config and
// (when a command needs it) its actor system and engine.
//
// The actor system is created only by commands that talk to the engine, and with one scheduler
// thread: the engine's blocking actors are detached and bring their own threads, so the shared
// scheduler only runs the front actor, and a short-lived process should not start more.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

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

class context {
 public:
  context(global_options options, environment env);
  ~context();

  const global_options& globals() const { return globals_; }
  const environment& env() const { return env_; }
  /// Loads the configuration (once); prints its warnings unless --quiet.
  status load_config();
  const gum::config& cfg() const { return config_; }
  /// --db, else GUM_DB, else $XDG_CACHE_HOME/gum/gum.db.
  std::string database_path() const;
  /// Which engine actors a command needs: all of them, or only the writer (`gum add`), or only
  /// the readers (`gum jump`). Fewer actors means fewer threads to start and join.
  enum class engine_kind { full, writer_only, reader_only };
  /// Starts the actor system and the engine (loads the config first).
  status start_engine(bool read_only = false);
  status start_engine(engine_kind kind);
  gum::engine& engine() { return *engine_; }
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

/// One subcommand: its CLI11 node and what to run when it was chosen.
struct command {
  CLI::App* app = nullptr;
  std::function<status(context&)> run;
};

/// Prints `st` as "gum: message" (+ "gum: hint") on stderr and returns its exit code.
int report(const status& st);

/// Moves `value` into a holder that is never destroyed. Every command is the last thing its
/// process does, and freeing a 10 000-project list one string at a time is wasted work: with
/// it, `--debug` showed 3.5 ms from the last output to the engine's stop, without it 1 ms
/// (end to end about 1 ms of a 23 ms cached `gum projects`, 8 alternated perf-stat runs). The
/// kernel takes the memory back at exit. The holder stays reachable, so LeakSanitizer does not
/// report it. One holder per type: a second call replaces (and frees) the first value.
template <class T>
void keep_until_exit(T&& value) {
  static auto* holder = new std::decay_t<T>();
  *holder = std::forward<T>(value);
}

// Each command file registers its subcommand(s).
void register_projects(CLI::App& app, std::vector<command>& commands);   // projects
void register_version(CLI::App& app, std::vector<command>& commands);    // version
void register_dirs(CLI::App& app, std::vector<command>& commands);       // add dirs jump init import
void register_sync(CLI::App& app, std::vector<command>& commands);       // sync update github
void register_integrity(CLI::App& app, std::vector<command>& commands);  // integrity
void register_stress(CLI::App& app, std::vector<command>& commands);     // stress
void register_clone(CLI::App& app, std::vector<command>& commands);      // clone
void register_migrate(CLI::App& app, std::vector<command>& commands);    // migrate
void register_crontab(CLI::App& app, std::vector<command>& commands);    // crontab completion

/// The whole CLI: parse, run the chosen command, map the outcome to an exit code.
int run(int argc, char** argv);

}  // namespace gum::cli
