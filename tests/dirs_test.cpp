// tests/dirs_test.cpp: frecent directories end to end (SPEC §3.2, issue 6).
//
// Two levels:
// - storage/dirs_store.* directly, on a database in a temp dir, with an injected clock: ranks,
//   aging (both of its strategies) and the bookkeeping a visit keeps (the total in dir_stats,
//   item_count in cache_metadata) against hand-computed values;
// - the gum binary (`add`, `dirs`, `jump`, `init`, `import`) in a temp HOME: ordering, keyword
//   semantics, hidden and forgotten directories, the process sampler's prefix test, every
//   import format with malformed lines, 16 concurrent processes that must lose no visit, and
//   SIGKILLed writers that must leave a consistent database.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <random>
#include <thread>

#include "storage/database.hpp"
#include "storage/dirs_store.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::lines_of;
using gum::testing::run_result;
using gum::testing::start_process;
using gum::testing::test_env;
namespace fs = std::filesystem;

constexpr int64_t t0 = 1700000000;  // the injected "now" of the storage tests

// ---- helpers -------------------------------------------------------------------------------

storage::database open_db(const std::string& path) {
  storage::open_options o;
  o.path = path;
  return storage::database::open(o);
}

double rank_of(storage::database& db, const std::string& path) {
  auto& stmt = db.prepare("SELECT rank FROM dir_usage WHERE path = ?1");
  stmt.bind(1, std::string_view(path));
  double rank = stmt.step() ? stmt.column_double(0) : -1;
  stmt.reset();
  return rank;
}

double sum_of_ranks(storage::database& db) {
  auto& stmt = db.prepare("SELECT total(rank) FROM dir_usage");
  double total = stmt.step() ? stmt.column_double(0) : -1;
  stmt.reset();
  return total;
}

// The bookkeeping every write must keep: dir_stats holds the sum, cache_metadata the count.
void expect_bookkeeping(storage::database& db) {
  double sum = sum_of_ranks(db);
  EXPECT_NEAR(storage::total_rank(db), sum, 1e-6 * std::max(1.0, sum));
  int64_t rows = db.query_int("SELECT count(*) FROM dir_usage");
  int64_t counted = db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key = 'dirs'");
  EXPECT_EQ(counted, rows);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage WHERE rank < 1 OR rank IS NULL"), 0)
      << "no rank below 1 survives a visit (imports aside)";
}

// Applies `visits` at `now` in one write transaction, as the writer does.
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

// Opens the test env's database (after some gum command created it).
storage::database env_db(const test_env& env) { return open_db(env.db_path()); }

std::string mkdir_in(const std::string& parent, const std::string& rel) {
  std::string path = parent + "/" + rel;
  fs::create_directories(path);
  return path;
}

// Runs gum with `dir` as its working directory (test_env::gum runs in the test's own).
run_result gum_in(const test_env& env, const std::string& dir, std::vector<std::string> args) {
  std::string script = "cd \"$1\" && shift && exec \"$@\"";
  std::vector<std::string> argv = {"/bin/sh", "-c", script, "sh", dir, GUM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return gum::testing::run_process(argv, env.environment());
}

struct json_dir {
  std::string path;
  double score = 0, rank = 0;
};

// `gum dirs -v` lines: SCORE<TAB>PATH.
std::vector<std::pair<double, std::string>> scored_lines(const std::string& out) {
  std::vector<std::pair<double, std::string>> rows;
  for (auto& line : lines_of(out)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << "not SCORE<TAB>PATH: " << line;
      continue;
    }
    rows.emplace_back(std::stod(line.substr(0, tab)), line.substr(tab + 1));
  }
  return rows;
}

// ---- storage: visits and aging with an injected clock ---------------------------------------

struct dirs_store_test : ::testing::Test {
  test_env env;
  storage::database db = open_db(env.db_path());
};

