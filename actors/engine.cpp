// actors/engine.cpp: starting, routing and stopping the engine's actors.
//
// The front actor is a thin router: every request is delegated to the actor that owns the
// work, so the reply comes straight from the writer (after commit) or the cache (after its
// snapshot) and the router never blocks. Only the front actor runs on CAF's shared scheduler;
// every actor that blocks is detached (SPEC §1).
#include "gum/engine.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "actors/auditor.hpp"
#include "actors/cache.hpp"
#include "actors/fs_scanner.hpp"
#include "actors/github_fetcher.hpp"
#include "actors/proc_sampler.hpp"
#include "actors/interfaces.hpp"
#include "actors/writer.hpp"
#include "core/git_metadata.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "net/curl_loader.hpp"
#include "gum/build_info.hpp"
#include "gum/versions.hpp"
#include "gum/remote.hpp"

#include <boost/version.hpp>
#include <caf/config.hpp>

namespace gum {

namespace {

const caf::atom_value gum_category = caf::atom("gum");

// What a write request gets from an engine without a writer: the reason opening for writing
// failed when the engine fell back to reading (read_only_fallback), else a plain refusal.
caf::error read_only_error(const status& refusal) {
  if (!refusal.ok()) return make_error(refusal);
  return make_error(status::fail(status_code::database, "the database is open read-only"));
}

// A request for an actor that engine_options::actors left out.
caf::error not_started_error(const char* actor) {
  return make_error(status::fail(status_code::failure,
                                 std::string("the engine was started without its ") + actor));
}

struct front_state {
  static inline const char* name = "gum.engine";
};

engine_actor::behavior_type front_behavior(engine_actor::stateful_pointer<front_state> self,
                                           writer_actor writer, cache_actor cache,
                                           scanner_actor scanner, sampler_actor sampler,
                                           auditor_actor auditor, github_actor github,
                                           status refusal) {
  return {
      [=](refresh_atom a) -> caf::result<refresh_result> {
        if (!writer) return read_only_error(refusal);
        if (!scanner) return not_started_error("scanner");
        return self->delegate(scanner, a);
      },
      [=](projects_atom a, project_query& q) -> caf::result<projects_reply> {
        if (!cache) return not_started_error("cache");
        return self->delegate(cache, a, std::move(q));
      },
      [=](stream_projects_atom a, project_query& q,
          project_sink_ptr& sink) -> caf::result<projects_reply> {
        if (!cache) return not_started_error("cache");
        return self->delegate(cache, a, std::move(q), std::move(sink));
      },
      [=](clear_atom a, std::string& dataset) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(dataset));
      },
      [=](visit_atom a, std::vector<std::string>& paths) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(paths));
      },
      [=](dirs_atom a, dir_query& q) -> caf::result<std::vector<dir_entry>> {
        if (!cache) return not_started_error("cache");
        return self->delegate(cache, a, std::move(q));
      },
      [=](sample_atom a) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        if (!sampler) return not_started_error("process sampler");
        return self->delegate(sampler, a);
      },
      [=](import_atom a, std::vector<dir_entry>& entries) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(entries));
      },
      [=](sync_atom a, sync_options& o) -> caf::result<sync_result> {
        // Sync fetches first and writes at the end: refuse before any request is made.
        if (!writer && !refusal.ok() && !o.dry_run) return read_only_error(refusal);
        if (!github) return not_started_error("GitHub fetcher");
        return self->delegate(github, a, std::move(o));
      },
      [=](github_atom a, github_query& q) -> caf::result<std::vector<github_repo>> {
        if (!cache) return not_started_error("cache");
        return self->delegate(cache, a, std::move(q));
      },
      [=](audit_atom a, audit_options& o) -> caf::result<integrity_report> {
        if (!auditor) return not_started_error("integrity auditor");
        return self->delegate(auditor, a, o);
      },
      [=](stats_atom a) -> caf::result<cache_stats> {
        if (!cache) return not_started_error("cache");
        return self->delegate(cache, a);
      },
      [=](flush_atom a) -> caf::result<int64_t> {
        if (!writer) return int64_t{0};
        return self->delegate(writer, a);
      },
      [=](add_project_atom a, project& p) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(p));
      },
      [=](migrate_atom a, legacy_import& legacy) -> caf::result<legacy_import_result> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(legacy));
      },
      [=](remove_dirs_atom a, std::vector<std::string>& paths) -> caf::result<int64_t> {
        if (!writer) return read_only_error(refusal);
        return self->delegate(writer, a, std::move(paths));
      },
  };
}

}  // namespace

caf::error make_error(const status& st) {
  return caf::error(static_cast<uint8_t>(st.code), gum_category,
                    caf::make_message(st.message, st.hint));
}

