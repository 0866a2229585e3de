// storage/integrity_store.cpp: the six integrity checks of SPEC §3.4, and --repair.
//
// Why it is built this way:
// - Every check runs inside ONE read transaction, so the audit sees one committed state of a
//   database that other processes keep writing; cache_consistency proves it by reading the
//   counts at the start and again at the end of the audit and requiring them to agree.
// - A check never writes, and a failing query (a corrupt page, say) fails only the check that
//   ran it, with SQLite's message, so the report still says what the other checks saw.
// - Each failure is counted in full, but only the first few offenders are named, so a badly
//   damaged database gives a short report.
// - repair() runs inside the writer's transaction and savepoint: all of it lands, or none.
//   It changes only what a check flags, never inserts, and returns a line for every change.
// - The audit connection goes through a VFS that hides DB-journal (see open_for_audit): with a
//   leftover hot journal SQLite refuses to read on a read-only connection, and rolling the
//   journal back would be a write.
#include "storage/integrity_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>

#include "core/paths.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"

namespace gum::storage {

namespace {

constexpr std::size_t named_limit = 5;  // offenders named per check

// ---- the audit VFS -------------------------------------------------------------------------

// The default VFS with xAccess wrapped: "-journal" files do not exist. `vfs` must stay first.
struct audit_vfs {
  sqlite3_vfs vfs;
  sqlite3_vfs* base;
};

bool ends_with(const char* text, const char* suffix) {
  std::size_t n = std::strlen(text), m = std::strlen(suffix);
  return n >= m && std::strcmp(text + n - m, suffix) == 0;
}

int access_without_journal(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  auto* self = reinterpret_cast<audit_vfs*>(vfs);
  if (name && ends_with(name, "-journal")) {
    *result = 0;
    return SQLITE_OK;
  }
  return self->base->xAccess(self->base, name, flags, result);
}

// Registers the audit VFS once per process and returns its name. SQLite's VFS registry is
// process-wide by design; the registered object is immutable after this call.
const char* audit_vfs_name() {
  static const char* name = [] {
    static audit_vfs shim{};
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (!base) return static_cast<const char*>(nullptr);
    shim.vfs = *base;  // same pAppData and methods: files it opens are the base VFS's files
    shim.vfs.pNext = nullptr;
    shim.vfs.zName = "gum-audit";
    shim.vfs.xAccess = access_without_journal;
    shim.base = base;
    if (sqlite3_vfs_register(&shim.vfs, 0) != SQLITE_OK) return static_cast<const char*>(nullptr);
    return shim.vfs.zName;
  }();
  return name;
}

// ---- small helpers ---------------------------------------------------------------------------

// "a, b, c and 4 more": the first few of `items`, out of `total`.
std::string name_some(const std::vector<std::string>& items, int64_t total) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < named_limit; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  int64_t named = static_cast<int64_t>(std::min(items.size(), named_limit));
  if (total > named) out += " and " + std::to_string(total - named) + " more";
  return out;
}

std::string plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Size of a file, or -1 when it does not exist.
int64_t file_size(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_size);
}

