// tests/projects_cli_test.cpp: `gum projects` end to end, through the built binary.
//
// Every flag of SPEC §3.1, the exit codes of SPEC §3, and the bad inputs of SPEC §5 that the
// projects command meets: each case checks the exit code, the one-line error, and that nothing
// was lost.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <thread>

#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::lines_of;
using gum::testing::run_result;
using gum::testing::start_process;
using gum::testing::test_env;

// A HOME with ~/projects holding three repositories.
struct projects_fixture : ::testing::Test {
  test_env env;
  std::string root;
  void SetUp() override {
    root = env.home() + "/projects";
    test_env::make_repo(root + "/alpha", "https://github.com/me/alpha.git", "main");
    test_env::make_repo(root + "/group/Beta", "git@github.com:me/beta.git", "dev");
    test_env::make_repo(root + "/gamma", "", "feature/x");
  }
  run_result gum(const std::vector<std::string>& args) const { return env.gum(args); }
  int64_t count_rows(const std::string& table) const {
    return std::stoll(gum::testing::sqlite_text(env.db_path(), "SELECT count(*) FROM " + table));
  }
};

TEST_F(projects_fixture, first_run_builds_the_index_and_prints_every_project_sorted_by_path) {
  auto r = gum({"projects"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], root + "/alpha (https://github.com/me/alpha.git)");
  EXPECT_EQ(lines[1], root + "/gamma [feature/x]");
  EXPECT_EQ(lines[2], root + "/group/Beta (git@github.com:me/beta.git)");
  EXPECT_EQ(count_rows("projects"), 3);
}

TEST_F(projects_fixture, the_alias_projects_v2_behaves_the_same) {
  EXPECT_EQ(gum({"projects-v2", "-f", "simple"}).out, gum({"projects", "-f", "simple"}).out);
}

TEST_F(projects_fixture, a_plain_read_uses_the_index_and_refresh_rescans) {
  ASSERT_EQ(gum({"projects"}).exit_code, 0);
  test_env::make_repo(root + "/delta");
  auto cached = gum({"projects", "-f", "simple"});
  EXPECT_EQ(lines_of(cached.out).size(), 3u);  // served from the index
  auto refreshed = gum({"projects", "--refresh", "-f", "simple"});
  ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
  EXPECT_EQ(lines_of(refreshed.out).size(), 4u);
  std::filesystem::remove_all(root + "/alpha");
  auto after = gum({"projects", "-r", "-f", "simple"});
  EXPECT_EQ(lines_of(after.out).size(), 3u);
  EXPECT_EQ(after.out.find("/alpha"), std::string::npos);
}

TEST_F(projects_fixture, every_format_prints_what_the_spec_says) {
  auto simple = lines_of(gum({"projects", "-f", "simple"}).out);
  ASSERT_EQ(simple.size(), 3u);
  EXPECT_EQ(simple[0], root + "/alpha");

  auto fzf = lines_of(gum({"projects", "-f", "fzf"}).out);
  ASSERT_EQ(fzf.size(), 3u);
  EXPECT_EQ(fzf[0], root + "/alpha\thttps://github.com/me/alpha.git");
  EXPECT_EQ(fzf[1], root + "/gamma\t[feature/x]");

  auto table = lines_of(gum({"projects", "-f", "table"}).out);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0].rfind("NAME", 0), 0u);
  EXPECT_NE(table[0].find("BRANCH"), std::string::npos);
  EXPECT_NE(table[0].find("REMOTE"), std::string::npos);
  EXPECT_NE(table[0].find("PATH"), std::string::npos);
  // Columns are aligned: PATH starts at the same offset on every line.
  auto path_col = table[0].find("PATH");
  for (size_t i = 1; i < table.size(); ++i) EXPECT_EQ(table[i].find(root), path_col) << table[i];

  auto json = boost::json::parse(gum({"projects", "-f", "json"}).out).as_array();
  ASSERT_EQ(json.size(), 3u);
  auto& gamma = json[1].as_object();
  EXPECT_EQ(gamma.at("name").as_string(), "gamma");
  EXPECT_EQ(gamma.at("path").as_string(), root + "/gamma");
  EXPECT_EQ(gamma.at("root").as_string(), root);
  EXPECT_EQ(gamma.at("kind").as_string(), "repo");
  EXPECT_TRUE(gamma.at("remote").is_null());
  EXPECT_EQ(gamma.at("branch").as_string(), "feature/x");
  EXPECT_TRUE(gamma.at("github").is_null());
}

