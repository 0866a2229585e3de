// tests/dirs_scale_test.cpp: ranks stored against one scale factor (schema 4, issue 14), and
// the keyword index of names (schema 5).
//
// storage/dirs_store keeps dir_frecency.scaled_rank x dir_scale.factor = the real rank of
// SPEC §3.2, and shows real ranks through the view dir_usage. These tests prove, against
// hand-computed values and with direct SQL edits in between, that:
// - aging multiplies the factor and leaves the rows it keeps untouched (it costs what it drops),
//   on both sides of the 10 000 edge, and every reader still sees the exact real ranks;
// - the rebuild (most rows drop) and the renormalisation (a tiny factor) write ranks back at
//   factor 1;
// - a version 3 database migrates to the view with its ranks, total and triggers intact, and a
//   version 4 one gains the suffixes of its names;
// - dir_name_suffix holds exactly the suffixes of the names after every kind of write: visits,
//   imports, forgets, edits through the view, and both ways of aging (checked by
//   expect_consistent after each);
// - the keyword read narrowed by the name index gives exactly the matches a brute-force scan of
//   every row gives, on 10 000 random paths and 200 random keyword sets.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>
#include <set>

#include "core/frecency.hpp"
#include "storage/database.hpp"
#include "storage/dirs_store.hpp"
#include "storage/schema.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::test_env;

constexpr int64_t t0 = 1700000000;

storage::database open_db(const std::string& path) {
  storage::open_options o;
  o.path = path;
  return storage::database::open(o);
}

// A real-valued query (the first column of the first row; -1 when there is no row).
double real(storage::database& db, const std::string& sql) {
  auto& stmt = db.prepare(sql);
  double v = stmt.step() ? stmt.column_double(0) : -1;
  stmt.reset();
  return v;
}

double rank_of(storage::database& db, const std::string& path) {
  return real(db, "SELECT rank FROM dir_usage WHERE path = '" + path + "'");
}

double scaled_of(storage::database& db, const std::string& path) {
  return real(db, "SELECT scaled_rank FROM dir_frecency WHERE path = '" + path + "'");
}

void visit(storage::database& db, const std::vector<std::string>& paths, int64_t now) {
  storage::write_transaction tx(db);
  storage::record_visits(db, paths, now);
  tx.commit();
}

void import(storage::database& db, const std::vector<imported_dir>& entries, int64_t now) {
  storage::write_transaction tx(db);
  storage::import_dirs(db, entries, now);
  tx.commit();
}

// dir_name_suffix holds exactly the kept suffixes of every name of dir_frecency, computed here
// byte by byte: one at every name_suffix_stride-th character, where a character starts at any
// byte that does not continue a UTF-8 character.
void expect_keyword_index(storage::database& db) {
  std::set<std::pair<std::string, std::string>> expected, got;
  auto& names = db.prepare("SELECT DISTINCT name FROM dir_frecency");
  while (names.step()) {
    const std::string name = names.column_text(0);
    int character = 0;
    for (size_t i = 0; i < name.size(); ++i)
      if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 &&
          character++ % storage::name_suffix_stride == 0)
        expected.insert({name.substr(i), name});
  }
  names.reset();
  auto& rows = db.prepare("SELECT suffix, name FROM dir_name_suffix");
  while (rows.step()) got.insert({rows.column_text(0), rows.column_text(1)});
  rows.reset();
  EXPECT_EQ(got.size(), static_cast<size_t>(db.query_int("SELECT count(*) FROM dir_name_suffix")));
  EXPECT_TRUE(got == expected) << got.size() << " suffix rows, " << expected.size() << " expected";
}

// dir_stats agrees with the rows (real ranks), no surviving rank is below 1, and the keyword
// index matches the names.
void expect_consistent(storage::database& db) {
  expect_keyword_index(db);
  double sum = real(db, "SELECT total(rank) FROM dir_usage");
  EXPECT_NEAR(storage::total_rank(db), sum, 1e-9 * std::max(1.0, sum));
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage WHERE rank < 1"), 0);
  EXPECT_EQ(db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key = 'dirs'"),
            db.query_int("SELECT count(*) FROM dir_frecency"));
}

struct dirs_scale : ::testing::Test {
  test_env env;
  storage::database db = open_db(env.db_path());
};

