// storage/dirs_store.cpp: SQL for frecent directories.
//
// Why it is built this way:
// - Ranks are stored against one scale factor (schema version 4): dir_frecency.scaled_rank x
//   dir_scale.factor is the real rank of SPEC §3.2, which the view dir_usage shows. Aging
//   (when the total passes 10 000, scale every rank by 9 000 / total and drop what falls below
//   1) multiplies the factor, and deletes the rows whose real rank falls below 1 through the
//   index on scaled_rank: it costs what it drops, and the rows it keeps are not rewritten.
// - A visit adds 1 / factor to scaled_rank: an UPDATE by primary key, and an INSERT only when
//   no row was updated, which also answers "was it new" exactly for cache_metadata's
//   item_count, adjusted instead of recounted.
// - The total (real ranks) lives in dir_stats, so aging is decided without summing the table.
//   Triggers on dir_frecency keep it, whoever writes the rows; aging stores the total it
//   computed, so rounding never accumulates. When the row is missing (emptied by hand), the
//   table is summed once and the row written back.
// - When most rows drop (10 000 directories of rank 1 at the edge: everything under 1.11
//   drops), the survivors are read, the table is emptied (SQLite's truncate optimisation frees
//   pages without visiting rows) and the survivors written back at factor 1. Otherwise only the
//   dropped rows are deleted. Both ways cost the smaller of what drops and what stays.
// - The factor shrinks by at most 9 000 / 10 001 per aging; when it falls below
//   renormalise_below the ranks are rewritten at factor 1 (once every ~200 agings), so the
//   scaled ranks never leave the range where a double adds 1 / factor exactly enough.
// - Keyword reads narrow by the last keyword through dir_frecency.name (the lower-cased last
//   component): dir_name_suffix (schema 5) holds the suffixes of every name at every second
//   character, so the names that contain the keyword are two ranges of its key (the keyword,
//   and the keyword less its first character), and only their rows are fetched. Triggers
//   keep it; aging, which runs with triggers off, prunes the dropped names' suffixes itself
//   (or rebuilds the table from the survivors when it rebuilds dir_frecency).
#include "storage/dirs_store.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "storage/schema.hpp"

#include "storage/database.hpp"
#include "storage/projects_store.hpp"

