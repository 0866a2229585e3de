// storage/github_store.cpp: github_repos, http_cache and sync_runs (SPEC §2, §3.3).
//
// Why it is built this way:
// - A run is planned in memory first (plan_run: which rows are added, updated, removed), then
//   either executed (apply_github_changes, inside the writer's transaction) or only reported
//   (diff_github_changes, on the cache's read-only connection for --dry-run). One planner for
//   both means a dry run prints exactly what a real run would do.
// - Rows that did not change are not rewritten, and an incremental run where every page was a
//   304 writes nothing but its sync_runs row: cron runs cost no write traffic.
// - "Updated" means a stored column changed. The comparison is made on the values as they
//   would be written (topics as JSON text, booleans as 0/1), so a run that rewrites the same
//   data reports 0 updated.
// - github_repos.repo_key is "host/owner/name" in lower case, taken from the repository's own
//   html_url (else clone_url, else ssh_url), never from the API URL: a GHE.com data-residency
//   host, or a loopback test server that serves github.com repositories, still links. Linking
//   a project (projects.remote_key, from storage::remote_key_for) is one indexed UPDATE
//   (storage::link_projects), run after every applied sync. The API's git host is only the
//   fallback for a listing entry without any URL.
// - A failed run is recorded in sync_runs only; github_repos is never touched by it.
#include "storage/github_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <ctime>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "storage/database.hpp"
#include "storage/projects_store.hpp"
#include "core/case_fold.hpp"
#include "core/text.hpp"

namespace gum::storage {

namespace {

std::string topics_json(const std::vector<std::string>& topics) {
  boost::json::array a;
  for (const auto& t : topics) a.emplace_back(t);
  return boost::json::serialize(a);
}

std::string languages_json(const std::map<std::string, int64_t>& languages) {
  boost::json::object o;
  for (const auto& [k, v] : languages) o[k] = v;
  return boost::json::serialize(o);
}

std::vector<std::string> parse_topics_json(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  boost::system::error_code ec;
  auto v = boost::json::parse(*text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_string()) out.emplace_back(e.as_string().data(), e.as_string().size());
  return out;
}

/// The listing columns of one github_repos row, as stored (or as they would be stored).
struct repo_columns {
  std::string full_name, owner, name;
  std::optional<std::string> description, topics, language;
  int64_t is_private = 0, fork = 0, archived = 0, is_template = 0;
  std::optional<std::string> visibility, default_branch, license;
  int64_t stars = 0, forks = 0, open_issues = 0, size = 0;
  std::optional<std::string> html_url, clone_url, ssh_url, created_at, updated_at, pushed_at;

