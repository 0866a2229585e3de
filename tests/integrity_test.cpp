// tests/integrity_test.cpp: `gum integrity` end to end (SPEC §3.4, issue 4).
//
// Every test builds a real database with `gum projects --refresh` over a few repositories,
// adds GitHub and directory rows the way sync and `gum add` leave them, then damages it in
// exactly one way with the SQLite C API (foreign keys off where the damage needs it) and runs
// the gum binary. Each asserts which checks fail and with what detail, the exit code, and that
// the audit changed nothing: a dump of every table and the bytes of the database, its WAL and
// any journal are compared before and after (the -shm index is not content and is skipped).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "storage/integrity_store.hpp"
#include "tests/support/test_env.hpp"

namespace {

using gum::testing::lines_of;
using gum::testing::run_result;
using gum::testing::test_env;
namespace fs = std::filesystem;
namespace json = boost::json;

// Runs `sql` on `db` through a read-write connection; foreign keys stay off unless asked for,
// so the damage is not undone or refused by a constraint. Returns SQLite's error, or "".
std::string exec_sql(const std::string& db, const std::string& sql, bool foreign_keys = false) {
  sqlite3* conn = nullptr;
  std::string error;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    error = conn ? sqlite3_errmsg(conn) : "cannot open";
  } else {
    std::string all = std::string("PRAGMA foreign_keys=") + (foreign_keys ? "ON; " : "OFF; ") + sql;
    char* msg = nullptr;
    if (sqlite3_exec(conn, all.c_str(), nullptr, nullptr, &msg) != SQLITE_OK)
      error = msg ? msg : "error";
    sqlite3_free(msg);
  }
  sqlite3_close(conn);
  return error;
}

// One integer from a read-only query, or -1.
int64_t query_int(const std::string& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  int64_t value = -1;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
      value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(conn);
  return value;
}

// One text value from a read-only query, or "".
std::string query_text(const std::string& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  std::string value;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
  }
  sqlite3_close(conn);
  return value;
}

// Every table's schema and rows (in rowid order), read on a read-only connection.
std::string dump(const std::string& db) {
  sqlite3* conn = nullptr;
  std::string out;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(conn);
    return "cannot open";
  }
  auto rows = [&](const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      out += "error: " + std::string(sqlite3_errmsg(conn)) + "\n";
      return std::vector<std::string>{};
    }
    std::vector<std::string> first_column;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        auto type = sqlite3_column_type(stmt, i);
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        out += type == SQLITE_NULL ? std::string("NULL")
                                   : std::to_string(type) + ":" + (text ? text : "");
        out += '|';
        if (i == 0 && text) first_column.push_back(text);
      }
      out += '\n';
    }
    sqlite3_finalize(stmt);
    return first_column;
  };
  rows("PRAGMA user_version");
  auto tables = rows("SELECT name, type, sql FROM sqlite_schema ORDER BY name");
  for (auto& t : tables)
    if (query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + t +
                          "'") == 1)
      rows("SELECT * FROM \"" + t + "\" ORDER BY rowid");
  sqlite3_close(conn);
  return out;
}

// The database's files as bytes: the file, its WAL and journal (missing or empty ones left
// out: a read-only connection may create an empty WAL, which holds nothing).
std::map<std::string, std::string> files(const std::string& db) {
  std::map<std::string, std::string> out;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    std::error_code ec;
    if (fs::exists(db + suffix, ec) && fs::file_size(db + suffix, ec) > 0)
      out[suffix] = test_env::read_file(db + suffix);
  }
  return out;
}

struct check_result {
  bool ok = false;
  std::string detail;
  int64_t count = 0;
};

// Parses `gum integrity --format json`.
std::map<std::string, check_result> checks_of(const run_result& r) {
  std::map<std::string, check_result> out;
  json::error_code ec;
  auto doc = json::parse(r.out, ec);
  if (ec || !doc.is_object()) {
    ADD_FAILURE() << "not JSON: " << r.out << r.err;
    return out;
  }
  for (auto& c : doc.as_object().at("checks").as_array()) {
    auto& o = c.as_object();
    out[json::value_to<std::string>(o.at("name"))] = {o.at("ok").as_bool(),
                                                      json::value_to<std::string>(o.at("detail")),
                                                      o.at("count").as_int64()};
  }
  return out;
}