TEST_F(dirs_store_test, visit_adds_one_and_keeps_first_seen) {
  visit(db, {"/a"}, t0);
  EXPECT_DOUBLE_EQ(rank_of(db, "/a"), 1.0);
  visit(db, {"/a", "/b"}, t0 + 60);
  EXPECT_DOUBLE_EQ(rank_of(db, "/a"), 2.0);
  EXPECT_DOUBLE_EQ(rank_of(db, "/b"), 1.0);
  auto rows = storage::load_dirs(db);
  ASSERT_EQ(rows.size(), 2u);
  for (auto& e : rows) {
    EXPECT_EQ(e.last_seen, t0 + 60);
    EXPECT_EQ(e.first_seen, e.path == "/a" ? t0 : t0 + 60) << e.path;
  }
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 3.0);
  EXPECT_EQ(db.query_int("SELECT last_updated FROM cache_metadata WHERE cache_key = 'dirs'"),
            t0 + 60);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, aging_scales_to_nine_thousand_and_drops_ranks_below_one) {
  // Total exactly 10 000: not past the edge, so the import itself does not age.
  import(db, {{"/a", 6000, t0}, {"/b", 2998.9, t0}, {"/d", 1000, t0}, {"/e", 1.1, t0}}, t0);
  EXPECT_DOUBLE_EQ(rank_of(db, "/a"), 6000);
  EXPECT_NEAR(storage::total_rank(db), 10000, 1e-9);
  // One new visit: 10 001 > 10 000, every rank x 9000/10001, and what falls below 1 goes:
  // /e (1.1 -> 0.98990) and the new /f itself (1 -> 0.89991).
  visit(db, {"/f"}, t0 + 1);
  const double f = 9000.0 / 10001.0;
  EXPECT_NEAR(rank_of(db, "/a"), 6000 * f, 1e-9);   // 5399.46...
  EXPECT_NEAR(rank_of(db, "/b"), 2998.9 * f, 1e-9); // 2698.74...
  EXPECT_NEAR(rank_of(db, "/d"), 1000 * f, 1e-9);   // 899.91...
  EXPECT_EQ(rank_of(db, "/e"), -1) << "0.9899 < 1 is dropped";
  EXPECT_EQ(rank_of(db, "/f"), -1) << "0.8999 < 1 is dropped";
  EXPECT_NEAR(sum_of_ranks(db), (6000 + 2998.9 + 1000) * f, 1e-6);
  EXPECT_LE(sum_of_ranks(db), 9000.0);
  expect_bookkeeping(db);
  // Far below the edge again: the next visit does not age.
  visit(db, {"/a"}, t0 + 2);
  EXPECT_NEAR(rank_of(db, "/a"), 6000 * f + 1, 1e-9);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, aging_when_most_rows_drop_keeps_only_the_survivors) {
  // 10 000 directories visited once: the total is at the edge and the mean rank is 1, so the
  // next visit drops every directory but the one visited twice (the rebuild strategy).
  std::vector<imported_dir> all;
  for (int i = 0; i < 10000; ++i) all.push_back({"/d/" + std::to_string(i), 1.0, t0 - i});
  import(db, all, t0);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 10000);
  expect_bookkeeping(db);
  visit(db, {"/d/42"}, t0 + 5);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 1);
  EXPECT_NEAR(rank_of(db, "/d/42"), 2 * 9000.0 / 10001.0, 1e-9);
  auto rows = storage::load_dirs(db);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].last_seen, t0 + 5);
  EXPECT_EQ(rows[0].first_seen, t0) << "aging keeps first_seen";
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, aging_when_few_rows_drop_updates_in_place) {
  // 2 000 directories of rank 5 (10 000), one of rank 1.05: the visit ages, one row drops.
  std::vector<imported_dir> all;
  for (int i = 0; i < 1999; ++i) all.push_back({"/k/" + std::to_string(i), 5.0, t0});
  all.push_back({"/k/low", 4.95, t0});
  all.push_back({"/k/tiny", 0.05, t0});
  import(db, all, t0);
  visit(db, {"/k/0"}, t0 + 1);
  const double f = 9000.0 / 10001.0;
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 2000);
  EXPECT_NEAR(rank_of(db, "/k/0"), 6 * f, 1e-9);
  EXPECT_NEAR(rank_of(db, "/k/1"), 5 * f, 1e-9);
  EXPECT_NEAR(rank_of(db, "/k/low"), 4.95 * f, 1e-9);
  EXPECT_EQ(rank_of(db, "/k/tiny"), -1);
  EXPECT_NEAR(sum_of_ranks(db), (10001 - 0.05) * f, 1e-6);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, total_stays_within_bounds_over_many_visits) {
  // 30 000 visits over 4 000 directories (a skewed, deterministic pattern): aging runs many
  // times; the total never passes 10 000 after a visit and the bookkeeping stays exact.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  int64_t now = t0;
  for (int batch = 0; batch < 300; ++batch) {
    std::vector<std::string> paths;
    for (int i = 0; i < 100; ++i)
      paths.push_back("/w/" + std::to_string(static_cast<int>(4000 * std::pow(u(rng), 3))));
    visit(db, paths, now += 30);
    ASSERT_LE(sum_of_ranks(db), storage::aging_threshold + 1e-6) << "batch " << batch;
    if (batch % 50 == 0) expect_bookkeeping(db);
  }
  expect_bookkeeping(db);
  EXPECT_GT(sum_of_ranks(db), 5000.0) << "aging scales to 9 000 minus what drops, not to 0";
  EXPECT_GT(db.query_int("SELECT count(*) FROM dir_usage"), 100);
}

