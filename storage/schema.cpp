// storage/schema.cpp: the tables of SPEC §2, as migrations.
//
// Every relationship is a real FOREIGN KEY, and unknown values are NULL, never 0 or ''.
// Columns beyond the spec's:
// - projects.remote_key / github_repos.repo_key: "host/owner/name" in lower case, computed by
//   gum when the row is written, so that linking a project to its repository is one indexed
//   UPDATE instead of parsing every remote URL on every refresh.
// - http_cache.next_url: the page's rel="next", because a 304 reply carries no body and may carry
//   no Link header, and an incremental sync must still walk every page.
// - dir_stats: one row holding the total rank of dir_usage, so that `gum add` knows when to age
//   without summing 10 000 rows. Since version 2 triggers on dir_usage keep it, in the same
//   statement as every change of a rank: a restore, an older gum or a user with sqlite3 that
//   writes dir_usage can no longer make it disagree with the rows (it once drifted, and aging
//   then triggered at the wrong visit).
// - Version 3 recomputes github_repos.repo_key from each repository's own html_url, clone_url
//   or ssh_url (storage::recompute_repo_keys). Earlier gums took the host from the API URL, so
//   a database synced from a GHE.com data-residency API or a loopback test server held keys
//   that no project could match. A migration fixes every such database once, at its next
//   write, instead of waiting for a sync: an incremental sync whose pages are all 304s, or one
//   that sees no changed column, would never rewrite the rows.
// - Version 4 stores the ranks against one scale factor, so that aging costs what it drops
//   rather than rewriting every row it keeps (issue 14). The rows live in dir_frecency with
//   `scaled_rank`; the real rank of SPEC §3.2 is scaled_rank x dir_scale.factor. Aging
//   multiplies the factor and deletes, through the index on scaled_rank, the rows whose real
//   rank falls below 1. dir_usage is now a view with the real ranks and the columns it always
//   had, with INSTEAD OF triggers, so every reader (integrity, import, tests, a user with
//   sqlite3) still reads and writes real ranks. dir_stats.total_rank stays in real ranks: the
//   v2 triggers move from dir_usage to dir_frecency and multiply by the factor.
//   dir_frecency.name is the ASCII-lower-cased last path component (the bytes after the last
//   '/', computed by SQL in one place, dir_name_sql) with an index, so that a keyword query
//   narrows by its last keyword by reading that small index, not every row.
// - Version 5 adds dir_name_suffix(suffix, name): the suffixes of every distinct name that
//   start at its 1st, 3rd, 5th... character, a WITHOUT ROWID primary key, so that "the name
//   contains k" becomes two B-tree ranges (suffixes that start with k, or with k less its first
//   character) and a jump reads the handful of rows whose name matches instead of all 10 000
//   names. Triggers on dir_frecency keep it for every writer (gum, the view's triggers, a user
//   with sqlite3): a name's suffixes go in with its first row and out with its last. Aging
//   runs with triggers off and keeps the table itself (storage::dirs_store), and the integrity
//   audit checks it against the names.
#include "storage/schema.hpp"

#include <sqlite3.h>

#include <string>

#include "storage/database.hpp"
#include "storage/github_store.hpp"