TEST_F(dirs_scale, aging_multiplies_the_factor_and_leaves_the_kept_rows_as_stored) {
  import(db, {{"/a", 6000, t0}, {"/b", 2998.9, t0}, {"/d", 1000, t0}, {"/e", 1.1, t0}}, t0);
  EXPECT_DOUBLE_EQ(storage::rank_scale(db), 1.0);
  visit(db, {"/f"}, t0 + 1);  // 10 001 > 10 000: ages
  const double f = 9000.0 / 10001.0;
  EXPECT_DOUBLE_EQ(storage::rank_scale(db), f);
  // The kept rows were not rewritten: their stored values are what the import wrote.
  EXPECT_EQ(scaled_of(db, "/a"), 6000.0);
  EXPECT_EQ(scaled_of(db, "/b"), 2998.9);
  EXPECT_EQ(scaled_of(db, "/d"), 1000.0);
  // Every reader sees the real ranks: the view, load_dirs, and the total.
  EXPECT_NEAR(rank_of(db, "/a"), 6000 * f, 1e-9);
  EXPECT_NEAR(rank_of(db, "/b"), 2998.9 * f, 1e-9);
  EXPECT_EQ(rank_of(db, "/e"), -1) << "1.1 x 0.89991 < 1 is dropped";
  EXPECT_EQ(rank_of(db, "/f"), -1) << "1 x 0.89991 < 1 is dropped";
  for (auto& e : storage::load_dirs(db)) EXPECT_NEAR(e.rank, rank_of(db, e.path), 1e-12);
  EXPECT_NEAR(storage::total_rank(db), (6000 + 2998.9 + 1000) * f, 1e-9);
  expect_consistent(db);
  // A visit after aging adds exactly 1 to the real rank.
  visit(db, {"/a"}, t0 + 2);
  EXPECT_NEAR(rank_of(db, "/a"), 6000 * f + 1, 1e-9);
  expect_consistent(db);
}

TEST_F(dirs_scale, direct_sql_edits_between_agings_are_read_and_aged_as_real_ranks) {
  // First aging: 2 000 rows of rank 5 (10 000) and one more visit.
  std::vector<imported_dir> all;
  for (int i = 0; i < 2000; ++i) all.push_back({"/k/" + std::to_string(i), 5.0, t0});
  import(db, all, t0);
  visit(db, {"/k/0"}, t0 + 1);
  const double f1 = 9000.0 / 10001.0;
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 2000);
  EXPECT_NEAR(rank_of(db, "/k/1"), 5 * f1, 1e-9);
  EXPECT_NEAR(rank_of(db, "/k/0"), 6 * f1, 1e-9);
  // Direct SQL through the view, in real ranks: an update, an insert and a delete.
  db.exec("UPDATE dir_usage SET rank = 50 WHERE path = '/k/1'");
  db.exec("INSERT INTO dir_usage(path, rank, last_seen, first_seen) VALUES ('/x/Low', 1.05, 5, 5)");
  db.exec("DELETE FROM dir_usage WHERE path = '/k/2'");
  EXPECT_NEAR(rank_of(db, "/k/1"), 50, 1e-9);
  EXPECT_NEAR(rank_of(db, "/x/Low"), 1.05, 1e-12);
  {
    auto& stmt = db.prepare("SELECT name FROM dir_frecency WHERE path = '/x/Low'");
    ASSERT_TRUE(stmt.step());
    EXPECT_EQ(stmt.column_text(0), "low") << "the view's trigger computes the name";
    stmt.reset();
  }
  // The hand-computed total: 9 000 after aging, then +50 - 5 f1, +1.05, -5 f1.
  const double total = 9000 + (50 - 5 * f1) + 1.05 - 5 * f1;
  EXPECT_NEAR(storage::total_rank(db), total, 1e-6);
  expect_consistent(db);
  // Below the edge nothing ages: visits up to a total of at most 10 000.
  const int below = static_cast<int>(10000 - total);
  for (int i = 0; i < below; i += 100) {
    std::vector<std::string> paths(std::min(100, below - i), "/k/3");
    visit(db, paths, t0 + 2);
  }
  EXPECT_DOUBLE_EQ(storage::rank_scale(db), f1) << "no aging below the edge";
  EXPECT_NEAR(rank_of(db, "/x/Low"), 1.05, 1e-12);
  EXPECT_NEAR(rank_of(db, "/k/3"), 5 * f1 + below, 1e-6);
  // The next visit passes 10 000: every real rank x 9 000 / (total + below + 1).
  const double before_total = total + below;
  ASSERT_LE(before_total, 10000.0);
  ASSERT_GT(before_total + 1, 10000.0);
  visit(db, {"/k/4"}, t0 + 3);
  const double f2 = 9000.0 / (before_total + 1);
  EXPECT_NEAR(storage::rank_scale(db), f1 * f2, 1e-15);
  EXPECT_NEAR(rank_of(db, "/k/1"), 50 * f2, 1e-6);
  EXPECT_NEAR(rank_of(db, "/k/3"), (5 * f1 + below) * f2, 1e-6);
  EXPECT_NEAR(rank_of(db, "/k/4"), (5 * f1 + 1) * f2, 1e-6);
  EXPECT_NEAR(rank_of(db, "/k/5"), 5 * f1 * f2, 1e-9);
  EXPECT_EQ(rank_of(db, "/x/Low"), -1) << "1.05 x " << f2 << " < 1 is dropped";
  EXPECT_EQ(rank_of(db, "/k/2"), -1);
  EXPECT_EQ(scaled_of(db, "/k/5"), 5.0) << "the kept rows are still as stored";
  EXPECT_NEAR(storage::total_rank(db), 9000 - 1.05 * f2, 1e-6);
  expect_consistent(db);
}

