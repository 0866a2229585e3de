// storage/projects_store.cpp: SQL for the projects index.
//
// replace_projects diffs the new scan against the rows already stored for the scanned roots
// and writes only the difference: a refresh of 10 000 unchanged projects costs one read of the
// old rows and no row writes, which keeps the write lock short for the other processes.
#include "storage/projects_store.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/remote_url.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"

namespace gum::storage {

namespace {

struct stored_project {
  int64_t id;
  int64_t root_id;
  std::string name, kind;
  std::optional<std::string> remote_url, branch;
};

int64_t upsert_root(database& db, const root_scan& root, int64_t now) {
  auto& stmt = db.prepare(
      "INSERT INTO project_dirs(path, last_scanned, repo_count, scan_ms) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(path) DO UPDATE SET last_scanned = excluded.last_scanned, "
      "repo_count = excluded.repo_count, scan_ms = excluded.scan_ms RETURNING id");
  stmt.bind(1, std::string_view(root.path)).bind(2, now).bind(3, root.repo_count).bind(4, root.scan_ms);
  if (!stmt.step()) db.fail(0, "cannot record root " + root.path);
  int64_t id = stmt.column_int(0);
  stmt.run();
  return id;
}

// Binds the parameters every project INSERT and full UPDATE share: ?1 path, ?2 name,
// ?3 root_id, ?4 kind, ?5 remote_url, ?6 branch, ?7 remote_key, ?8 now.
statement& bind_project(statement& stmt, const project& p, int64_t root_id, int64_t now) {
  return stmt.reset()
      .bind(1, std::string_view(p.path))
      .bind(2, std::string_view(p.name))
      .bind(3, root_id)
      .bind(4, std::string_view(p.kind))
      .bind(5, p.remote_url)
      .bind(6, p.branch)
      .bind(7, remote_key_for(p.remote_url))
      .bind(8, now);
}

// Sorts bytewise by path (SQLite's BINARY collation), moving each project at most once.
void sort_by_path(std::vector<project>& projects) {
  auto by_path = [](const project& a, const project& b) { return a.path < b.path; };
  if (std::is_sorted(projects.begin(), projects.end(), by_path)) return;
  std::vector<size_t> order(projects.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return projects[a].path < projects[b].path; });
  std::vector<project> sorted;
  sorted.reserve(projects.size());
  for (size_t i : order) sorted.push_back(std::move(projects[i]));
  projects = std::move(sorted);
}

}  // namespace

