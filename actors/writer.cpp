// actors/writer.cpp: batching, savepoints, reply after commit, flush on exit.
#include "actors/writer.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

#include "core/frecency.hpp"
#include "core/paths.hpp"
#include "storage/dirs_store.hpp"
#include "storage/github_store.hpp"
#include "storage/integrity_store.hpp"
#include "storage/legacy_store.hpp"
#include "storage/projects_store.hpp"

namespace gum {

namespace {

// Commits the current batch in one transaction and answers every requester.
void flush(writer_pointer self) {
  auto& st = self->state;
  ++st.generation;
  st.tick_scheduled = false;
  if (st.batch.empty()) return;
  auto batch = std::move(st.batch);
  st.batch.clear();
  std::vector<caf::error> item_errors(batch.size());
  try {
    storage::write_transaction tx(*st.db);
    for (size_t i = 0; i < batch.size(); ++i) {
      storage::savepoint sp(*st.db);
      try {
        batch[i].apply(*st.db);
        sp.release();
      } catch (const storage::storage_error& e) {
        item_errors[i] = make_error(e.error_status());
      } catch (const std::exception& e) {
        item_errors[i] = make_error(status::fail(status_code::failure, e.what()));
      }
    }
    // Testing hook (environment::test_commit_delay_ms, GUM_TEST_TX_DELAY_MS): widen the window in which a
    // SIGKILL finds the process inside its write transaction, and mark the window on stderr
    // so `gum stress` can count the kills that landed inside it.
    if (st.options.commit_delay_ms > 0) {
      std::fputs("gum: test: in write transaction\n", stderr);
      std::this_thread::sleep_for(std::chrono::milliseconds(st.options.commit_delay_ms));
    }
    tx.commit();
    if (st.options.commit_delay_ms > 0) std::fputs("gum: test: committed\n", stderr);
  } catch (const storage::storage_error& e) {
    auto err = make_error(e.error_status());
    for (auto& w : batch) w.fail(err);
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (item_errors[i]) {
      batch[i].fail(item_errors[i]);
    } else {
      ++st.committed;
      batch[i].deliver();
    }
  }
}

void schedule_flush(writer_pointer self) {
  auto& st = self->state;
  if (static_cast<int>(st.batch.size()) >= st.options.batch_size) {
    flush(self);
    return;
  }
  if (st.tick_scheduled) return;
  st.tick_scheduled = true;
  if (st.options.flush_interval_ms <= 0)
    self->send(self, tick_atom::value, st.generation);  // after what is already queued
  else
    self->delayed_send(self, std::chrono::milliseconds(st.options.flush_interval_ms),
                       tick_atom::value, st.generation);
}

// Queues `apply` for the next batch; the requester is answered after the batch commits.
template <class T>
caf::typed_response_promise<T> enqueue(writer_pointer self,
                                       std::function<T(storage::database&)> apply) {
  auto rp = self->template make_response_promise<T>();
  auto result = std::make_shared<T>();
  self->state.batch.push_back(pending_write{
      [apply = std::move(apply), result](storage::database& db) { *result = apply(db); },
      [rp, result]() mutable { rp.deliver(std::move(*result)); },
      [rp](const caf::error& err) mutable { rp.deliver(err); }});
  schedule_flush(self);
  return rp;
}

// Directories that vanished and were not seen for forget_missing_after_seconds are forgotten
// in the transaction of an import, or of the visit that ages (about one in a thousand): reads
// only hide them, since a read never writes (SPEC §1). Not on every visit: the sweep stats
// every row older than the cutoff, and the hook's `gum add` must not pay for that per `cd`.
void forget_vanished_dirs(storage::database& db, int64_t now) {
  std::vector<std::string> gone;
  for (auto& path : storage::dirs_seen_before(db, now - forget_missing_after_seconds))
    if (!is_directory(path)) gone.push_back(std::move(path));
  storage::forget_dirs(db, gone);
}

}  // namespace

writer_actor::behavior_type writer_behavior(writer_pointer self,
                                            std::shared_ptr<storage::database> db,
                                            writer_options options) {
  self->state.db = std::move(db);
  self->state.options = options;
  // Shutdown flushes: every write that was accepted is committed (or answered with an error).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    flush(self);
    self->quit(msg.reason);
  });
  return {
      [self](replace_atom, projects_replacement& r) -> caf::result<refresh_result> {
        auto input = std::make_shared<projects_replacement>(std::move(r));
        const int64_t fixed_now = self->state.options.fixed_now;
        return enqueue<refresh_result>(self, [input, fixed_now](storage::database& db) {
          auto now = fixed_now > 0 ? fixed_now : storage::unix_now();
          auto counts = storage::replace_projects(db, input->configured_roots, input->roots,
                                                  input->projects, now, input->duration_ms,
                                                  input->ttl_seconds);
          refresh_result result;
          result.roots = input->roots;
          result.projects = counts.total;
          result.added = counts.added;
          result.removed = counts.removed;
          result.duration_ms = input->duration_ms;
          result.unreadable_paths = input->unreadable_paths;
          result.linked = storage::count_linked_projects(db);
          return result;
        });
      },
      [self](visit_atom, std::vector<std::string>& paths) -> caf::result<int64_t> {
        auto input = std::make_shared<std::vector<std::string>>(std::move(paths));
        return enqueue<int64_t>(self, [input](storage::database& db) {
          auto now = storage::unix_now();
          bool aged = false;
          auto recorded = storage::record_visits(db, *input, now, &aged);
          if (aged) forget_vanished_dirs(db, now);
          return recorded;
        });
      },
      [self](import_atom, std::vector<dir_entry>& entries) -> caf::result<int64_t> {
        auto input = std::make_shared<std::vector<imported_dir>>();
        for (auto& e : entries) input->push_back(imported_dir{e.path, e.rank, e.last_seen});
        return enqueue<int64_t>(self, [input](storage::database& db) {
          auto now = storage::unix_now();
          auto imported = storage::import_dirs(db, *input, now);
          forget_vanished_dirs(db, now);
          return imported;
        });
      },
      [self](clear_atom, const std::string& dataset) -> caf::result<int64_t> {
        if (dataset != "projects" && dataset != "dirs")
          return make_error(status::fail(status_code::usage, "unknown dataset '" + dataset + "'"));
        return enqueue<int64_t>(self, [dataset](storage::database& db) {
          return dataset == "projects" ? storage::clear_projects(db) : storage::clear_dirs(db);
        });
      },
      [self](apply_atom, github_changes& changes) -> caf::result<sync_result> {
        auto input = std::make_shared<github_changes>(std::move(changes));
        return enqueue<sync_result>(self, [input](storage::database& db) {
          return storage::apply_github_changes(db, *input, storage::unix_now());
        });
      },
      [self](failed_atom, sync_failure& failure) -> caf::result<int64_t> {
        auto input = std::make_shared<sync_failure>(std::move(failure));
        return enqueue<int64_t>(self, [input](storage::database& db) {
          return storage::record_failed_sync(db, *input, storage::unix_now());
        });
      },
      [self](repair_atom) -> caf::result<std::vector<std::string>> {
        return enqueue<std::vector<std::string>>(
            self, [](storage::database& db) { return storage::repair(db, storage::unix_now()); });
      },
      [self](checkpoint_atom) -> std::vector<std::string> {
        // A checkpoint cannot run inside a transaction: commit what is pending first.
        flush(self);
        return storage::truncate_wal_for_repair(*self->state.db);
      },
      [self](flush_atom) -> int64_t {
        flush(self);
        return self->state.committed;
      },
      [self](tick_atom, uint64_t generation) {
        if (generation == self->state.generation) flush(self);
      },
      [self](add_project_atom, project& p) -> caf::result<int64_t> {
        auto input = std::make_shared<project>(std::move(p));
        return enqueue<int64_t>(self, [input](storage::database& db) {
          return storage::upsert_project(db, *input, storage::unix_now()) ? int64_t{1}
                                                                          : int64_t{0};
        });
      },
      [self](migrate_atom, legacy_import& legacy) -> caf::result<legacy_import_result> {
        auto input = std::make_shared<legacy_import>(std::move(legacy));
        return enqueue<legacy_import_result>(self, [input](storage::database& db) {
          return storage::apply_legacy_import(db, *input, storage::unix_now());
        });
      },
      [self](remove_dirs_atom, std::vector<std::string>& paths) -> caf::result<int64_t> {
        auto input = std::make_shared<std::vector<std::string>>(std::move(paths));
        return enqueue<int64_t>(
            self, [input](storage::database& db) { return storage::remove_dirs(db, *input); });
      },
  };
}


writer_actor spawn_writer(caf::actor_system& system, std::shared_ptr<storage::database> db,
                          writer_options options) {
  return system.spawn<caf::detached>(writer_behavior, std::move(db), options);
}

}  // namespace gum