const std::set<std::string> all_checks = {"file",       "foreign_keys",      "orphans",
                                          "duplicates", "cache_consistency", "concurrency"};

// The names of the checks that failed.
std::set<std::string> failing(const std::map<std::string, check_result>& checks) {
  std::set<std::string> out;
  for (auto& [name, c] : checks)
    if (!c.ok) out.insert(name);
  return out;
}

class integrity : public ::testing::Test {
 protected:
  test_env env;
  std::string db;

  // A database as the commands leave it: three projects (two linked to GitHub repositories),
  // three synced repositories (one with metadata), two frecent directories.
  void SetUp() override {
    db = env.db_path();
    env.write_config("projects: [~/src]\n");
    test_env::make_repo(env.home() + "/src/alpha", "https://github.com/octo/alpha.git");
    test_env::make_repo(env.home() + "/src/beta", "git@github.com:octo/beta.git");
    test_env::make_repo(env.home() + "/src/gamma");
    auto r = env.gum({"projects", "--refresh"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(exec_sql(db,
                       "INSERT INTO github_repos(github_id, full_name, owner, name, repo_key, "
                       "last_synced, metadata_synced_at) VALUES "
                       "(11, 'octo/alpha', 'octo', 'alpha', 'github.com/octo/alpha', 200, "
                       "'2026-01-01T00:00:00Z'), "
                       "(12, 'octo/beta', 'octo', 'beta', 'github.com/octo/beta', 200, NULL), "
                       "(13, 'octo/delta', 'octo', 'delta', 'github.com/octo/delta', 200, NULL);"
                       "UPDATE projects SET github_repo_id = (SELECT id FROM github_repos g "
                       "WHERE g.repo_key = projects.remote_key);"
                       "INSERT INTO dir_usage VALUES ('/tmp', 3, 100, 50), ('/usr', 1, 90, 40);"
                       "INSERT INTO cache_metadata VALUES ('dirs', 100, NULL, 2, NULL), "
                       "('github', 100, NULL, 3, NULL), ('github_metadata', 100, NULL, 1, NULL);",
                       true),
              "");
    ASSERT_EQ(query_int(db, "SELECT count(*) FROM projects WHERE github_repo_id IS NOT NULL"), 2);
  }

  run_result audit(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"integrity", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return env.gum(args);
  }

  // Damages the database, audits it, and checks that exactly `expected` fail, with exit 1,
  // and that the audit modified nothing. Returns the checks for detail assertions.
  std::map<std::string, check_result> expect_failing(const std::set<std::string>& expected,
                                                     bool quick = false) {
    auto before_dump = dump(db);
    auto before_files = files(db);
    auto r = audit(quick ? std::vector<std::string>{"--quick"} : std::vector<std::string>{});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    auto checks = checks_of(r);
    EXPECT_EQ(checks.size(), 6u) << r.out;
    EXPECT_EQ(failing(checks), expected) << r.out;
    EXPECT_NE(r.err.find("gum: integrity check failed"), std::string::npos) << r.err;
    EXPECT_EQ(dump(db), before_dump);
    EXPECT_EQ(files(db), before_files);
    return checks;
  }

  // Runs --repair, expects exit 0 and every check passing afterwards; returns its repairs.
  std::vector<std::string> repair_ok() {
    auto r = audit({"--repair"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    std::vector<std::string> repairs;
    json::error_code ec;
    auto doc = json::parse(r.out, ec);
    if (ec) {
      ADD_FAILURE() << "not JSON: " << r.out;
      return repairs;
    }
    EXPECT_TRUE(doc.as_object().at("ok").as_bool()) << r.out;
    for (auto& line : doc.as_object().at("repairs").as_array())
      repairs.push_back(json::value_to<std::string>(line));
    auto again = audit();
    EXPECT_EQ(again.exit_code, 0) << again.out;
    return repairs;
  }

  // Rebuilds github_repos without UNIQUE on full_name (the SQLite 12-step way), as a tool that
  // rewrote the table carelessly would: the only way two names equal ignoring case can exist.
  void drop_full_name_unique() {
    std::string create =
        query_text(db, "SELECT sql FROM sqlite_schema WHERE name = 'github_repos'");
    auto unique = create.find("UNIQUE COLLATE NOCASE");
    ASSERT_NE(unique, std::string::npos) << create;
    create.replace(unique, 6, "");
    create.replace(create.find("github_repos"), 12, "github_repos_new");
    ASSERT_EQ(
        exec_sql(db, "BEGIN; " + create +
                         "; INSERT INTO github_repos_new SELECT * FROM "
                         "github_repos; DROP TABLE github_repos; ALTER TABLE github_repos_new "
                         "RENAME TO github_repos; CREATE INDEX github_repos_repo_key ON "
                         "github_repos(repo_key); COMMIT;"),
        "");
    ASSERT_EQ(query_int(db, "SELECT count(*) FROM github_repos"), 3);
  }

  // Overwrites the root page of http_cache (a table no other check reads) with garbage.
  void overwrite_page_with_garbage() {
    ASSERT_EQ(exec_sql(db, "PRAGMA wal_checkpoint(TRUNCATE);"), "");
    int64_t page = query_int(db, "SELECT rootpage FROM sqlite_schema WHERE name = 'http_cache'");
    int64_t page_size = query_int(db, "PRAGMA page_size");
    ASSERT_GT(page, 1);
    std::string garbage(static_cast<size_t>(page_size), '\0');
    for (size_t i = 0; i < garbage.size(); ++i)
      garbage[i] = static_cast<char>((i * 7919 + 13) % 251);
    int fd = ::open(db.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), (page - 1) * page_size),
              static_cast<ssize_t>(garbage.size()));
    ::close(fd);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (auto& l : lines)
    if (contains(l, part)) return true;
  return false;
}

// ---- passing ---------------------------------------------------------------------------------

TEST_F(integrity, clean_database_passes_every_check_in_text_and_json) {
  auto r = env.gum({"integrity"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 7u) << r.out;
  std::set<std::string> seen;
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(lines[i].rfind("\xE2\x9C\x93 ", 0), 0u) << lines[i];  // ✓
    seen.insert(lines[i].substr(4, lines[i].find(' ', 4) - 4));
  }
  EXPECT_EQ(seen, all_checks);
  EXPECT_EQ(lines[6], "integrity: ok (6 checks)");
  EXPECT_TRUE(contains(r.out, "4 datasets match their tables")) << r.out;
  EXPECT_TRUE(contains(r.out, "wal, busy_timeout 5000 ms")) << r.out;

  auto j = audit();
  EXPECT_EQ(j.exit_code, 0);
  auto doc = json::parse(j.out);
  EXPECT_TRUE(doc.as_object().at("ok").as_bool());
  EXPECT_TRUE(doc.as_object().at("repairs").as_array().empty());
  auto checks = checks_of(j);
  EXPECT_EQ(checks.size(), 6u);
  EXPECT_TRUE(failing(checks).empty());

  auto quick = audit({"--quick"});
  EXPECT_EQ(quick.exit_code, 0) << quick.out;
  EXPECT_EQ(checks_of(quick)["file"].detail, "quick_check ok");
}

TEST_F(integrity, repair_on_a_clean_database_changes_nothing) {
  auto before = dump(db);
  auto r = env.gum({"integrity", "--repair"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(contains(r.out, "repaired:")) << r.out;
  EXPECT_EQ(dump(db), before);
}

// ---- foreign_keys and orphans --------------------------------------------------------------

TEST_F(integrity, dangling_github_link_fails_foreign_keys_and_orphans_only) {
  ASSERT_EQ(exec_sql(db, "UPDATE projects SET github_repo_id = 999 WHERE name = 'beta'"), "");
  auto checks = expect_failing({"foreign_keys", "orphans"});
  int64_t rowid = query_int(db, "SELECT id FROM projects WHERE name = 'beta'");
  EXPECT_EQ(checks["foreign_keys"].count, 1);
  EXPECT_TRUE(contains(checks["foreign_keys"].detail,
                       "projects rowid " + std::to_string(rowid) + " -> github_repos"))
      << checks["foreign_keys"].detail;
  EXPECT_EQ(checks["orphans"].count, 1);
  EXPECT_TRUE(contains(checks["orphans"].detail, "/src/beta: GitHub link #999 points at nothing"))
      << checks["orphans"].detail;

  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "unlinked project " + env.home() + "/src/beta"));
  EXPECT_EQ(query_int(db,
                      "SELECT count(*) FROM projects WHERE github_repo_id IS NULL AND "
                      "name = 'beta'"),
            1);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM projects"), 3);
}

TEST_F(integrity, root_deleted_under_its_projects_fails_foreign_keys_and_orphans_only) {
  ASSERT_EQ(exec_sql(db, "DELETE FROM project_dirs"), "");
  auto checks = expect_failing({"foreign_keys", "orphans"});
  EXPECT_EQ(checks["foreign_keys"].count, 3);
  EXPECT_EQ(checks["orphans"].count, 3);
  EXPECT_TRUE(contains(checks["orphans"].detail, "/src/alpha: root #1 points at nothing"))
      << checks["orphans"].detail;

  // Nothing contains them any more: they are removed, and the count follows.
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "removed project " + env.home() + "/src/gamma"));
  EXPECT_TRUE(any_contains(repairs, "recounted cache_metadata 'projects': 3 -> 0"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM projects"), 0);
  // The next refresh finds them again.
  EXPECT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM projects"), 3);
  EXPECT_EQ(audit().exit_code, 0);
}

TEST_F(integrity, a_project_whose_root_id_points_nowhere_is_re_pointed_by_repair) {
  ASSERT_EQ(exec_sql(db, "UPDATE projects SET root_id = 777 WHERE name = 'gamma'"), "");
  auto checks = expect_failing({"foreign_keys", "orphans"});
  EXPECT_TRUE(contains(checks["orphans"].detail, "/src/gamma: root #777 points at nothing"));

  // Text output names every change, then the checks of the second audit.
  auto r = env.gum({"integrity", "--repair"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 8u) << r.out;
  EXPECT_EQ(lines[0], "repaired: re-pointed project " + env.home() +
                          "/src/gamma from missing root #777 to root " + env.home() + "/src");
  EXPECT_EQ(lines[7], "integrity: ok (6 checks)");
  EXPECT_EQ(query_int(db,
                      "SELECT count(*) FROM projects p JOIN project_dirs d ON d.id = "
                      "p.root_id"),
            3);
}

TEST_F(integrity, unknown_dataset_in_cache_metadata_fails_orphans_only) {
  ASSERT_EQ(exec_sql(db, "INSERT INTO cache_metadata VALUES ('bogus', 1, NULL, 7, NULL)"), "");
  auto checks = expect_failing({"orphans"});
  EXPECT_EQ(checks["orphans"].count, 1);
  EXPECT_TRUE(contains(checks["orphans"].detail, "cache_metadata 'bogus': unknown dataset"));
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "removed cache_metadata row 'bogus'"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM cache_metadata"), 4);
}

// ---- duplicates --------------------------------------------------------------------------------

TEST_F(integrity, paths_that_differ_by_a_trailing_slash_fail_duplicates_only) {
  // As a buggy writer would: the extra row counted in cache_metadata, so only duplicates fails.
  ASSERT_EQ(exec_sql(db,
                     "INSERT INTO projects(path, name, root_id, kind, discovered_at, updated_at) "
                     "SELECT path || '/', name, root_id, kind, discovered_at, updated_at + 10 "
                     "FROM projects WHERE name = 'alpha';"
                     "INSERT INTO projects(path, name, root_id, kind, discovered_at, updated_at) "
                     "SELECT replace(path, '/src/', '/src/./'), name, root_id, kind, "
                     "discovered_at, updated_at - 10 FROM projects WHERE name = 'gamma';"
                     "UPDATE cache_metadata SET item_count = 5 WHERE cache_key = 'projects'"),
            "");
  auto checks = expect_failing({"duplicates"});
  EXPECT_EQ(checks["duplicates"].count, 2);
  std::string alpha = env.home() + "/src/alpha";
  EXPECT_TRUE(contains(checks["duplicates"].detail, "project " + alpha + " = " + alpha + "/"))
      << checks["duplicates"].detail;
  EXPECT_TRUE(contains(checks["duplicates"].detail, env.home() + "/src/./gamma"));

  // The newest row of each group survives, under the normalised path, keeping the link.
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "merged duplicate project " + alpha + " into " + alpha));
  EXPECT_TRUE(any_contains(repairs, "renamed project " + alpha + "/ to " + alpha));
  EXPECT_TRUE(any_contains(repairs, "merged duplicate project " + env.home() + "/src/./gamma"));
  EXPECT_TRUE(any_contains(repairs, "recounted cache_metadata 'projects': 5 -> 3"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM projects"), 3);
  EXPECT_EQ(query_int(db,
                      "SELECT count(*) FROM projects WHERE path LIKE '%/' OR path LIKE "
                      "'%/./%'"),
            0);
  EXPECT_EQ(query_int(db,
                      "SELECT g.github_id FROM projects p JOIN github_repos g ON g.id = "
                      "p.github_repo_id WHERE p.path = '" +
                          alpha + "'"),
            11);
}

TEST_F(integrity, full_names_equal_ignoring_case_fail_duplicates_only) {
  drop_full_name_unique();
  ASSERT_EQ(exec_sql(db,
                     "INSERT INTO github_repos(id, github_id, full_name, owner, name, repo_key, "
                     "last_synced) VALUES (50, 99, 'OCTO/Alpha', 'OCTO', 'Alpha', "
                     "'github.com/octo/alpha', 100);"
                     "UPDATE cache_metadata SET item_count = 4 WHERE cache_key = 'github';"
                     "UPDATE projects SET github_repo_id = 50 WHERE name = 'alpha'"),
            "");
  auto checks = expect_failing({"duplicates"});
  EXPECT_EQ(checks["duplicates"].count, 1);
  EXPECT_TRUE(contains(checks["duplicates"].detail, "GitHub repository octo/alpha = OCTO/Alpha"))
      << checks["duplicates"].detail;

  // The most recently synced row stays, and the link that pointed at the other moves to it.
  auto repairs = repair_ok();
  EXPECT_TRUE(
      any_contains(repairs, "merged duplicate GitHub repository OCTO/Alpha into octo/alpha"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM github_repos"), 3);
  EXPECT_EQ(query_int(db,
                      "SELECT g.github_id FROM projects p JOIN github_repos g ON g.id = "
                      "p.github_repo_id WHERE p.name = 'alpha'"),
            11);
}

// ---- cache_consistency -----------------------------------------------------------------------

TEST_F(integrity, an_item_count_that_lies_fails_cache_consistency_only) {
  ASSERT_EQ(exec_sql(db,
                     "UPDATE cache_metadata SET item_count = 42 WHERE cache_key = 'projects';"
                     "UPDATE cache_metadata SET item_count = 0 WHERE cache_key = "
                     "'github_metadata'"),
            "");
  auto checks = expect_failing({"cache_consistency"});
  EXPECT_EQ(checks["cache_consistency"].count, 2);
  EXPECT_TRUE(contains(checks["cache_consistency"].detail, "projects says 42, table has 3"))
      << checks["cache_consistency"].detail;
  EXPECT_TRUE(contains(checks["cache_consistency"].detail, "github_metadata says 0, table has 1"));
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "recounted cache_metadata 'projects': 42 -> 3"));
  EXPECT_EQ(query_int(db, "SELECT item_count FROM cache_metadata WHERE cache_key = 'projects'"), 3);
  EXPECT_EQ(query_int(db, "SELECT last_updated FROM cache_metadata WHERE cache_key = 'dirs'"), 100);
}

TEST_F(integrity, a_total_rank_that_disagrees_with_the_rows_fails_cache_consistency_only) {
  // The triggers keep dir_stats right for every write of dir_usage; writing dir_stats itself
  // is the one way left to make it lie.
  const double summed = std::stod(gum::testing::sqlite_text(db, "SELECT total(rank) FROM dir_usage"));
  ASSERT_EQ(exec_sql(db, "UPDATE dir_stats SET total_rank = 9999"), "");
  auto checks = expect_failing({"cache_consistency"});
  EXPECT_EQ(checks["cache_consistency"].count, 1);
  EXPECT_TRUE(contains(checks["cache_consistency"].detail, "dir_stats says total rank 9999, dir_usage sums to"))
      << checks["cache_consistency"].detail;
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "recounted dir_stats total rank: 9999 -> ")) << repairs.size();
  EXPECT_DOUBLE_EQ(std::stod(gum::testing::sqlite_text(db, "SELECT total_rank FROM dir_stats")), summed);
}

TEST_F(integrity, a_keyword_index_that_misses_a_name_fails_cache_consistency_only) {
  // dir_name_suffix is kept by triggers; writing it by hand (or with triggers off) is the way to
  // make it lie: one suffix of /usr's name gone ('usr' keeps 'usr' and 'r'), and a row for a
  // name no directory has.
  ASSERT_EQ(query_int(db, "SELECT count(*) FROM dir_name_suffix WHERE name = 'usr'"), 2);
  ASSERT_EQ(exec_sql(db,
                     "DELETE FROM dir_name_suffix WHERE suffix = 'r' AND name = 'usr';"
                     "INSERT INTO dir_name_suffix VALUES ('gone', 'gone')"),
            "");
  auto checks = expect_failing({"cache_consistency"});
  EXPECT_EQ(checks["cache_consistency"].count, 1);
  EXPECT_TRUE(
      contains(checks["cache_consistency"].detail, "dir_name_suffix lacks 1 and holds 1 stale"))
      << checks["cache_consistency"].detail;
  EXPECT_EQ(env.gum({"jump", "sr"}).exit_code, 1) << "the index, missing usr's 'r', hides /usr";
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "rebuilt the keyword index: dir_name_suffix lacks 1"))
      << repairs.size();
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM dir_name_suffix WHERE name = 'usr'"), 2);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM dir_name_suffix WHERE name = 'gone'"), 0);
  auto jump = env.gum({"jump", "sr"});
  EXPECT_EQ(jump.exit_code, 0) << jump.err;
  EXPECT_EQ(jump.out, "/usr\n");
}

