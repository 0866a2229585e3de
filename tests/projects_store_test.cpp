// tests/projects_store_test.cpp: replacing a refresh's projects (storage/projects_store.*).
#include "storage/projects_store.hpp"

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "tests/support/test_env.hpp"

namespace gum::storage {
namespace {

using gum::testing::test_env;

project make(const std::string& root, const std::string& name,
             std::optional<std::string> remote = std::nullopt) {
  project p;
  p.root = root;
  p.path = root + "/" + name;
  p.name = name;
  p.remote_url = std::move(remote);
  p.branch = "main";
  return p;
}

root_scan scanned(const std::string& path, int64_t count) {
  root_scan r;
  r.path = path;
  r.repo_count = count;
  return r;
}

struct store_fixture : ::testing::Test {
  test_env env;
  database db = [this] {
    open_options o;
    o.path = env.db_path();
    return database::open(o);
  }();

  replace_counts replace(const std::vector<std::string>& roots, const std::vector<project>& ps,
                         int64_t now = 1000) {
    std::vector<root_scan> scans;
    for (auto& r : roots) scans.push_back(scanned(r, 0));
    write_transaction tx(db);
    auto counts = replace_projects(db, roots, scans, ps, now, 5, 3600);
    tx.commit();
    return counts;
  }
};

TEST_F(store_fixture, a_refresh_adds_updates_and_removes_exactly_the_difference) {
  auto c1 = replace({"/r"}, {make("/r", "a"), make("/r", "b"), make("/r", "c")});
  EXPECT_EQ(c1.added, 3);
  EXPECT_EQ(c1.total, 3);
  auto b2 = make("/r", "b");
  b2.branch = "dev";
  auto c2 = replace({"/r"}, {make("/r", "a"), b2, make("/r", "d")});
  EXPECT_EQ(c2.added, 1);
  EXPECT_EQ(c2.updated, 1);
  EXPECT_EQ(c2.removed, 1);
  EXPECT_EQ(c2.total, 3);
  auto all = load_projects(db, false);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].path, "/r/a");
  EXPECT_EQ(all[1].branch, "dev");
  EXPECT_EQ(all[2].path, "/r/d");
}

TEST_F(store_fixture, unchanged_projects_are_not_rewritten) {
  replace({"/r"}, {make("/r", "a"), make("/r", "b")}, 1000);
  auto c = replace({"/r"}, {make("/r", "a"), make("/r", "b")}, 2000);
  EXPECT_EQ(c.added + c.updated + c.removed, 0);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM projects WHERE updated_at = 1000"), 2);
}

TEST_F(store_fixture, a_root_that_left_the_configuration_takes_its_projects_along) {
  replace({"/r", "/s"}, {make("/r", "a"), make("/s", "b")});
  auto c = replace({"/r"}, {make("/r", "a")});
  EXPECT_EQ(c.removed, 1);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM project_dirs"), 1);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM projects"), 1);
}

TEST_F(store_fixture, cache_metadata_is_written_with_the_projects) {
  EXPECT_FALSE(projects_built(db));
  replace({"/r"}, {make("/r", "a"), make("/r", "b")}, 4242);
  EXPECT_TRUE(projects_built(db));
  EXPECT_EQ(db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key='projects'"), 2);
  EXPECT_EQ(db.query_int("SELECT last_updated FROM cache_metadata WHERE cache_key='projects'"),
            4242);
  EXPECT_EQ(clear_projects(db), 2);
  EXPECT_FALSE(projects_built(db));
}

TEST_F(store_fixture, unknown_values_are_null_never_empty) {
  auto p = make("/r", "a");
  p.branch.reset();
  replace({"/r"}, {p});
  EXPECT_EQ(db.query_int("SELECT count(*) FROM projects WHERE remote_url IS NULL AND branch IS "
                         "NULL AND github_repo_id IS NULL AND remote_key IS NULL"),
            1);
}

TEST_F(store_fixture, remote_keys_match_https_and_ssh_remotes_alike) {
  EXPECT_EQ(remote_key_for(std::string("https://github.com/Me/Repo.git")), "github.com/me/repo");
  EXPECT_EQ(remote_key_for(std::string("git@github.com:me/repo")), "github.com/me/repo");
  EXPECT_EQ(remote_key_for(std::string("ssh://git@GitHub.com/me/repo.git")), "github.com/me/repo");
  EXPECT_EQ(remote_key_for(std::string("/srv/git/repo.git")), std::nullopt);
  EXPECT_EQ(remote_key_for(std::nullopt), std::nullopt);
}

TEST_F(store_fixture, a_project_is_linked_to_its_synced_repository) {
  db.exec("INSERT INTO github_repos(id, github_id, full_name, owner, name, repo_key) "
          "VALUES(1, 10, 'me/a', 'me', 'a', 'github.com/me/a')");
  replace({"/r"}, {make("/r", "a", "git@github.com:ME/a.git"), make("/r", "b", "https://x.org/q/b")});
  auto with = load_projects(db, true);
  ASSERT_EQ(with.size(), 2u);
  ASSERT_TRUE(with[0].github.has_value());
  EXPECT_EQ(with[0].github->full_name, "me/a");
  EXPECT_FALSE(with[1].github.has_value());
}

TEST_F(store_fixture, a_changed_remote_is_rewritten_and_relinked) {
  db.exec("INSERT INTO github_repos(id, github_id, full_name, owner, name, repo_key) "
          "VALUES(1, 10, 'me/new', 'me', 'new', 'github.com/me/new')");
  replace({"/r"}, {make("/r", "a", "https://github.com/me/old.git")});
  EXPECT_FALSE(load_projects(db, true)[0].github.has_value());
  auto c = replace({"/r"}, {make("/r", "a", "git@github.com:me/new.git")});
  EXPECT_EQ(c.updated, 1);
  auto after = load_projects(db, true);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].remote_url, "git@github.com:me/new.git");
  ASSERT_TRUE(after[0].github.has_value());
  EXPECT_EQ(after[0].github->full_name, "me/new");
  EXPECT_EQ(db.query_int("SELECT count(*) FROM projects WHERE remote_key = 'github.com/me/new'"),
            1);
}

// Issue 13, item 1: what the read path judges freshness by.
TEST_F(store_fixture, the_index_state_names_when_and_from_which_roots_it_was_built) {
  EXPECT_FALSE(read_index_state(db).built);
  replace({"/r", "/s"}, {make("/r", "a")}, 1234);
  auto state = read_index_state(db);
  EXPECT_TRUE(state.built);
  EXPECT_EQ(state.last_updated, 1234);
  EXPECT_EQ(state.roots, (std::vector<std::string>{"/r", "/s"}));
  // A root `gum clone` recorded, which no refresh scanned yet, is not one it was built from.
  {
    write_transaction tx(db);
    upsert_project(db, make("/t", "cloned"), 1300);
    tx.commit();
  }
  EXPECT_EQ(read_index_state(db).roots, (std::vector<std::string>{"/r", "/s"}));
  {
    write_transaction tx(db);
    clear_projects(db);
    tx.commit();
  }
  EXPECT_FALSE(read_index_state(db).built);
}

}  // namespace
}  // namespace gum::storage
