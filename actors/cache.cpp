// actors/cache.cpp: reads, one snapshot per answer.
//
// Why it never writes (SPEC §1): readers run concurrently with writers in other processes, and
// a read that wrote would take the write lock on a path users expect to be instant (`gum jump`
// on every keystroke of a prompt). Vanished directories are therefore only hidden here; the
// writer forgets them.
#include "actors/cache.hpp"

#include <algorithm>

#include "core/frecency.hpp"
#include "core/paths.hpp"
#include "core/project_query.hpp"
#include "storage/database.hpp"
#include "storage/dirs_store.hpp"
#include "storage/github_store.hpp"
#include "storage/projects_store.hpp"

namespace gum {

namespace {

// Opens the read-only connection on first use: a process that only writes never pays for it.
storage::database& connection(cache_pointer self) {
  auto& st = self->state;
  if (!st.db) {
    storage::open_options opts;
    opts.path = st.options.database_path;
    opts.read_only = true;
    opts.busy_timeout_ms = st.options.busy_timeout_ms;
    st.db = std::make_unique<storage::database>(storage::database::open(opts));
  }
  return *st.db;
}

// Runs `read`; a storage error becomes the error reply (an empty error means success).
template <class F>
caf::error guarded(F&& read) {
  try {
    read();
    return {};
  } catch (const storage::storage_error& e) {
    return make_error(e.error_status());
  } catch (const std::exception& e) {
    return make_error(status::fail(status_code::failure, e.what()));
  }
}

// The clock the index's freshness is judged by (GUM_TEST_NOW in tests).
int64_t freshness_now(cache_pointer self) {
  auto fixed = self->state.options.fixed_now;
  return fixed > 0 ? fixed : storage::unix_now();
}

// Rows per chunk of a streamed list: small enough that a chunk of projects stays a few tens of
// kilobytes, large enough that the sink's per-call cost vanishes.
constexpr size_t chunk_rows = 256;

// Reads the projects of the open snapshot into `sink` in chunks, with the query applied as
// apply_query applies it to a list: filtering and --limit as the rows go by (the read stops at
// the limit), and only --similar, which ranks the matches, collects them first.
void stream_list(storage::database& db, const project_query& query, project_sink& sink) {
  std::vector<project> chunk;
  chunk.reserve(chunk_rows);
  bool open = true;
  auto deliver = [&] {
    if (open && !chunk.empty()) open = sink.write(chunk.data(), chunk.size());
    chunk.clear();
    return open;
  };
  const smartcase_search search(query.search);
  auto matches = [&](const project& p) { return search.empty() || project_matches(p, search); };
  if (!query.similar.empty()) {
    std::vector<project> found;
    storage::for_each_project(db, query.with_github, [&](project&& p) {
      if (matches(p)) found.push_back(std::move(p));
      return true;
    });
    rank_by_similarity(found, query.similar);
    if (query.limit >= 0 && static_cast<uint64_t>(query.limit) < found.size())
      found.resize(static_cast<size_t>(query.limit));
    for (size_t at = 0; open && at < found.size(); at += chunk_rows)
      open = sink.write(found.data() + at, std::min(chunk_rows, found.size() - at));
    return;
  }
  int64_t left = query.limit;
  if (left == 0) return;
  if (sink.paths_only() && query.search.empty() && !query.with_github) {
    // Only paths are printed and none is filtered: a covering read of the path index, into
    // one chunk of rows whose strings are reused, so a row costs no allocation.
    std::vector<project> rows(chunk_rows);
    size_t filled = 0;
    storage::for_each_project_path(db, [&](std::string_view path) {
      rows[filled++].path.assign(path.data(), path.size());
      const bool last = left > 0 && --left == 0;
      if (filled == chunk_rows) {
        open = sink.write(rows.data(), filled);
        filled = 0;
      }
      return open && !last;
    });
    if (open && filled > 0) sink.write(rows.data(), filled);
    return;
  }
  storage::for_each_project(db, query.with_github, [&](project&& p) {
    if (!matches(p)) return true;
    chunk.push_back(std::move(p));
    if (left > 0 && --left == 0) return false;
    return chunk.size() < chunk_rows || deliver();
  });
  deliver();
}

// keep_lists: the query applied to a kept list (in path order) as apply_query applies it,
// copying only the rows the answer keeps (a search with --limit stops at the limit).
std::vector<project> select_projects(const std::vector<project>& rows,
                                     const project_query& query) {
  std::vector<project> out;
  const smartcase_search search(query.search);
  auto matches = [&](const project& p) { return search.empty() || project_matches(p, search); };
  if (!query.similar.empty()) {
    std::vector<const project*> candidates;
    for (const auto& p : rows)
      if (matches(p)) candidates.push_back(&p);
    const auto order = similarity_order(candidates, query.similar);
    size_t keep = order.size();
    if (query.limit >= 0 && static_cast<uint64_t>(query.limit) < keep)
      keep = static_cast<size_t>(query.limit);
    out.reserve(keep);
    for (size_t i = 0; i < keep; ++i) out.push_back(*candidates[order[i]]);
    return out;
  }
  if (query.search.empty() && query.limit < 0) return rows;
  for (const auto& p : rows) {
    if (query.limit >= 0 && static_cast<int64_t>(out.size()) >= query.limit) break;
    if (matches(p)) out.push_back(p);
  }
  return out;
}

// keep_lists: the projects of the open snapshot, read from the database only when another
// connection committed since the kept list was read, then the query applied. A whole list is
// answered with its serialised bytes (projects_reply::serialized_projects), made once per kept
// list: the reader's thread serialises it, not the network layer's, and only once.
void answer_kept(cache_pointer self, storage::database& db, const project_query& query,
                 projects_reply& reply) {
  auto& kept = self->state.kept[query.with_github ? 1 : 0];
  const int64_t version = storage::data_version(db);
  if (!kept.valid || kept.data_version != version) {
    kept.valid = false;
    kept.serialized.reset();
    kept.rows = storage::load_projects(db, query.with_github);
    auto by_path = [](const project& a, const project& b) { return a.path < b.path; };
    if (!std::is_sorted(kept.rows.begin(), kept.rows.end(), by_path))
      std::sort(kept.rows.begin(), kept.rows.end(), by_path);
    kept.data_version = version;
    kept.valid = true;
  }
  if (query.search.empty() && query.similar.empty() && query.limit < 0) {
    if (!kept.serialized) {
      auto bytes = std::make_shared<std::vector<char>>();
      caf::binary_serializer sink{self->system(), *bytes};
      if (sink(kept.rows)) {  // cannot happen for strings and integers; then send the rows
        reply.projects = kept.rows;
        return;
      }
      kept.serialized = std::move(bytes);
    }
    reply.serialized_projects = kept.serialized;
    return;
  }
  reply.projects = select_projects(kept.rows, query);
}

}  // namespace

cache_actor::behavior_type cache_behavior(cache_pointer self, cache_options options,
                                          scanner_actor scanner) {
  self->state.options = std::move(options);
  self->state.scanner = std::move(scanner);
  return {
      [self](projects_atom, project_query& query) -> caf::result<projects_reply> {
        // Freshness is judged on the snapshot that answers (SPEC §3.1): never built, built
        // from other roots than the configured ones, or older than cache.ttl means stale.
        bool built = false;
        const bool can_rebuild = static_cast<bool>(self->state.scanner);
        projects_reply reply;
        bool selected = false;  // keep_lists: the query is applied already
        auto err = guarded([&] {
          auto& db = connection(self);
          storage::read_transaction snapshot(db);
          auto index = storage::read_index_state(db);
          built = index.built;
          const auto& opts = self->state.options;
          reply.stale_reason = index_staleness(index, opts.roots, opts.ttl_seconds,
                                               freshness_now(self), opts.home);
          if (built && (reply.stale_reason.empty() || !query.build_if_missing || !can_rebuild)) {
            if (opts.keep_lists) {
              answer_kept(self, db, query, reply);
              selected = true;
            } else {
              reply.projects = storage::load_projects(db, query.with_github);
            }
          }
        });
        if (err) return err;
        // Without a scanner (a database that cannot be written, or a cache-only engine) a stale
        // index is served as it is: the last committed list beats no list.
        if (reply.stale_reason.empty() || !query.build_if_missing || !can_rebuild) {
          ++self->state.hits;
          if (!selected) apply_query(reply.projects, query);
          reply.hit = built;
          return reply;
        }
        // Not fresh: rebuild it now (one refresh, through the scanner and the writer), then
        // answer from what was committed. A read never writes itself.
        ++self->state.misses;
        auto rp = self->make_response_promise<projects_reply>();
        self->request(self->state.scanner, caf::infinite, refresh_atom::value)
            .then(
                [self, rp, query, reason = reply.stale_reason](const refresh_result&) mutable {
                  projects_reply fresh;
                  fresh.stale_reason = std::move(reason);
                  auto again = guarded([&] {
                    auto& db = connection(self);
                    storage::read_transaction snapshot(db);
                    fresh.projects = storage::load_projects(db, query.with_github);
                  });
                  if (again) {
                    rp.deliver(again);
                    return;
                  }
                  apply_query(fresh.projects, query);
                  fresh.hit = false;
                  rp.deliver(std::move(fresh));
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](stream_projects_atom, project_query& query,
             project_sink_ptr& sink) -> caf::result<projects_reply> {
        // The same freshness rules as the list above; the rows go to the sink as they are read.
        if (!sink) return make_error(status::fail(status_code::failure, "no sink for the list"));
        const bool can_rebuild = static_cast<bool>(self->state.scanner);
        projects_reply reply;
        bool served = false;
        auto err = guarded([&] {
          auto& db = connection(self);
          storage::read_transaction snapshot(db);
          auto index = storage::read_index_state(db);
          const auto& opts = self->state.options;
          reply.stale_reason = index_staleness(index, opts.roots, opts.ttl_seconds,
                                               freshness_now(self), opts.home);
          reply.hit = index.built;
          if (reply.stale_reason.empty() || !query.build_if_missing || !can_rebuild) {
            served = true;
            if (index.built) stream_list(db, query, *sink);
          }
        });
        if (err) return err;
        if (served) {
          ++self->state.hits;
          return reply;
        }
        ++self->state.misses;
        auto rp = self->make_response_promise<projects_reply>();
        self->request(self->state.scanner, caf::infinite, refresh_atom::value)
            .then(
                [self, rp, query, sink,
                 reason = reply.stale_reason](const refresh_result&) mutable {
                  projects_reply fresh;
                  fresh.stale_reason = std::move(reason);
                  fresh.hit = false;
                  auto again = guarded([&] {
                    auto& db = connection(self);
                    storage::read_transaction snapshot(db);
                    stream_list(db, query, *sink);
                  });
                  if (again) {
                    rp.deliver(again);
                    return;
                  }
                  rp.deliver(std::move(fresh));
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](dirs_atom, dir_query& query) -> caf::result<std::vector<dir_entry>> {
        std::vector<dir_entry> all;
        // SQLite prefilters by the keywords (in order, ignoring case); keyword_matcher below
        // adds the last-component rule.
        auto err = guarded([&] { all = storage::load_dirs(connection(self), query.keywords); });
        if (err) return err;
        int64_t now = query.now > 0 ? query.now : storage::unix_now();
        std::vector<dir_entry> out;
        const keyword_matcher matches(query.keywords);
        for (auto& e : all) {
          if (!matches(e.path)) continue;
          if (!query.exclude_path.empty() && e.path == query.exclude_path) continue;
          e.score = frecency_score(e.rank, e.last_seen, now);
          out.push_back(std::move(e));
        }
        std::sort(out.begin(), out.end(), [](const dir_entry& a, const dir_entry& b) {
          if (a.score != b.score) return a.score > b.score;
          if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
          return a.path < b.path;
        });
        // Existence is checked best-first, so `gum jump` stats only what it needs.
        std::vector<dir_entry> kept;
        for (auto& e : out) {
          if (query.limit >= 0 && static_cast<int64_t>(kept.size()) >= query.limit) break;
          // A vanished directory is skipped; forgetting it is a write, done by the writer.
          if (query.only_existing && !is_directory(e.path)) continue;
          kept.push_back(std::move(e));
        }
        return kept;
      },
      [self](github_atom, github_query& query) -> caf::result<std::vector<github_repo>> {
        std::vector<github_repo> repos;
        auto err = guarded([&] {
          auto& db = connection(self);
          storage::read_transaction snapshot(db);
          if (!self->state.options.keep_lists) {
            repos = storage::query_github(db, query);
            return;
          }
          auto& kept = self->state.kept_repos;
          const int64_t version = storage::data_version(db);
          if (!kept.valid || kept.data_version != version) {
            kept.valid = false;
            kept.rows = storage::query_github(db, github_query{});
            kept.data_version = version;
            kept.valid = true;
          }
          repos = storage::select_github(kept.rows, query);
        });
        if (err) return err;
        return repos;
      },
      [self](snapshot_atom) -> caf::result<github_snapshot> {
        github_snapshot result;
        auto err = guarded([&] {
          auto& db = connection(self);
          storage::read_transaction snapshot(db);
          result = storage::read_github_snapshot(db);
        });
        if (err) return err;
        return result;
      },
      [self](diff_atom, github_changes& changes) -> caf::result<sync_result> {
        sync_result result;
        auto err = guarded([&] {
          auto& db = connection(self);
          storage::read_transaction snapshot(db);
          result = storage::diff_github_changes(db, changes);
        });
        if (err) return err;
        return result;
      },
      [self](stats_atom) -> caf::result<cache_stats> {
        cache_stats stats;
        auto err = guarded(
            [&] { stats = storage::read_cache_stats(connection(self), freshness_now(self)); });
        if (err) return err;
        stats.hits = self->state.hits;
        stats.misses = self->state.misses;
        return stats;
      },
  };
}

cache_actor spawn_cache(caf::actor_system& system, cache_options options, scanner_actor scanner) {
  return system.spawn<caf::detached>(cache_behavior, std::move(options), std::move(scanner));
}

}  // namespace gum