TEST_F(dirs_scale, when_most_rows_drop_the_survivors_are_written_back_at_factor_one) {
  std::vector<imported_dir> all;
  for (int i = 0; i < 10000; ++i) all.push_back({"/d/" + std::to_string(i), 1.0, t0 - i});
  import(db, all, t0);
  visit(db, {"/d/7"}, t0 + 1);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 1);
  EXPECT_DOUBLE_EQ(storage::rank_scale(db), 1.0);
  EXPECT_DOUBLE_EQ(scaled_of(db, "/d/7"), 2 * 9000.0 / 10001.0);
  EXPECT_DOUBLE_EQ(rank_of(db, "/d/7"), 2 * 9000.0 / 10001.0);
  expect_consistent(db);
}

TEST_F(dirs_scale, a_tiny_factor_is_renormalised_by_the_next_aging) {
  std::vector<imported_dir> all;
  for (int i = 0; i < 1000; ++i) all.push_back({"/r/" + std::to_string(i), 10.0, t0});
  import(db, all, t0);  // total 10 000
  // By hand: the same real ranks at a factor of 1e-9 (as ~200 agings would leave them).
  {
    storage::write_transaction tx(db);
    db.exec("UPDATE dir_frecency SET scaled_rank = scaled_rank / 1e-9");
    db.exec("UPDATE dir_scale SET factor = 1e-9");
    db.exec("UPDATE dir_stats SET total_rank = (SELECT total(rank) FROM dir_usage)");
    tx.commit();
  }
  EXPECT_NEAR(rank_of(db, "/r/1"), 10.0, 1e-9);
  EXPECT_NEAR(storage::total_rank(db), 10000, 1e-6);
  visit(db, {"/r/1"}, t0 + 1);  // ages: the factor would fall below 1e-9
  const double f = 9000.0 / 10001.0;
  EXPECT_DOUBLE_EQ(storage::rank_scale(db), 1.0);
  EXPECT_NEAR(scaled_of(db, "/r/2"), 10 * f, 1e-9) << "stored at factor 1 again";
  EXPECT_NEAR(rank_of(db, "/r/1"), 11 * f, 1e-9);
  expect_consistent(db);
}

TEST_F(dirs_scale, the_keyword_index_keeps_a_name_while_any_directory_has_it) {
  import(db, {{"/a/Src", 2, t0}, {"/b/src", 2, t0}, {"/c/caf\xC3\xA9", 2, t0}, {"/d/", 2, t0}},
         t0);
  expect_keyword_index(db);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'src'"), 2);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'caf\xC3\xA9'"), 2)
      << "caf\xC3\xA9 and f\xC3\xA9: the stride counts characters, not bytes";
  storage::forget_dirs(db, {"/a/Src"});
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'src'"), 2)
      << "/b/src still has the name";
  // Through the view, as a user with sqlite3 would: a rename changes the name.
  db.exec("UPDATE dir_usage SET path = '/b/lib' WHERE path = '/b/src'");
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'src'"), 0);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'lib'"), 2);
  db.exec("INSERT INTO dir_usage(path, rank, last_seen, first_seen) VALUES ('/e/LIB', 1, 5, 5)");
  db.exec("DELETE FROM dir_usage WHERE path = '/b/lib'");
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'lib'"), 2);
  expect_consistent(db);
  auto found = storage::load_dirs(db, {"IB"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "/e/LIB");
  storage::clear_dirs(db);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix"), 0);
}