// ---- file ------------------------------------------------------------------------------------

TEST_F(integrity, a_page_of_garbage_fails_file_only_and_repair_refuses) {
  overwrite_page_with_garbage();
  auto checks = expect_failing({"file"});
  EXPECT_GE(checks["file"].count, 1);
  EXPECT_TRUE(contains(checks["file"].detail, "Page")) << checks["file"].detail;
  auto quick = expect_failing({"file"}, /*quick=*/true);
  EXPECT_GE(quick["file"].count, 1);

  auto before = files(db);
  auto r = env.gum({"integrity", "--repair"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "gum does not repair it")) << r.err;
  EXPECT_TRUE(contains(r.err, ".recover")) << r.err;
  EXPECT_TRUE(contains(r.out, "\xE2\x9C\x97 file")) << r.out;  // ✗ file
  EXPECT_EQ(files(db), before);
}

// ---- concurrency -----------------------------------------------------------------------------

TEST_F(integrity, a_hot_journal_left_behind_fails_concurrency_only) {
  auto before = dump(db);  // with the journal there, only gum's audit can still read the file
  std::string journal;
  while (journal.size() < 1024) journal += "left by a writer that crashed; not a real journal. ";
  test_env::write_file(db + "-journal", journal);
  auto checks = expect_failing({"concurrency"});
  EXPECT_EQ(checks["concurrency"].count, 1);
  EXPECT_TRUE(contains(
      checks["concurrency"].detail,
      "hot journal gum.db-journal (" + std::to_string(journal.size()) + " bytes) left behind"))
      << checks["concurrency"].detail;
  EXPECT_TRUE(fs::exists(db + "-journal"));

  // Opening for writing lets SQLite roll it back; --repair says so.
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "rolled back the leftover hot journal gum.db-journal"));
  EXPECT_FALSE(fs::exists(db + "-journal"));
  EXPECT_EQ(dump(db), before);
}