// A rollback journal that SQLite would roll back: non-empty, with a non-zero first byte (a
// journal whose header was zeroed is finished, not hot). Returns its size, or 0.
int64_t hot_journal_size(const std::string& db_path) {
  std::string journal = db_path + "-journal";
  int64_t size = file_size(journal);
  if (size <= 0) return 0;
  std::ifstream in(journal, std::ios::binary);
  char first = 0;
  if (!in.get(first)) return 0;
  return first != 0 ? size : 0;
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string mib(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

bool is_known_dataset(const std::string& key) {
  for (const char* known : known_datasets)
    if (key == known) return true;
  return false;
}

// Runs one check; a storage error (a corrupt page, say) fails that check with SQLite's words.
template <class F>
integrity_check guarded_check(const char* name, F&& run) {
  try {
    integrity_check c = run();
    c.name = name;
    return c;
  } catch (const storage_error& e) {
    integrity_check c;
    c.name = name;
    c.ok = false;
    c.count = 1;
    c.detail = std::string("cannot run: ") + e.what();
    return c;
  }
}

// ---- the counts that cache_metadata claims -------------------------------------------------

// The real row count behind each known dataset.
std::map<std::string, int64_t> real_counts(database& db) {
  return {
      {"projects", db.query_int("SELECT count(*) FROM projects")},
      {"dirs", db.query_int("SELECT count(*) FROM dir_usage")},
      {"github", db.query_int("SELECT count(*) FROM github_repos")},
      {"github_metadata",
       db.query_int("SELECT count(*) FROM github_repos WHERE metadata_synced_at IS NOT NULL")},
  };
}

// cache_metadata's item_count per cache_key.
std::map<std::string, int64_t> claimed_counts(database& db) {
  std::map<std::string, int64_t> out;
  auto& stmt = db.prepare("SELECT cache_key, item_count FROM cache_metadata");
  while (stmt.step()) out[stmt.column_text(0)] = stmt.column_int(1);
  stmt.reset();
  return out;
}

// dir_stats' stored total rank (nullopt without its row) and the real sum of dir_usage.
struct rank_totals {
  std::optional<double> stored;
  double summed = 0;
  bool operator==(const rank_totals& o) const { return stored == o.stored && summed == o.summed; }
  /// Equal up to rounding: the triggers add and subtract doubles row by row.
  bool agree() const {
    if (!stored) return summed == 0;
    return std::fabs(*stored - summed) <= 1e-6 * std::max(1.0, std::fabs(summed));
  }
};

rank_totals read_rank_totals(database& db) {
  rank_totals t;
  auto& stmt = db.prepare("SELECT total_rank FROM dir_stats WHERE id = 1");
  if (stmt.step()) t.stored = stmt.column_double(0);
  stmt.reset();
  auto& sum = db.prepare("SELECT total(rank) FROM dir_usage");
  if (sum.step()) t.summed = sum.column_double(0);
  sum.reset();
  return t;
}

std::string rank_text(double rank) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", rank);
  return buf;
}

// How far dir_name_suffix, the keyword index, is from the names of dir_frecency: the suffixes
// it lacks (a jump would miss those directories) and the rows it holds that no name explains.
struct suffix_mismatch {
  int64_t missing = 0, stale = 0;
  bool operator==(const suffix_mismatch& o) const {
    return missing == o.missing && stale == o.stale;
  }
  bool none() const { return missing == 0 && stale == 0; }
};

suffix_mismatch read_suffix_mismatch(database& db) {
  suffix_mismatch m;
  m.missing = db.query_int("SELECT count(*) FROM (" + all_name_suffixes_sql() +
                           ") e WHERE NOT EXISTS (SELECT 1 FROM dir_name_suffix x "
                           "WHERE x.suffix = e.suffix AND x.name = e.name)");
  m.stale = db.query_int(
      "SELECT count(*) FROM dir_name_suffix x WHERE x.suffix = '' "
      "OR substr(x.name, length(x.name) - length(x.suffix) + 1) IS NOT x.suffix "
      "OR (length(x.name) - length(x.suffix)) % " + std::to_string(name_suffix_stride) + " <> 0 "
      "OR NOT EXISTS (SELECT 1 FROM dir_frecency d WHERE d.name = x.name)");
  return m;
}

struct count_snapshot {
  std::map<std::string, int64_t> real, claimed;
  rank_totals totals;
  suffix_mismatch suffixes;
  bool operator==(const count_snapshot& o) const {
    return real == o.real && claimed == o.claimed && totals == o.totals && suffixes == o.suffixes;
  }
};

count_snapshot read_counts(database& db) {
  return {real_counts(db), claimed_counts(db), read_rank_totals(db), read_suffix_mismatch(db)};
}

std::string suffix_mismatch_text(const suffix_mismatch& m) {
  return "dir_name_suffix lacks " + std::to_string(m.missing) + " and holds " +
         std::to_string(m.stale) + " stale";
}

// ---- the checks ------------------------------------------------------------------------------

integrity_check check_file(database& db, bool quick) {
  integrity_check c;
  auto& stmt = db.prepare(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check");
  std::vector<std::string> problems;
  try {
    while (stmt.step()) {
      auto line = stmt.column_text(0);
      if (line == "ok") continue;
      // SQLite prefixes the first problem with the schema's name on a line of its own.
      const std::string banner = "*** in database main ***\n";
      if (line.compare(0, banner.size(), banner) == 0) line.erase(0, banner.size());
      // One row can hold many problems, one per line: each is named on its own, so a message
      // that quotes them stays on one line.
      for (size_t start = 0; start <= line.size();) {
        size_t end = std::min(line.find('\n', start), line.size());
        if (end > start) problems.push_back(line.substr(start, end - start));
        start = end + 1;
      }
    }
  } catch (const storage_error& e) {
    // SQLite reports what it found as rows, then may stop with SQLITE_CORRUPT.
    problems.push_back(std::string("check stopped: ") + e.what());
  }
  stmt.reset();
  c.count = static_cast<int64_t>(problems.size());
  c.ok = problems.empty();
  c.detail =
      c.ok ? (quick ? "quick_check ok" : "integrity_check ok") : name_some(problems, c.count);
  return c;
}

integrity_check check_foreign_keys(database& db) {
  integrity_check c;
  auto& stmt = db.prepare("PRAGMA foreign_key_check");
  std::vector<std::string> named;
  while (stmt.step()) {
    ++c.count;
    if (named.size() < named_limit)
      named.push_back(stmt.column_text(0) + " rowid " + std::to_string(stmt.column_int(1)) +
                      " -> " + stmt.column_text(2));
  }
  stmt.reset();
  c.ok = c.count == 0;
  c.detail = c.ok ? "no violations"
                  : plural(c.count, "violation", "violations") + ": " + name_some(named, c.count);
  return c;
}

integrity_check check_orphans(database& db) {
  integrity_check c;
  std::vector<std::string> named;
  auto note = [&](std::string what) {
    ++c.count;
    if (named.size() < named_limit) named.push_back(std::move(what));
  };
  auto& links = db.prepare(
      "SELECT p.path, p.github_repo_id FROM projects p WHERE p.github_repo_id IS NOT NULL AND "
      "NOT EXISTS (SELECT 1 FROM github_repos g WHERE g.id = p.github_repo_id) ORDER BY p.path");
  while (links.step())
    note("project " + links.column_text(0) + ": GitHub link #" +
         std::to_string(links.column_int(1)) + " points at nothing");
  links.reset();
  auto& roots = db.prepare(
      "SELECT p.path, p.root_id FROM projects p WHERE NOT EXISTS "
      "(SELECT 1 FROM project_dirs d WHERE d.id = p.root_id) ORDER BY p.path");
  while (roots.step())
    note("project " + roots.column_text(0) + ": root #" + std::to_string(roots.column_int(1)) +
         " points at nothing");
  roots.reset();
  auto& keys = db.prepare("SELECT cache_key FROM cache_metadata ORDER BY cache_key");
  while (keys.step()) {
    auto key = keys.column_text(0);
    if (!is_known_dataset(key)) note("cache_metadata '" + key + "': unknown dataset");
  }
  keys.reset();
  c.ok = c.count == 0;
  c.detail =
      c.ok ? "no orphans" : plural(c.count, "orphan", "orphans") + ": " + name_some(named, c.count);
  return c;
}

// Groups of projects whose paths normalise to the same path, each group sorted by id.
struct project_row {
  int64_t id;
  std::string path;
  int64_t updated_at;
};
std::map<std::string, std::vector<project_row>> duplicate_project_groups(database& db) {
  std::unordered_map<std::string, std::vector<project_row>> by_path;
  auto& stmt = db.prepare("SELECT id, path, updated_at FROM projects ORDER BY id");
  while (stmt.step()) {
    project_row row{stmt.column_int(0), stmt.column_text(1), stmt.column_int(2)};
    by_path[normalize_path(row.path, "", "/")].push_back(std::move(row));
  }
  stmt.reset();
  std::map<std::string, std::vector<project_row>> out;
  for (auto& [path, rows] : by_path)
    if (rows.size() > 1) out.emplace(path, std::move(rows));
  return out;
}

// Groups of github_repos whose full_name is equal ignoring (ASCII) case.
struct repo_row {
  int64_t id;
  std::string full_name;
};
std::vector<std::vector<repo_row>> duplicate_repo_groups(database& db) {
  std::vector<std::vector<repo_row>> out;
  auto& stmt = db.prepare(
      "SELECT g.id, g.full_name FROM github_repos g WHERE (SELECT count(*) FROM github_repos h "
      "WHERE h.full_name = g.full_name COLLATE NOCASE) > 1 "
      "ORDER BY g.full_name COLLATE NOCASE, coalesce(g.last_synced, 0) DESC, g.id DESC");
  while (stmt.step()) {
    repo_row row{stmt.column_int(0), stmt.column_text(1)};
    if (out.empty() || sqlite3_stricmp(row.full_name.c_str(), out.back().front().full_name.c_str()))
      out.emplace_back();
    out.back().push_back(std::move(row));
  }
  stmt.reset();
  return out;
}

integrity_check check_duplicates(database& db) {
  integrity_check c;
  std::vector<std::string> named;
  for (auto& [path, rows] : duplicate_project_groups(db)) {
    c.count += static_cast<int64_t>(rows.size()) - 1;
    std::string group = "project";
    for (std::size_t i = 0; i < rows.size(); ++i) group += (i ? " = " : " ") + rows[i].path;
    if (named.size() < named_limit) named.push_back(group);
  }
  for (auto& rows : duplicate_repo_groups(db)) {
    c.count += static_cast<int64_t>(rows.size()) - 1;
    std::string group = "GitHub repository";
    for (std::size_t i = 0; i < rows.size(); ++i) group += (i ? " = " : " ") + rows[i].full_name;
    if (named.size() < named_limit) named.push_back(group);
  }
  c.ok = c.count == 0;
  c.detail = c.ok ? "no duplicates"
                  : plural(c.count, "duplicate row", "duplicate rows") + ": " +
                        name_some(named, static_cast<int64_t>(named.size()));
  return c;
}

integrity_check check_cache_consistency(const count_snapshot& first, const count_snapshot& second) {
  integrity_check c;
  std::vector<std::string> named;
  for (auto& [key, claimed] : first.claimed) {
    auto real = first.real.find(key);
    if (real == first.real.end()) continue;  // an unknown dataset: the orphans check's business
    if (claimed != real->second) {
      ++c.count;
      named.push_back(key + " says " + std::to_string(claimed) + ", table has " +
                      std::to_string(real->second));
    }
  }
  if (!first.totals.agree()) {
    ++c.count;
    named.push_back("dir_stats says total rank " +
                    (first.totals.stored ? rank_text(*first.totals.stored) : std::string("nothing")) +
                    ", dir_usage sums to " + rank_text(first.totals.summed));
  }
  if (!first.suffixes.none()) {
    ++c.count;
    named.push_back(suffix_mismatch_text(first.suffixes));
  }
  if (!(first == second)) {
    ++c.count;
    named.push_back("two reads in one snapshot disagree");
  }
  c.ok = c.count == 0;
  if (c.ok) {
    auto n = static_cast<int64_t>(first.claimed.size());
    c.detail =
        n == 1 ? "1 dataset matches its table" : std::to_string(n) + " datasets match their tables";
  } else {
    c.detail = name_some(named, c.count);
  }
  return c;
}

integrity_check check_concurrency(database& db, const std::string& db_path) {
  integrity_check c;
  std::vector<std::string> problems;
  auto mode = db.query_text("PRAGMA journal_mode").value_or("unknown");
  if (mode != "wal") problems.push_back("journal_mode is " + mode + ", not wal");
  int64_t timeout = db.query_int("PRAGMA busy_timeout");
  if (timeout <= 0) problems.push_back("busy_timeout is not set");
  if (int64_t hot = hot_journal_size(db_path); hot > 0)
    problems.push_back("hot journal " + base_name(db_path) + "-journal (" + std::to_string(hot) +
                       " bytes) left behind");
  int64_t wal = std::max<int64_t>(0, file_size(db_path + "-wal"));
  int64_t bound = wal_size_bound(file_size(db_path));
  if (wal > bound)
    problems.push_back("WAL is " + mib(wal) + ", over the " + mib(bound) + " bound");
  int64_t version = db.query_int("PRAGMA user_version");
  if (version != schema_version)
    problems.push_back("schema version " + std::to_string(version) + ", expected " +
                       std::to_string(schema_version));
  c.count = static_cast<int64_t>(problems.size());
  c.ok = problems.empty();
  c.detail = c.ok ? mode + ", busy_timeout " + std::to_string(timeout) + " ms, WAL " + mib(wal) +
                        ", schema v" + std::to_string(version)
                  : name_some(problems, c.count);
  return c;
}

}  // namespace

database open_for_audit(const std::string& db_path, int64_t busy_timeout_ms) {
  open_options o;
  o.path = db_path;
  o.read_only = true;
  o.busy_timeout_ms = busy_timeout_ms;
  if (const char* vfs = audit_vfs_name()) o.vfs = vfs;
  return database::open(o);
}

integrity_report run_integrity_checks(database& db, const audit_options& options,
                                      const std::string& db_path) {
  integrity_report report;
  read_transaction snapshot(db);
  count_snapshot first;
  bool counted = true;
  try {
    first = read_counts(db);  // the first read fixes the snapshot
  } catch (const storage_error&) {
    counted = false;  // cache_consistency reruns it and reports the error
  }
  auto file = guarded_check("file", [&] { return check_file(db, options.quick); });
  auto foreign_keys = guarded_check("foreign_keys", [&] { return check_foreign_keys(db); });
  auto orphans = guarded_check("orphans", [&] { return check_orphans(db); });
  auto duplicates = guarded_check("duplicates", [&] { return check_duplicates(db); });
  auto concurrency = guarded_check("concurrency", [&] { return check_concurrency(db, db_path); });
  auto consistency = guarded_check("cache_consistency", [&] {
    if (!counted) first = read_counts(db);
    return check_cache_consistency(first, read_counts(db));
  });
  report.checks = {file, foreign_keys, orphans, duplicates, consistency, concurrency};
  for (auto& c : report.checks) report.ok = report.ok && c.ok;
  return report;
}

std::vector<std::string> repair(database& db, int64_t /*now*/) {
  std::vector<std::string> changes;

  // Dangling GitHub links: the link is only a cache of "this remote is that repository".
  {
    std::vector<std::pair<int64_t, std::string>> rows;
    auto& sel = db.prepare(
        "SELECT p.id, p.path, p.github_repo_id FROM projects p WHERE p.github_repo_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM github_repos g WHERE g.id = p.github_repo_id) "
        "ORDER BY p.path");
    while (sel.step())
      rows.emplace_back(sel.column_int(0), "unlinked project " + sel.column_text(1) +
                                               " from missing GitHub repository #" +
                                               std::to_string(sel.column_int(2)));
    sel.reset();
    auto& upd = db.prepare("UPDATE projects SET github_repo_id = NULL WHERE id = ?1");
    for (auto& [id, line] : rows) {
      upd.reset().bind(1, id).run();
      changes.push_back(line);
    }
  }

  // Projects whose root is gone: root_id is NOT NULL, so re-point each to the deepest stored
  // root that contains its path, or remove it (the next refresh finds it again if a configured
  // root still holds it).
  {
    std::vector<std::pair<int64_t, std::string>> roots;
    auto& all = db.prepare("SELECT id, path FROM project_dirs");
    while (all.step()) roots.emplace_back(all.column_int(0), all.column_text(1));
    all.reset();
    struct orphan {
      int64_t id;
      std::string path;
      int64_t root_id;
    };
    std::vector<orphan> rows;
    auto& sel = db.prepare(
        "SELECT p.id, p.path, p.root_id FROM projects p WHERE NOT EXISTS "
        "(SELECT 1 FROM project_dirs d WHERE d.id = p.root_id) ORDER BY p.path");
    while (sel.step()) rows.push_back({sel.column_int(0), sel.column_text(1), sel.column_int(2)});
    sel.reset();
    auto& repoint = db.prepare("UPDATE projects SET root_id = ?2 WHERE id = ?1");
    auto& remove = db.prepare("DELETE FROM projects WHERE id = ?1");
    for (auto& row : rows) {
      const std::pair<int64_t, std::string>* best = nullptr;
      for (auto& root : roots)
        if (path_is_under(row.path, root.second) &&
            (!best || root.second.size() > best->second.size()))
          best = &root;
      if (best) {
        repoint.reset().bind(1, row.id).bind(2, best->first).run();
        changes.push_back("re-pointed project " + row.path + " from missing root #" +
                          std::to_string(row.root_id) + " to root " + best->second);
      } else {
        remove.reset().bind(1, row.id).run();
        changes.push_back("removed project " + row.path + " of missing root #" +
                          std::to_string(row.root_id));
      }
    }
  }

  // Duplicate projects: keep the most recently updated row (then the one already spelled
  // normalised, then the newest id) under the normalised path.
  for (auto& [path, rows] : duplicate_project_groups(db)) {
    auto keep = std::max_element(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      bool an = a.path == path, bn = b.path == path;
      if (a.updated_at != b.updated_at) return a.updated_at < b.updated_at;
      if (an != bn) return bn;
      return a.id < b.id;
    });
    auto& adopt_link = db.prepare(
        "UPDATE projects SET github_repo_id = (SELECT github_repo_id FROM projects WHERE id = ?2) "
        "WHERE id = ?1 AND github_repo_id IS NULL");
    auto& remove = db.prepare("DELETE FROM projects WHERE id = ?1");
    for (auto& row : rows) {
      if (row.id == keep->id) continue;
      adopt_link.reset().bind(1, keep->id).bind(2, row.id).run();  // keep a link either had
      remove.reset().bind(1, row.id).run();
      changes.push_back("merged duplicate project " + row.path + " into " + path);
    }
    if (keep->path != path) {
      db.prepare("UPDATE projects SET path = ?2 WHERE id = ?1")
          .bind(1, keep->id)
          .bind(2, std::string_view(path))
          .run();
      changes.push_back("renamed project " + keep->path + " to " + path);
    }
  }

  // Duplicate GitHub repositories: keep the most recently synced; links move to it first.
  for (auto& rows : duplicate_repo_groups(db)) {
    const auto& keep = rows.front();  // ordered by last_synced DESC, id DESC
    for (std::size_t i = 1; i < rows.size(); ++i) {
      db.prepare("UPDATE projects SET github_repo_id = ?2 WHERE github_repo_id = ?1")
          .bind(1, rows[i].id)
          .bind(2, keep.id)
          .run();
      db.prepare("DELETE FROM github_repos WHERE id = ?1").bind(1, rows[i].id).run();
      changes.push_back("merged duplicate GitHub repository " + rows[i].full_name + " into " +
                        keep.full_name);
    }
  }

  // cache_metadata: unknown datasets go, known ones get their real count (freshness untouched:
  // recounting is not a refresh).
  auto claimed = claimed_counts(db);
  auto real = real_counts(db);
  for (auto& [key, count] : claimed) {
    auto it = real.find(key);
    if (!is_known_dataset(key)) {
      db.prepare("DELETE FROM cache_metadata WHERE cache_key = ?1")
          .bind(1, std::string_view(key))
          .run();
      changes.push_back("removed cache_metadata row '" + key + "' (unknown dataset)");
    } else if (it != real.end() && it->second != count) {
      db.prepare("UPDATE cache_metadata SET item_count = ?2 WHERE cache_key = ?1")
          .bind(1, std::string_view(key))
          .bind(2, it->second)
          .run();
      changes.push_back("recounted cache_metadata '" + key + "': " + std::to_string(count) +
                        " -> " + std::to_string(it->second));
    }
  }
  // The total rank that aging is decided by.
  if (auto totals = read_rank_totals(db); !totals.agree()) {
    db.prepare("INSERT INTO dir_stats(id, total_rank) VALUES(1, ?1) "
               "ON CONFLICT(id) DO UPDATE SET total_rank = excluded.total_rank")
        .bind(1, totals.summed)
        .run();
    changes.push_back("recounted dir_stats total rank: " +
                      (totals.stored ? rank_text(*totals.stored) : std::string("nothing")) +
                      " -> " + rank_text(totals.summed));
  }
  // The keyword index: derived from the names alone, so rebuilt whole.
  if (auto m = read_suffix_mismatch(db); !m.none()) {
    rebuild_dir_name_suffixes(db);
    changes.push_back("rebuilt the keyword index: " + suffix_mismatch_text(m));
  }
  return changes;
}

std::vector<std::string> truncate_wal_for_repair(database& db) {
  auto result = db.checkpoint_truncate();
  if (result.bytes_before <= wal_truncate_threshold_bytes) return {};
  if (result.complete) return {"checkpointed the WAL and truncated it (was " + mib(result.bytes_before) + ")"};
  return {"checkpointed what the WAL allowed (" + mib(result.bytes_before) + "; " +
          mib(result.bytes_after) + " left: another connection holds a snapshot or a lock; run "
          "--repair again when it is done)"};
}

std::vector<std::string> repairs_done_by_opening(const std::string& db_path) {
  std::vector<std::string> out;
  if (int64_t hot = hot_journal_size(db_path); hot > 0)
    out.push_back("rolled back the leftover hot journal " + base_name(db_path) + "-journal (" +
                  std::to_string(hot) + " bytes)");
  // Bytes 18 and 19 of the header are the write and read format versions: 2 means WAL.
  std::ifstream in(db_path, std::ios::binary);
  char header[20] = {};
  if (in.read(header, sizeof header) && std::memcmp(header, "SQLite format 3", 16) == 0 &&
      (header[18] != 2 || header[19] != 2))
    out.push_back("switched journal_mode to wal");
  return out;
}

}  // namespace gum::storage