namespace gum::storage {

namespace {

constexpr const char* migration_v1 = R"sql(
CREATE TABLE project_dirs (
  id           INTEGER PRIMARY KEY,
  path         TEXT NOT NULL UNIQUE,
  last_scanned INTEGER,
  repo_count   INTEGER,
  scan_ms      INTEGER
);
CREATE TABLE github_repos (
  id                 INTEGER PRIMARY KEY,
  github_id          INTEGER NOT NULL UNIQUE,
  full_name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  owner              TEXT NOT NULL,
  name               TEXT NOT NULL,
  description        TEXT,
  topics             TEXT CHECK (topics IS NULL OR json_valid(topics)),
  language           TEXT,
  languages          TEXT CHECK (languages IS NULL OR json_valid(languages)),
  private            INTEGER NOT NULL DEFAULT 0,
  fork               INTEGER NOT NULL DEFAULT 0,
  archived           INTEGER NOT NULL DEFAULT 0,
  template           INTEGER NOT NULL DEFAULT 0,
  visibility         TEXT,
  default_branch     TEXT,
  license            TEXT,
  stars              INTEGER NOT NULL DEFAULT 0,
  forks              INTEGER NOT NULL DEFAULT 0,
  open_issues        INTEGER NOT NULL DEFAULT 0,
  size               INTEGER NOT NULL DEFAULT 0,
  html_url           TEXT,
  clone_url          TEXT,
  ssh_url            TEXT,
  created_at         TEXT,
  updated_at         TEXT,
  pushed_at          TEXT,
  last_synced        INTEGER,
  metadata_synced_at TEXT,
  repo_key           TEXT NOT NULL
);
CREATE INDEX github_repos_repo_key ON github_repos(repo_key);
CREATE TABLE projects (
  id             INTEGER PRIMARY KEY,
  path           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  root_id        INTEGER NOT NULL REFERENCES project_dirs(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('repo', 'worktree', 'submodule')),
  remote_url     TEXT,
  branch         TEXT,
  github_repo_id INTEGER REFERENCES github_repos(id) ON DELETE SET NULL,
  discovered_at  INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  remote_key     TEXT
);
CREATE INDEX projects_root_id ON projects(root_id);
CREATE INDEX projects_github_repo_id ON projects(github_repo_id);
CREATE INDEX projects_remote_key ON projects(remote_key);
CREATE TABLE http_cache (
  url           TEXT PRIMARY KEY,
  etag          TEXT,
  last_modified TEXT,
  fetched_at    INTEGER NOT NULL,
  next_url      TEXT
);
CREATE TABLE dir_usage (
  path       TEXT PRIMARY KEY,
  rank       REAL NOT NULL CHECK (rank > 0),
  last_seen  INTEGER NOT NULL,
  first_seen INTEGER NOT NULL
);
CREATE TABLE dir_stats (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  total_rank REAL NOT NULL
);
CREATE TABLE cache_metadata (
  cache_key        TEXT PRIMARY KEY,
  last_updated     INTEGER NOT NULL,
  ttl_seconds      INTEGER,
  item_count       INTEGER NOT NULL,
  last_duration_ms INTEGER
);
CREATE TABLE sync_runs (
  id           INTEGER PRIMARY KEY,
  sync_type    TEXT NOT NULL CHECK (sync_type IN ('full', 'incremental', 'metadata')),
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  pages        INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  repos_seen   INTEGER NOT NULL DEFAULT 0,
  added        INTEGER NOT NULL DEFAULT 0,
  updated      INTEGER NOT NULL DEFAULT 0,
  removed      INTEGER NOT NULL DEFAULT 0,
  error        TEXT
);
)sql";

// Version 2: dir_stats.total_rank kept by triggers, and recounted once.
constexpr const char* migration_v2 = R"sql(
CREATE TRIGGER dir_usage_total_after_insert AFTER INSERT ON dir_usage BEGIN
  INSERT INTO dir_stats(id, total_rank) VALUES (1, NEW.rank)
    ON CONFLICT(id) DO UPDATE SET total_rank = total_rank + excluded.total_rank;
END;
CREATE TRIGGER dir_usage_total_after_update AFTER UPDATE OF rank ON dir_usage BEGIN
  UPDATE dir_stats SET total_rank = total_rank + NEW.rank - OLD.rank WHERE id = 1;
END;
CREATE TRIGGER dir_usage_total_after_delete AFTER DELETE ON dir_usage BEGIN
  UPDATE dir_stats SET total_rank = total_rank - OLD.rank WHERE id = 1;
END;
INSERT INTO dir_stats(id, total_rank) SELECT 1, total(rank) FROM dir_usage WHERE true
  ON CONFLICT(id) DO UPDATE SET total_rank = excluded.total_rank;
)sql";