namespace gum::storage {

namespace {

constexpr const char* dataset_key = "dirs";

/// Below this factor, aging rewrites the ranks at factor 1 (see the top of the file).
constexpr double renormalise_below = 1e-9;

// dir_scale's factor (1 when the row is missing: a database whose row was deleted by hand).
double read_factor(database& db) {
  auto& stmt = db.prepare("SELECT factor FROM dir_scale WHERE id = 1");
  double factor = stmt.step() ? stmt.column_double(0) : 1.0;
  stmt.reset();
  return factor > 0 && std::isfinite(factor) ? factor : 1.0;
}

void write_factor(database& db, double factor) {
  db.prepare("INSERT INTO dir_scale(id, factor) VALUES(1, ?1) "
             "ON CONFLICT(id) DO UPDATE SET factor = excluded.factor")
      .bind(1, factor)
      .run();
}

// Sets the stored total (aging computes it exactly).
void write_total(database& db, double total) {
  db.prepare("INSERT INTO dir_stats(id, total_rank) VALUES(1, ?1) "
             "ON CONFLICT(id) DO UPDATE SET total_rank = excluded.total_rank")
      .bind(1, total < 0 ? 0.0 : total)
      .run();
}

// dir_stats' total, when it has its row.
std::optional<double> stored_total(database& db) {
  auto& stmt = db.prepare("SELECT total_rank FROM dir_stats WHERE id = 1");
  std::optional<double> total;
  if (stmt.step()) total = stmt.column_double(0);
  stmt.reset();
  return total;
}

double summed_total(database& db) {
  auto& sum = db.prepare("SELECT total(rank) FROM dir_usage");  // the view: real ranks
  double total = sum.step() ? sum.column_double(0) : 0;
  sum.reset();
  return total;
}

// The stored total for a write. When dir_stats has no row (emptied by hand, or by
// clear_dirs), the table is summed and the row written, so that the triggers have a row to keep.
double read_total(database& db) {
  if (auto stored = stored_total(db)) return *stored;
  double total = summed_total(db);
  write_total(db, total);
  return total;
}

// Adds the real rank `rank` to `path` (creating the row) at scale `factor`; true when the row
// is new.
bool add_rank(database& db, const std::string& path, double rank, int64_t last_seen, int64_t now,
              double factor) {
  const double scaled = factor == 1.0 ? rank : rank / factor;
  db.prepare("UPDATE dir_frecency SET scaled_rank = scaled_rank + ?2, "
             "last_seen = max(last_seen, ?3) WHERE path = ?1")
      .bind(1, std::string_view(path))
      .bind(2, scaled)
      .bind(3, last_seen)
      .run();
  if (db.changes() > 0) return false;
  static const std::string insert =
      "INSERT INTO dir_frecency(path, scaled_rank, last_seen, first_seen, name) "
      "VALUES(?1, ?2, ?3, ?4, " + dir_name_sql("?1") + ")";
  db.prepare(insert)
      .bind(1, std::string_view(path))
      .bind(2, scaled)
      .bind(3, last_seen)
      .bind(4, now)
      .run();
  return true;
}

// Moves cache_metadata's item_count for "dirs" by `delta` (and, when `now` is set, marks the
// dataset updated). The first time, when there is no row yet, the table is counted once.
void adjust_item_count(database& db, int64_t delta, std::optional<int64_t> now) {
  if (now) {
    db.prepare("UPDATE cache_metadata SET item_count = max(item_count + ?2, 0), "
               "last_updated = ?3 WHERE cache_key = ?1")
        .bind(1, std::string_view(dataset_key))
        .bind(2, delta)
        .bind(3, *now)
        .run();
  } else {
    db.prepare("UPDATE cache_metadata SET item_count = max(item_count + ?2, 0) "
               "WHERE cache_key = ?1")
        .bind(1, std::string_view(dataset_key))
        .bind(2, delta)
        .run();
  }
  if (db.changes() > 0 || !now) return;
  touch_dataset(db, dataset_key, *now, db.query_int("SELECT count(*) FROM dir_usage"),
                std::nullopt, std::nullopt);
}

// Sets PRAGMA secure_delete for the life of the object, then restores it. Debian's SQLite
// defaults to ON, which zeroes every page freed by a delete and so writes it to the WAL: for
// aging that empties most of the table that is hundreds of pages of zeros per visit. FAST
// still overwrites deleted cells inside live pages; only whole pages put on the free list
// keep their old bytes until reused (the file is 0600, and its owner visited those paths).
class secure_delete_scope {
 public:
  secure_delete_scope(database& db, const char* mode) : db_(db) {
    previous_ = db.query_int("PRAGMA secure_delete");
    db.exec(std::string("PRAGMA secure_delete = ") + mode);
  }
  ~secure_delete_scope() {
    try {
      db_.exec("PRAGMA secure_delete = " + std::to_string(previous_));
    } catch (const storage_error&) {
      // Best effort: the setting only affects how freed pages are wiped.
    }
  }
  secure_delete_scope(const secure_delete_scope&) = delete;
  secure_delete_scope& operator=(const secure_delete_scope&) = delete;

 private:
  database& db_;
  int64_t previous_ = 1;
};

// Turns this connection's triggers off for the life of the object. Aging rescales every rank
// and computes the new total exactly; the total-keeping triggers would add nothing but a
// statement per row, and a DELETE trigger also disables SQLite's truncate optimisation.
class triggers_off_scope {
 public:
  explicit triggers_off_scope(database& db) : db_(db), was_on_(db.enable_triggers(false)) {}
  ~triggers_off_scope() { db_.enable_triggers(was_on_); }
  triggers_off_scope(const triggers_off_scope&) = delete;
  triggers_off_scope& operator=(const triggers_off_scope&) = delete;