TEST_F(projects_fixture, an_unknown_format_is_a_usage_error) {
  auto r = gum({"projects", "-f", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines_of(r.err).at(0), "gum: unknown format 'xml' (expected default, simple, json, table or fzf)");
}

TEST_F(projects_fixture, an_unknown_flag_is_a_usage_error_on_one_line) {
  auto r = gum({"projects", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
  EXPECT_LE(lines_of(r.err).size(), 2u);
}

TEST_F(projects_fixture, search_needs_every_term_with_smartcase) {
  auto r = lines_of(gum({"projects", "-f", "simple", "-s", "beta"}).out);
  ASSERT_EQ(r.size(), 1u);  // lower-case term matches "Beta"
  EXPECT_EQ(r[0], root + "/group/Beta");
  EXPECT_TRUE(gum({"projects", "-f", "simple", "-s", "BETA"}).out.empty());
  EXPECT_EQ(lines_of(gum({"projects", "-f", "simple", "-s", "group Beta"}).out).size(), 1u);
  EXPECT_TRUE(gum({"projects", "-f", "simple", "-s", "group alpha"}).out.empty());
  // The root's own folders are not searched (issue 13, item 3): the root is ~/projects.
  EXPECT_TRUE(gum({"projects", "-f", "simple", "-s", "projects"}).out.empty());
}

// Issue 13, item 3: every project under $HOME/projects matched `-s home`.
TEST_F(projects_fixture, search_matches_below_the_root_never_the_root_itself) {
  ASSERT_NE(env.home().find("home"), std::string::npos);  // the root's path says "home"
  auto home = gum({"projects", "-f", "simple", "-s", "home"});
  EXPECT_EQ(home.exit_code, 0) << home.err;
  EXPECT_EQ(home.out, "");
  EXPECT_EQ(gum({"projects", "-f", "simple", "-s", "gum-test"}).out, "");
  auto group = lines_of(gum({"projects", "-f", "simple", "-s", "group"}).out);
  ASSERT_EQ(group.size(), 1u);  // a folder below the root, not the project's name
  EXPECT_EQ(group[0], root + "/group/Beta");
  EXPECT_EQ(lines_of(gum({"projects", "-f", "simple", "-s", "group/beta"}).out).size(), 1u);
}

TEST_F(projects_fixture, similar_ranks_exact_then_prefix_then_substring) {
  test_env::make_repo(root + "/alphabet");
  test_env::make_repo(root + "/the-alpha-team");
  auto r = lines_of(gum({"projects", "-r", "-f", "simple", "--similar", "alpha"}).out);
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r[0], root + "/alpha");
  EXPECT_EQ(r[1], root + "/alphabet");
  EXPECT_EQ(r[2], root + "/the-alpha-team");
}

TEST_F(projects_fixture, limit_applies_after_filtering) {
  EXPECT_EQ(lines_of(gum({"projects", "-n", "2", "-f", "simple"}).out).size(), 2u);
  auto r = lines_of(gum({"projects", "-n", "1", "-f", "simple", "-s", "gamma"}).out);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], root + "/gamma");
  EXPECT_EQ(gum({"projects", "-n", "-5"}).exit_code, 2);
}

