// tests/projects_stream_test.cpp: the streamed `gum projects` list (issue 14) prints exactly
// what the whole-list path printed, byte for byte, in every format and with every filter.
//
// The reference is the old path, run in-process: storage::load_projects, apply_query (what
// the cache did before answering projects_atom) and cli::print_projects. The streamed path is
// the gum binary, whose cache hands rows to a sink in chunks. The index holds projects written
// out of path order (so the streamed read's ORDER BY is exercised), names with tabs, newlines
// and invalid UTF-8, and projects with a remote, a branch only, or neither.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "cli/output.hpp"
#include "core/project_query.hpp"
#include "gum/engine.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/projects_store.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::test_env;

// Fills the index with `n` projects under one root, in a shuffled order.
void seed_index(const test_env& env, const std::string& root, int n) {
  storage::open_options o;
  o.path = env.db_path();
  auto db = storage::database::open(o);
  std::vector<project> ps;
  const char* words[] = {"alpha", "Beta", "gamma", "delta", "api", "App", "web-ui", "core"};
  for (int i = 0; i < n; ++i) {
    project p;
    std::string group = "g" + std::to_string(i % 7);
    p.name = std::string(words[i % 8]) + "-" + std::to_string(i);
    if (i == 3) p.name = "tab\there";
    if (i == 4) p.name = "new\nline";
    if (i == 5) p.name = "bad\xff\xfeutf8";
    p.path = root + "/" + group + "/" + p.name;
    p.root = root;
    if (i % 3 == 0) p.remote_url = "git@github.com:o/" + std::to_string(i) + ".git";
    if (i % 3 != 2) p.branch = i % 2 ? "main" : "dev\tbranch";
    ps.push_back(std::move(p));
  }
  std::mt19937 rng(14);
  std::shuffle(ps.begin(), ps.end(), rng);
  root_scan scan;
  scan.path = root;
  scan.repo_count = n;
  storage::write_transaction tx(db);
  storage::replace_projects(db, {root}, {scan}, ps, 1700000000, 5, 3600);
  tx.commit();
}

// The old path: the whole list, queried and printed.
std::string old_list(const test_env& env, const project_query& q, cli::projects_format f) {
  storage::open_options o;
  o.path = env.db_path();
  o.read_only = true;
  auto db = storage::database::open(o);
  std::vector<project> all;
  {
    storage::read_transaction snapshot(db);
    all = storage::load_projects(db, q.with_github);
  }
  apply_query(all, q);
  std::ostringstream out;
  cli::print_projects(out, all, f);
  return out.str();
}

TEST(projects_stream, the_streamed_list_equals_the_whole_list_in_every_format_and_filter) {
  test_env env;
  const std::string root = env.home() + "/projects";
  std::filesystem::create_directories(root);
  env.write_config("projects: [~/projects]\n");
  // 700 projects: more than two chunks of 256 rows, and more than 64 KB of JSON.
  seed_index(env, root, 700);
  struct filter {
    std::vector<std::string> args;
    project_query query;
  };
  auto q = [](std::string search, std::string similar, int64_t limit) {
    project_query out;
    out.search = std::move(search);
    out.similar = std::move(similar);
    out.limit = limit;
    return out;
  };
  const std::vector<filter> filters = {
      {{}, q("", "", -1)},
      {{"-s", "alpha"}, q("alpha", "", -1)},
      {{"-s", "Beta g3"}, q("Beta g3", "", -1)},  // smartcase, two terms
      {{"-s", "nothing-matches"}, q("nothing-matches", "", -1)},
      {{"-n", "0"}, q("", "", 0)},
      {{"-n", "1"}, q("", "", 1)},
      {{"-n", "256"}, q("", "", 256)},  // stops at the end of a full chunk
      {{"-n", "300"}, q("", "", 300)},  // stops inside the second chunk
      {{"-n", "100000"}, q("", "", 100000)},
      {{"-s", "app", "-n", "5"}, q("app", "", 5)},
      {{"--similar", "alpha-1"}, q("", "alpha-1", -1)},
      {{"--similar", "api", "-n", "3"}, q("", "api", 3)},
      {{"-s", "g2", "--similar", "core"}, q("g2", "core", -1)},
  };
  const std::pair<const char*, cli::projects_format> formats[] = {
      {"default", cli::projects_format::standard},
      {"simple", cli::projects_format::simple},
      {"fzf", cli::projects_format::fzf},
      {"json", cli::projects_format::json},
      {"table", cli::projects_format::table}};
  for (auto& [name, format] : formats) {
    for (auto& f : filters) {
      for (bool github : {false, true}) {
        if (github && format != cli::projects_format::json) continue;
        std::vector<std::string> args = {"projects", "--cached", "-f", name};
        args.insert(args.end(), f.args.begin(), f.args.end());
        if (github) args.push_back("-g");
        auto query = f.query;
        query.with_github = github;
        auto r = env.gum(args);
        std::string shown;
        for (auto& a : args) shown += a + " ";
        ASSERT_EQ(r.exit_code, 0) << shown << r.err;
        const std::string expected = old_list(env, query, format);
        ASSERT_EQ(r.out, expected) << shown;
        if (f.args.empty()) {
          EXPECT_GT(r.out.size(), 20000u) << shown;
        }
      }
    }
  }
}

