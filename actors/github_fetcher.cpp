// actors/github_fetcher.cpp: the GitHub fetcher actor, one sync run per request (SPEC §3.3).
//
// Why it is built this way:
// - A run is: ask the cache for the stored validators (and the repositories whose metadata is
//   due), fetch everything with github_client, then hand ONE github_changes message to the
//   writer, which applies it in one transaction. Nothing is sent before every page has arrived
//   and parsed, so a failed or interrupted run changes nothing in github_repos; it is only
//   recorded (writer failed_atom -> a failed/interrupted sync_runs row).
// - --dry-run sends the same message to the cache instead (diff_atom): a read-only diff on the
//   cache's connection, so a dry run writes nothing at all, not even ETags or a sync_runs row.
// - The actor is detached: libcurl blocks its thread, never CAF's shared scheduler. It never
//   opens SQLite. Requests are awaited, so runs in one process are strictly sequential.
// - Cancellation is a shared std::atomic<bool> (engine_options::cancel) that the client polls
//   from libcurl's progress callback and its waits, so SIGINT/SIGTERM end a hanging run within
//   about a second.
// - The token reaches only github_client, which redacts it from every message and debug line.
#include "actors/github_fetcher.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include "net/http_transport.hpp"
#include "core/clock.hpp"
#include "core/remote_url.hpp"
#include "gum/build_info.hpp"

namespace gum {

namespace {

using clock_type = std::chrono::steady_clock;

// Writes --debug lines and the TTY progress line to stderr. Called by the client (under its
// own lock), so it only needs to be cheap.
struct stderr_reporter {
  bool debug = false;
  bool progress = false;
  int64_t requests = 0;
  std::mutex mutex;

  void line(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex);
    if (progress && text.rfind("GET ", 0) == 0) ++requests;
    std::string out;
    if (debug) {
      if (progress) out += "\r\033[K";
      out += "gum: debug: " + text + "\n";
    }
    if (progress)
      out += "\r\033[Kgum: syncing... " + std::to_string(requests) + " requests";
    std::cerr << out << std::flush;
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex);
    if (progress && requests > 0) std::cerr << "\r\033[K" << std::flush;
  }
};

// Everything one run fetched, or why it failed.
struct fetch_outcome {
  status st;
  github_changes changes;
};

// Does the network part of a run (blocking). Never touches SQLite.
fetch_outcome fetch_run(const config& cfg, const sync_options& opts, const std::string& api_url,
                        const github_snapshot& snap, const std::atomic<bool>* cancel,
                        stderr_reporter& reporter) {
  fetch_outcome out;
  auto& changes = out.changes;
  changes.summary.type = opts.type;
  changes.api_url = api_url;
  changes.host = git_host_for_api(api_url);

  github_client_options co;
  co.api_url = api_url;
  co.token = opts.token;
  co.user_agent = std::string("gum/") + GUM_VERSION;
  co.total_timeout_ms = std::max<int64_t>(cfg.github_timeout_seconds, 1) * 1000;
  co.connect_timeout_ms = std::min<int64_t>(10000, co.total_timeout_ms);
  co.max_wait_seconds = std::max<int64_t>(opts.max_wait_seconds, 0);
  co.max_pages = cfg.github_max_pages;
  co.max_page_bytes = cfg.github_max_page_bytes;
  co.max_run_bytes = cfg.github_max_run_bytes;
  co.cancel = cancel;
  if (opts.debug || opts.progress) co.debug = [&reporter](const std::string& l) { reporter.line(l); };
  github_client client(co);

  if (opts.type == "metadata") {
    std::vector<std::pair<std::string, bool>> due;
    due.reserve(snap.metadata_due.size());
    for (const auto& d : snap.metadata_due) due.emplace_back(d.full_name, d.want_topics);
    std::vector<fetched_metadata> fetched;
    out.st = client.fetch_metadata(
        due,
        [&](const std::string& full_name) -> std::optional<std::string> {
          auto it = snap.validators.find(languages_url(api_url, full_name));
          return it == snap.validators.end() ? std::nullopt : it->second.etag;
        },
        std::max(opts.jobs, 1), fetched);
    changes.summary.requests = client.requests();
    if (!out.st.ok()) return out;
    for (auto& f : fetched) {
      struct github_changes::metadata m;
      m.full_name = f.full_name;
      m.languages = std::move(f.languages);
      m.languages_changed = !f.languages_not_modified;
      m.topics = std::move(f.topics);
      m.languages_url = languages_url(api_url, f.full_name);
      m.languages_etag = f.languages_etag;
      if (f.languages_not_modified) ++changes.summary.not_modified;
      changes.metadata.push_back(std::move(m));
    }
    return out;
  }

  const bool full = opts.type == "full";
  std::vector<fetched_page> pages;
  out.st = client.fetch_listing(
      !full,
      [&](const std::string& url) {
        page_validator v;
        if (auto it = snap.validators.find(url); it != snap.validators.end()) {
          v.etag = it->second.etag;
          v.last_modified = it->second.last_modified;
          v.next_url = it->second.next_url;
        }
        return v;
      },
      pages);
  changes.summary.requests = client.requests();
  changes.summary.pages = static_cast<int64_t>(pages.size());
  if (!out.st.ok()) return out;
  changes.listing_complete = full;
  // A repository can appear on two pages when the listing shifts during pagination: keep one
  // entry per id, with the data fetched last.
  std::unordered_map<int64_t, size_t> index;
  for (auto& p : pages) {
    if (p.not_modified) {
      ++changes.summary.not_modified;
      continue;
    }
    changes.pages.push_back({p.url, p.etag, p.last_modified, p.next_url});
    for (auto& r : p.repos) {
      auto [it, inserted] = index.emplace(r.github_id, changes.repos.size());
      if (inserted)
        changes.repos.push_back(std::move(r));
      else
        changes.repos[it->second] = std::move(r);
    }
  }
  return out;
}

}  // namespace