TEST_F(dirs_store_test, a_missing_total_is_summed_from_the_table) {
  visit(db, {"/a", "/b"}, t0);
  visit(db, {"/a"}, t0 + 1);
  db.exec("DELETE FROM dir_stats");  // a database from before dir_stats was kept
  visit(db, {"/b"}, t0 + 2);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 4.0);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, the_total_follows_direct_sql_inserts_updates_and_deletes) {
  visit(db, {"/a", "/b"}, t0);
  // Another writer (a restore, an older gum, a user with sqlite3) changes dir_usage directly.
  db.exec("INSERT INTO dir_usage(path, rank, last_seen, first_seen) VALUES ('/c', 5, 1, 1)");
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 7.0);
  db.exec("UPDATE dir_usage SET rank = 10 WHERE path = '/a'");
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 16.0);
  db.exec("DELETE FROM dir_usage WHERE path = '/b'");
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 15.0);
  db.exec("UPDATE dir_usage SET last_seen = 2");  // not a rank: the total stays
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 15.0);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), sum_of_ranks(db));
}

TEST_F(dirs_store_test, aging_happens_at_the_right_visit_after_a_direct_sql_edit) {
  // 9 990 in the table, then a direct edit lowers one rank by 1 000: the rows sum to 8 990.
  {
    storage::write_transaction tx(db);
    for (int i = 0; i < 999; ++i)
      db.prepare("INSERT INTO dir_usage(path, rank, last_seen, first_seen) VALUES (?1, 10, ?2, ?2)")
          .bind(1, std::string_view("/d/" + std::to_string(i)))
          .bind(2, t0)
          .run();
    tx.commit();
  }
  visit(db, {"/d/0"}, t0);  // 9 991
  db.exec("UPDATE dir_usage SET rank = 1 WHERE path = '/d/1'");
  const double after_edit = sum_of_ranks(db);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), after_edit);
  // Visits below the edge never age: every rank stays as it was.
  const int below = static_cast<int>(storage::aging_threshold - after_edit);
  for (int i = 0; i < below; ++i) visit(db, {"/d/2"}, t0);
  EXPECT_DOUBLE_EQ(sum_of_ranks(db), storage::aging_threshold);
  EXPECT_DOUBLE_EQ(rank_of(db, "/d/3"), 10.0);
  // The next visit passes 10 000 and ages: every rank x 9 000 / 10 001, /d/1 (rank 1) drops.
  visit(db, {"/d/2"}, t0);
  const double factor = storage::aging_target / (storage::aging_threshold + 1);
  EXPECT_NEAR(rank_of(db, "/d/3"), 10.0 * factor, 1e-9);
  EXPECT_EQ(rank_of(db, "/d/1"), -1) << "a rank of 1 x 0.9 falls below 1 and is dropped";
  EXPECT_NEAR(sum_of_ranks(db), storage::aging_target - factor, 1e-6);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, forget_and_clear_keep_the_bookkeeping) {
  visit(db, {"/a", "/b", "/c"}, t0);
  visit(db, {"/a"}, t0 + 1);
  {
    storage::write_transaction tx(db);
    EXPECT_EQ(storage::forget_dirs(db, {"/a", "/missing"}), 1);
    tx.commit();
  }
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 2.0);
  expect_bookkeeping(db);
  {
    storage::write_transaction tx(db);
    EXPECT_EQ(storage::clear_dirs(db), 2);
    tx.commit();
  }
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 0.0);
  visit(db, {"/z"}, t0 + 2);
  EXPECT_DOUBLE_EQ(storage::total_rank(db), 1.0);
  expect_bookkeeping(db);
}