TEST(projects_stream, an_index_never_built_streams_an_empty_list) {
  test_env env;
  env.write_config("projects: [~/projects]\n");
  std::filesystem::create_directories(env.home() + "/projects");
  // The database exists (schema only); --cached never builds the index.
  ASSERT_EQ(env.gum({"dirs", "--clear-cache"}).exit_code, 0);
  EXPECT_EQ(env.gum({"projects", "--cached", "-f", "json"}).out, "[]\n");
  EXPECT_EQ(env.gum({"projects", "--cached", "-f", "simple"}).out, "");
}

// What decides between the cache alone and the whole engine for `gum dirs` and `projects
// --cached`: the schema version in the file header.
TEST(projects_stream, database_is_current_reads_the_schema_version_from_the_header) {
  test_env env;
  EXPECT_FALSE(database_is_current(env.db_path()));  // missing
  EXPECT_FALSE(database_is_current(env.home()));     // a folder
  const std::string text = env.home() + "/not-a-db";
  std::ofstream(text) << std::string(200, 'x');
  EXPECT_FALSE(database_is_current(text));
  ASSERT_EQ(env.gum({"dirs", "--clear-cache"}).exit_code, 0);
  EXPECT_TRUE(database_is_current(env.db_path()));
  {
    storage::open_options o;
    o.path = env.db_path();
    auto db = storage::database::open(o);
    db.exec("PRAGMA user_version = 3");
    db.checkpoint_truncate();  // into the header, as an older gum's database has it
  }
  EXPECT_FALSE(database_is_current(env.db_path()));
}

// A read of a database that needs a migration still gets it (the whole engine migrates
// first), and then lists what the old schema held.
TEST(projects_stream, a_cached_list_and_the_dirs_list_migrate_an_old_schema_first) {
  test_env env;
  const std::string root = env.home() + "/projects";
  std::filesystem::create_directories(root);
  env.write_config("projects: [~/projects]\n");
  seed_index(env, root, 40);
  const std::string expected = old_list(env, project_query{}, cli::projects_format::simple);
  {
    storage::open_options o;
    o.path = env.db_path();
    auto db = storage::database::open(o);
    db.exec("PRAGMA user_version = 3");  // v4's tables exist: the v4 step keeps them
    db.checkpoint_truncate();
  }
  ASSERT_FALSE(database_is_current(env.db_path()));
  auto list = env.gum({"projects", "--cached", "-f", "simple"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, expected);
  EXPECT_TRUE(database_is_current(env.db_path()));
  {
    storage::open_options o;
    o.path = env.db_path();
    auto db = storage::database::open(o);
    db.exec("PRAGMA user_version = 3");
    db.checkpoint_truncate();
  }
  ASSERT_FALSE(database_is_current(env.db_path()));
  auto dirs = env.gum({"dirs", "-f", "simple"});
  ASSERT_EQ(dirs.exit_code, 0) << dirs.err;
  EXPECT_EQ(dirs.out, "");
  EXPECT_TRUE(database_is_current(env.db_path()));
}

}  // namespace
}  // namespace gum