TEST_F(integrity, a_rollback_journal_mode_fails_concurrency_only) {
  ASSERT_EQ(exec_sql(db, "PRAGMA journal_mode=DELETE"), "");
  auto checks = expect_failing({"concurrency"});
  EXPECT_TRUE(contains(checks["concurrency"].detail, "journal_mode is delete, not wal"))
      << checks["concurrency"].detail;
  auto repairs = repair_ok();
  EXPECT_TRUE(any_contains(repairs, "switched journal_mode to wal"));
}

TEST_F(integrity, an_oversized_wal_fails_concurrency_only) {
  ASSERT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);
  ASSERT_TRUE(fs::exists(db + "-wal"));
  // Zeros after the last frame are not frames: the content stays the same, the file grows
  // (sparsely) past the bound (4 MiB plus the database file, storage::wal_size_bound).
  ASSERT_EQ(::truncate((db + "-wal").c_str(), 65 * 1024 * 1024), 0);
  auto checks = expect_failing({"concurrency"});
  const double bound_mib =
      static_cast<double>(gum::storage::wal_size_bound(static_cast<int64_t>(fs::file_size(db)))) /
      (1024.0 * 1024.0);
  char expected[96];
  std::snprintf(expected, sizeof expected, "WAL is 65.0 MiB, over the %.1f MiB bound", bound_mib);
  EXPECT_TRUE(contains(checks["concurrency"].detail, expected)) << checks["concurrency"].detail;
}