 private:
  database& db_;
  bool was_on_;
};

struct survivor {
  std::string path;
  double scaled_rank;
  int64_t last_seen, first_seen;
};

// Ages: every real rank x aging_target / total, rows that fall below 1 dropped. `total` is the
// sum of the real ranks; `rows` the number of rows (an estimate is enough: it only picks the
// cheaper strategy). Returns the new total and sets the number of rows dropped.
double age(database& db, double total, int64_t rows, int64_t& dropped) {
  const double old_factor = read_factor(db);
  const double factor = old_factor * (aging_target / total);  // the new scale
  triggers_off_scope exact_total(db);  // the caller stores the total this returns
  // A row drops when scaled_rank x factor < 1. SQLite finds the candidates through the index
  // with a bound a hair above 1 / factor; the exact test uses the same double arithmetic as
  // every reader (scaled_rank x factor).
  const double bound = (1.0 / factor) * (1 + 1e-12);
  const int64_t half = rows / 2 + 1;
  auto& count = db.prepare(
      "SELECT count(*) FROM (SELECT 1 FROM dir_frecency WHERE scaled_rank < ?1 LIMIT ?2)");
  count.bind(1, bound).bind(2, half);
  const int64_t candidates = count.step() ? count.column_int(0) : 0;
  count.reset();
  secure_delete_scope fast(db, "FAST");
  if (candidates < half) {
    // Few drop: delete them, keep the rest as they are; only the factor changes.
    double dropped_scaled = 0;
    dropped = 0;
    std::set<std::string> names;  // of the dropped rows: their suffixes go with their last row
    auto& del = db.prepare(
        "DELETE FROM dir_frecency WHERE scaled_rank < ?1 AND scaled_rank * ?2 < 1 "
        "RETURNING scaled_rank, name");
    del.bind(1, bound).bind(2, factor);
    while (del.step()) {
      dropped_scaled += del.column_double(0);
      names.insert(del.column_text(1));
      ++dropped;
    }
    del.reset();
    static const std::string prune = drop_unused_name_suffixes_sql("?1");
    auto& unused = db.prepare(prune);
    for (auto& name : names) unused.reset().bind(1, std::string_view(name)).run();
    unused.reset();
    const double new_total = (total / old_factor - dropped_scaled) * factor;
    if (factor < renormalise_below) {
      db.prepare("UPDATE dir_frecency SET scaled_rank = scaled_rank * ?1").bind(1, factor).run();
      write_factor(db, 1.0);
    } else {
      write_factor(db, factor);
    }
    return new_total;
  }
  // Most drop: read the survivors, empty the table, write them back at factor 1.
  std::vector<survivor> kept;
  auto& select = db.prepare(
      "SELECT path, scaled_rank, last_seen, first_seen FROM dir_frecency WHERE scaled_rank >= ?1");
  select.bind(1, (1.0 / factor) * (1 - 1e-12));
  while (select.step()) {
    double real = select.column_double(1) * factor;
    if (real < 1) continue;
    kept.push_back({select.column_text(0), real, select.column_int(2), select.column_int(3)});
  }
  select.reset();
  db.exec("DELETE FROM dir_frecency");  // no WHERE: SQLite's truncate optimisation
  dropped = db.changes() - static_cast<int64_t>(kept.size());
  static const std::string insert =
      "INSERT INTO dir_frecency(path, scaled_rank, last_seen, first_seen, name) "
      "VALUES(?1, ?2, ?3, ?4, " + dir_name_sql("?1") + ")";
  auto& ins = db.prepare(insert);
  double new_total = 0;
  for (auto& s : kept) {
    ins.reset()
        .bind(1, std::string_view(s.path))
        .bind(2, s.scaled_rank)
        .bind(3, s.last_seen)
        .bind(4, s.first_seen)
        .run();
    new_total += s.scaled_rank;
  }
  rebuild_dir_name_suffixes(db);  // from the survivors' names: no more than the rows dropped
  write_factor(db, 1.0);
  return new_total;
}

// About how many rows dir_usage has: cache_metadata's count plus the rows this call added,
// without a scan; counted when there is no metadata yet.
int64_t estimated_rows(database& db, int64_t added) {
  auto& stmt = db.prepare("SELECT item_count FROM cache_metadata WHERE cache_key = ?1");
  stmt.bind(1, std::string_view(dataset_key));
  std::optional<int64_t> count;
  if (stmt.step()) count = stmt.column_int(0);
  stmt.reset();
  return count ? *count + added : db.query_int("SELECT count(*) FROM dir_usage");
}

// Ages when `total` passed the threshold; returns the new total and counts dropped rows.
double age_if_needed(database& db, double total, int64_t added, int64_t& dropped) {
  dropped = 0;
  if (total <= aging_threshold) return total;
  return age(db, total, estimated_rows(db, added), dropped);
}

// Escapes LIKE's wildcards (with '\' as the escape character).
void append_like_literal(std::string& pattern, std::string_view text) {
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
}

// SQLite's LIKE folds ASCII case only and reads its input as UTF-8, so a pattern made of
// ASCII is an exact necessary condition for keywords_match, whatever bytes the paths hold.
bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

int64_t record_visits(database& db, const std::vector<std::string>& paths, int64_t now,
                      bool* aged) {
  if (paths.empty()) return 0;
  double total = read_total(db);
  const double factor = read_factor(db);
  int64_t added = 0;
  for (auto& path : paths) {
    if (add_rank(db, path, 1.0, now, now, factor)) ++added;
    total += 1.0;
  }
  int64_t dropped = 0;
  if (total > aging_threshold) write_total(db, age_if_needed(db, total, added, dropped));
  if (aged) *aged = total > aging_threshold;
  adjust_item_count(db, added - dropped, now);
  return static_cast<int64_t>(paths.size());
}

int64_t import_dirs(database& db, const std::vector<imported_dir>& entries, int64_t now) {
  if (entries.empty()) return 0;
  double total = read_total(db);
  const double factor = read_factor(db);
  int64_t added = 0;
  for (auto& e : entries) {
    if (!(e.rank > 0) || !std::isfinite(e.rank))
      throw storage_error(status::fail(status_code::usage, "invalid rank for " + e.path));
    if (add_rank(db, e.path, e.rank, e.last_seen > 0 ? e.last_seen : now, now, factor)) ++added;
    total += e.rank;
  }
  int64_t dropped = 0;
  if (total > aging_threshold) write_total(db, age_if_needed(db, total, added, dropped));
  adjust_item_count(db, added - dropped, now);
  return static_cast<int64_t>(entries.size());
}

std::vector<dir_entry> load_dirs(database& db, const std::vector<std::string>& keywords) {
  std::vector<dir_entry> out;
  for_each_dir(db, keywords, [&](dir_entry&& e) {
    out.push_back(std::move(e));
    return true;
  });
  return out;
}

int64_t for_each_dir(database& db, const std::vector<std::string>& keywords,
                     const std::function<bool(dir_entry&&)>& visit) {
  // Every keyword in order over the whole path (LIKE folds ASCII case), and the last one within
  // the last component: a necessary condition of keywords_match, which the caller applies.
  std::string pattern, last_pattern;
  bool filter = false;
  const std::string* last = nullptr;
  for (auto& k : keywords) {
    if (k.empty()) continue;
    if (!is_ascii(k)) {  // not a safe prefilter: let the caller match everything
      filter = false;
      last = nullptr;
      break;
    }
    if (!filter) pattern = "%";
    filter = true;
    append_like_literal(pattern, k);
    pattern += '%';
    last = &k;
  }
  // A last keyword without '/' lies within the last component. name is ASCII-lower-cased and
  // the keyword is ASCII, so LIKE '%k%' (which folds ASCII case) is exactly "name contains the
  // lower-cased keyword": instr() tests that with memcmp, at a third of LIKE's cost per row.
  const bool by_name = filter && last && last->find('/') == std::string::npos;
  if (by_name) {
    last_pattern = *last;
    for (auto& c : last_pattern)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // One statement, so the factor and the rows come from one snapshot; the real rank is
  // scaled_rank x factor, as the view dir_usage computes it.
  static const std::string columns =
      "SELECT path, scaled_rank * coalesce((SELECT factor FROM dir_scale WHERE id = 1), 1.0), "
      "last_seen, first_seen FROM dir_frecency";
  static const std::string all = columns;
  static const std::string by_path = columns + " WHERE path LIKE ?1 ESCAPE '\\'";
  // "The name contains k" is "a suffix of the name starts with k". dir_name_suffix keeps the
  // suffixes at every name_suffix_stride-th character, so an occurrence of k starts a kept
  // suffix with k itself or with k less its first j characters (j < stride): one range of the
  // key per tail, [tail, tail with its last byte raised by one), then the rows of those names
  // through the name index. Only the tails' matches are read, a superset of the names that
  // contain k, which the LIKE and the caller's rules then narrow exactly.
  static const std::string by_path_and_name = [] {
    std::string tails;
    for (int j = 0; j < name_suffix_stride; ++j) {
      if (j) tails += " UNION ALL ";
      tails += "SELECT name FROM dir_name_suffix WHERE suffix >= ?" + std::to_string(2 + 2 * j) +
               " AND suffix < ?" + std::to_string(3 + 2 * j);
    }
    return columns + " WHERE name IN (" + tails + ") AND path LIKE ?1 ESCAPE '\\'";
  }();
  // A keyword shorter than the stride may lie between kept suffixes: the name index is read
  // whole (names only), and only the matching rows fetched.
  static const std::string by_path_and_short_name =
      columns +
      " WHERE rowid IN (SELECT rowid FROM dir_frecency INDEXED BY dir_frecency_name "
      "WHERE instr(name, ?2) > 0) AND path LIKE ?1 ESCAPE '\\'";
  const bool short_name = by_name && last_pattern.size() < static_cast<size_t>(name_suffix_stride);
  auto& stmt = db.prepare(short_name ? by_path_and_short_name
                          : by_name  ? by_path_and_name
                          : filter   ? by_path
                                     : all);
  if (filter) stmt.bind(1, std::string_view(pattern));
  std::vector<std::string> bounds;  // each tail and the least text above all that start with it
  if (short_name) {
    stmt.bind(2, std::string_view(last_pattern));
  } else if (by_name) {
    for (int j = 0; j < name_suffix_stride; ++j) {
      bounds.push_back(last_pattern.substr(j));
      bounds.push_back(bounds.back());
      bounds.back().back() = static_cast<char>(bounds.back().back() + 1);  // ASCII: at most 0x80
    }
    for (size_t i = 0; i < bounds.size(); ++i)
      stmt.bind(static_cast<int>(2 + i), std::string_view(bounds[i]));
  }
  int64_t rows = 0;
  try {
    while (stmt.step()) {
      ++rows;
      dir_entry e;
      e.path = stmt.column_text(0);
      e.rank = stmt.column_double(1);
      e.last_seen = stmt.column_int(2);
      e.first_seen = stmt.column_int(3);
      if (!visit(std::move(e))) break;
    }
  } catch (...) {
    stmt.reset();
    throw;
  }
  stmt.reset();
  return rows;
}

std::vector<std::string> dirs_seen_before(database& db, int64_t cutoff) {
  std::vector<std::string> out;
  auto& q = db.prepare("SELECT path FROM dir_frecency WHERE last_seen < ?1 ORDER BY path");
  q.reset().bind(1, cutoff);
  while (q.step()) out.push_back(q.column_text(0));
  q.reset();
  return out;
}

int64_t forget_dirs(database& db, const std::vector<std::string>& paths) {
  if (paths.empty()) return 0;
  read_total(db);  // makes sure dir_stats has its row for the delete trigger
  int64_t removed = 0;
  auto& del = db.prepare("DELETE FROM dir_frecency WHERE path = ?1");
  for (auto& path : paths) {
    del.reset().bind(1, std::string_view(path)).run();
    removed += db.changes();
  }
  del.reset();
  if (removed == 0) return 0;
  adjust_item_count(db, -removed, std::nullopt);
  return removed;
}

int64_t clear_dirs(database& db) {
  int64_t removed = db.query_int("SELECT count(*) FROM dir_frecency");
  db.exec("DELETE FROM dir_stats; DELETE FROM dir_frecency; UPDATE dir_scale SET factor = 1.0; "
          "DELETE FROM cache_metadata WHERE cache_key = 'dirs'");
  return removed;
}

double rank_scale(database& db) { return read_factor(db); }

double total_rank(database& db) {
  if (auto stored = stored_total(db)) return *stored;
  return summed_total(db);
}


// `gum dirs remove` (zoxide `remove`): all or nothing. Every path is looked up first, and one
// that is not in dir_usage fails the request before anything is deleted, so a typo in a list
// of paths removes none of them (the writer's savepoint would undo a partial delete anyway).
int64_t remove_dirs(database& db, const std::vector<std::string>& paths) {
  // The table, not the dir_usage view: SQLite counts no changes() for a write through a view.
  auto& find = db.prepare("SELECT 1 FROM dir_frecency WHERE path = ?1");
  std::vector<std::string> missing;
  for (auto& path : paths) {
    find.reset().bind(1, std::string_view(path));
    if (!find.step()) missing.push_back(path);
  }
  find.reset();
  if (!missing.empty()) {
    std::string what = "not in the directory history: " + missing.front();
    for (char& c : what)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';  // one line, whatever the path holds
    if (missing.size() > 1) what += " (and " + std::to_string(missing.size() - 1) + " more)";
    throw storage_error(status::fail(status_code::failure, what,
                                     "nothing was removed; `gum dirs -f simple` lists the "
                                     "recorded paths"));
  }
  read_total(db);  // the delete trigger keeps dir_stats' total: make sure it has its row
  auto& del = db.prepare("DELETE FROM dir_frecency WHERE path = ?1");
  int64_t removed = 0;
  for (auto& path : paths) {
    del.reset().bind(1, std::string_view(path)).run();
    removed += db.changes();
  }
  del.reset();
  if (removed > 0) adjust_item_count(db, -removed, std::nullopt);
  return removed;
}

}  // namespace gum::storage