status to_status(const caf::error& err) {
  if (!err) return status::success();
  if (err.category() == gum_category) {
    status st;
    st.code = static_cast<status_code>(err.code());
    auto& ctx = err.context();
    if (ctx.match_elements<std::string, std::string>()) {
      st.message = ctx.get_as<std::string>(0);
      st.hint = ctx.get_as<std::string>(1);
    }
    return st;
  }
  if (err == caf::sec::request_receiver_down)
    return status::fail(status_code::failure, "the gum engine has stopped",
                        "start a new engine; requests sent after shutdown() are not run");
  if (err == caf::sec::request_timeout)
    return status::fail(status_code::failure, "no reply from the gum engine in time");
  return status::fail(status_code::failure, "internal error: " + caf::to_string(err));
}

bool database_is_current(const std::string& database_path) {
  // The file header: the magic string, and PRAGMA user_version at offset 60 (big-endian).
  // Under WAL the header can lag behind a committed migration, which only errs on the side
  // of a writing engine.
  int fd = ::open(database_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  unsigned char header[64];
  struct stat st;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const ssize_t got = regular ? ::pread(fd, header, sizeof header, 0) : -1;
  ::close(fd);
  if (got != static_cast<ssize_t>(sizeof header)) return false;
  if (std::memcmp(header, "SQLite format 3", 16) != 0) return false;
  const int64_t version = (int64_t{header[60]} << 24) | (int64_t{header[61]} << 16) |
                          (int64_t{header[62]} << 8) | int64_t{header[63]};
  return version == storage::schema_version;
}

status engine::reply_status(const caf::error& err, int64_t timeout_ms) {
  auto st = to_status(err);
  if (err == caf::sec::request_timeout && timeout_ms >= 0)
    st.message = "no reply from the gum engine within " + std::to_string(timeout_ms) + " ms";
  return st;
}

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<project_query>("gum::project_query");
  cfg.add_message_type<projects_reply>("gum::projects_reply");
  cfg.add_message_type<refresh_result>("gum::refresh_result");
  cfg.add_message_type<cache_stats>("gum::cache_stats");
  cfg.add_message_type<dir_query>("gum::dir_query");
  cfg.add_message_type<std::vector<dir_entry>>("gum::dir_entries");
  cfg.add_message_type<github_query>("gum::github_query");
  cfg.add_message_type<std::vector<github_repo>>("gum::github_repos");
  cfg.add_message_type<sync_options>("gum::sync_options");
  cfg.add_message_type<sync_result>("gum::sync_result");
  cfg.add_message_type<audit_options>("gum::audit_options");
  cfg.add_message_type<integrity_report>("gum::integrity_report");
  cfg.add_message_type<projects_replacement>("gum::projects_replacement");
  cfg.add_message_type<github_changes>("gum::github_changes");
  cfg.add_message_type<sync_failure>("gum::sync_failure");
  cfg.add_message_type<github_snapshot>("gum::github_snapshot");
  cfg.add_message_type<project>("gum::project");
  cfg.add_message_type<legacy_import>("gum::legacy_import");
  cfg.add_message_type<legacy_import_result>("gum::legacy_import_result");
  cfg.add_message_type<project_sink_ptr>("gum::project_sink_ptr");
  cfg.add_message_type<server_hello>("gum::server_hello");  // gum/remote.hpp
}

struct engine::impl {
  engine_options options;
  engine_actor front;
  writer_actor writer;
  cache_actor cache;
  scanner_actor scanner;
  sampler_actor sampler;
  auditor_actor auditor;
  github_actor github;
  std::shared_ptr<storage::database> writer_db;  ///< the writer's connection, for busy_retries
  bool stopped = false;
  bool attached = false;             ///< engine::attach: a remote engine, not ours to stop
  std::vector<caf::actor> helpers;   ///< engine::attach: local actors to stop at shutdown
};

engine::engine(caf::actor_system& system, std::unique_ptr<impl> state)
    : system_(&system), impl_(std::move(state)) {}

engine::~engine() { shutdown(); }

engine_actor engine::handle() const { return impl_->front; }

const engine_options& engine::options() const { return impl_->options; }

bool engine::attached() const { return impl_->attached; }

