// gum/engine.hpp: embedding gum's engine in a caf::actor_system.
//
// The engine is a small set of actors (SPEC §1): fetchers that produce facts (file-system
// scanner, process sampler, GitHub client), ONE writer that owns the only write connection and
// commits batches in BEGIN IMMEDIATE transactions, a cache that answers reads from its own
// read-only connection, and an integrity auditor. gum::engine::start spawns them in the
// caller's actor system and returns a handle to a front actor, `engine_actor`, whose typed
// interface below is the whole protocol.
//
// Contract:
// - Thread-safety: engine_actor is a CAF handle; send to it from any actor or thread. The
//   engine object itself (start/shutdown) belongs to the thread that started it.
// - Transactions: a reply to a write (refresh, visit, import, clear, sync) is sent only after
//   its change is committed; an error reply means nothing of it was written. One refresh,
//   one sync run and one legacy import (migrate) are each one transaction. A read reply is
//   one snapshot of a committed state.
// - Processes: any number of processes may use one database at once, each with its own engine.
//   Run at most one engine per database per process, and never fork() after the actor system
//   has started (spawn processes with posix_spawn instead).
// - Shutdown: engine::shutdown (and the destructor) flushes the writer and returns only when
//   every acknowledged write is committed and every engine actor has stopped.
// - Errors: a failed request is answered with a caf::error of category "gum"; to_status turns
//   it into a gum::status. Before creating the actor system, call add_message_types(cfg).
#pragma once

#include <caf/all.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gum/messages.hpp"
#include "gum/options.hpp"

#include "gum/inspect.hpp"

// Local-only message types: they never cross a network, so CAF need not serialize them.
// add_message_type<T> also registers std::vector<T>, which needs the same permission.
// The public payloads below are serialisable (gum/inspect.hpp): `gum serve` carries them;
// only the engine's private messages (actors/interfaces.hpp) stay local.
#define GUM_LOCAL_MESSAGE_TYPE(...)                     \
  CAF_ALLOW_UNSAFE_MESSAGE_TYPE(__VA_ARGS__)            \
  CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<__VA_ARGS__>)
// The streamed read's sink is a pointer into the requesting process: local only.
GUM_LOCAL_MESSAGE_TYPE(gum::project_sink_ptr)

namespace gum {

// ---- atoms: the verbs of the protocol ----------------------------------------------------
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;
using projects_atom = caf::atom_constant<caf::atom("projects")>;
using clear_atom = caf::atom_constant<caf::atom("clear")>;
using visit_atom = caf::atom_constant<caf::atom("visit")>;
using dirs_atom = caf::atom_constant<caf::atom("dirs")>;
using sample_atom = caf::atom_constant<caf::atom("sample")>;
using import_atom = caf::atom_constant<caf::atom("import")>;
using sync_atom = caf::atom_constant<caf::atom("sync")>;
using github_atom = caf::atom_constant<caf::atom("github")>;
using audit_atom = caf::atom_constant<caf::atom("audit")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using add_project_atom = caf::atom_constant<caf::atom("addproject")>;
using migrate_atom = caf::atom_constant<caf::atom("migrate")>;
using stream_projects_atom = caf::atom_constant<caf::atom("pstream")>;
using remove_dirs_atom = caf::atom_constant<caf::atom("removedirs")>;

/// The engine's front actor. Every request gets exactly one reply (or a caf::error).
using engine_actor = caf::typed_actor<
    /// Rescans every configured root and replaces their projects in one transaction.
    caf::replies_to<refresh_atom>::with<refresh_result>,
    /// Lists projects (building the index first if it was never built and the query allows).
    caf::replies_to<projects_atom, project_query>::with<projects_reply>,
    /// The same list handed to a sink in chunks as it is read (in-process only): the reply
    /// carries no projects, only hit and stale_reason, and comes after the last chunk.
    caf::replies_to<stream_projects_atom, project_query, project_sink_ptr>::with<projects_reply>,
    /// Empties a dataset ("projects" or "dirs"); replies with the rows removed.
    caf::replies_to<clear_atom, std::string>::with<int64_t>,
    /// Records one visit to each directory (already normalised); replies with the count.
    caf::replies_to<visit_atom, std::vector<std::string>>::with<int64_t>,
    /// Lists frecent directories, best first.
    caf::replies_to<dirs_atom, dir_query>::with<std::vector<dir_entry>>,
    /// Records one visit to the working directory of each of the user's processes under $HOME.
    caf::replies_to<sample_atom>::with<int64_t>,
    /// Adds directories from another tool (path, rank, last_seen) in one transaction.
    caf::replies_to<import_atom, std::vector<dir_entry>>::with<int64_t>,
    /// Runs one GitHub sync; its changes land in one transaction (none on failure).
    caf::replies_to<sync_atom, sync_options>::with<sync_result>,
    /// Lists synced GitHub repositories (offline).
    caf::replies_to<github_atom, github_query>::with<std::vector<github_repo>>,
    /// Runs the integrity checks (and --repair through the writer).
    caf::replies_to<audit_atom, audit_options>::with<integrity_report>,
    /// Table counts, dataset freshness, and this engine's cache hits and misses.
    caf::replies_to<stats_atom>::with<cache_stats>,
    /// Commits everything the writer holds; replies with the number of writes committed.
    caf::replies_to<flush_atom>::with<int64_t>,
    /// Adds one project to the index at once (`gum clone`), under project::root (whose row is
    /// made when missing), linked when its repository is synced. Replies 1 if linked, else 0.
    caf::replies_to<add_project_atom, project>::with<int64_t>,
    /// Imports the Go gum's legacy caches in one transaction (`gum migrate`).
    caf::replies_to<migrate_atom, legacy_import>::with<legacy_import_result>,
    /// Forgets exactly these directories (already normalised), all or none: a path that is not
    /// recorded fails the request (status_code::failure) and removes nothing (`gum dirs
    /// remove`). Replies with the rows removed.
    caf::replies_to<remove_dirs_atom, std::vector<std::string>>::with<int64_t>>;

/// Registers every gum message type with CAF. Call once on the config before creating the
/// actor_system that will run an engine.
void add_message_types(caf::actor_system_config& cfg);

/// Turns an error reply into a status (category "gum" maps 1:1; anything else is a failure).
status to_status(const caf::error& err);

/// Makes the caf::error that carries `st`.
caf::error make_error(const status& st);

/// True when `database_path` is an SQLite file whose schema is this gum's (read from the file
/// header, nothing opened): a read-only engine (engine_actors::cache_only with read_only) can
/// then serve it. False when it is missing, not SQLite, or needs a migration (or its header
/// was not checkpointed yet), when only a writing engine answers as the command expects.
bool database_is_current(const std::string& database_path);

/// A running engine. Not copyable; destroy or shutdown() before the actor system goes away.
class engine {
 public:
  /// Opens (creating and migrating if needed) the database, then spawns the engine's actors in
  /// `system`. Fails with the status of the database error (exit 3, 4) without spawning.
  static status start(caf::actor_system& system, engine_options options,
                      std::unique_ptr<engine>& out);