TEST_F(projects_fixture, clear_cache_empties_the_index_and_the_next_read_rebuilds_it) {
  ASSERT_EQ(gum({"projects"}).exit_code, 0);
  auto r = gum({"projects", "--clear-cache"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Projects cache cleared\n");
  EXPECT_EQ(count_rows("projects"), 0);
  auto again = gum({"projects", "-v", "-f", "simple"});
  EXPECT_EQ(lines_of(again.out).size(), 3u);
  EXPECT_NE(again.err.find("miss"), std::string::npos);
}

TEST_F(projects_fixture, verbose_reports_counts_ages_and_hit_or_miss_on_stderr) {
  auto first = gum({"projects", "-v", "-f", "simple"});
  EXPECT_NE(first.err.find("cache: miss"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("projects=3"), std::string::npos) << first.err;
  auto second = gum({"projects", "-v", "-f", "simple"});
  EXPECT_NE(second.err.find("cache: hit"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("dataset projects: 3 items"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("last refresh took"), std::string::npos) << second.err;
  EXPECT_EQ(first.out, second.out);  // statistics never reach stdout
}

// Issue 13, item 1: the index is rebuilt when it is older than cache.ttl. GUM_TEST_NOW is
// the clock of the index's freshness (a test aid), so nothing here sleeps.
TEST_F(projects_fixture, an_index_older_than_the_ttl_is_rebuilt_and_ttl_0_never_expires) {
  const int64_t t0 = 1900000000;
  auto at = [&](int64_t now, std::vector<std::string> args) {
    env.vars["GUM_TEST_NOW"] = std::to_string(now);
    return gum(args);
  };
  auto first = at(t0, {"projects", "-v", "-f", "simple"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("cache: miss (never built)"), std::string::npos) << first.err;
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(),
                                      "SELECT last_updated FROM cache_metadata "
                                      "WHERE cache_key = 'projects'"),
            std::to_string(t0));
  test_env::make_repo(root + "/delta");
  auto fresh = at(t0 + 3599, {"projects", "-v", "-f", "simple"});
  EXPECT_EQ(lines_of(fresh.out).size(), 3u) << "fresh for the default 1h TTL";
  EXPECT_NE(fresh.err.find("cache: hit (served from the index)"), std::string::npos) << fresh.err;
  auto stale = at(t0 + 3601, {"projects", "-v", "-f", "simple"});
  ASSERT_EQ(stale.exit_code, 0) << stale.err;
  EXPECT_EQ(lines_of(stale.out).size(), 4u) << "rebuilt: the new repository appears";
  EXPECT_NE(stale.out.find(root + "/delta"), std::string::npos) << stale.out;
  EXPECT_NE(stale.err.find("cache: miss (older than the 1h TTL)"), std::string::npos)
      << stale.err;
  // A configured TTL applies; so does 0, which turns expiry off.
  env.write_config("projects: [~/projects]\ncache: {ttl: 1s}\n");
  test_env::make_repo(root + "/epsilon");
  auto short_ttl = at(t0 + 3603, {"projects", "-v", "-f", "simple"});
  EXPECT_EQ(lines_of(short_ttl.out).size(), 5u) << short_ttl.err;
  EXPECT_NE(short_ttl.err.find("cache: miss (older than the 1s TTL)"), std::string::npos)
      << short_ttl.err;
  env.write_config("projects: [~/projects]\ncache: {ttl: 0}\n");
  test_env::make_repo(root + "/zeta");
  auto never = at(t0 + 10 * 365 * 86400, {"projects", "-v", "-f", "simple"});
  EXPECT_EQ(lines_of(never.out).size(), 5u) << "ttl 0: never expires";
  EXPECT_NE(never.err.find("cache: hit (served from the index)"), std::string::npos) << never.err;
}

// Issue 13, item 1: a root added to or removed from `projects:` rebuilds the index.
TEST_F(projects_fixture, a_root_added_or_removed_rebuilds_the_index_and_verbose_names_it) {
  ASSERT_EQ(gum({"projects"}).exit_code, 0);  // built from the default roots: ~/projects
  test_env::make_repo(env.home() + "/code/tool");
  env.write_config("projects: [~/projects, ~/code]\n");
  auto added = gum({"projects", "-v", "-f", "simple"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(lines_of(added.out).size(), 4u) << added.err;
  EXPECT_NE(added.err.find("cache: miss (roots changed: added ~/code)"), std::string::npos)
      << added.err;
  EXPECT_NE(added.err.find("project_dirs=2"), std::string::npos) << added.err;
  auto again = gum({"projects", "-v", "-f", "simple"});
  EXPECT_NE(again.err.find("cache: hit"), std::string::npos) << again.err;
  env.write_config("projects: [~/code]\n");
  auto removed = gum({"projects", "-v", "-f", "simple"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, env.home() + "/code/tool\n");
  EXPECT_NE(removed.err.find("cache: miss (roots changed: removed ~/projects)"),
            std::string::npos)
      << removed.err;
  EXPECT_NE(removed.err.find("project_dirs=1"), std::string::npos) << removed.err;
}

// Issue 13, item 1: --cached reads the index as it is, and never builds it.
TEST_F(projects_fixture, cached_never_rebuilds_not_even_a_never_built_index) {
  auto never = gum({"projects", "--cached"});
  EXPECT_EQ(never.exit_code, 0) << never.err;
  EXPECT_EQ(never.out, "");
  EXPECT_EQ(gum::testing::sqlite_text(
                env.db_path(), "SELECT count(*) FROM cache_metadata WHERE cache_key = 'projects'"),
            "0");
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "SELECT count(*) FROM projects"), "0");
  const int64_t t0 = 1900000000;
  env.vars["GUM_TEST_NOW"] = std::to_string(t0);
  ASSERT_EQ(gum({"projects"}).exit_code, 0);
  test_env::make_repo(root + "/delta");
  test_env::make_repo(env.home() + "/code/tool");
  env.write_config("projects: [~/projects, ~/code]\n");  // roots changed...
  env.vars["GUM_TEST_NOW"] = std::to_string(t0 + 86400);  // ...and older than the TTL
  auto cached = gum({"projects", "--cached", "-v", "-f", "simple"});
  EXPECT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_EQ(lines_of(cached.out).size(), 3u) << "the index as it is";
  EXPECT_NE(cached.err.find("cache: hit"), std::string::npos) << cached.err;
  EXPECT_EQ(count_rows("project_dirs"), 1);
  EXPECT_EQ(lines_of(gum({"projects", "-f", "simple"}).out).size(), 5u) << "without --cached";
}

// Issue 13, item 2: no config and none of the default roots: empty, exit 0, one hint line.
TEST(projects_cli, no_roots_at_all_prints_nothing_and_one_hint_naming_the_config_file) {
  test_env env;
  auto r = env.gum({"projects"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_EQ(lines[0].rfind("gum: ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(env.config_home() + "/gum/config.yaml"), std::string::npos) << lines[0];
  for (auto root : {"~/projects", "~/code", "~/dev", "~/src", "~/work", "~/projects-*"})
    EXPECT_NE(lines[0].find(root), std::string::npos) << root << ": " << lines[0];
  auto quiet = env.gum({"-q", "projects", "-f", "json"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "[]\n");
  // A root that exists: no hint.
  std::filesystem::create_directories(env.home() + "/code");
  auto some = env.gum({"projects"});
  EXPECT_EQ(some.exit_code, 0);
  EXPECT_EQ(some.err, "");
}

TEST_F(projects_fixture, with_github_gives_null_until_a_repository_is_synced) {
  auto json = boost::json::parse(gum({"projects", "-g", "-f", "json"}).out).as_array();
  ASSERT_EQ(json.size(), 3u);
  for (auto& p : json) EXPECT_TRUE(p.as_object().at("github").is_null());
}

TEST_F(projects_fixture, config_roots_discovery_and_tilde_are_honoured) {
  test_env::make_repo(env.home() + "/elsewhere/one");
  test_env::make_repo(env.home() + "/elsewhere/deep/a/b/c/two");
  test_env::make_repo(env.home() + "/elsewhere/node_modules/three");
  env.write_config("projects: [~/elsewhere]\ndiscovery: {max_depth: 3}\n");
  auto r = lines_of(gum({"projects", "-f", "simple"}).out);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], env.home() + "/elsewhere/one");
}

TEST_F(projects_fixture, a_root_that_does_not_exist_is_a_warning_not_an_error) {
  env.write_config("projects: [~/projects, ~/nowhere]\n");
  auto r = gum({"projects", "-r", "-f", "simple"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 3u);
  EXPECT_NE(r.err.find("nowhere does not exist"), std::string::npos) << r.err;
}

TEST_F(projects_fixture, bad_yaml_is_exit_2_naming_file_line_and_column) {
  env.write_config("projects: [~/projects\ndiscovery: {max_depth: 3\n");
  auto r = gum({"projects"});
  EXPECT_EQ(r.exit_code, 2);
  auto first = lines_of(r.err).at(0);
  EXPECT_NE(first.find("config.yaml:"), std::string::npos) << first;
  EXPECT_EQ(first.rfind("gum: ", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(env.db_path()));  // nothing was done
}

TEST_F(projects_fixture, a_file_that_is_not_sqlite_is_exit_3_and_left_unchanged) {
  std::filesystem::create_directories(env.cache_home() + "/gum");
  std::string junk(10000, 'j');
  test_env::write_file(env.db_path(), junk);
  auto r = gum({"projects"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not a gum database"), std::string::npos) << r.err;
  EXPECT_EQ(test_env::read_file(env.db_path()), junk);
}

TEST_F(projects_fixture, a_database_from_a_newer_gum_is_exit_3_and_byte_identical) {
  ASSERT_EQ(gum({"projects"}).exit_code, 0);
  {
    sqlite3* db = nullptr;
    sqlite3_open(env.db_path().c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 42", nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto before = test_env::read_file(env.db_path());
  for (auto args : {std::vector<std::string>{"projects"}, {"projects", "-r"}, {"projects", "--clear-cache"}}) {
    auto r = gum(args);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("newer"), std::string::npos) << r.err;
  }
  EXPECT_EQ(test_env::read_file(env.db_path()), before);
}

TEST_F(projects_fixture, db_flag_and_environment_choose_the_database) {
  auto a = env.root() + "/a.db";
  auto b = env.root() + "/b.db";
  ASSERT_EQ(gum({"--db", a, "projects"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(a));
  env.vars["GUM_DB"] = b;
  ASSERT_EQ(gum({"projects"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(b));
  EXPECT_FALSE(std::filesystem::exists(env.db_path()));
}

TEST_F(projects_fixture, an_unwritable_database_folder_is_a_permission_error) {
  auto dir = env.root() + "/ro";
  std::filesystem::create_directories(dir);
  ASSERT_EQ(gum({"--db", dir + "/gum.db", "projects"}).exit_code, 0);
  std::vector<std::string> argv = {GUM_BINARY, "--db", dir + "/gum.db", "projects", "-r"};
  if (geteuid() == 0) {
    // Root writes anything: run gum as nobody, who owns the tree but not the write bits.
    for (auto& e : std::filesystem::recursive_directory_iterator(env.root()))
      (void)!lchown(e.path().c_str(), 65534, 65534);
    (void)!chown(env.root().c_str(), 65534, 65534);
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                               "--clear-groups"});
  }
  chmod((dir + "/gum.db").c_str(), 0400);
  chmod(dir.c_str(), 0500);
  auto r = gum::testing::run_process(argv, env.environment());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
}

TEST_F(projects_fixture, odd_names_never_break_a_line_and_json_stays_valid) {
  test_env::make_repo(root + "/with space");
  test_env::make_repo(root + "/with\ttab");
  test_env::make_repo(root + "/with\nnewline");
  test_env::make_repo(root + "/bad\xff\xfeutf8");
  ASSERT_EQ(gum({"projects", "-r"}).exit_code, 0);
  for (auto fmt : {"default", "simple", "fzf"}) {
    auto lines = lines_of(gum({"projects", "-f", fmt}).out);
    EXPECT_EQ(lines.size(), 7u) << fmt;
  }
  EXPECT_EQ(lines_of(gum({"projects", "-f", "table"}).out).size(), 8u);
  auto simple = gum({"projects", "-f", "simple"}).out;
  EXPECT_NE(simple.find(root + "/with\\ttab\n"), std::string::npos);
  EXPECT_NE(simple.find(root + "/with\\nnewline\n"), std::string::npos);
  EXPECT_NE(simple.find(root + "/with space\n"), std::string::npos);
  auto json = boost::json::parse(gum({"projects", "-f", "json"}).out).as_array();
  ASSERT_EQ(json.size(), 7u);
  bool saw_replacement = false;
  for (auto& p : json) {
    std::string path(p.as_object().at("path").as_string());
    if (path.find("\xef\xbf\xbd") != std::string::npos) saw_replacement = true;
    if (path.find("tab") != std::string::npos) {
      EXPECT_EQ(path, root + "/with\ttab");
    }
  }
  EXPECT_TRUE(saw_replacement);
}

TEST_F(projects_fixture, symlink_loops_and_unreadable_folders_do_not_stop_a_refresh) {
  std::filesystem::create_directories(root + "/loop");
  std::filesystem::create_directory_symlink(root, root + "/loop/back");
  std::filesystem::create_directories(root + "/locked/inner");
  test_env::make_repo(root + "/locked/inner/hidden");
  chmod((root + "/locked").c_str(), 0);
  auto r = gum({"projects", "-r", "-v", "-f", "simple"});
  chmod((root + "/locked").c_str(), 0755);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  if (geteuid() != 0) {
    EXPECT_EQ(lines.size(), 3u);
    EXPECT_NE(r.err.find("unreadable"), std::string::npos) << r.err;
  } else {
    EXPECT_EQ(lines.size(), 4u);  // root reads through mode 000
  }
}

TEST_F(projects_fixture, a_refresh_killed_midway_leaves_the_old_or_the_new_list) {
  for (int i = 0; i < 300; ++i) test_env::make_repo(root + "/bulk/r" + std::to_string(i));
  ASSERT_EQ(gum({"projects", "-r"}).exit_code, 0);
  auto before = gum({"projects", "-f", "simple"}).out;
  for (int i = 300; i < 600; ++i) test_env::make_repo(root + "/bulk/r" + std::to_string(i));
  // Kill refreshes at increasing moments; each must leave one of the two complete lists.
  for (int delay_ms : {1, 3, 6, 10, 20, 40}) {
    pid_t pid = start_process({GUM_BINARY, "projects", "-r"}, env.environment());
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int ws;
    waitpid(pid, &ws, 0);
    auto now = gum({"projects", "-f", "simple"});
    ASSERT_EQ(now.exit_code, 0) << now.err;
    auto n = lines_of(now.out).size();
    EXPECT_TRUE(n == 303u || n == 603u) << "partial list of " << n << " after kill at " << delay_ms;
    if (n == 303u) {
      EXPECT_EQ(now.out, before);
    }
  }
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "PRAGMA integrity_check"), "ok");
}

TEST(cli, version_names_gum_and_every_library) {
  test_env env;
  auto r = env.gum({"version"});
  EXPECT_EQ(r.exit_code, 0);
  for (auto word : {"gum ", "CAF: 0.17", "SQLite: 3.", "libcurl: ", "Boost: 1.81", "compiler: "})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  EXPECT_EQ(env.gum({"--version"}).out, r.out);
  auto verbose = env.gum({"version", "-v"});
  EXPECT_NE(verbose.out.find("cpus: "), std::string::npos);
}

TEST(cli, help_exits_zero_and_lists_the_commands) {
  test_env env;
  auto r = env.gum({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("projects"), std::string::npos);
}

}  // namespace
}  // namespace gum