std::optional<std::string> remote_key_for(const std::optional<std::string>& remote_url) {
  if (!remote_url) return std::nullopt;
  auto ref = parse_remote_url(*remote_url);
  if (!ref) return std::nullopt;
  std::string key = ref->host + "/" + ref->owner + "/" + ref->name;
  for (auto& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

void touch_dataset(database& db, const std::string& key, int64_t now, int64_t item_count,
                   std::optional<int64_t> ttl_seconds, std::optional<int64_t> duration_ms) {
  db.prepare(
        "INSERT INTO cache_metadata(cache_key, last_updated, ttl_seconds, item_count, "
        "last_duration_ms) VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(cache_key) DO UPDATE SET "
        "last_updated = excluded.last_updated, ttl_seconds = excluded.ttl_seconds, "
        "item_count = excluded.item_count, last_duration_ms = excluded.last_duration_ms")
      .bind(1, std::string_view(key))
      .bind(2, now)
      .bind(3, ttl_seconds)
      .bind(4, item_count)
      .bind(5, duration_ms)
      .run();
}

replace_counts replace_projects(database& db, const std::vector<std::string>& configured_roots,
                                const std::vector<root_scan>& roots,
                                const std::vector<project>& projects, int64_t now,
                                int64_t duration_ms, int64_t ttl_seconds) {
  replace_counts counts;
  // Roots that left the configuration take their projects with them (ON DELETE CASCADE).
  {
    std::vector<std::pair<int64_t, std::string>> stored;
    auto& all = db.prepare("SELECT id, path FROM project_dirs");
    while (all.step()) stored.emplace_back(all.column_int(0), all.column_text(1));
    all.reset();
    for (auto& [id, path] : stored) {
      bool configured = false;
      for (auto& r : configured_roots) configured = configured || r == path;
      if (configured) continue;
      counts.removed += db.query_int("SELECT count(*) FROM projects WHERE root_id = " +
                                     std::to_string(id));
      db.prepare("DELETE FROM project_dirs WHERE id = ?1").bind(1, id).run();
    }
  }
  std::unordered_map<std::string, int64_t> root_ids;
  for (auto& root : roots) root_ids[root.path] = upsert_root(db, root, now);

  // What is stored now for the scanned roots.
  std::unordered_map<std::string, stored_project> old;
  {
    auto& sel = db.prepare(
        "SELECT path, id, root_id, name, kind, remote_url, branch FROM projects "
        "WHERE root_id = ?1");
    for (auto& [path, id] : root_ids) {
      sel.reset().bind(1, id);
      while (sel.step())
        old.emplace(sel.column_text(0),
                    stored_project{sel.column_int(1), sel.column_int(2), sel.column_text(3),
                                   sel.column_text(4), sel.column_optional_text(5),
                                   sel.column_optional_text(6)});
    }
    sel.reset();
  }

  // Three statements, so that each write touches only the indexes it must: a new project is
  // inserted; a changed branch, name or kind is updated in place by rowid (no index changes);
  // only a changed root or remote also rewrites root_id, remote_key and the GitHub link.
  auto& insert = db.prepare(
      "INSERT INTO projects(path, name, root_id, kind, remote_url, branch, remote_key, "
      "github_repo_id, discovered_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "(SELECT id FROM github_repos WHERE repo_key = ?7), ?8, ?8)");
  auto& update_plain = db.prepare(
      "UPDATE projects SET name = ?2, kind = ?3, branch = ?4, updated_at = ?5 WHERE id = ?1");
  // Same parameters as `insert` (?1 is the path there, unused here), plus ?9 for the rowid.
  auto& update_all = db.prepare(
      "UPDATE projects SET name = ?2, root_id = ?3, kind = ?4, remote_url = ?5, branch = ?6, "
      "remote_key = ?7, github_repo_id = (SELECT id FROM github_repos WHERE repo_key = ?7), "
      "updated_at = ?8 WHERE id = ?9 AND path = ?1");
  for (auto& p : projects) {
    auto root = root_ids.find(p.root);
    if (root == root_ids.end()) continue;  // not a scanned root: never written by this refresh
    auto found = old.find(p.path);
    if (found == old.end()) {
      ++counts.added;
      bind_project(insert, p, root->second, now).run();
      continue;
    }
    auto o = std::move(found->second);
    old.erase(found);
    bool same_links = o.root_id == root->second && o.remote_url == p.remote_url;
    if (same_links && o.name == p.name && o.kind == p.kind && o.branch == p.branch) continue;
    ++counts.updated;
    if (same_links) {
      update_plain.reset()
          .bind(1, o.id)
          .bind(2, std::string_view(p.name))
          .bind(3, std::string_view(p.kind))
          .bind(4, p.branch)
          .bind(5, now)
          .run();
    } else {
      bind_project(update_all, p, root->second, now).bind(9, o.id).run();
    }
  }
  // Whatever is left in `old` was not seen by this scan.
  auto& del = db.prepare("DELETE FROM projects WHERE id = ?1");
  for (auto& [path, row] : old) {
    del.reset().bind(1, row.id).run();
    ++counts.removed;
  }
  counts.total = db.query_int("SELECT count(*) FROM projects");
  touch_dataset(db, "projects", now, counts.total, ttl_seconds, duration_ms);
  return counts;
}

namespace {

// The roots are few: read once and joined in memory by both project readers below.
std::unordered_map<int64_t, std::string> read_roots(database& db) {
  std::unordered_map<int64_t, std::string> roots;
  auto& root_stmt = db.prepare("SELECT id, path FROM project_dirs");
  while (root_stmt.step()) roots.emplace(root_stmt.column_int(0), root_stmt.column_text(1));
  root_stmt.reset();
  return roots;
}

// Columns 0-5 of both readers' SELECT: path, name, root_id, kind, remote_url, branch.
project read_project_row(statement& stmt, const std::unordered_map<int64_t, std::string>& roots) {
  project p;
  p.path = stmt.column_text(0);
  p.name = stmt.column_text(1);
  auto root = roots.find(stmt.column_int(2));
  if (root != roots.end()) p.root = root->second;
  p.kind = stmt.column_text(3);
  p.remote_url = stmt.column_optional_text(4);
  p.branch = stmt.column_optional_text(5);
  return p;
}

// Columns 6-11 (the LEFT JOIN of github_repos), when column 6 is not null; `topics` is the
// prepared `SELECT value FROM json_each(?1)`.
void read_github_columns(statement& stmt, statement& topics, project& p) {
  if (stmt.column_is_null(6)) return;
  github_link link;
  link.full_name = stmt.column_text(6);
  link.stars = stmt.column_int(7);
  link.language = stmt.column_optional_text(8);
  if (auto json = stmt.column_optional_text(9)) {
    topics.reset().bind(1, std::string_view(*json));
    while (topics.step()) link.topics.push_back(topics.column_text(0));
    topics.reset();
  }
  link.archived = stmt.column_int(10) != 0;
  link.pushed_at = stmt.column_optional_text(11);
  p.github = std::move(link);
}

}  // namespace

std::vector<project> load_projects(database& db, bool with_github) {
  // Roots are few: read them once and join in memory. The projects are read in table order
  // (a sequential scan, 4 ms for 10 000 rows where walking the path index and looking each
  // row up takes 9 ms) and sorted here only when they are not already in path order, which
  // they are after the first refresh, since a refresh inserts in scan (path) order. A covering
  // index would give the order for free but halves the write rate of every refresh.
  const auto roots = read_roots(db);
  std::vector<project> out;
  out.reserve(static_cast<size_t>(
      db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key = 'projects'")));
  if (!with_github) {
    auto& stmt = db.prepare(
        "SELECT path, name, root_id, kind, remote_url, branch FROM projects");
    while (stmt.step()) out.push_back(read_project_row(stmt, roots));
    stmt.reset();
    sort_by_path(out);
    return out;
  }
  auto& stmt = db.prepare(
      "SELECT p.path, p.name, p.root_id, p.kind, p.remote_url, p.branch, g.full_name, g.stars, "
      "g.language, g.topics, g.archived, g.pushed_at FROM projects p "
      "LEFT JOIN github_repos g ON g.id = p.github_repo_id");
  auto& topics = db.prepare("SELECT value FROM json_each(?1)");
  while (stmt.step()) {
    project p = read_project_row(stmt, roots);
    read_github_columns(stmt, topics, p);
    out.push_back(std::move(p));
  }
  stmt.reset();
  sort_by_path(out);
  return out;
}

int64_t for_each_project(database& db, bool with_github,
                         const std::function<bool(project&&)>& visit) {
  // In path order through the path index, so the first row can be printed before the last is
  // read: no list is built. (load_projects reads in table order and sorts, which is cheaper
  // when the whole list is wanted anyway.)
  const auto roots = read_roots(db);
  auto& stmt = db.prepare(
      with_github
          ? "SELECT p.path, p.name, p.root_id, p.kind, p.remote_url, p.branch, g.full_name, "
            "g.stars, g.language, g.topics, g.archived, g.pushed_at FROM projects p "
            "LEFT JOIN github_repos g ON g.id = p.github_repo_id ORDER BY p.path"
          : "SELECT path, name, root_id, kind, remote_url, branch FROM projects ORDER BY path");
  auto& topics = db.prepare("SELECT value FROM json_each(?1)");
  int64_t rows = 0;
  try {
    while (stmt.step()) {
      ++rows;
      project p = read_project_row(stmt, roots);
      if (with_github) read_github_columns(stmt, topics, p);
      if (!visit(std::move(p))) break;
    }
  } catch (...) {
    stmt.reset();
    throw;
  }
  stmt.reset();
  return rows;
}

int64_t for_each_project_path(database& db, const std::function<bool(std::string_view)>& visit) {
  // A covering read of the UNIQUE index on path, as `sqlite3 'select path from projects order
  // by path'` does: the columns a path-only list does not print are never decoded.
  auto& stmt = db.prepare("SELECT path FROM projects ORDER BY path");
  int64_t rows = 0;
  try {
    while (stmt.step()) {
      ++rows;
      if (!visit(stmt.column_view(0))) break;
    }
  } catch (...) {
    stmt.reset();
    throw;
  }
  stmt.reset();
  return rows;
}

bool projects_built(database& db) {
  return db.query_int("SELECT count(*) FROM cache_metadata WHERE cache_key = 'projects'") > 0;
}

index_state read_index_state(database& db) {
  index_state state;
  auto& meta = db.prepare("SELECT last_updated FROM cache_metadata WHERE cache_key = 'projects'");
  if (meta.step()) {
    state.built = true;
    state.last_updated = meta.column_int(0);
  }
  meta.reset();
  auto& roots = db.prepare(
      "SELECT path FROM project_dirs WHERE last_scanned IS NOT NULL ORDER BY path");
  while (roots.step()) state.roots.push_back(roots.column_text(0));
  roots.reset();
  return state;
}

int64_t clear_projects(database& db) {
  int64_t removed = db.query_int("SELECT count(*) FROM projects");
  db.exec("DELETE FROM projects; DELETE FROM project_dirs; "
          "DELETE FROM cache_metadata WHERE cache_key = 'projects'");
  return removed;
}

int64_t link_projects(database& db) {
  db.exec(
      "UPDATE projects SET github_repo_id = (SELECT id FROM github_repos g WHERE g.repo_key = "
      "projects.remote_key) WHERE github_repo_id IS NOT (SELECT id FROM github_repos g WHERE "
      "g.repo_key = projects.remote_key)");
  return count_linked_projects(db);
}

int64_t count_linked_projects(database& db) {
  return db.query_int("SELECT count(*) FROM projects WHERE github_repo_id IS NOT NULL");
}

cache_stats read_cache_stats(database& db, int64_t now) {
  cache_stats stats;
  read_transaction snapshot(db);
  for (const char* table : {"project_dirs", "projects", "github_repos", "dir_usage",
                            "http_cache", "sync_runs", "cache_metadata"})
    stats.table_counts[table] = db.query_int(std::string("SELECT count(*) FROM ") + table);
  auto& stmt = db.prepare(
      "SELECT cache_key, item_count, last_updated, ttl_seconds, last_duration_ms FROM "
      "cache_metadata ORDER BY cache_key");
  while (stmt.step()) {
    dataset_stats d;
    d.key = stmt.column_text(0);
    d.item_count = stmt.column_int(1);
    d.age_seconds = now - stmt.column_int(2);
    d.ttl_seconds = stmt.column_optional_int(3);
    d.last_duration_ms = stmt.column_optional_int(4);
    stats.datasets.push_back(std::move(d));
  }
  stmt.reset();
  return stats;
}

bool upsert_project(database& db, const project& p, int64_t now) {
  db.prepare("INSERT INTO project_dirs(path) VALUES(?1) ON CONFLICT(path) DO NOTHING")
      .bind(1, std::string_view(p.root))
      .run();
  auto& root = db.prepare("SELECT id FROM project_dirs WHERE path = ?1");
  root.bind(1, std::string_view(p.root));
  if (!root.step()) db.fail(0, "cannot record root " + p.root);
  int64_t root_id = root.column_int(0);
  root.reset();
  auto& upsert = db.prepare(
      "INSERT INTO projects(path, name, root_id, kind, remote_url, branch, remote_key, "
      "github_repo_id, discovered_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "(SELECT id FROM github_repos WHERE repo_key = ?7), ?8, ?8) "
      "ON CONFLICT(path) DO UPDATE SET name = excluded.name, root_id = excluded.root_id, "
      "kind = excluded.kind, remote_url = excluded.remote_url, branch = excluded.branch, "
      "remote_key = excluded.remote_key, github_repo_id = excluded.github_repo_id, "
      "updated_at = excluded.updated_at RETURNING github_repo_id IS NOT NULL");
  bind_project(upsert, p, root_id, now);
  bool linked = upsert.step() && upsert.column_int(0) != 0;
  upsert.reset();
  db.exec("UPDATE cache_metadata SET item_count = (SELECT count(*) FROM projects) "
          "WHERE cache_key = 'projects'");
  return linked;
}

}  // namespace gum::storage