TEST_F(dirs_store_test, keyword_prefilter_is_literal_ordered_and_case_insensitive) {
  visit(db, {"/p/100%_Done", "/p/100xxdone", "/p/x_y", "/p/xay", "/p/Foo/Bar", "/p/bar/foo",
             "/p/caf\xC3\xA9"},
        t0);
  auto paths = [&](std::vector<std::string> keywords) {
    std::vector<std::string> out;
    for (auto& e : storage::load_dirs(db, keywords)) out.push_back(e.path);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(paths({"0%_d"}), std::vector<std::string>{"/p/100%_Done"});
  EXPECT_EQ(paths({"x_y"}), std::vector<std::string>{"/p/x_y"});
  EXPECT_EQ(paths({"FOO", "bar"}), std::vector<std::string>{"/p/Foo/Bar"});
  EXPECT_EQ(paths({"bar", "foo"}), std::vector<std::string>{"/p/bar/foo"});
  // A non-ASCII keyword is not prefiltered: every row comes back for the exact matcher.
  EXPECT_EQ(paths({"\xC3\xA9"}).size(), 7u);
  EXPECT_EQ(paths({}).size(), 7u);
}

TEST_F(dirs_store_test, import_rejects_a_non_positive_rank_without_writing) {
  storage::write_transaction tx(db);
  EXPECT_THROW(storage::import_dirs(db, {{"/ok", 2, t0}, {"/bad", 0, t0}}, t0),
               storage::storage_error);
}

// ---- the CLI: add, dirs, jump ----------------------------------------------------------------

TEST(dirs_cli, add_ignores_files_missing_and_excluded_paths_silently) {
  test_env env;
  env.write_file(env.home() + "/file.txt", "x");
  auto r = env.gum({"add", env.home(), env.home() + "/file.txt", env.home() + "/nope"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(fs::exists(env.db_path())) << "nothing to record: no database work at all";
  // Configured exclusions replace the default ($HOME itself).
  std::string secret = mkdir_in(env.home(), "secret");
  env.write_config("dirs:\n  exclude: [~/secret]\n");
  r = env.gum({"add", secret, env.home()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = env.gum({"dirs", "-f", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("secret"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"path\":\"" + env.home() + "\""), std::string::npos) << r.out;
}

TEST(dirs_cli, add_normalises_paths_relative_to_the_working_directory) {
  test_env env;
  std::string code = mkdir_in(env.home(), "code/gum");
  auto r = gum_in(env, env.home() + "/code", {"add", "gum/", "./gum/../gum", "."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = env.gum({"dirs"});
  EXPECT_EQ(r.out, "~/code\n~/code/gum\n") << "one visit per directory per call, ~ for $HOME";
  auto db = env_db(env);
  EXPECT_DOUBLE_EQ(rank_of(db, code), 1.0);
}

TEST(dirs_cli, dirs_orders_by_score_then_last_visit_then_path) {
  test_env env;
  int64_t now = storage::unix_now();
  std::string a = mkdir_in(env.home(), "a"), b = mkdir_in(env.home(), "b"),
              c = mkdir_in(env.home(), "c"), d = mkdir_in(env.home(), "d"),
              e = mkdir_in(env.home(), "e"), f = mkdir_in(env.root(), "outside");
  // rank 10 at four ages (x4, x2, x0.5, x0.25); ties on score broken by last visit, then path.
  std::string z = a + "|10|" + std::to_string(now - 1800) + "\n" +   // 40
                  b + "|10|" + std::to_string(now - 5 * 3600) + "\n" +  // 20
                  c + "|10|" + std::to_string(now - 3 * 86400) + "\n" +  // 5
                  d + "|10|" + std::to_string(now - 30 * 86400) + "\n" +  // 2.5
                  e + "|5|" + std::to_string(now - 1800) + "\n" +   // 20, newer than b
                  f + "|2.5|" + std::to_string(now - 3 * 86400) + "\n";  // 1.25
  env.write_file(env.root() + "/z.txt", z);
  auto r = env.gum({"import", "--from", "z", env.root() + "/z.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Imported 6 directories from z (0 lines skipped)\n");
  r = env.gum({"dirs", "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = scored_lines(r.out);
  std::vector<std::pair<double, std::string>> expected = {
      {40, "~/a"}, {20, "~/e"}, {20, "~/b"}, {5, "~/c"}, {2.5, "~/d"}, {1.2, f}};
  ASSERT_EQ(rows.size(), expected.size()) << r.out;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NEAR(rows[i].first, expected[i].first, 0.051) << r.out;
    EXPECT_EQ(rows[i].second, expected[i].second) << r.out;
  }
  // Same rank, same second: the path decides.
  std::string g = mkdir_in(env.home(), "g"), h = mkdir_in(env.home(), "h");
  env.write_file(env.root() + "/z2.txt", h + "|3|" + std::to_string(now - 60) + "\n" + g + "|3|" +
                                             std::to_string(now - 60) + "\n");
  ASSERT_EQ(env.gum({"import", "--from", "z", env.root() + "/z2.txt"}).exit_code, 0);
  r = env.gum({"dirs", "-n", "4"});
  EXPECT_EQ(r.out, "~/a\n~/e\n~/b\n~/g\n") << "-n 4 after sorting; ~/g (12) before ~/h (12)";
  // JSON: absolute paths, numbers, RFC 3339.
  r = env.gum({"dirs", "-f", "json", "-n", "1"});
  EXPECT_EQ(r.out.find("\"path\":\"" + a + "\""), 2u) << r.out;
  EXPECT_NE(r.out.find("\"last_seen\":\"20"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Z\""), std::string::npos) << r.out;
  // fzf prints absolute paths (it feeds `cd`); unknown formats and bad limits are usage errors.
  EXPECT_EQ(env.gum({"dirs", "-f", "fzf", "-n", "1"}).out, a + "\n");
  r = env.gum({"dirs", "-f", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("gum: unknown format 'xml'", 0), 0u) << r.err;
  EXPECT_EQ(env.gum({"dirs", "-n", "-5"}).exit_code, 2);
}

// Issue 13, item 4: `cd "$(gum dirs -f simple | head -1)"` failed on a literal `~`.
TEST(dirs_cli, machine_formats_print_absolute_paths_and_only_default_uses_tilde) {
  test_env env;
  std::string lib = mkdir_in(env.home(), "projects/libfoo");
  ASSERT_EQ(env.gum({"add", lib}).exit_code, 0);
  EXPECT_EQ(env.gum({"dirs"}).out, "~/projects/libfoo\n");
  EXPECT_EQ(env.gum({"dirs", "-f", "default"}).out, "~/projects/libfoo\n");
  EXPECT_EQ(env.gum({"dirs", "-f", "simple"}).out, lib + "\n");
  EXPECT_EQ(env.gum({"dirs", "-f", "fzf"}).out, lib + "\n");
  auto json = env.gum({"dirs", "-f", "json"});
  EXPECT_NE(json.out.find("\"path\":\"" + lib + "\""), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find('~'), std::string::npos) << json.out;
  auto verbose = lines_of(env.gum({"dirs", "-f", "simple", "-v"}).out);
  ASSERT_EQ(verbose.size(), 1u);
  EXPECT_EQ(verbose[0].substr(verbose[0].find('\t') + 1), lib);
  // What the issue did, through a real shell.
  auto cd = gum::testing::run_process(
      {"/bin/sh", "-c", std::string("cd \"$(") + GUM_BINARY + " dirs -f simple | head -1)\" && pwd"},
      env.environment());
  EXPECT_EQ(cd.exit_code, 0) << cd.err;
  EXPECT_EQ(cd.out, lib + "\n");
}

TEST(dirs_cli, jump_and_dirs_ignore_the_case_of_every_letter_as_zoxide_does) {
  test_env env;
  const std::string ecole = mkdir_in(env.home(), "Écoles/ÉCOLE");
  const std::string sub = mkdir_in(env.home(), "Ünïcode Dir/sub");
  const std::string kelvin = mkdir_in(env.home(), "x/\xE2\x84\xAA" "elvin");
  ASSERT_EQ(env.gum({"add", ecole, sub, kelvin}).exit_code, 0);
  auto r = env.gum({"jump", "école"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ecole + "\n");
  r = env.gum({"jump", "ünïcode", "SUB"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, sub + "\n");
  r = env.gum({"dirs", "-f", "simple", "écoles", "ecole"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "an accent is not a case";
  // An ASCII keyword goes through SQLite's prefilter: it matches ASCII letters only, so the
  // Kelvin sign is not a `k`, and the prefilter and the matcher agree.
  EXPECT_EQ(env.gum({"jump", "kelvin"}).exit_code, 1);
  r = env.gum({"jump", "elvin"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kelvin + "\n");
}

TEST(dirs_cli, keywords_match_in_order_ignoring_case_last_in_last_component) {
  test_env env;
  std::vector<std::string> dirs = {"code/foo/bar", "code/bar/foo", "code/FooBar",
                                   "Work/gum/docs", "work/other"};
  std::vector<std::string> args = {"add"};
  for (auto& d : dirs) args.push_back(mkdir_in(env.home(), d));
  ASSERT_EQ(env.gum(args).exit_code, 0);
  auto listed = [&](std::vector<std::string> keywords) {
    std::vector<std::string> a = {"dirs"};  // default format: `~` for $HOME
    a.insert(a.end(), keywords.begin(), keywords.end());
    auto r = env.gum(a);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto out = lines_of(r.out);
    std::sort(out.begin(), out.end());
    return out;
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(listed({"foo", "bar"}), (v{"~/code/FooBar", "~/code/foo/bar"}));
  EXPECT_EQ(listed({"bar", "foo"}), (v{"~/code/bar/foo"}));
  EXPECT_EQ(listed({"FOO"}), (v{"~/code/FooBar", "~/code/bar/foo"}));
  EXPECT_EQ(listed({"work", "docs"}), (v{"~/Work/gum/docs"}));
  EXPECT_EQ(listed({"docs", "work"}), v{}) << "keywords keep their order";
  EXPECT_EQ(listed({"gum"}), v{}) << "the last keyword must be in the last component";
  EXPECT_EQ(listed({"code/foo"}), (v{"~/code/FooBar"})) << "a '/' in the last keyword";
  // jump: the best match, absolute, never the current directory; exit 1 and silence if none.
  auto r = env.gum({"jump", "foo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string best = r.out;
  EXPECT_TRUE(best == env.home() + "/code/FooBar\n" || best == env.home() + "/code/bar/foo\n")
      << best;
  r = gum_in(env, best.substr(0, best.size() - 1), {"jump", "foo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out, best) << "never the current directory";
  EXPECT_EQ(r.out.rfind(env.home() + "/code/", 0), 0u) << r.out;
  // The current directory reached through a symlink (as $PWD records it) is excluded too.
  fs::create_directory_symlink(env.home() + "/code", env.home() + "/link");
  ASSERT_EQ(env.gum({"add", env.home() + "/link/FooBar"}).exit_code, 0);
  r = gum_in(env, env.home() + "/code/FooBar", {"jump", "foobar"});
  EXPECT_EQ(r.exit_code, 1) << "only the current directory matches, by two names: " << r.out;
  r = env.gum({"jump", "nothing-like-this"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(dirs_cli, jump_with_no_database_finds_nothing_and_creates_nothing) {
  test_env env;
  auto r = env.gum({"jump", "x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out + r.err, "");
  EXPECT_FALSE(fs::exists(env.db_path()));
}

TEST(dirs_cli, missing_directories_are_hidden_then_forgotten_after_90_days) {
  test_env env;
  std::string kept = mkdir_in(env.home(), "kept"), gone = mkdir_in(env.home(), "gone");
  int64_t now = storage::unix_now();
  std::string old_gone = env.home() + "/long-gone";  // never existed here
  env.write_file(env.root() + "/z.txt", kept + "|1|" + std::to_string(now) + "\n" + gone + "|50|" +
                                            std::to_string(now) + "\n" + old_gone + "|90|" +
                                            std::to_string(now - 91 * 86400) + "\n");
  ASSERT_EQ(env.gum({"import", "--from", "z", env.root() + "/z.txt"}).exit_code, 0);
  fs::remove(gone);
  auto r = env.gum({"dirs"});
  EXPECT_EQ(r.out, "~/kept\n");
  r = env.gum({"jump", "gone"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  auto db = env_db(env);
  EXPECT_DOUBLE_EQ(rank_of(db, gone), 50) << "recently seen: hidden, not forgotten";
  EXPECT_EQ(rank_of(db, old_gone), -1) << "missing and unseen for 91 days: forgotten";
  expect_bookkeeping(db);
  // It comes back when the directory does.
  fs::create_directories(gone);
  EXPECT_EQ(env.gum({"jump", "gone"}).out, gone + "\n");
}

// SPEC §1: a read never writes. A directory that vanished long ago is only hidden by reads;
// the transaction of the next visit that ages forgets it (a plain visit never sweeps: it would
// stat every old row on every `cd`).
TEST(dirs_cli, reads_only_hide_vanished_directories_and_the_next_aging_visit_forgets_them) {
  test_env env;
  std::string old = mkdir_in(env.home(), "old"), here = mkdir_in(env.home(), "here");
  std::string big = mkdir_in(env.home(), "big");
  int64_t now = storage::unix_now();
  // Total 9 998.5: the second visit below passes 10 000 and ages.
  env.write_file(env.root() + "/z.txt", old + "|7|" + std::to_string(now - 91 * 86400) + "\n" +
                                            big + "|9991.5|" + std::to_string(now) + "\n");
  ASSERT_EQ(env.gum({"import", "--from", "z", env.root() + "/z.txt"}).exit_code, 0);
  {
    auto db = env_db(env);
    EXPECT_DOUBLE_EQ(rank_of(db, old), 7) << "it existed when imported: kept";
  }
  fs::remove(old);
  EXPECT_EQ(env.gum({"dirs", "-f", "simple"}).out.find("/old"), std::string::npos);
  EXPECT_EQ(env.gum({"jump", "old"}).exit_code, 1);
  {
    auto db = env_db(env);
    EXPECT_DOUBLE_EQ(rank_of(db, old), 7) << "reads hide it but never delete it";
  }
  ASSERT_EQ(env.gum({"add", here}).exit_code, 0);
  {
    auto db = env_db(env);
    EXPECT_DOUBLE_EQ(rank_of(db, old), 7) << "a visit that does not age does not sweep";
  }
  ASSERT_EQ(env.gum({"add", here}).exit_code, 0);
  auto db = env_db(env);
  EXPECT_EQ(rank_of(db, old), -1) << "the aging visit's transaction forgot it";
  EXPECT_GT(rank_of(db, here), 0);
  expect_bookkeeping(db);
}

TEST(dirs_cli, clear_cache_and_demo) {
  test_env env;
  auto r = env.gum({"dirs", "--demo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rank"), std::string::npos);
  auto rows = lines_of(r.out);
  ASSERT_GE(rows.size(), 4u);
  EXPECT_NE(r.out.find("    10 min ago"), std::string::npos) << r.out;
  // rank 20: 80 within the hour, 40 within the day, 10 within the week, 5 after.
  EXPECT_NE(r.out.find("    20            80            40            10             5\n"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(env.db_path())) << "--demo needs no database";

  ASSERT_EQ(env.gum({"add", mkdir_in(env.home(), "x"), mkdir_in(env.home(), "y")}).exit_code, 0);
  r = env.gum({"dirs", "--clear-cache"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Directories cache cleared (2 entries)\n");
  EXPECT_EQ(env.gum({"dirs"}).out, "");
  auto db = env_db(env);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), 0);
}

// ---- the process sampler ---------------------------------------------------------------------

TEST(dirs_cli, refresh_records_process_directories_under_home_only) {
  test_env env;
  std::string inside = mkdir_in(env.home(), "busy/dir");
  std::string sibling = mkdir_in(env.root(), "home2/busy");  // shares the prefix "…/home"
  auto sleeper_env = env.environment();
  pid_t a = start_process({"/bin/sleep", "5"}, sleeper_env, {}, {}, inside);
  pid_t b = start_process({"/bin/sleep", "5"}, sleeper_env, {}, {}, sibling);
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  auto r = env.gum({"dirs", "--refresh", "-f", "json"});
  kill(a, SIGKILL);
  kill(b, SIGKILL);
  waitpid(a, nullptr, 0);
  waitpid(b, nullptr, 0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"path\":\"" + inside + "\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("home2"), std::string::npos) << "/home2 is not under /home: " << r.out;
  auto db = env_db(env);
  EXPECT_DOUBLE_EQ(rank_of(db, inside), 1.0) << "recorded once per sample";
}

// ---- import ----------------------------------------------------------------------------------

TEST(dirs_cli, import_each_format_skips_and_reports_malformed_lines) {
  test_env env;
  std::string p1 = mkdir_in(env.home(), "p1"), p2 = mkdir_in(env.home(), "p2 with space"),
              p3 = mkdir_in(env.home(), "p3");
  struct fixture {
    std::string format, text;
    int good, bad;
  };
  std::vector<fixture> fixtures = {
      {"z",
       p1 + "|12|1700000000\nnot a z line\n" + p2 + "|x|1700000000\n" + p2 +
           "|3|1700000100\n\n" + p3 + "|1.5|-4\n",
       2, 3},
      {"autojump", "22.4\t" + p1 + "\nno tab here\n-3\t" + p3 + "\n10\t" + p2 + "\n", 2, 2},
      {"zoxide", "  40.0 " + p1 + "\n   4.5 " + p2 + "\nbad\n  abc " + p3 + "\n", 2, 2},
  };
  for (auto& fx : fixtures) {
    test_env e;
    std::string file = e.root() + "/db.txt";
    e.write_file(file, fx.text);
    auto r = e.gum({"import", "--from", fx.format, file});
    EXPECT_EQ(r.exit_code, 0) << fx.format << ": " << r.err;
    EXPECT_EQ(r.out, "Imported " + std::to_string(fx.good) + " directories from " + fx.format +
                         " (" + std::to_string(fx.bad) + " lines skipped)\n");
    auto err_lines = lines_of(r.err);
    EXPECT_EQ(static_cast<int>(err_lines.size()), fx.bad) << r.err;
    for (auto& l : err_lines) {
      EXPECT_EQ(l.rfind("gum: " + file + ": line ", 0), 0u) << l;
      EXPECT_NE(l.find("(skipped)"), std::string::npos) << l;
    }
    // Nothing else lost: every good line is there with its rank.
    auto db = env_db(e);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), fx.good) << fx.format;
    expect_bookkeeping(db);
    // --quiet: one count line instead.
    test_env q;
    q.write_file(file, fx.text);
    r = q.gum({"--quiet", "import", "--from", fx.format, file});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, "gum: " + file + ": " + std::to_string(fx.bad) + " malformed lines skipped\n");
  }
  // Exact ranks and times survive (z).
  test_env e;
  e.write_file(e.root() + "/z", p1 + "|12|1700000000\n" + p1 + "|3|1700000500\n");
  ASSERT_EQ(e.gum({"import", "--from", "z", e.root() + "/z"}).exit_code, 0);
  auto db = env_db(e);
  EXPECT_DOUBLE_EQ(rank_of(db, p1), 15);
  EXPECT_EQ(db.query_int("SELECT last_seen FROM dir_usage"), 1700000500);
  // Importing again adds to what is there.
  ASSERT_EQ(e.gum({"import", "--from", "z", e.root() + "/z"}).exit_code, 0);
  EXPECT_DOUBLE_EQ(rank_of(db, p1), 30);
}

TEST(dirs_cli, import_errors_have_exit_codes) {
  test_env env;
  auto r = env.gum({"import", "--from", "z", env.root() + "/missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("gum: cannot read " + env.root() + "/missing: ", 0), 0u) << r.err;
  r = env.gum({"import", "--from", "z", env.root()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = env.gum({"import", "--from", "fasd", env.root() + "/missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected zoxide, z or autojump"), std::string::npos) << r.err;
  EXPECT_EQ(env.gum({"import", env.root() + "/missing"}).exit_code, 2) << "--from is required";
  if (geteuid() != 0) {  // root reads anything
    std::string locked = env.root() + "/locked";
    env.write_file(locked, "/x|1|1\n");
    chmod(locked.c_str(), 0);
    r = env.gum({"import", "--from", "z", locked});
    EXPECT_EQ(r.exit_code, 4) << r.err;
  }
  EXPECT_FALSE(fs::exists(env.db_path()));
}

// ---- init --------------------------------------------------------------------------------------

TEST(dirs_cli, init_scripts_name_this_binary_and_parse) {
  test_env env;
  for (std::string shell : {"bash", "zsh", "fish"}) {
    auto r = env.gum({"init", shell, "--cmd", "jj"});
    ASSERT_EQ(r.exit_code, 0) << shell << ": " << r.err;
    EXPECT_NE(r.out.find(fs::canonical(GUM_BINARY).string()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("jj"), std::string::npos);
    std::string program = shell == "bash" ? "/bin/bash" : "/usr/bin/" + shell;
    if (!fs::exists(program)) program = "/bin/" + shell;
    if (!fs::exists(program)) {
      ADD_FAILURE() << shell << " is not installed";
      continue;
    }
    std::string script = env.root() + "/init." + shell;
    env.write_file(script, r.out);
    auto check = gum::testing::run_process(
        {program, shell == "fish" ? "--no-execute" : "-n", script}, env.environment());
    EXPECT_EQ(check.exit_code, 0) << shell << ": " << check.err;
  }
  auto r = env.gum({"init", "tcsh"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("gum: unknown shell 'tcsh'", 0), 0u) << r.err;
  EXPECT_EQ(env.gum({"init", "bash", "--cmd", "1bad"}).exit_code, 2);
  // init reads no config: a broken one does not matter.
  env.write_config("projects: [unclosed\n");
  EXPECT_EQ(env.gum({"init", "bash"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(env.db_path()));
}

// ---- concurrency and crashes ---------------------------------------------------------------------

// The sanitizer build starts each gum process about ten times slower; it runs fewer adds per
// process (still 16 at once) to stay within the suite's time budget.
#if defined(__SANITIZE_ADDRESS__)
constexpr int adds_per_process = 20;
#else
constexpr int adds_per_process = 50;
#endif

TEST(dirs_cli, sixteen_processes_lose_no_visit) {
  test_env env;
  std::string shared = mkdir_in(env.home(), "shared");
  constexpr int procs = 16, adds = adds_per_process;
  std::vector<std::string> own;
  for (int p = 0; p < procs; ++p) own.push_back(mkdir_in(env.home(), "own/" + std::to_string(p)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < procs; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < adds; ++i) {
        auto r = env.gum({"add", i % 2 == 0 ? shared : own[p]});
        if (r.exit_code != 0) {
          ++failures;
          ADD_FAILURE() << "gum add exited " << r.exit_code << ": " << r.err;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  auto db = env_db(env);
  EXPECT_DOUBLE_EQ(sum_of_ranks(db), procs * adds) << "every visit is kept";
  EXPECT_DOUBLE_EQ(rank_of(db, shared), procs * adds / 2);
  for (auto& o : own) EXPECT_DOUBLE_EQ(rank_of(db, o), adds / 2) << o;
  EXPECT_EQ(db.query_int("SELECT count(*) FROM dir_usage"), procs + 1);
  expect_bookkeeping(db);
}

TEST(dirs_cli, sigkilled_adds_leave_the_database_consistent) {
  test_env env;
  // A database just below the aging edge: the first add that commits ages 3 000 rows, a long
  // transaction to be killed in.
  std::string lines;
  for (int i = 0; i < 3000; ++i)
    lines += mkdir_in(env.home(), "k/" + std::to_string(i)) + "|3.3333|1700000000\n";
  env.write_file(env.root() + "/z", lines);
  ASSERT_EQ(env.gum({"import", "--from", "z", env.root() + "/z"}).exit_code, 0);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> delay_us(0, 15000), dir(0, 2999);
  int killed = 0;
  for (int round = 0; round < 30; ++round) {
    std::vector<pid_t> pids;
    for (int j = 0; j < 4; ++j)
      pids.push_back(start_process(
          {GUM_BINARY, "add", env.home() + "/k/" + std::to_string(dir(rng))}, env.environment()));
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    for (pid_t pid : pids) {
      if (pid <= 0) continue;
      int status = 0;
      if (kill(pid, SIGKILL) == 0) ++killed;
      waitpid(pid, &status, 0);
    }
  }
  EXPECT_GT(killed, 0);
  auto db = env_db(env);
  EXPECT_EQ(db.query_text("PRAGMA integrity_check").value_or(""), "ok");
  expect_bookkeeping(db);
  // And the next visit still works.
  auto r = env.gum({"add", env.home() + "/k/1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(env.gum({"dirs", "-n", "1"}).exit_code, 0);
}

}  // namespace
}  // namespace gum
