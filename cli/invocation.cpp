// cli/invocation.cpp: environment, config, engine start-up, and the one place errors become
// exit codes and "gum: ..." lines.
#include "cli/invocation.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/scheduler_config.hpp"
#include "core/paths.hpp"
#include "core/text.hpp"

namespace gum::cli {

namespace {
engine_provider* remote_provider = nullptr;  // set by gum-net for `gum --remote`
}  // namespace

void set_engine_provider(engine_provider* provider) { remote_provider = provider; }

bool invocation::remote() const { return remote_provider != nullptr; }

invocation::invocation(global_options options, environment env)
    : globals_(std::move(options)), env_(std::move(env)) {}

invocation::~invocation() { stop_engine(); }

status invocation::load_config() {
  if (config_loaded_) return status::success();
  if (remote_provider) {  // the server's config applies; the roots come with its hello
    config_loaded_ = true;
    return status::success();
  }
  std::optional<std::string> path;
  if (!globals_.config.empty()) {
    path = globals_.config;
  } else if (auto e = env_.variable("GUM_CONFIG"); !e.empty()) {
    path = e;
  }
  if (path) *path = normalize_path(*path, env_.home, env_.cwd);
  auto st = gum::load_config(env_, path, config_);
  if (!st.ok()) return st;
  config_loaded_ = true;
  for (auto& w : config_.warnings) warn(w);
  debug("config: " + (config_.config_path.empty() ? std::string("(none)") : config_.config_path) +
        ", roots from " + config_.roots_source);
  return status::success();
}

output_style invocation::style() const {
  output_style style;
  if (isatty(STDOUT_FILENO) != 1) return style;
  style.color = !globals_.no_color && env_.variable("TERM") != "dumb";
  struct winsize size {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    style.width = size.ws_col;
  else
    style.width = static_cast<std::size_t>(std::max(0L, std::atol(env_.variable("COLUMNS").c_str())));
  return style;
}

std::string invocation::github_api_url() const {
  std::string url = env_.variable("GUM_GITHUB_API_URL");
  if (url.empty()) url = config_.github_api_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string invocation::database_path() const {
  if (!globals_.db.empty()) return normalize_path(globals_.db, env_.home, env_.cwd);
  if (auto e = env_.variable("GUM_DB"); !e.empty()) return normalize_path(e, env_.home, env_.cwd);
  return env_.xdg_cache_home + "/gum/gum.db";
}

status invocation::start_engine(bool read_only) {
  return start_engine_as(read_only, engine_kind::full);
}

status invocation::start_engine(engine_kind kind) { return start_engine_as(false, kind); }

status invocation::start_reader_engine() {
  if (!remote_provider && database_is_current(database_path()))
    return start_engine_as(false, engine_kind::reader_only);
  return start_engine_as(false, engine_kind::full);
}

status invocation::start_engine_as(bool read_only, engine_kind kind) {
  if (engine_) return status::success();
  if (auto st = load_config(); !st.ok()) return st;
  system_config_ = std::make_unique<caf::actor_system_config>();
  configure_cli_scheduler(*system_config_);
  add_message_types(*system_config_);
  if (remote_provider) {
    remote_provider->configure(*system_config_);
    system_ = std::make_unique<caf::actor_system>(*system_config_);
    return remote_provider->connect(*system_, config_, env_, engine_);
  }
  system_ = std::make_unique<caf::actor_system>(*system_config_);
  engine_options opts;
  opts.database_path = database_path();
  opts.config = config_;
  opts.home = env_.home;
  opts.read_only = read_only || kind == engine_kind::reader_only;
  // A database that cannot be written still serves every read; writes then exit 4.
  opts.read_only_fallback = kind == engine_kind::full;
  if (kind == engine_kind::writer_only) opts.actors = engine_actors::writer_only;
  if (kind == engine_kind::reader_only) opts.actors = engine_actors::cache_only;
  if (kind == engine_kind::shell) opts.actors = engine_actors::writer_and_cache;
  opts.cancel = cancel_;
  opts.process_environment = env_;  // captured once, in run()
  debug("actor system started; database: " + opts.database_path);
  auto st = engine::start(*system_, std::move(opts), engine_);
  debug("engine started");
  return st;
}

status invocation::stop_engine() {
  status st;
  if (!engine_) {
    // A start that failed may have left its actor system: stop it, so the next start is clean.
    system_.reset();
    system_config_.reset();
    return st;
  }
  st = engine_->shutdown();
  // For `gum stress`: one machine-readable line with the writer's SQLITE_BUSY retries.
  if (env_.variable("GUM_STRESS_STATS") == "1")
    std::cerr << "gum: stats: busy_retries=" << engine_->busy_retries() << '\n';
  engine_.reset();
  system_.reset();  // joins the scheduler and every detached actor's thread
  system_config_.reset();
  debug("engine stopped");
  return st;
}

void invocation::warn(const std::string& line) const {
  if (!globals_.quiet) std::cerr << "gum: warning: " << escape_control(line) << '\n';
}

void invocation::debug(const std::string& line) const {
  if (!globals_.debug) return;
  // Milliseconds since the invocation was made: enough to see where a slow command spends time.
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
                .count();
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%8.2f ms ", ms);
  std::cerr << "gum: debug: " << stamp << line << '\n';
}

int report(const status& st) {
  if (st.ok()) return 0;
  // An empty message is a quiet failure: the exit code says it all (`gum jump` finding nothing).
  // Messages quote files, folders and servers: control characters are escaped, so each stays
  // one line and none can drive the terminal (issue 17).
  if (!st.message.empty()) std::cerr << "gum: " << escape_control(st.message) << '\n';
  if (!st.hint.empty()) std::cerr << "gum: " << escape_control(st.hint) << '\n';
  return static_cast<int>(st.code);
}

}  // namespace gum::cli
