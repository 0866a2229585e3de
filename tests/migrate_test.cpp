// tests/migrate_test.cpp: `gum migrate`: the Go gum's legacy caches, --backup and --restore.
//
// Each legacy file is imported alone and together; malformed files are skipped whole while the
// others still land; a re-run changes nothing. The backup is taken while another process (the
// sqlite3 shell) commits thousands of transactions that each keep an invariant, so a copy that
// mixed two states would break it. Restores of good, corrupt, truncated, foreign and too-new
// files check that the live database is untouched whenever the file is refused.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/legacy_cache.hpp"
#include "support/test_env.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::run_result;
using gum::testing::start_process;
using gum::testing::test_env;

// Every row of `sql` on the database at `path`, one line per row, columns joined by '|'.
std::string query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open>";
  }
  sqlite3_busy_timeout(db, 5000);
  std::string out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
  } else {
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i) out += '|';
        auto text = sqlite3_column_text(stmt, i);
        out += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      out += '\n';
    }
    if (rc != SQLITE_DONE) out += std::string("<error: ") + sqlite3_errmsg(db) + ">";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// The legacy cache folder of a test_env.
std::string legacy_dir(const test_env& env) {
  fs::create_directories(env.cache_home() + "/gum");
  return env.cache_home() + "/gum";
}

// Everything migrate writes, for comparing two states.
std::string dump(const test_env& env) {
  return query(env.db_path(), "SELECT path, last_scanned, repo_count FROM project_dirs ORDER BY path") +
         query(env.db_path(),
               "SELECT p.path, p.name, d.path, p.kind, p.remote_url, p.branch FROM projects p "
               "JOIN project_dirs d ON d.id = p.root_id ORDER BY p.path") +
         query(env.db_path(), "SELECT path, rank, last_seen FROM dir_usage ORDER BY path") +
         query(env.db_path(), "SELECT total_rank FROM dir_stats") +
         query(env.db_path(), "SELECT cache_key, item_count FROM cache_metadata ORDER BY cache_key");
}

// A legacy world: projects under ~/projects (configured), one under ~/old (legacy root only),
// and one under no root at all.
void write_legacy_files(const test_env& env) {
  std::string dir = legacy_dir(env);
  env.write_config("projects: [~/projects]\n");
  fs::create_directories(env.home() + "/projects");
  test_env::write_file(dir + "/projects.json", R"({"data": [
    {"Path": "~/projects/alpha", "Remote": "https://github.com/me/alpha.git", "Branch": "main"},
    {"Path": "~/old/beta", "Remote": "", "Branch": "dev"},
    {"Path": "/srv/stray/gamma", "Remote": "git@github.com:me/gamma.git", "Branch": ""}
  ], "timestamp": "2024-05-01T12:00:00.5+02:00", "ttl": 300000000000})");
  test_env::write_file(dir + "/project-dirs.json", R"({"data": [
    {"path": "~/old", "last_scanned": "2024-05-01T10:00:00Z", "git_count": 1}
  ]})");
  for (auto d : {"/work/a", "/work/b c"}) fs::create_directories(env.home() + d);
  test_env::write_file(dir + "/cwds", "12.5 " + env.home() + "/work/a\n3 " + env.home() +
                                          "/work/b c\n\n");
  fs::create_directories(env.home() + "/.config");
  test_env::write_file(env.home() + "/.config/projects-dirs.list", "# legacy roots\n~/listed\n");
}