// Version 4: ranks against one scale factor; dir_usage becomes a view of real ranks. The
// name expression: rtrim(path, <every character of path but '/'>) is the path up to its last
// '/', so what follows it is the last component ('' for a path ending in '/'). SQLite's
// lower() folds ASCII only, as gum's keyword matcher does.
#define GUM_DIR_NAME(p) "lower(substr(" p ", length(rtrim(" p ", replace(" p ", '/', ''))) + 1))"
#define GUM_DIR_FACTOR "coalesce((SELECT factor FROM dir_scale WHERE id = 1), 1.0)"
constexpr const char* migration_v4 =
    "CREATE TABLE dir_frecency (\n"
    "  path        TEXT PRIMARY KEY,\n"
    "  scaled_rank REAL NOT NULL CHECK (scaled_rank > 0),\n"
    "  last_seen   INTEGER NOT NULL,\n"
    "  first_seen  INTEGER NOT NULL,\n"
    "  name        TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO dir_frecency(path, scaled_rank, last_seen, first_seen, name)\n"
    "  SELECT path, rank, last_seen, first_seen, " GUM_DIR_NAME("path") " FROM dir_usage;\n"
    "DROP TABLE dir_usage;\n"  // and the v2 triggers with it
    "CREATE INDEX dir_frecency_scaled_rank ON dir_frecency(scaled_rank);\n"
    "CREATE INDEX dir_frecency_name ON dir_frecency(name);\n"
    "CREATE TABLE dir_scale (\n"
    "  id     INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  factor REAL NOT NULL CHECK (factor > 0)\n"
    ");\n"
    "INSERT INTO dir_scale(id, factor) VALUES (1, 1.0);\n"
    "CREATE VIEW dir_usage(path, rank, last_seen, first_seen) AS\n"
    "  SELECT path, scaled_rank * " GUM_DIR_FACTOR ", last_seen, first_seen FROM dir_frecency;\n"
    "CREATE TRIGGER dir_usage_insert INSTEAD OF INSERT ON dir_usage BEGIN\n"
    "  INSERT INTO dir_frecency(path, scaled_rank, last_seen, first_seen, name)\n"
    "    VALUES (NEW.path, NEW.rank / " GUM_DIR_FACTOR ", NEW.last_seen, NEW.first_seen, "
    GUM_DIR_NAME("NEW.path") ");\n"
    "END;\n"
    "CREATE TRIGGER dir_usage_update INSTEAD OF UPDATE ON dir_usage BEGIN\n"
    "  UPDATE dir_frecency SET path = NEW.path,\n"
    "    scaled_rank = CASE WHEN NEW.rank IS OLD.rank THEN scaled_rank\n"
    "                  ELSE NEW.rank / " GUM_DIR_FACTOR " END,\n"
    "    last_seen = NEW.last_seen, first_seen = NEW.first_seen, name = " GUM_DIR_NAME("NEW.path")
    "\n"
    "    WHERE path = OLD.path;\n"
    "END;\n"
    "CREATE TRIGGER dir_usage_delete INSTEAD OF DELETE ON dir_usage BEGIN\n"
    "  DELETE FROM dir_frecency WHERE path = OLD.path;\n"
    "END;\n"
    "CREATE TRIGGER dir_frecency_total_after_insert AFTER INSERT ON dir_frecency BEGIN\n"
    "  INSERT INTO dir_stats(id, total_rank) VALUES (1, NEW.scaled_rank * " GUM_DIR_FACTOR ")\n"
    "    ON CONFLICT(id) DO UPDATE SET total_rank = total_rank + excluded.total_rank;\n"
    "END;\n"
    "CREATE TRIGGER dir_frecency_total_after_update AFTER UPDATE OF scaled_rank ON dir_frecency\n"
    "BEGIN\n"
    "  UPDATE dir_stats SET total_rank = total_rank + (NEW.scaled_rank - OLD.scaled_rank) * "
    GUM_DIR_FACTOR " WHERE id = 1;\n"
    "END;\n"
    "CREATE TRIGGER dir_frecency_total_after_delete AFTER DELETE ON dir_frecency BEGIN\n"
    "  UPDATE dir_stats SET total_rank = total_rank - OLD.scaled_rank * " GUM_DIR_FACTOR
    " WHERE id = 1;\n"
    "END;\n";
#undef GUM_DIR_NAME
#undef GUM_DIR_FACTOR

// Version 3: repo_key from the repository's own URLs, not the API's host (code, not SQL: the
// same URL parser as linking).
void migration_v3(database& db) { recompute_repo_keys(db); }