TEST_F(integrity, a_zero_busy_timeout_fails_concurrency_only) {
  env.write_config("projects: [~/src]\nstorage: {busy_timeout_ms: 0}\n");
  auto checks = expect_failing({"concurrency"});
  EXPECT_TRUE(contains(checks["concurrency"].detail, "busy_timeout is not set"))
      << checks["concurrency"].detail;
}

// ---- files that are not (our) databases ------------------------------------------------------

TEST_F(integrity, a_file_that_is_not_a_database_exits_3_and_stays_byte_identical) {
  std::string path = env.root() + "/notes.db";
  std::string text;
  while (text.size() < 5000) text += "these are my notes, not a database\n";
  test_env::write_file(path, text);
  for (auto extra : {std::vector<std::string>{}, std::vector<std::string>{"--repair"},
                     std::vector<std::string>{"--format", "json", "--quick"}}) {
    std::vector<std::string> args = {"--db", path, "integrity"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = env.gum(args);
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_TRUE(contains(r.err, "is not a gum database")) << r.err;
    EXPECT_EQ(test_env::read_file(path), text);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) EXPECT_FALSE(fs::exists(path + suffix));
  }
}

TEST_F(integrity, a_database_from_a_newer_gum_exits_3_and_is_not_modified) {
  ASSERT_EQ(exec_sql(db, "PRAGMA user_version = 99"), "");
  auto before = files(db);
  for (auto extra : {std::vector<std::string>{}, std::vector<std::string>{"--repair"}}) {
    std::vector<std::string> args = {"integrity"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = env.gum(args);
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_TRUE(contains(r.err, "newer than this gum understands")) << r.err;
  }
  EXPECT_EQ(files(db), before);
}

TEST(integrity_cli, a_missing_database_exits_3_and_is_not_created) {
  test_env env;
  for (auto extra : {std::vector<std::string>{}, std::vector<std::string>{"--repair"}}) {
    std::vector<std::string> args = {"integrity"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = env.gum(args);
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_TRUE(contains(r.err, "no database at")) << r.err;
  }
  EXPECT_FALSE(fs::exists(env.cache_home() + "/gum"));
}

TEST(integrity_cli, an_unknown_format_exits_2_before_touching_anything) {
  test_env env;
  auto r = env.gum({"integrity", "--format", "yaml"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "unknown format 'yaml'")) << r.err;
  EXPECT_FALSE(fs::exists(env.cache_home() + "/gum"));
}

// ---- a live database ---------------------------------------------------------------------------

TEST_F(integrity, clean_database_passes_while_another_process_refreshes_in_a_loop) {
  std::atomic<bool> stop{false};
  std::atomic<int> refreshes{0}, refresh_failures{0};
  std::thread writer([&] {
    // Each refresh adds or removes a project, so every commit changes projects and its count.
    for (int i = 0; !stop; ++i) {
      std::string flip = env.home() + "/src/flip";
      if (i % 2 == 0)
        test_env::make_repo(flip);
      else
        fs::remove_all(flip);
      auto r = env.gum({"projects", "--refresh"});
      if (r.exit_code != 0) ++refresh_failures;
      ++refreshes;
    }
  });
  int audits = 0;
  for (; audits < 20; ++audits) {
    auto r = audit();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    if (r.exit_code != 0) break;
  }
  stop = true;
  writer.join();
  EXPECT_EQ(audits, 20);
  EXPECT_GT(refreshes.load(), 1);
  EXPECT_EQ(refresh_failures.load(), 0);
  EXPECT_EQ(audit().exit_code, 0);
}

TEST_F(integrity, running_it_100_times_changes_nothing) {
  ASSERT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);  // with a live WAL, too
  auto before_dump = dump(db);
  auto before_files = files(db);
  for (int i = 0; i < 100; ++i) {
    auto r = env.gum({"integrity"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_EQ(dump(db), before_dump);
  EXPECT_EQ(files(db), before_files);
}

}  // namespace