  /// An engine that runs elsewhere, e.g. a `gum serve` reached with caf::io::remote_actor
  /// (gum/remote.hpp): handle() is `remote` and call() works as for a local engine.
  /// shutdown() stops only `helpers` (local actors the caller spawned for the connection) and
  /// never the remote engine; busy_retries() is 0.
  static std::unique_ptr<engine> attach(caf::actor_system& system, engine_actor remote,
                                        std::vector<caf::actor> helpers = {});

  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// The front actor: send requests here.
  engine_actor handle() const;

  /// Flushes the writer, stops every engine actor, and waits for them. Idempotent.
  status shutdown();

  /// How often the writer's BEGIN IMMEDIATE met SQLITE_BUSY and was retried (`gum stress`
  /// reports it). Valid after shutdown(), when the writer has stopped; 0 before, and without
  /// a writer.
  int64_t busy_retries() const;

  /// Sends a request and waits for the reply: a convenience for code that is not an actor.
  /// It blocks the calling thread without a timeout; from inside an actor, use request().
  /// After shutdown() it fails at once with "the gum engine has stopped".
  template <class Result, class... Ts>
  status call(Result& out, Ts&&... request) {
    return call_with(-1, out, std::forward<Ts>(request)...);
  }

  /// As call(), but waits at most `timeout`; then it fails with "no reply from the gum engine
  /// within N ms" and `out` is untouched. Only the wait is abandoned, not the request: a write
  /// that timed out may still be committed afterwards (shutdown() still waits for it).
  template <class Result, class... Ts>
  status call_for(std::chrono::milliseconds timeout, Result& out, Ts&&... request) {
    return call_with(timeout.count(), out, std::forward<Ts>(request)...);
  }

  const engine_options& options() const;

  /// True for an engine made by attach() (one that runs elsewhere).
  bool attached() const;

 private:
  // timeout_ms < 0: wait for ever.
  template <class Result, class... Ts>
  status call_with(int64_t timeout_ms, Result& out, Ts&&... request) {
    caf::scoped_actor self{*system_};
    status result;
    caf::duration timeout = caf::infinite;
    if (timeout_ms >= 0) timeout = caf::duration{std::chrono::milliseconds(timeout_ms)};
    self->request(handle(), timeout, std::forward<Ts>(request)...)
        .receive([&](Result& value) { out = std::move(value); },
                 [&](caf::error& err) {
                   result = reply_status(err, timeout_ms);
                   // A remote engine's actor that is gone is a server that stopped (exit 5).
                   if (err == caf::sec::request_receiver_down && attached())
                     result = status::fail(status_code::network,
                                           "the gum server stopped before it answered");
                 });
    return result;
  }
  /// to_status, with the timeout named when the wait ran out.
  static status reply_status(const caf::error& err, int64_t timeout_ms);

  struct impl;
  engine(caf::actor_system& system, std::unique_ptr<impl> state);
  caf::actor_system* system_;
  std::unique_ptr<impl> impl_;
};

}  // namespace gum
