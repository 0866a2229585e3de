// storage/legacy_store.cpp: SQL for `gum migrate` (see legacy_store.hpp for the rules).
//
// Everything here runs inside the writer's transaction: a failure anywhere throws
// storage_error and the writer rolls the whole import back, so it is never half-applied.
// Directories go through dirs_store's import_dirs, so dir_stats, cache_metadata and aging stay
// exactly as a visit would leave them; only the amount added (the difference up to the legacy
// score) is decided here.
#include "storage/legacy_store.hpp"

#include <map>
#include <string>
#include <vector>

#include "core/dir_importers.hpp"
#include "core/paths.hpp"
#include "storage/database.hpp"
#include "storage/dirs_store.hpp"
#include "storage/projects_store.hpp"

namespace gum::storage {

namespace {

// The id of the root at `path`, inserting it when missing (then `added` is set). A known root
// only gains the values it lacked, so a re-run changes nothing.
int64_t ensure_root(database& db, const std::string& path, const std::optional<int64_t>& last_scanned,
                    const std::optional<int64_t>& repo_count, bool& added) {
  auto& find = db.prepare("SELECT id FROM project_dirs WHERE path = ?1");
  find.bind(1, std::string_view(path));
  std::optional<int64_t> id;
  if (find.step()) id = find.column_int(0);
  find.reset();
  added = !id;
  if (id) {
    db.prepare("UPDATE project_dirs SET last_scanned = coalesce(last_scanned, ?2), "
               "repo_count = coalesce(repo_count, ?3) WHERE id = ?1")
        .bind(1, *id)
        .bind(2, last_scanned)
        .bind(3, repo_count)
        .run();
    return *id;
  }
  db.prepare("INSERT INTO project_dirs(path, last_scanned, repo_count) VALUES(?1, ?2, ?3)")
      .bind(1, std::string_view(path))
      .bind(2, last_scanned)
      .bind(3, repo_count)
      .run();
  return db.last_insert_rowid();
}

// The parent folder of a normalised absolute path ("/" for "/x").
std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

legacy_import_result apply_legacy_import(database& db, const legacy_import& legacy, int64_t now) {
  legacy_import_result result;

  // Roots named by the legacy files.
  for (auto& r : legacy.roots) {
    bool added = false;
    ensure_root(db, r.path, r.last_scanned, r.repo_count, added);
    if (added) ++result.roots_added;
  }

  // Where projects may go: every stored root, and the configured ones.
  std::vector<std::string> candidates = legacy.known_roots;
  {
    auto& all = db.prepare("SELECT path FROM project_dirs");
    while (all.step()) candidates.push_back(all.column_text(0));
    all.reset();
  }
  auto& insert = db.prepare(
      "INSERT INTO projects(path, name, root_id, kind, remote_url, branch, remote_key, "
      "github_repo_id, discovered_at, updated_at) VALUES(?1, ?2, ?3, 'repo', ?4, ?5, ?6, "
      "(SELECT id FROM github_repos WHERE repo_key = ?6), ?7, ?7) "
      "ON CONFLICT(path) DO NOTHING");
  for (auto& p : legacy.projects) {
    const std::string* best = nullptr;
    for (auto& c : candidates)
      if (path_is_under(p.path, c) && (!best || c.size() > best->size())) best = &c;
    std::string root = best ? *best : parent_of(p.path);
    if (!best) {
      ++result.projects_new_roots;
      candidates.push_back(root);
    }
    bool root_added = false;
    int64_t root_id = ensure_root(db, root, std::nullopt, std::nullopt, root_added);
    if (root_added) ++result.roots_added;
    insert.reset()
        .bind(1, std::string_view(p.path))
        .bind(2, path_basename(p.path))
        .bind(3, root_id)
        .bind(4, p.remote_url)
        .bind(5, p.branch)
        .bind(6, remote_key_for(p.remote_url))
        .bind(7, now)
        .run();
    if (db.changes() > 0) ++result.projects_added;
  }
  if (!legacy.projects.empty()) {
    int64_t count = db.query_int("SELECT count(*) FROM projects");
    if (projects_built(db))
      db.exec("UPDATE cache_metadata SET item_count = (SELECT count(*) FROM projects) "
              "WHERE cache_key = 'projects'");
    else
      touch_dataset(db, "projects", legacy.projects_timestamp.value_or(now), count,
                    legacy.projects_ttl, std::nullopt);
  }

  // Directories: raise each rank to the legacy score (max, never the sum).
  std::map<std::string, imported_dir> wanted;
  for (auto& d : legacy.dirs) {
    auto& w = wanted[d.path];
    w.path = d.path;
    w.rank = std::max(w.rank, d.rank);
    w.last_seen = std::max(w.last_seen, d.last_seen);
  }
  std::vector<imported_dir> deltas;
  auto& rank_of = db.prepare("SELECT rank FROM dir_usage WHERE path = ?1");
  for (auto& [path, d] : wanted) {
    if (!(d.rank > 0)) continue;
    rank_of.reset().bind(1, std::string_view(path));
    std::optional<double> rank;
    if (rank_of.step()) rank = rank_of.column_double(0);
    rank_of.reset();
    if (!rank) {
      ++result.dirs_added;
      deltas.push_back(d);
    } else if (*rank < d.rank) {
      ++result.dirs_raised;
      deltas.push_back(imported_dir{path, d.rank - *rank, d.last_seen});
    }
  }
  import_dirs(db, deltas, now);
  return result;
}

}  // namespace gum::storage