  bool operator==(const repo_columns& o) const {
    return full_name == o.full_name && owner == o.owner && name == o.name &&
           description == o.description && topics == o.topics && language == o.language &&
           is_private == o.is_private && fork == o.fork && archived == o.archived &&
           is_template == o.is_template && visibility == o.visibility &&
           default_branch == o.default_branch && license == o.license && stars == o.stars &&
           forks == o.forks && open_issues == o.open_issues && size == o.size &&
           html_url == o.html_url && clone_url == o.clone_url && ssh_url == o.ssh_url &&
           created_at == o.created_at && updated_at == o.updated_at && pushed_at == o.pushed_at;
  }
  bool operator!=(const repo_columns& o) const { return !(*this == o); }
};

/// A stored row: its rowid, github_id, listing columns and metadata.
struct stored_repo {
  int64_t id = 0;
  int64_t github_id = 0;
  repo_columns columns;
  std::optional<std::string> languages;
};

// The columns a listing entry would write; topics keep `keep_topics` when the listing had none.
repo_columns columns_for(const github_repo& r, const std::optional<std::string>& keep_topics) {
  repo_columns c;
  c.full_name = r.full_name;
  c.owner = r.owner;
  c.name = r.name;
  c.description = r.description;
  c.topics = r.topics_known ? std::optional<std::string>(topics_json(r.topics)) : keep_topics;
  c.language = r.language;
  c.is_private = r.is_private;
  c.fork = r.fork;
  c.archived = r.archived;
  c.is_template = r.is_template;
  c.visibility = r.visibility;
  c.default_branch = r.default_branch;
  c.license = r.license;
  c.stars = r.stars;
  c.forks = r.forks;
  c.open_issues = r.open_issues;
  c.size = r.size;
  c.html_url = r.html_url;
  c.clone_url = r.clone_url;
  c.ssh_url = r.ssh_url;
  c.created_at = r.created_at;
  c.updated_at = r.updated_at;
  c.pushed_at = r.pushed_at;
  return c;
}

constexpr const char* select_stored =
    "SELECT id, github_id, full_name, owner, name, description, topics, language, private, fork, "
    "archived, template, visibility, default_branch, license, stars, forks, open_issues, size, "
    "html_url, clone_url, ssh_url, created_at, updated_at, pushed_at, languages FROM github_repos";

stored_repo read_stored(statement& s) {
  stored_repo r;
  r.id = s.column_int(0);
  r.github_id = s.column_int(1);
  auto& c = r.columns;
  c.full_name = s.column_text(2);
  c.owner = s.column_text(3);
  c.name = s.column_text(4);
  c.description = s.column_optional_text(5);
  c.topics = s.column_optional_text(6);
  c.language = s.column_optional_text(7);
  c.is_private = s.column_int(8);
  c.fork = s.column_int(9);
  c.archived = s.column_int(10);
  c.is_template = s.column_int(11);
  c.visibility = s.column_optional_text(12);
  c.default_branch = s.column_optional_text(13);
  c.license = s.column_optional_text(14);
  c.stars = s.column_int(15);
  c.forks = s.column_int(16);
  c.open_issues = s.column_int(17);
  c.size = s.column_int(18);
  c.html_url = s.column_optional_text(19);
  c.clone_url = s.column_optional_text(20);
  c.ssh_url = s.column_optional_text(21);
  c.created_at = s.column_optional_text(22);
  c.updated_at = s.column_optional_text(23);
  c.pushed_at = s.column_optional_text(24);
  r.languages = s.column_optional_text(25);
  return r;
}

/// One step of a planned run, executed in order (a conflicting name is removed before the row
/// that takes it over is written).
struct plan_step {
  enum kind_t { add, update, touch, remove } kind;
  const github_repo* repo = nullptr;  ///< add, update, touch
  int64_t row_id = 0;                 ///< update, touch, remove
  std::string full_name;              ///< for the +/~/- line
  repo_columns columns;               ///< add, update: what to write
};

/// A metadata result that changes a row.
struct metadata_step {
  int64_t row_id = 0;
  std::string full_name;
  bool changed = false;
  std::optional<std::string> languages;  ///< new JSON, when the reply was not a 304
  std::optional<std::string> topics;     ///< new JSON, when fetched
};

struct run_plan {
  std::vector<plan_step> steps;
  std::vector<metadata_step> metadata;
  int64_t added = 0, updated = 0, removed = 0, metadata_updated = 0;
  int64_t stored_before = 0;
  std::vector<std::string> warnings;  ///< listed repositories left out (case-only name clashes)
  bool repos_changed() const { return added + updated + removed > 0; }
};

// Works out what applying `changes` to the current rows would do. Reads only.
run_plan plan_run(database& db, const github_changes& changes) {
  run_plan plan;
  plan.stored_before = db.query_int("SELECT count(*) FROM github_repos");
  if (!changes.repos.empty() || changes.listing_complete) {
    std::unordered_map<int64_t, stored_repo> by_id;
    std::unordered_map<std::string, int64_t> id_by_name;  // lower(full_name) -> github_id
    by_id.reserve(static_cast<size_t>(plan.stored_before));
    auto& s = db.prepare(select_stored);
    while (s.step()) {
      stored_repo r = read_stored(s);
      id_by_name[ascii_lower(r.columns.full_name)] = r.github_id;
      by_id.emplace(r.github_id, std::move(r));
    }
    s.reset();
    // GitHub's names are unique ignoring case, and so is full_name here; but a listing fetched
    // page by page can hold two ids whose names differ only in case (one renamed, another
    // created with its old name, between two pages). The newest data wins (updated_at, then the
    // larger id); the other is left out of this run, with a warning, and a stored row of it is
    // removed below when the winner takes its name.
    std::unordered_set<int64_t> outdated;
    {
      std::unordered_map<std::string, const github_repo*> newest;  // lower(full_name) -> repo
      for (const auto& r : changes.repos) {
        auto [it, inserted] = newest.emplace(ascii_lower(r.full_name), &r);
        if (inserted || it->second->github_id == r.github_id) continue;
        const github_repo* other = it->second;
        auto stamp = [](const github_repo* x) { return x->updated_at.value_or(""); };
        const bool r_wins = stamp(&r) != stamp(other) ? stamp(&r) > stamp(other)
                                                      : r.github_id > other->github_id;
        const github_repo* winner = r_wins ? &r : other;
        const github_repo* loser = r_wins ? other : &r;
        outdated.insert(loser->github_id);
        it->second = winner;
        plan.warnings.push_back("not stored: " + loser->full_name + " (id " +
                                std::to_string(loser->github_id) + "), whose name differs only in "
                                "case from the newer " + winner->full_name + " (id " +
                                std::to_string(winner->github_id) + "); the next sync sees its new "
                                "name");
      }
    }
    std::unordered_set<int64_t> seen;
    seen.reserve(changes.repos.size());
    auto remove_row = [&](int64_t github_id) {
      auto it = by_id.find(github_id);
      if (it == by_id.end()) return;
      plan_step step{plan_step::remove, nullptr, it->second.id, it->second.columns.full_name, {}};
      id_by_name.erase(ascii_lower(it->second.columns.full_name));
      plan.steps.push_back(std::move(step));
      ++plan.removed;
      by_id.erase(it);
    };
    for (const auto& r : changes.repos) {
      if (outdated.count(r.github_id)) continue;
      if (!seen.insert(r.github_id).second) continue;  // the fetcher dedupes; be safe anyway
      const std::string key = ascii_lower(r.full_name);
      // Another repository holding this name is gone (renamed or replaced on GitHub).
      if (auto holder = id_by_name.find(key);
          holder != id_by_name.end() && holder->second != r.github_id)
        remove_row(holder->second);
      auto it = by_id.find(r.github_id);
      if (it == by_id.end()) {
        plan.steps.push_back({plan_step::add, &r, 0, r.full_name, columns_for(r, std::nullopt)});
        ++plan.added;
        id_by_name[key] = r.github_id;
        continue;
      }
      repo_columns next = columns_for(r, it->second.columns.topics);
      if (next != it->second.columns) {
        id_by_name.erase(ascii_lower(it->second.columns.full_name));
        id_by_name[key] = r.github_id;
        plan.steps.push_back({plan_step::update, &r, it->second.id, r.full_name, std::move(next)});
        ++plan.updated;
      } else {
        plan.steps.push_back({plan_step::touch, &r, it->second.id, r.full_name, {}});
      }
    }
    if (changes.listing_complete) {
      std::vector<int64_t> gone;
      for (const auto& [github_id, row] : by_id)
        if (!seen.count(github_id)) gone.push_back(github_id);
      // Sorted by name, so the "-" lines come out in a stable order.
      std::sort(gone.begin(), gone.end(), [&](int64_t a, int64_t b) {
        return by_id[a].columns.full_name < by_id[b].columns.full_name;
      });
      for (int64_t g : gone) remove_row(g);
    }
  }
  if (!changes.metadata.empty()) {
    auto& s = db.prepare("SELECT id, full_name, languages, topics FROM github_repos WHERE "
                         "full_name = ?1");
    for (const auto& m : changes.metadata) {
      s.reset().bind(1, std::string_view(m.full_name));
      if (!s.step()) continue;  // removed since the snapshot: nothing to attach it to
      metadata_step step;
      step.row_id = s.column_int(0);
      step.full_name = s.column_text(1);
      auto old_languages = s.column_optional_text(2);
      auto old_topics = s.column_optional_text(3);
      if (m.languages_changed) {
        step.languages = languages_json(m.languages);
        if (step.languages != old_languages) step.changed = true;
      }
      if (m.topics) {
        step.topics = topics_json(*m.topics);
        if (step.topics != old_topics) step.changed = true;
      }
      if (step.changed) ++plan.metadata_updated;
      plan.metadata.push_back(std::move(step));
    }
    s.reset();
  }
  return plan;
}

sync_result summary_of(const github_changes& changes, const run_plan& plan) {
  sync_result result = changes.summary;
  result.repos_seen = static_cast<int64_t>(changes.repos.size());
  result.added = plan.added;
  result.updated = plan.updated + plan.metadata_updated;
  result.removed = plan.removed;
  result.warnings = plan.warnings;
  return result;
}

// Binds ?2..?26 of the repository INSERT and UPDATE: the columns, then last_synced (?25) and
// repo_key (?26, host/owner/name in lower case, what projects are linked by).
void bind_columns(statement& s, const repo_columns& c, const std::string& host, int64_t now) {
  const std::string key = repo_key_for(c.html_url, c.clone_url, c.ssh_url, host, c.owner, c.name);
  s.bind(2, std::string_view(c.full_name))
      .bind(3, std::string_view(c.owner))
      .bind(4, std::string_view(c.name))
      .bind(5, c.description)
      .bind(6, c.topics)
      .bind(7, c.language)
      .bind(8, c.is_private)
      .bind(9, c.fork)
      .bind(10, c.archived)
      .bind(11, c.is_template)
      .bind(12, c.visibility)
      .bind(13, c.default_branch)
      .bind(14, c.license)
      .bind(15, c.stars)
      .bind(16, c.forks)
      .bind(17, c.open_issues)
      .bind(18, c.size)
      .bind(19, c.html_url)
      .bind(20, c.clone_url)
      .bind(21, c.ssh_url)
      .bind(22, c.created_at)
      .bind(23, c.updated_at)
      .bind(24, c.pushed_at)
      .bind(25, now)
      .bind(26, std::string_view(key));
}

void store_validator(database& db, const std::string& url, const std::optional<std::string>& etag,
                     const std::optional<std::string>& last_modified,
                     const std::optional<std::string>& next_url, int64_t now) {
  db.prepare(
        "INSERT INTO http_cache(url, etag, last_modified, fetched_at, next_url) "
        "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
        "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
        "next_url = excluded.next_url")
      .bind(1, std::string_view(url))
      .bind(2, etag)
      .bind(3, last_modified)
      .bind(4, now)
      .bind(5, next_url)
      .run();
}

// `gum github -s`: the terms (split at spaces, tabs and newlines) in the full name or the
// description, under smartcase (core/case_fold.hpp).
smartcase_search repo_search(const github_query& query) {
  return smartcase_search(query.search, " \t\n");
}

}  // namespace

std::string repo_key_for(const std::optional<std::string>& html_url,
                         const std::optional<std::string>& clone_url,
                         const std::optional<std::string>& ssh_url, std::string_view fallback_host,
                         std::string_view owner, std::string_view name) {
  for (const auto* url : {&html_url, &clone_url, &ssh_url})
    if (auto key = remote_key_for(*url)) return *key;
  std::string key(fallback_host);
  key.append("/").append(owner).append("/").append(name);
  return ascii_lower(key);
}

int64_t recompute_repo_keys(database& db) {
  struct change {
    int64_t id;
    std::string key;
  };
  std::vector<change> changes;
  auto& s = db.prepare("SELECT id, html_url, clone_url, ssh_url, repo_key FROM github_repos");
  while (s.step()) {
    auto html = s.column_optional_text(1), clone = s.column_optional_text(2),
         ssh = s.column_optional_text(3);
    std::string stored = s.column_text(4);
    if (!remote_key_for(html) && !remote_key_for(clone) && !remote_key_for(ssh)) continue;
    std::string key = repo_key_for(html, clone, ssh, {}, {}, {});
    if (key != stored) changes.push_back({s.column_int(0), std::move(key)});
  }
  s.reset();
  auto& u = db.prepare("UPDATE github_repos SET repo_key = ?2 WHERE id = ?1");
  for (const auto& c : changes) u.reset().bind(1, c.id).bind(2, std::string_view(c.key)).run();
  link_projects(db);
  return static_cast<int64_t>(changes.size());
}

sync_result apply_github_changes(database& db, const github_changes& changes, int64_t now) {
  run_plan plan = plan_run(db, changes);
  const std::string host = ascii_lower(changes.host);
  for (const auto& step : plan.steps) {
    switch (step.kind) {
      case plan_step::remove:
        db.prepare("DELETE FROM github_repos WHERE id = ?1").bind(1, step.row_id).run();
        break;
      case plan_step::touch:
        db.prepare("UPDATE github_repos SET last_synced = ?2 WHERE id = ?1")
            .bind(1, step.row_id)
            .bind(2, now)
            .run();
        break;
      case plan_step::add: {
        auto& s = db.prepare(
            "INSERT INTO github_repos(github_id, full_name, owner, name, description, topics, "
            "language, private, fork, archived, template, visibility, default_branch, license, "
            "stars, forks, open_issues, size, html_url, clone_url, ssh_url, created_at, "
            "updated_at, pushed_at, last_synced, repo_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
            "?25, ?26)");
        s.bind(1, step.repo->github_id);
        bind_columns(s, step.columns, host, now);
        s.run();
        break;
      }
      case plan_step::update: {
        auto& s = db.prepare(
            "UPDATE github_repos SET full_name = ?2, owner = ?3, name = ?4, description = ?5, "
            "topics = ?6, language = ?7, private = ?8, fork = ?9, archived = ?10, template = "
            "?11, visibility = ?12, default_branch = ?13, license = ?14, stars = ?15, forks = "
            "?16, open_issues = ?17, size = ?18, html_url = ?19, clone_url = ?20, ssh_url = ?21, "
            "created_at = ?22, updated_at = ?23, pushed_at = ?24, last_synced = ?25, repo_key = "
            "?26 WHERE id = ?1");
        s.bind(1, step.row_id);
        bind_columns(s, step.columns, host, now);
        s.run();
        break;
      }
    }
  }

  // Validators of the pages that changed; a full listing also forgets pages that are gone.
  for (const auto& p : changes.pages) store_validator(db, p.url, p.etag, p.last_modified,
                                                      p.next_url, now);
  if (changes.listing_complete && !changes.api_url.empty()) {
    const std::string prefix = changes.api_url + "/user/repos";
    std::set<std::string> keep;
    for (const auto& p : changes.pages) keep.insert(p.url);
    std::vector<std::string> stale;
    auto& s = db.prepare("SELECT url FROM http_cache WHERE substr(url, 1, length(?1)) = ?1");
    s.bind(1, std::string_view(prefix));
    while (s.step())
      if (!keep.count(s.column_text(0))) stale.push_back(s.column_text(0));
    s.reset();
    for (const auto& url : stale)
      db.prepare("DELETE FROM http_cache WHERE url = ?1").bind(1, std::string_view(url)).run();
  }

  // Metadata: languages (with their own validator), topics when fetched, and the sync time.
  const std::string synced_at = rfc3339_utc(now);
  for (const auto& step : plan.metadata) {
    db.prepare(
          "UPDATE github_repos SET languages = coalesce(?2, languages), topics = "
          "coalesce(?3, topics), metadata_synced_at = ?4 WHERE id = ?1")
        .bind(1, step.row_id)
        .bind(2, step.languages)
        .bind(3, step.topics)
        .bind(4, std::string_view(synced_at))
        .run();
  }
  for (const auto& m : changes.metadata)
    if (m.languages_url && m.languages_etag)
      store_validator(db, *m.languages_url, m.languages_etag, std::nullopt, std::nullopt, now);

  const bool metadata_run = changes.summary.type == "metadata";
  const bool touch = plan.repos_changed() || changes.listing_complete || metadata_run ||
                     db.query_int("SELECT count(*) FROM cache_metadata WHERE cache_key = "
                                  "'github'") == 0;
  const int64_t total = db.query_int("SELECT count(*) FROM github_repos");
  if (touch) {
    touch_dataset(db, "github", now, total, std::nullopt, changes.duration_ms);
    const bool has_metadata_row =
        db.query_int("SELECT count(*) FROM cache_metadata WHERE cache_key = 'github_metadata'") >
        0;
    if (metadata_run || has_metadata_row)
      touch_dataset(db, "github_metadata", now,
                    db.query_int("SELECT count(*) FROM github_repos WHERE metadata_synced_at IS "
                                 "NOT NULL"),
                    std::nullopt, metadata_run ? std::optional<int64_t>(changes.duration_ms)
                                               : std::nullopt);
  }

  sync_result result = summary_of(changes, plan);
  db.prepare(
        "INSERT INTO sync_runs(sync_type, started_at, finished_at, status, pages, not_modified, "
        "repos_seen, added, updated, removed) VALUES(?1, ?2, ?3, 'ok', ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind(1, std::string_view(result.type))
      .bind(2, changes.started_at)
      .bind(3, now)
      .bind(4, result.pages)
      .bind(5, result.not_modified)
      .bind(6, result.repos_seen)
      .bind(7, result.added)
      .bind(8, result.updated)
      .bind(9, result.removed)
      .run();
  result.linked = link_projects(db);
  result.total = total;
  return result;
}

sync_result diff_github_changes(database& db, const github_changes& changes) {
  run_plan plan = plan_run(db, changes);
  sync_result result = summary_of(changes, plan);
  for (const auto& step : plan.steps) {
    if (step.kind == plan_step::add) result.changes.push_back("+ " + step.full_name);
    if (step.kind == plan_step::update) result.changes.push_back("~ " + step.full_name);
    if (step.kind == plan_step::remove) result.changes.push_back("- " + step.full_name);
  }
  for (const auto& m : plan.metadata)
    if (m.changed) result.changes.push_back("~ " + m.full_name);
  result.total = plan.stored_before + plan.added - plan.removed;
  return result;
}

int64_t record_failed_sync(database& db, const sync_failure& failure, int64_t now) {
  db.prepare(
        "INSERT INTO sync_runs(sync_type, started_at, finished_at, status, pages, error) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, std::string_view(failure.type))
      .bind(2, failure.started_at)
      .bind(3, now)
      .bind(4, std::string_view(failure.status == "interrupted" ? "interrupted" : "failed"))
      .bind(5, failure.pages)
      .bind(6, std::string_view(failure.error))
      .run();
  return db.last_insert_rowid();
}

github_snapshot read_github_snapshot(database& db) {
  github_snapshot snap;
  auto& v = db.prepare("SELECT url, etag, last_modified, next_url FROM http_cache");
  while (v.step()) {
    github_changes::page p;
    p.url = v.column_text(0);
    p.etag = v.column_optional_text(1);
    p.last_modified = v.column_optional_text(2);
    p.next_url = v.column_optional_text(3);
    snap.validators.emplace(p.url, std::move(p));
  }
  v.reset();
  // Due: never synced, or pushed at or after the last metadata sync (same-second pushes are
  // fetched again rather than missed).
  auto& d = db.prepare(
      "SELECT full_name, topics IS NULL FROM github_repos WHERE metadata_synced_at IS NULL OR "
      "(pushed_at IS NOT NULL AND pushed_at >= metadata_synced_at) ORDER BY full_name");
  while (d.step()) snap.metadata_due.push_back({d.column_text(0), d.column_int(1) != 0});
  d.reset();
  return snap;
}

namespace {

// The filters of a github_query that query_github applies before the rest of a row is read
// (`language` and `topic` already folded, `search` prepared: repo_search).
bool repo_passes(const github_repo& r, const github_query& query, const std::string& language,
                 const std::string& topic, const smartcase_search& search) {
  if (query.archived >= 0 && r.archived != (query.archived == 1)) return false;
  if (!language.empty() && (!r.language || ascii_lower(*r.language) != language)) return false;
  if (!topic.empty() && std::none_of(r.topics.begin(), r.topics.end(), [&](const auto& t) {
        return ascii_lower(t) == topic;
      }))
    return false;
  return search.empty() || search.matches(r.full_name, r.description ? *r.description : "");
}

bool by_name(const github_repo& a, const github_repo& b) {
  auto la = ascii_lower(a.full_name), lb = ascii_lower(b.full_name);
  return la != lb ? la < lb : a.full_name < b.full_name;
}

bool by_stars(const github_repo& a, const github_repo& b) {
  return a.stars != b.stars ? a.stars > b.stars : by_name(a, b);
}

bool by_pushed(const github_repo& a, const github_repo& b) {
  if (a.pushed_at != b.pushed_at) {
    if (!a.pushed_at) return false;  // never pushed: last
    if (!b.pushed_at) return true;
    return *a.pushed_at > *b.pushed_at;
  }
  return by_name(a, b);
}

// The query's order: name, stars or pushed (ties by name).
bool (*repo_order(const github_query& query))(const github_repo&, const github_repo&) {
  if (query.sort == "stars") return by_stars;
  if (query.sort == "pushed") return by_pushed;
  return by_name;
}

// The query's order, then its limit.
void sort_and_limit(std::vector<github_repo>& out, const github_query& query) {
  std::sort(out.begin(), out.end(), repo_order(query));
  if (query.limit >= 0 && static_cast<int64_t>(out.size()) > query.limit)
    out.resize(static_cast<size_t>(query.limit));
}

}  // namespace

std::vector<github_repo> query_github(database& db, const github_query& query) {
  std::vector<github_repo> out;
  auto& s = db.prepare(
      "SELECT g.github_id, g.full_name, g.owner, g.name, g.description, g.topics, g.language, "
      "g.languages, g.private, g.fork, g.archived, g.template, g.visibility, g.default_branch, "
      "g.license, g.stars, g.forks, g.open_issues, g.size, g.html_url, g.clone_url, g.ssh_url, "
      "g.created_at, g.updated_at, g.pushed_at, (SELECT min(p.path) FROM projects p WHERE "
      "p.github_repo_id = g.id) FROM github_repos g");
  const std::string language = ascii_lower(query.language);
  const std::string topic = ascii_lower(query.topic);
  const smartcase_search search = repo_search(query);
  while (s.step()) {
    github_repo r;
    r.github_id = s.column_int(0);
    r.full_name = s.column_text(1);
    r.owner = s.column_text(2);
    r.name = s.column_text(3);
    r.description = s.column_optional_text(4);
    auto topics = s.column_optional_text(5);
    r.topics_known = topics.has_value();
    r.topics = parse_topics_json(topics);
    r.language = s.column_optional_text(6);
    r.is_private = s.column_int(8) != 0;
    r.archived = s.column_int(10) != 0;
    if (!repo_passes(r, query, language, topic, search)) continue;
    if (auto langs = s.column_optional_text(7)) {
      boost::system::error_code ec;
      auto v = boost::json::parse(*langs, ec);
      if (!ec && v.is_object())
        for (const auto& kv : v.as_object())
          if (kv.value().is_int64()) r.languages[std::string(kv.key())] = kv.value().as_int64();
    }
    r.fork = s.column_int(9) != 0;
    r.is_template = s.column_int(11) != 0;
    r.visibility = s.column_optional_text(12);
    r.default_branch = s.column_optional_text(13);
    r.license = s.column_optional_text(14);
    r.stars = s.column_int(15);
    r.forks = s.column_int(16);
    r.open_issues = s.column_int(17);
    r.size = s.column_int(18);
    r.html_url = s.column_optional_text(19);
    r.clone_url = s.column_optional_text(20);
    r.ssh_url = s.column_optional_text(21);
    r.created_at = s.column_optional_text(22);
    r.updated_at = s.column_optional_text(23);
    r.pushed_at = s.column_optional_text(24);
    r.local_path = s.column_optional_text(25);
    out.push_back(std::move(r));
  }
  s.reset();
  sort_and_limit(out, query);
  return out;
}

std::vector<github_repo> select_github(const std::vector<github_repo>& all,
                                       const github_query& query) {
  const std::string language = ascii_lower(query.language);
  const std::string topic = ascii_lower(query.topic);
  const smartcase_search search = repo_search(query);
  std::vector<const github_repo*> kept;
  for (const auto& r : all)
    if (repo_passes(r, query, language, topic, search)) kept.push_back(&r);
  // Only the rows the answer keeps are copied: sorted as pointers, cut at the limit.
  const auto order = repo_order(query);
  auto less = [order](const github_repo* a, const github_repo* b) { return order(*a, *b); };
  size_t keep = kept.size();
  if (query.limit >= 0 && static_cast<uint64_t>(query.limit) < keep) {
    keep = static_cast<size_t>(query.limit);
    std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(keep), kept.end(),
                      less);
  } else {
    std::sort(kept.begin(), kept.end(), less);
  }
  std::vector<github_repo> out;
  out.reserve(keep);
  for (size_t i = 0; i < keep; ++i) out.push_back(*kept[i]);
  return out;
}

}  // namespace gum::storage