github_actor::behavior_type github_behavior(github_pointer self, config cfg, cache_actor cache,
                                            writer_actor writer,
                                            std::shared_ptr<std::atomic<bool>> cancel) {
  self->state.cfg = std::move(cfg);
  self->state.cache = std::move(cache);
  self->state.writer = std::move(writer);
  self->state.cancel = std::move(cancel);
  return {
      [self](sync_atom, sync_options& opts) -> caf::result<sync_result> {
        if (opts.type != "full" && opts.type != "incremental" && opts.type != "metadata")
          return make_error(status::fail(status_code::usage,
                                         "unknown sync type '" + opts.type +
                                             "' (expected full, incremental or metadata)"));
        if (opts.token.empty())
          return make_error(status::fail(status_code::usage, "no GitHub token",
                                         "set GH_TOKEN or GITHUB_TOKEN, or run `gh auth login`"));
        if (!opts.dry_run && !self->state.writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        std::string api_url = opts.api_url.empty() ? self->state.cfg.github_api_url : opts.api_url;
        while (!api_url.empty() && api_url.back() == '/') api_url.pop_back();
        auto rp = self->make_response_promise<sync_result>();
        auto options = std::make_shared<sync_options>(std::move(opts));
        const int64_t started_at = unix_now();
        self->request(self->state.cache, caf::infinite, snapshot_atom::value)
            .await(
                [self, rp, options, api_url, started_at](github_snapshot& snap) mutable {
                  auto& st = self->state;
                  const std::atomic<bool>* cancel = st.cancel.get();
                  stderr_reporter reporter;
                  reporter.debug = options->debug;
                  reporter.progress = options->progress;
                  auto t0 = clock_type::now();
                  auto outcome = fetch_run(st.cfg, *options, api_url, snap, cancel, reporter);
                  reporter.finish();
                  if (outcome.st.ok() && cancel && cancel->load())
                    outcome.st = status::fail(status_code::interrupted, "interrupted");
                  auto& changes = outcome.changes;
                  changes.started_at = started_at;
                  changes.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                            clock_type::now() - t0)
                                            .count();
                  if (!outcome.st.ok()) {
                    auto err = make_error(outcome.st);
                    if (options->dry_run) {  // a dry run records nothing, not even a failure
                      rp.deliver(err);
                      return;
                    }
                    sync_failure failure;
                    failure.type = options->type;
                    failure.started_at = started_at;
                    failure.status =
                        outcome.st.code == status_code::interrupted ? "interrupted" : "failed";
                    failure.error = outcome.st.message;
                    failure.pages = changes.summary.pages;
                    self->request(st.writer, caf::infinite, failed_atom::value, std::move(failure))
                        .await([rp, err](int64_t) mutable { rp.deliver(err); },
                               [rp, err](caf::error&) mutable { rp.deliver(err); });
                    return;
                  }
                  if (options->dry_run) {
                    self->request(st.cache, caf::infinite, diff_atom::value, std::move(changes))
                        .await([rp](sync_result& r) mutable { rp.deliver(std::move(r)); },
                               [rp](caf::error& e) mutable { rp.deliver(e); });
                    return;
                  }
                  // A run whose changes cannot be applied is a failed run, recorded as one
                  // (its transaction rolled back, so github_repos is as it was).
                  const std::string type = options->type;
                  const int64_t pages = changes.summary.pages;
                  auto writer = st.writer;
                  self->request(writer, caf::infinite, apply_atom::value, std::move(changes))
                      .await([rp](sync_result& r) mutable { rp.deliver(std::move(r)); },
                             [self, rp, writer, type, started_at, pages](caf::error& e) mutable {
                               sync_failure failure;
                               failure.type = type;
                               failure.started_at = started_at;
                               failure.status = "failed";
                               failure.error = to_status(e).message;
                               failure.pages = pages;
                               self->request(writer, caf::infinite, failed_atom::value,
                                             std::move(failure))
                                   .await([rp, e](int64_t) mutable { rp.deliver(e); },
                                          [rp, e](caf::error&) mutable { rp.deliver(e); });
                             });
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
  };
}


github_actor spawn_github_fetcher(caf::actor_system& system, config cfg, cache_actor cache,
                                  writer_actor writer,
                                  std::shared_ptr<std::atomic<bool>> cancel) {
  return system.spawn<caf::detached>(github_behavior, std::move(cfg), std::move(cache),
                                     std::move(writer), std::move(cancel));
}

}  // namespace gum
