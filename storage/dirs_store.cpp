// storage/dirs_store.cpp: SQL for frecent directories.
//
// Aging multiplies every rank by 9 000 / total and drops ranks below 1 (SPEC §3.2). The rows
// that will drop are deleted first, through the rank index, so that the UPDATE only rewrites
// the survivors.
#include "storage/dirs_store.hpp"

#include "storage/database.hpp"
#include "storage/projects_store.hpp"

namespace gum::storage {

namespace {

double read_total(database& db) {
  auto& stmt = db.prepare("SELECT total_rank FROM dir_stats WHERE id = 1");
  if (stmt.step()) {
    double total = stmt.column_double(0);
    stmt.reset();
    return total;
  }
  stmt.reset();
  // First use, or a database from before dir_stats was kept: sum once.
  auto& sum = db.prepare("SELECT coalesce(sum(rank), 0) FROM dir_usage");
  double total = sum.step() ? sum.column_double(0) : 0;
  sum.reset();
  return total;
}

void write_total(database& db, double total) {
  db.prepare("INSERT INTO dir_stats(id, total_rank) VALUES(1, ?1) "
             "ON CONFLICT(id) DO UPDATE SET total_rank = excluded.total_rank")
      .bind(1, total)
      .run();
}

void add_rank(database& db, const std::string& path, double rank, int64_t last_seen, int64_t now) {
  db.prepare("INSERT INTO dir_usage(path, rank, last_seen, first_seen) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(path) DO UPDATE SET rank = rank + excluded.rank, "
             "last_seen = max(last_seen, excluded.last_seen)")
      .bind(1, std::string_view(path))
      .bind(2, rank)
      .bind(3, last_seen)
      .bind(4, now)
      .run();
}

// Ages when the total passed the threshold; returns the new total.
double age_if_needed(database& db, double total) {
  if (total <= aging_threshold) return total;
  double factor = aging_target / total;
  db.prepare("DELETE FROM dir_usage WHERE rank * ?1 < 1").bind(1, factor).run();
  db.prepare("UPDATE dir_usage SET rank = rank * ?1").bind(1, factor).run();
  auto& sum = db.prepare("SELECT coalesce(sum(rank), 0) FROM dir_usage");
  double new_total = sum.step() ? sum.column_double(0) : 0;
  sum.reset();
  return new_total;
}

}  // namespace

int64_t record_visits(database& db, const std::vector<std::string>& paths, int64_t now) {
  double total = read_total(db);
  for (auto& path : paths) {
    add_rank(db, path, 1.0, now, now);
    total += 1.0;
  }
  total = age_if_needed(db, total);
  write_total(db, total);
  touch_dataset(db, "dirs", now, db.query_int("SELECT count(*) FROM dir_usage"), std::nullopt,
                std::nullopt);
  return static_cast<int64_t>(paths.size());
}

int64_t import_dirs(database& db, const std::vector<imported_dir>& entries, int64_t now) {
  double total = read_total(db);
  for (auto& e : entries) {
    add_rank(db, e.path, e.rank, e.last_seen > 0 ? e.last_seen : now, now);
    total += e.rank;
  }
  total = age_if_needed(db, total);
  write_total(db, total);
  touch_dataset(db, "dirs", now, db.query_int("SELECT count(*) FROM dir_usage"), std::nullopt,
                std::nullopt);
  return static_cast<int64_t>(entries.size());
}

std::vector<dir_entry> load_dirs(database& db) {
  std::vector<dir_entry> out;
  auto& stmt = db.prepare("SELECT path, rank, last_seen, first_seen FROM dir_usage");
  while (stmt.step()) {
    dir_entry e;
    e.path = stmt.column_text(0);
    e.rank = stmt.column_double(1);
    e.last_seen = stmt.column_int(2);
    e.first_seen = stmt.column_int(3);
    out.push_back(std::move(e));
  }
  stmt.reset();
  return out;
}

int64_t forget_dirs(database& db, const std::vector<std::string>& paths) {
  if (paths.empty()) return 0;
  double total = read_total(db);
  int64_t removed = 0;
  auto& sel = db.prepare("DELETE FROM dir_usage WHERE path = ?1 RETURNING rank");
  for (auto& path : paths) {
    sel.reset().bind(1, std::string_view(path));
    while (sel.step()) {
      total -= sel.column_double(0);
      ++removed;
    }
  }
  sel.reset();
  write_total(db, total < 0 ? 0 : total);
  return removed;
}

int64_t clear_dirs(database& db) {
  int64_t removed = db.query_int("SELECT count(*) FROM dir_usage");
  db.exec("DELETE FROM dir_usage; DELETE FROM dir_stats; "
          "DELETE FROM cache_metadata WHERE cache_key = 'dirs'");
  return removed;
}

}  // namespace gum::storage