TEST(dirs_scale_migration, a_version_4_database_gains_the_keyword_index_of_its_names) {
  test_env env;
  const std::string path = env.db_path();
  {
    auto db = open_db(path);
    import(db, {{"/p/Alpha", 3, t0}, {"/q/alpha", 2, t0}, {"/r/beta", 1, t0}}, t0);
    // Back to version 4: no suffix table, none of its triggers.
    db.exec(
        "DROP TABLE dir_name_suffix; DROP TRIGGER dir_frecency_suffix_after_insert; "
        "DROP TRIGGER dir_frecency_suffix_after_delete; "
        "DROP TRIGGER dir_frecency_suffix_after_update; PRAGMA user_version = 4");
  }
  auto db = open_db(path);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), storage::schema_version);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix"), 3 + 2)
      << "alpha, pha, a; beta, ta";
  expect_consistent(db);
  visit(db, {"/s/gamma"}, t0 + 1);  // the triggers are back
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_name_suffix WHERE name = 'gamma'"), 3);
  auto found = storage::load_dirs(db, {"lph"});
  EXPECT_EQ(found.size(), 2u);
}

TEST(dirs_scale_migration, a_version_3_database_keeps_its_ranks_total_and_triggers) {
  test_env env;
  const std::string path = env.db_path();
  {
    sqlite3* raw = nullptr;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    // The dir tables of versions 1-3 (the others are not touched by the v4 step).
    const char* v3 = R"sql(
      CREATE TABLE dir_usage (path TEXT PRIMARY KEY, rank REAL NOT NULL CHECK (rank > 0),
                              last_seen INTEGER NOT NULL, first_seen INTEGER NOT NULL);
      CREATE TABLE dir_stats (id INTEGER PRIMARY KEY CHECK (id = 1), total_rank REAL NOT NULL);
      CREATE TABLE cache_metadata (cache_key TEXT PRIMARY KEY, last_updated INTEGER NOT NULL,
                                   ttl_seconds INTEGER, item_count INTEGER NOT NULL,
                                   last_duration_ms INTEGER);
      CREATE TRIGGER dir_usage_total_after_insert AFTER INSERT ON dir_usage BEGIN
        INSERT INTO dir_stats(id, total_rank) VALUES (1, NEW.rank)
          ON CONFLICT(id) DO UPDATE SET total_rank = total_rank + excluded.total_rank;
      END;
      INSERT INTO dir_usage VALUES ('/home/u/Src/GUM', 7.5, 10, 1), ('/home/u/b', 2, 20, 2),
                                   ('/', 1, 30, 3);
      PRAGMA user_version = 3;)sql";
    ASSERT_EQ(sqlite3_exec(raw, v3, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  auto db = open_db(path);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), storage::schema_version);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'view' AND "
                         "name = 'dir_usage'"),
            1);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sqlite_master WHERE name LIKE 'dir_usage_total%'"),
            0)
      << "the v2 triggers went with the table";
  EXPECT_DOUBLE_EQ(rank_of(db, "/home/u/Src/GUM"), 7.5);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 10.5);
  auto& names = db.prepare("SELECT path, name FROM dir_frecency ORDER BY path");
  std::vector<std::string> got;
  while (names.step()) got.push_back(names.column_text(0) + "=" + names.column_text(1));
  names.reset();
  EXPECT_EQ(got, (std::vector<std::string>{"/=", "/home/u/Src/GUM=gum", "/home/u/b=b"}));
  visit(db, {"/home/u/b"}, t0);
  EXPECT_DOUBLE_EQ(rank_of(db, "/home/u/b"), 3.0);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 11.5);
}

// ---- the name-narrowed keyword read against a brute-force scan ------------------------------

std::string random_component(std::mt19937& rng) {
  // Letters of both cases, separators, LIKE's wildcards and escape, and UTF-8 letters of both
  // cases (é, É), the Kelvin sign (whose lower case is the ASCII k) and a stray byte.
  static const std::vector<std::string> pieces = {
      "a", "b", "c", "d", "e", "o", "r", "s", "A", "B", "C", "R", "-", "_", ".", "%",
      "\\", "1", "2", "x", "\xC3\xA9", "src", "proj", "Ab", "cd",
      "\xC3\x89", "\xE2\x84\xAA", "k", "\xFF"};
  std::uniform_int_distribution<size_t> len(1, 6), pick(0, pieces.size() - 1);
  std::string out;
  for (size_t i = len(rng); i > 0; --i) out += pieces[pick(rng)];
  return out;
}