TEST(migrate, imports_every_legacy_file_in_one_run) {
  test_env env;
  write_legacy_files(env);
  auto r = env.gum({"migrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("projects.json: 3 projects"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("project-dirs.json: 1 roots"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cwds: 2 directories"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("projects-dirs.list: 1 roots"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Added 4 roots, 3 projects (1 under their parent folder as a new root), 2 "
                       "directories"),
            std::string::npos)
      << r.out;
  // Legacy roots that are not configured are announced.
  EXPECT_NE(r.err.find("legacy root " + env.home() + "/old is not a configured"), std::string::npos)
      << r.err;

  const std::string h = env.home();
  EXPECT_EQ(query(env.db_path(), "SELECT path, last_scanned, repo_count FROM project_dirs ORDER BY path"),
            "/srv/stray|NULL|NULL\n" + h + "/listed|NULL|NULL\n" + h + "/old|1714557600|1\n" + h +
                "/projects|NULL|NULL\n");
  EXPECT_EQ(query(env.db_path(),
                  "SELECT p.path, p.name, d.path, p.kind, p.remote_url, p.branch FROM projects p "
                  "JOIN project_dirs d ON d.id = p.root_id ORDER BY p.path"),
            "/srv/stray/gamma|gamma|/srv/stray|repo|git@github.com:me/gamma.git|NULL\n" + h +
                "/old/beta|beta|" + h + "/old|repo|NULL|dev\n" + h + "/projects/alpha|alpha|" + h +
                "/projects|repo|https://github.com/me/alpha.git|main\n");
  // The index counts as built, as of the legacy timestamp, with the legacy TTL (ns -> s).
  EXPECT_EQ(query(env.db_path(),
                  "SELECT last_updated, ttl_seconds, item_count FROM cache_metadata WHERE "
                  "cache_key = 'projects'"),
            "1714557600|300|3\n");
  // `gum projects --cached` shows the imported list without scanning (a plain read would
  // rebuild it: the legacy index dates from 2024, older than the TTL, and was not built from
  // the configured root).
  auto listed = env.gum({"projects", "--cached", "-f", "simple"});
  EXPECT_EQ(listed.out, "/srv/stray/gamma\n" + h + "/old/beta\n" + h + "/projects/alpha\n");
  // Directories with their legacy scores as ranks.
  EXPECT_EQ(query(env.db_path(), "SELECT path, rank FROM dir_usage ORDER BY path"),
            h + "/work/a|12.5\n" + h + "/work/b c|3.0\n");
  auto dirs = env.gum({"dirs"});
  EXPECT_EQ(dirs.out, "~/work/a\n~/work/b c\n");
  EXPECT_EQ(env.gum({"integrity"}).exit_code, 0);
}

TEST(migrate, rerun_is_idempotent) {
  test_env env;
  write_legacy_files(env);
  ASSERT_EQ(env.gum({"migrate"}).exit_code, 0);
  std::string first = dump(env);
  auto r = env.gum({"migrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Added 0 roots, 0 projects"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 directories; raised 0 directory ranks"), std::string::npos) << r.out;
  EXPECT_EQ(dump(env), first);
}

TEST(migrate, keeps_what_a_scan_found_and_raises_ranks_to_the_legacy_score) {
  test_env env;
  env.write_config("projects: [~/projects]\n");
  test_env::make_repo(env.home() + "/projects/alpha", "https://example.com/scanned/alpha.git", "scanned");
  ASSERT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);
  fs::create_directories(env.home() + "/work/a");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(env.gum({"add", env.home() + "/work/a"}).exit_code, 0);
  fs::create_directories(env.home() + "/work/b");
  std::string dir = legacy_dir(env);
  test_env::write_file(dir + "/projects.json",
                       R"({"data": [{"Path": "~/projects/alpha", "Remote": "x", "Branch": "old"}]})");
  test_env::write_file(dir + "/cwds", "2 " + env.home() + "/work/a\n9 " + env.home() + "/work/b\n");
  auto r = env.gum({"migrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 projects"), std::string::npos) << r.out;
  EXPECT_EQ(query(env.db_path(), "SELECT branch, remote_url FROM projects"),
            "scanned|https://example.com/scanned/alpha.git\n");
  // 5 visits beat a legacy 2; a new directory gets its 9.
  EXPECT_EQ(query(env.db_path(), "SELECT path, rank FROM dir_usage ORDER BY path"),
            env.home() + "/work/a|5.0\n" + env.home() + "/work/b|9.0\n");
  EXPECT_EQ(query(env.db_path(), "SELECT total_rank FROM dir_stats"), "14.0\n");
  EXPECT_EQ(env.gum({"integrity"}).exit_code, 0);
}

TEST(migrate, json_keys_are_case_insensitive) {
  test_env env;
  env.write_config("projects: [~/p]\n");
  std::string dir = legacy_dir(env);
  test_env::write_file(dir + "/projects.json",
                       R"({"DATA": [{"path": "~/p/one", "REMOTE": "https://github.com/a/one", "bRaNcH": "x"}]})");
  test_env::write_file(dir + "/project-dirs.json",
                       R"({"Data": [{"Path": "~/p", "LastScanned": 1700000000, "GitCount": 4}]})");
  auto r = env.gum({"migrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(env.db_path(), "SELECT remote_url, branch FROM projects"),
            "https://github.com/a/one|x\n");
  EXPECT_EQ(query(env.db_path(), "SELECT last_scanned, repo_count FROM project_dirs"),
            "1700000000|4\n");
}

// Regression (fuzz/legacy_cache.cpp found it in CI): a number too large for int64 as a
// timestamp or count was converted anyway, undefined for a double of 1.7e26 and negative for a
// uint64. Such values are unknown (null), as any other unusable value is; the root still lands.
TEST(migrate, numbers_beyond_int64_are_unknown_not_converted) {
  gum::environment env;
  env.home = "/home/u";
  env.cwd = "/home/u";
  gum::legacy_file file;
  std::vector<gum::legacy_root> roots;
  gum::parse_project_dirs_json(R"({"data": [
    {"path": "~/a", "last_scanned": 1700000e20, "git_count": 18446744073709551615},
    {"path": "~/b", "last_scanned": 9223372036854775808.0, "git_count": 9223372036854775807},
    {"path": "~/c", "last_scanned": 1700000000.75, "git_count": 3},
    {"path": "~/d", "last_scanned": 9223372036854775807, "git_count": -1}
  ]})", env, file, roots);
  ASSERT_EQ(file.error, "");
  ASSERT_EQ(roots.size(), 4u);
  EXPECT_EQ(roots[0].path, "/home/u/a");
  EXPECT_FALSE(roots[0].last_scanned.has_value()) << *roots[0].last_scanned;
  EXPECT_FALSE(roots[0].repo_count.has_value()) << *roots[0].repo_count;
  EXPECT_FALSE(roots[1].last_scanned.has_value()) << *roots[1].last_scanned;
  EXPECT_EQ(roots[1].repo_count, std::optional<int64_t>(INT64_MAX));
  EXPECT_EQ(roots[2].last_scanned, std::optional<int64_t>(1700000000));
  EXPECT_EQ(roots[2].repo_count, std::optional<int64_t>(3));
  EXPECT_EQ(roots[3].last_scanned, std::optional<int64_t>(INT64_MAX));
  EXPECT_FALSE(roots[3].repo_count.has_value());

  gum::legacy_file projects_file;
  gum::legacy_import out;
  gum::parse_projects_json(R"({"data": [], "timestamp": 1e300, "ttl": 18446744073709551615})",
                           env, projects_file, out);
  ASSERT_EQ(projects_file.error, "");
  EXPECT_FALSE(out.projects_timestamp.has_value());
  EXPECT_FALSE(out.projects_ttl.has_value()) << *out.projects_ttl;
}

TEST(migrate, a_malformed_file_is_skipped_whole_and_the_others_are_imported) {
  test_env env;
  env.write_config("projects: [~/p]\n");
  fs::create_directories(env.home() + "/d");
  std::string dir = legacy_dir(env);
  // The second entry has no Path: not even the first one may land.
  test_env::write_file(dir + "/projects.json",
                       R"({"data": [{"Path": "~/p/one"}, {"Remote": "x"}]})");
  test_env::write_file(dir + "/project-dirs.json", "{\"data\": [");
  test_env::write_file(dir + "/cwds", "4 " + env.home() + "/d\n");
  auto r = env.gum({"migrate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("gum: skipped " + dir + "/projects.json: entry 2: no \"Path\" string"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gum: skipped " + dir + "/project-dirs.json: not valid JSON"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gum: 2 legacy files were skipped"), std::string::npos) << r.err;
  EXPECT_EQ(query(env.db_path(), "SELECT count(*) FROM projects"), "0\n");
  EXPECT_EQ(query(env.db_path(), "SELECT count(*) FROM project_dirs"), "0\n");
  EXPECT_EQ(query(env.db_path(), "SELECT path, rank FROM dir_usage"), env.home() + "/d|4.0\n");

  // cwds with one bad line is skipped whole too.
  test_env::write_file(dir + "/projects.json", R"({"data": null})");
  test_env::write_file(dir + "/project-dirs.json", R"({"data": []})");
  test_env::write_file(dir + "/cwds", "7 " + env.home() + "/d\nseven /x\n");
  r = env.gum({"migrate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cwds: line 2: bad score 'seven'"), std::string::npos) << r.err;
  EXPECT_EQ(query(env.db_path(), "SELECT rank FROM dir_usage"), "4.0\n");

  // Other malformations.
  for (std::string bad : {R"([1, 2])", R"({"timestamp": 1})", R"({"data": {"Path": "/x"}})",
                          R"({"data": [{"Path": "relative/x"}]})", R"({"data": [{"Path": 3}]})",
                          R"({"data": [{"Path": "/x", "Branch": 7}]})", R"({"data": ["/x"]})"}) {
    test_env::write_file(dir + "/projects.json", bad);
    r = env.gum({"migrate"});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("skipped " + dir + "/projects.json"), std::string::npos) << bad;
  }
  EXPECT_EQ(query(env.db_path(), "SELECT count(*) FROM projects"), "0\n");
  EXPECT_EQ(env.gum({"integrity"}).exit_code, 0);
}

TEST(migrate, nothing_to_migrate_is_success_and_from_must_exist) {
  test_env env;
  auto r = env.gum({"migrate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Nothing to migrate"), std::string::npos);
  EXPECT_EQ(env.gum({"migrate", "--from", env.root() + "/nope"}).exit_code, 2);
  // --from reads another folder.
  fs::create_directories(env.root() + "/old-cache");
  fs::create_directories(env.home() + "/z");
  test_env::write_file(env.root() + "/old-cache/cwds", "1 " + env.home() + "/z\n");
  r = env.gum({"migrate", "--from", env.root() + "/old-cache"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(env.db_path(), "SELECT path FROM dir_usage"), env.home() + "/z\n");
}

// ---- backup and restore --------------------------------------------------------------------

// Seeds a database through gum (schema, dir_stats) and returns its path.
std::string seeded_db(const test_env& env, const std::vector<std::string>& dirs) {
  for (auto& d : dirs) {
    fs::create_directories(env.home() + "/" + d);
    EXPECT_EQ(env.gum({"add", env.home() + "/" + d}).exit_code, 0);
  }
  return env.db_path();
}

TEST(migrate, backup_is_one_committed_state_while_another_process_writes) {
  test_env env;
  std::string db = seeded_db(env, {"seed"});
  // The writer: the sqlite3 shell, committing transactions that each add a directory and an
  // http_cache row, so that in every committed state both tables grew by the same count (and
  // dir_stats' trigger-kept total_rank = sum(rank) = count(*) of dir_usage).
  std::string script = env.root() + "/writer.sql";
  {
    std::ofstream s(script);
    s << ".timeout 10000\nPRAGMA synchronous=OFF;\n";
    for (int i = 0; i < 20000; ++i)
      s << "BEGIN IMMEDIATE; INSERT INTO dir_usage VALUES('/w/" << i
        << "', 1, 1, 1); INSERT INTO http_cache(url, fetched_at) VALUES('/w/" << i
        << "', 1); COMMIT;\n";
  }
  pid_t writer = start_process({"/usr/bin/sqlite3", db, ".read " + script}, env.environment());
  ASSERT_GT(writer, 0);

  int taken = 0, during = 0;
  std::vector<int64_t> counts;
  for (int i = 0; i < 8; ++i) {
    int status = 0;
    bool running_before = waitpid(writer, &status, WNOHANG) == 0;
    std::string copy = env.root() + "/backup-" + std::to_string(i) + ".db";
    auto r = env.gum({"migrate", "--backup", copy});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    bool running_after = running_before && waitpid(writer, &status, WNOHANG) == 0;
    ++taken;
    if (running_after) ++during;
    struct stat st;
    ASSERT_EQ(::stat(copy.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(fs::exists(copy + "-wal"));
    EXPECT_EQ(query(copy, "PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(query(copy, "PRAGMA journal_mode"), "delete\n");
    // One committed state: the invariant holds in the copy.
    auto sums = query(copy, "SELECT (SELECT total_rank FROM dir_stats) = (SELECT total(rank) FROM "
                            "dir_usage) AND (SELECT count(*) FROM http_cache) + 1 = count(*), "
                            "count(*) FROM dir_usage");
    EXPECT_EQ(sums.substr(0, 2), "1|") << sums;
    counts.push_back(std::stoll(sums.substr(2)));
    if (!running_after) break;
  }
  int status = 0;
  waitpid(writer, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_GE(taken, 1);
  EXPECT_GE(during, 1) << "no backup overlapped the writer";
  // Copies taken later never hold less.
  for (size_t i = 1; i < counts.size(); ++i) EXPECT_GE(counts[i], counts[i - 1]);
  RecordProperty("backups_during_writes", during);
  // A backup after the writer is done holds everything.
  ASSERT_EQ(env.gum({"migrate", "--backup", env.root() + "/final.db"}).exit_code, 0);
  EXPECT_EQ(query(env.root() + "/final.db", "SELECT count(*) FROM dir_usage"), "20001\n");
}

// `gum dirs` (`~` for $HOME), sorted by path (the order by score depends on the clock).
std::string sorted_dirs(const test_env& env) {
  auto lines = gum::testing::lines_of(env.gum({"dirs"}).out);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (auto& l : lines) out += l + "\n";
  return out;
}

TEST(migrate, restore_brings_back_the_backup_atomically) {
  test_env env;
  seeded_db(env, {"a", "b"});
  std::string copy = env.root() + "/good.db";
  ASSERT_EQ(env.gum({"migrate", "--backup", copy}).exit_code, 0);
  seeded_db(env, {"c"});
  ASSERT_EQ(sorted_dirs(env), "~/a\n~/b\n~/c\n");
  auto r = env.gum({"migrate", "--restore", copy});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Restored"), std::string::npos);
  EXPECT_EQ(sorted_dirs(env), "~/a\n~/b\n");
  EXPECT_EQ(query(env.db_path(), "PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(env.gum({"integrity"}).exit_code, 0);
  // The backup file itself was not changed or given a WAL.
  EXPECT_FALSE(fs::exists(copy + "-wal"));
  // Restoring into a database that does not exist yet creates it.
  test_env other;
  r = other.gum({"migrate", "--restore", copy});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(other.gum({"dirs", "-f", "json"}).out.find(env.home() + "/a") != std::string::npos, true);
}

TEST(migrate, a_bad_backup_is_refused_with_exit_3_and_the_live_database_untouched) {
  test_env env;
  seeded_db(env, {"a"});
  std::string good = env.root() + "/good.db";
  ASSERT_EQ(env.gum({"migrate", "--backup", good}).exit_code, 0);
  seeded_db(env, {"b"});
  const std::string before = dump(env);

  // Not SQLite at all.
  std::string garbage = env.root() + "/garbage.db";
  test_env::write_file(garbage, std::string(8192, 'x'));
  // A real backup whose page 2 (the first table's root page) is overwritten.
  std::string corrupt = env.root() + "/corrupt.db";
  {
    std::string bytes = test_env::read_file(good);
    ASSERT_GT(bytes.size(), 3u * 4096);
    for (size_t i = 4096; i < 2 * 4096; ++i) bytes[i] = static_cast<char>(i * 37);
    test_env::write_file(corrupt, bytes);
  }
  // Cut in half.
  std::string truncated = env.root() + "/truncated.db";
  {
    std::string bytes = test_env::read_file(good);
    test_env::write_file(truncated, bytes.substr(0, bytes.size() / 2));
  }
  // From a newer gum.
  std::string newer = env.root() + "/newer.db";
  fs::copy_file(good, newer);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  // SQLite, but not gum's.
  std::string foreign = env.root() + "/foreign.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 1", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  for (auto& bad : {garbage, corrupt, truncated, newer, foreign}) {
    auto r = env.gum({"migrate", "--restore", bad});
    EXPECT_EQ(r.exit_code, 3) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("gum: "), std::string::npos) << bad;
    EXPECT_EQ(dump(env), before) << bad;
  }
  EXPECT_EQ(env.gum({"migrate", "--restore", env.root() + "/missing.db"}).exit_code, 2);
  EXPECT_EQ(env.gum({"migrate", "--restore", env.db_path()}).exit_code, 2);
  EXPECT_EQ(env.gum({"migrate", "--backup", good, "--restore", good}).exit_code, 2);
  EXPECT_EQ(env.gum({"integrity"}).exit_code, 0);
  EXPECT_EQ(dump(env), before);
}

}  // namespace