// Version 4 as code: the SQL above, unless dir_frecency exists already (a database whose
// user_version was set back by hand, as a test of the v3 step does, keeps its v4 tables).
void migration_v4_code(database& db) {
  if (db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'dir_frecency'") > 0) return;
  db.exec(migration_v4);
}

// Version 5: the suffixes of every name (name_suffixes_sql lists them). The name's own row
// (suffix = name) stands for all of them: present iff they all are, so adding a row whose name
// has rows already costs one lookup. IF NOT EXISTS: a database whose user_version was set back
// by hand (as the v3 step's test does) keeps its v5 table, which is rebuilt.
void migration_v5(database& db) {
  const std::string add_new =
      "INSERT OR IGNORE INTO dir_name_suffix(suffix, name) SELECT v, "
      "NEW.name FROM (" +
      name_suffixes_sql("NEW.name") + ");";
  const std::string drop_old = drop_unused_name_suffixes_sql("OLD.name") + ";";
  auto trigger = [&](const std::string& name, const std::string& when, const std::string& body) {
    db.exec("CREATE TRIGGER IF NOT EXISTS dir_frecency_suffix_" + name + " ON dir_frecency" +
            (when.empty() ? "" : " WHEN " + when) + " BEGIN " + body + " END");
  };
  db.exec(
      "CREATE TABLE IF NOT EXISTS dir_name_suffix (suffix TEXT NOT NULL, name TEXT NOT NULL, "
      "PRIMARY KEY (suffix, name)) WITHOUT ROWID");
  trigger("after_insert AFTER INSERT",
          "NOT EXISTS (SELECT 1 FROM dir_name_suffix WHERE suffix = NEW.name AND name = NEW.name)",
          add_new);
  trigger("after_delete AFTER DELETE", "", drop_old);
  trigger("after_update AFTER UPDATE OF name", "OLD.name IS NOT NEW.name",
          add_new + " " + drop_old);
  rebuild_dir_name_suffixes(db);
}

// Index i holds the migration from version i to i + 1: SQL, or code run in the same
// transaction.
struct migration {
  const char* sql;
  void (*code)(database&);
};
constexpr migration migrations[] = {
    {migration_v1, nullptr}, {migration_v2, nullptr}, {nullptr, migration_v3},
    {nullptr, migration_v4_code}, {nullptr, migration_v5}};
static_assert(sizeof(migrations) / sizeof(migrations[0]) == schema_version);

}  // namespace

void migrate(database& db) {
  write_transaction tx(db);
  // Re-read inside the lock: another process may have migrated since we looked.
  int64_t version = db.query_int("PRAGMA user_version");
  if (version >= schema_version) return;  // rolled back: nothing was written
  for (int64_t v = version; v < schema_version; ++v) {
    if (migrations[v].sql) db.exec(migrations[v].sql);
    if (migrations[v].code) migrations[v].code(db);
  }
  db.exec("PRAGMA user_version = " + std::to_string(schema_version));
  tx.commit();
}

std::string dir_name_sql(const std::string& path_expr) {
  return "lower(substr(" + path_expr + ", length(rtrim(" + path_expr + ", replace(" + path_expr +
         ", '/', ''))) + 1))";
}

std::string name_suffixes_sql(const std::string& text_expr) {
  const std::string next = std::to_string(name_suffix_stride);
  return "WITH RECURSIVE s(v) AS (SELECT " + text_expr + " UNION ALL SELECT substr(v, " + next +
         " + 1) FROM s WHERE length(v) > " + next + ") SELECT v FROM s WHERE v <> ''";
}

std::string drop_unused_name_suffixes_sql(const std::string& name_expr) {
  return "DELETE FROM dir_name_suffix WHERE name = " + name_expr + " AND suffix IN (" +
         name_suffixes_sql(name_expr) + ") AND NOT EXISTS (SELECT 1 FROM dir_frecency " +
         "WHERE name = " + name_expr + ")";
}

std::string all_name_suffixes_sql() {
  const std::string next = std::to_string(name_suffix_stride);
  return "WITH RECURSIVE s(v, name) AS (SELECT DISTINCT name, name FROM dir_frecency "
         "UNION ALL SELECT substr(v, " + next + " + 1), name FROM s WHERE length(v) > " + next +
         ") SELECT v AS suffix, name FROM s WHERE v <> ''";
}

void rebuild_dir_name_suffixes(database& db) {
  db.exec("DELETE FROM dir_name_suffix");  // no WHERE: the truncate optimisation when unwatched
  db.exec("INSERT INTO dir_name_suffix(suffix, name) " + all_name_suffixes_sql());
}

std::string sqlite_version() { return sqlite3_libversion(); }

}  // namespace gum::storage