// The sizes of issue 14 (10 000 paths, 200 keyword sets); a fifth of each under ASan, where the
// brute force costs ten times as much and the plain build already covers the full size.
#ifdef __SANITIZE_ADDRESS__
constexpr size_t table_rows = 2000;
constexpr int keyword_sets = 40;
#else
constexpr size_t table_rows = 10000;
constexpr int keyword_sets = 200;
#endif

TEST(dirs_keywords, the_narrowed_read_equals_a_brute_force_scan_of_every_row) {
  test_env env;
  auto db = open_db(env.db_path());
  std::mt19937 rng(14);
  std::uniform_int_distribution<int> depth(1, 5);
  std::uniform_real_distribution<double> rank(0.2, 0.95);  // sums under 10 000: all stay
  std::uniform_int_distribution<int64_t> age(0, 30 * 86400);
  std::vector<imported_dir> rows;
  std::set<std::string> paths;
  for (int i = 0; rows.size() < table_rows; ++i) {
    std::string p;
    for (int d = depth(rng); d > 0; --d) p += "/" + random_component(rng);
    if (i % 97 == 0) p += "/";  // a path that ends in '/' (its last component is empty)
    if (!paths.insert(p).second) continue;
    rows.push_back({p, rank(rng), t0 - age(rng)});
  }
  import(db, rows, t0);
  // The same real ranks at a factor that is not 1, as after agings (set by hand: 10 000 rows
  // cannot survive an aging, which leaves a total of 9 000 with every rank at least 1).
  {
    storage::write_transaction tx(db);
    db.exec("UPDATE dir_frecency SET scaled_rank = scaled_rank / 0.37");
    db.exec("UPDATE dir_scale SET factor = 0.37");
    tx.commit();
  }
  ASSERT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), static_cast<int64_t>(table_rows));
  // Brute force: every row of the view, matched and scored with the core rules.
  struct row {
    std::string path;
    double rank;
    int64_t last_seen;
  };
  std::vector<row> every;
  {
    auto& stmt = db.prepare("SELECT path, rank, last_seen FROM dir_usage");
    while (stmt.step())
      every.push_back({stmt.column_text(0), stmt.column_double(1), stmt.column_int(2)});
    stmt.reset();
  }
  auto best_of = [&](std::vector<row> matches) {
    std::sort(matches.begin(), matches.end(), [&](const row& a, const row& b) {
      double sa = frecency_score(a.rank, a.last_seen, t0), sb = frecency_score(b.rank, b.last_seen, t0);
      if (sa != sb) return sa > sb;
      if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
      return a.path < b.path;
    });
    return matches.empty() ? std::string("(none)") : matches.front().path;
  };
  std::uniform_int_distribution<size_t> any_row(0, every.size() - 1);
  std::uniform_int_distribution<int> nkw(1, 3), flip(0, 3);
  int with_matches = 0;
  for (int set = 0; set < keyword_sets; ++set) {
    // Keywords cut from a real path (so most sets match something), in order, case flipped
    // at random; every tenth set is random text (mostly no match).
    std::vector<std::string> keywords;
    const std::string& source = every[any_row(rng)].path;
    const int n = nkw(rng);
    size_t from = 0;
    for (int k = 0; k < n && from < source.size(); ++k) {
      std::uniform_int_distribution<size_t> start(from, source.size() - 1);
      size_t s = start(rng);
      std::uniform_int_distribution<size_t> len(1, std::min<size_t>(5, source.size() - s));
      std::string word = source.substr(s, len(rng));
      for (auto& c : word)
        if (flip(rng) == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      keywords.push_back(word);
      from = s + word.size();
    }
    if (set % 10 == 9) keywords = {random_component(rng)};
    std::vector<row> expected;
    for (auto& r : every)
      if (keywords_match(r.path, keywords)) expected.push_back(r);
    std::vector<row> got;
    storage::for_each_dir(db, keywords, [&](dir_entry&& e) {
      if (keywords_match(e.path, keywords)) got.push_back({e.path, e.rank, e.last_seen});
      return true;
    });
    auto key = [](const std::vector<row>& v) {
      std::vector<std::string> out;
      for (auto& r : v) out.push_back(r.path);
      std::sort(out.begin(), out.end());
      return out;
    };
    std::string shown;
    for (auto& k : keywords) shown += "[" + k + "]";
    ASSERT_EQ(key(got), key(expected)) << "keywords " << shown;
    EXPECT_EQ(best_of(got), best_of(expected)) << "keywords " << shown;
    if (!expected.empty()) ++with_matches;
  }
  EXPECT_GT(with_matches, keyword_sets / 2) << "the sets must exercise matches, not only misses";
}

}  // namespace
}  // namespace gum