status engine::start(caf::actor_system& system, engine_options options,
                     std::unique_ptr<engine>& out) {
  auto state = std::make_unique<impl>();
  const auto& cfg = options.config;
  // Captured once: the writer's test aids, and the scanner's global git config files (for the
  // url.<base>.insteadOf rules that rewrite the remotes it shows).
  const environment process_env = options.process_environment
                                      ? *options.process_environment
                                      : environment::from_process();
  std::shared_ptr<storage::database> db;
  status refusal;  // why there is no writer, when the engine fell back to reading
  if (!options.read_only) {
    // Open (create, migrate) here, in the caller's thread, so a bad database is reported
    // before any actor exists; the writer then owns this connection.
    try {
      storage::open_options o;
      o.path = options.database_path;
      o.synchronous_full = cfg.synchronous_full;
      o.busy_timeout_ms = cfg.busy_timeout_ms;
      o.busy_deadline_ms = options.busy_deadline_ms;
      db = std::make_shared<storage::database>(storage::database::open(o));
    } catch (const storage::storage_error& e) {
      // A database that exists but cannot be written still serves reads (SPEC §5): the engine
      // starts without a writer, and each write is answered with this refusal.
      struct stat st;
      const bool exists = ::stat(options.database_path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
      if (!options.read_only_fallback || !exists ||
          e.error_status().code != status_code::permission)
        return e.error_status();
      refusal = e.error_status();
    }
  }
  if (db) {
    state->writer = spawn_writer(system, db,
                                 writer_options{options.writer_batch_size,
                                                options.writer_flush_interval_ms,
                                                // test aids: GUM_TEST_TX_DELAY_MS, GUM_TEST_NOW
                                                process_env.test_commit_delay_ms,
                                                process_env.test_now});
    state->writer_db = db;
  }
  // Every actor below is a detached thread: a one-shot command spawns only what it uses.
  const bool all = options.actors == engine_actors::all;
  // Without a writer nothing can be rebuilt: no scanner, so reads serve what is committed.
  if (all && state->writer) {
    state->scanner =
        spawn_fs_scanner(system, cfg, global_git_config_files(process_env), state->writer);
    state->sampler = spawn_proc_sampler(system, cfg, options.home, state->writer);
  }
  if (all || options.actors == engine_actors::cache_only ||
      options.actors == engine_actors::writer_and_cache)
    state->cache = spawn_cache(system,
                               cache_options{options.database_path, cfg.busy_timeout_ms,
                                             options.home, cfg.roots, cfg.cache_ttl_seconds,
                                             process_env.test_now},
                               state->scanner);
  if (all) {
    state->auditor =
        spawn_auditor(system, options.database_path, cfg.busy_timeout_ms, state->writer);
    state->github =
        spawn_github_fetcher(system, cfg, state->cache, state->writer, options.cancel);
  }
  state->front = system.spawn(front_behavior, state->writer, state->cache, state->scanner,
                              state->sampler, state->auditor, state->github, refusal);
  state->options = std::move(options);
  out.reset(new engine(system, std::move(state)));
  return status::success();
}

int64_t engine::busy_retries() const {
  if (!impl_->stopped || !impl_->writer_db) return 0;
  return impl_->writer_db->busy_retries();
}

std::unique_ptr<engine> engine::attach(caf::actor_system& system, engine_actor remote,
                                       std::vector<caf::actor> helpers) {
  auto state = std::make_unique<impl>();
  state->front = std::move(remote);
  state->attached = true;
  state->helpers = std::move(helpers);
  return std::unique_ptr<engine>(new engine(system, std::move(state)));
}

status engine::shutdown() {
  if (!impl_ || impl_->stopped) return status::success();
  impl_->stopped = true;
  status result;
  caf::scoped_actor self{*system_};
  if (impl_->attached) {
    for (auto& h : impl_->helpers) self->send_exit(h, caf::exit_reason::user_shutdown);
    for (auto& h : impl_->helpers) self->wait_for(h);
    return result;
  }
  if (impl_->writer) {
    self->request(impl_->writer, caf::infinite, flush_atom::value)
        .receive([](int64_t) {}, [&](caf::error& err) { result = to_status(err); });
  }
  std::vector<caf::actor> actors;
  auto stop = [&](auto& handle) {
    if (!handle) return;
    self->send_exit(handle, caf::exit_reason::user_shutdown);
    actors.push_back(caf::actor_cast<caf::actor>(handle));
  };
  // The front first (no new requests), the writer last (it flushes in its exit handler).
  stop(impl_->front);
  stop(impl_->github);
  stop(impl_->auditor);
  stop(impl_->cache);
  stop(impl_->sampler);
  stop(impl_->scanner);
  stop(impl_->writer);
  for (auto& a : actors) self->wait_for(a);
  return result;
}

// ---- gum/versions.hpp: the engine reports the libraries it runs with -----------------------

namespace {

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "g++ " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

std::vector<std::pair<std::string, std::string>> library_versions() {
  return {
      {"gum", GUM_VERSION},
      {"commit", GUM_GIT_COMMIT},
      {"built", GUM_BUILD_DATE},
      {"compiler", compiler()},
      {"CAF", std::to_string(CAF_MAJOR_VERSION) + "." + std::to_string(CAF_MINOR_VERSION) + "." +
                  std::to_string(CAF_PATCH_VERSION)},
      {"SQLite", storage::sqlite_version()},
      {"libcurl", curl_version_text()},
      {"Boost", std::to_string(BOOST_VERSION / 100000) + "." +
                    std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                    std::to_string(BOOST_VERSION % 100)},
  };
}

}  // namespace gum
