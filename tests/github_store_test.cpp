// Unit tests for storage/github_store.cpp: the planning rules that the fixture server cannot
// easily provoke end to end (renames onto a stored name, listings without topics, what counts as
// "updated"), run directly on a database in a temporary folder.
#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/github_store.hpp"
#include "storage/projects_store.hpp"
#include "storage/schema.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

github_repo make(int64_t id, const std::string& full_name, int64_t stars = 1) {
  github_repo r;
  r.github_id = id;
  r.full_name = full_name;
  r.owner = full_name.substr(0, full_name.find('/'));
  r.name = full_name.substr(full_name.find('/') + 1);
  r.stars = stars;
  r.topics = {"cli"};
  r.topics_known = true;
  r.pushed_at = "2024-05-01T00:00:00Z";
  return r;
}

github_changes listing(std::vector<github_repo> repos, bool full) {
  github_changes c;
  c.summary.type = full ? "full" : "incremental";
  c.listing_complete = full;
  c.repos = std::move(repos);
  c.host = "github.com";
  c.api_url = "https://api.github.com";
  return c;
}

struct store : ::testing::Test {
  testing::test_env env;
  storage::database db = open();

  storage::database open() {
    storage::open_options o;
    o.path = env.root() + "/gum.db";
    return storage::database::open(o);
  }
  sync_result apply(const github_changes& c) {
    storage::write_transaction tx(db);
    auto r = storage::apply_github_changes(db, c, 1000);
    tx.commit();
    return r;
  }
  std::string text(const std::string& sql) { return db.query_text(sql).value_or("<null>"); }
};

TEST_F(store, only_a_changed_column_counts_as_updated) {
  auto r = apply(listing({make(1, "o/a"), make(2, "o/b")}, true));
  EXPECT_EQ(r.added, 2);
  r = apply(listing({make(1, "o/a"), make(2, "o/b")}, true));
  EXPECT_EQ(r.added + r.updated + r.removed, 0);
  r = apply(listing({make(1, "o/a", 5), make(2, "o/b")}, true));
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(db.query_int("SELECT stars FROM github_repos WHERE github_id = 1"), 5);
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 1"), "github.com/o/a");
}

// A project at /r/NAME whose remote is `remote`.
project project_with_remote(const std::string& name, const std::string& remote) {
  project p;
  p.path = "/r/" + name;
  p.name = name;
  p.root = "/r";
  p.kind = "repo";
  p.remote_url = remote;
  return p;
}

github_repo on_host(int64_t id, const std::string& full_name, const std::string& host) {
  auto r = make(id, full_name);
  r.html_url = "https://" + host + "/" + full_name;
  r.clone_url = "https://" + host + "/" + full_name + ".git";
  r.ssh_url = "git@" + host + ":" + full_name + ".git";
  return r;
}

// Issue 13, item 5: the host of a synced repository is its own, never the API URL's.
TEST_F(store, repositories_link_by_their_own_host_whatever_the_api_url) {
  storage::upsert_project(db, project_with_remote("a", "git@acme.ghe.com:Team/A.git"), 1);
  storage::upsert_project(db, project_with_remote("b", "https://github.com/o/b"), 1);
  storage::upsert_project(db, project_with_remote("c", "https://127.0.0.1/o/b"), 1);
  auto changes = listing({on_host(1, "team/a", "ACME.ghe.com"), on_host(2, "o/b", "github.com")},
                         true);
  changes.host = "127.0.0.1";  // a loopback API, or api.acme.ghe.com: not the repositories' host
  changes.api_url = "http://127.0.0.1:4242";
  auto r = apply(changes);
  EXPECT_EQ(r.linked, 2);
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 1"), "acme.ghe.com/team/a");
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 2"), "github.com/o/b");
  EXPECT_EQ(text("SELECT g.full_name FROM projects p JOIN github_repos g ON g.id = "
                 "p.github_repo_id WHERE p.name = 'a'"),
            "team/a");
  EXPECT_EQ(text("SELECT github_repo_id FROM projects WHERE name = 'c'"), "<null>");
  // Only a listing entry without any URL falls back to the API's host.
  apply(listing({make(3, "o/bare")}, false));
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 3"), "github.com/o/bare");
  // clone_url, then ssh_url, when html_url names no repository.
  auto odd = on_host(4, "o/odd", "git.example.org");
  odd.html_url = "not a url";
  apply(listing({odd}, false));
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 4"), "git.example.org/o/odd");
}

// Schema version 3 recomputes the keys an older gum wrote from the API URL, and relinks.
TEST_F(store, migration_3_recomputes_repo_keys_from_the_repositories_own_urls) {
  auto changes = listing({on_host(1, "o/a", "github.com"), make(2, "o/bare")}, true);
  apply(changes);
  storage::upsert_project(db, project_with_remote("a", "git@github.com:o/a.git"), 1);
  ASSERT_EQ(storage::count_linked_projects(db), 1);
  // What a gum before version 3 stored after a sync from http://127.0.0.1:PORT.
  db.exec("UPDATE github_repos SET repo_key = '127.0.0.1/' || lower(full_name); "
          "UPDATE projects SET github_repo_id = NULL; PRAGMA user_version = 2");
  db = open();
  EXPECT_EQ(db.query_int("PRAGMA user_version"), storage::schema_version);
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 1"), "github.com/o/a");
  EXPECT_EQ(text("SELECT repo_key FROM github_repos WHERE github_id = 2"), "127.0.0.1/o/bare")
      << "a row without URLs keeps its key";
  EXPECT_EQ(storage::count_linked_projects(db), 1);
}

TEST_F(store, a_listing_without_topics_keeps_the_stored_topics) {
  apply(listing({make(1, "o/a")}, true));
  auto no_topics = make(1, "o/a");
  no_topics.topics.clear();
  no_topics.topics_known = false;
  auto r = apply(listing({no_topics}, false));
  EXPECT_EQ(r.updated, 0);
  EXPECT_EQ(text("SELECT topics FROM github_repos"), "[\"cli\"]");
  // A new repository listed without topics stores NULL, so metadata sync fetches them.
  auto fresh = make(2, "o/b");
  fresh.topics_known = false;
  apply(listing({fresh}, false));
  EXPECT_EQ(text("SELECT topics FROM github_repos WHERE github_id = 2"), "<null>");
  auto snap = storage::read_github_snapshot(db);
  ASSERT_EQ(snap.metadata_due.size(), 2u);
  EXPECT_FALSE(snap.metadata_due[0].want_topics);
  EXPECT_TRUE(snap.metadata_due[1].want_topics);
}

TEST_F(store, a_repository_that_takes_over_a_stored_name_replaces_the_old_row) {
  apply(listing({make(1, "o/a"), make(2, "o/b")}, true));
  // Incremental: id 3 is now called o/A (the old o/a was deleted and recreated on GitHub).
  auto diff = storage::diff_github_changes(db, listing({make(3, "o/A")}, false));
  EXPECT_EQ(diff.changes, (std::vector<std::string>{"- o/a", "+ o/A"}));
  auto r = apply(listing({make(3, "o/A")}, false));
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.removed, 1);
  EXPECT_EQ(r.total, 2);
  EXPECT_EQ(diff.total, r.total);
  EXPECT_EQ(db.query_int("SELECT github_id FROM github_repos WHERE full_name = 'o/a'"), 3);
}

TEST_F(store, only_a_full_listing_deletes_and_incremental_never_does) {
  apply(listing({make(1, "o/a"), make(2, "o/b")}, true));
  auto r = apply(listing({make(1, "o/a")}, false));
  EXPECT_EQ(r.removed, 0);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM github_repos"), 2);
  r = apply(listing({make(1, "o/a")}, true));
  EXPECT_EQ(r.removed, 1);
  EXPECT_EQ(db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key = 'github'"), 1);
}

TEST_F(store, a_failed_run_is_recorded_without_touching_repositories) {
  apply(listing({make(1, "o/a")}, true));
  const auto before = text("SELECT group_concat(full_name || stars) FROM github_repos");
  {
    storage::write_transaction tx(db);
    sync_failure f;
    f.type = "full";
    f.status = "failed";
    f.error = "boom";
    storage::record_failed_sync(db, f, 2000);
    tx.commit();
  }
  EXPECT_EQ(text("SELECT group_concat(full_name || stars) FROM github_repos"), before);
  EXPECT_EQ(text("SELECT status || ':' || error FROM sync_runs ORDER BY id DESC LIMIT 1"),
            "failed:boom");
}

TEST_F(store, metadata_updates_languages_and_the_metadata_count) {
  apply(listing({make(1, "o/a"), make(2, "o/b")}, true));
  github_changes c;
  c.summary.type = "metadata";
  struct github_changes::metadata m;
  m.full_name = "O/A";  // names match case-insensitively
  m.languages = {{"C++", 1200}, {"CMake", 30}};
  m.languages_url = "https://api.github.com/repos/o/a/languages";
  m.languages_etag = "\"e1\"";
  c.metadata.push_back(m);
  auto r = apply(c);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(text("SELECT languages FROM github_repos WHERE github_id = 1"),
            "{\"C++\":1200,\"CMake\":30}");
  EXPECT_EQ(db.query_int("SELECT item_count FROM cache_metadata WHERE cache_key = "
                         "'github_metadata'"),
            1);
  EXPECT_EQ(text("SELECT etag FROM http_cache WHERE url LIKE '%/o/a/languages'"), "\"e1\"");
  // A 304 on languages keeps them and still marks the repository as synced.
  c.metadata[0].languages_changed = false;
  c.metadata[0].languages.clear();
  r = apply(c);
  EXPECT_EQ(r.updated, 0);
  EXPECT_EQ(text("SELECT languages FROM github_repos WHERE github_id = 1"),
            "{\"C++\":1200,\"CMake\":30}");
}

}  // namespace
}  // namespace gum

namespace gum {
namespace {

// Two ids whose names differ only in case in one listing (one repository renamed and another
// created with its old name between two pages): applying both failed with "UNIQUE constraint
// failed: github_repos.full_name" (exit 3), or silently dropped one.
TEST_F(store, a_case_only_name_clash_in_one_listing_keeps_the_newest_and_says_so) {
  auto old_one = make(1, "acme/Tool");
  old_one.updated_at = "2024-05-01T00:00:00Z";
  auto new_one = make(2, "acme/tool");
  new_one.updated_at = "2024-06-01T00:00:00Z";
  for (bool full : {false, true}) {
    auto r = apply(listing({old_one, new_one, make(3, "acme/other")}, full));
    EXPECT_EQ(text("SELECT group_concat(github_id || ':' || full_name, ',') FROM "
                   "(SELECT * FROM github_repos ORDER BY github_id)"),
              "2:acme/tool,3:acme/other")
        << (full ? "full" : "incremental");
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("acme/Tool (id 1)"), std::string::npos) << r.warnings[0];
    EXPECT_NE(r.warnings[0].find("acme/tool (id 2)"), std::string::npos) << r.warnings[0];
  }
}

TEST_F(store, a_stored_name_taken_by_a_newer_id_in_other_case_is_replaced_in_one_transaction) {
  apply(listing({make(1, "acme/Tool")}, false));
  // Both are listed again: id 1 still under its old name (a stale page), id 2 newer.
  auto stale = make(1, "acme/Tool");
  stale.updated_at = "2024-05-01T00:00:00Z";
  auto fresh = make(2, "acme/TOOL");
  fresh.updated_at = "2024-07-01T00:00:00Z";
  auto r = apply(listing({stale, fresh}, false));
  EXPECT_EQ(text("SELECT group_concat(github_id || ':' || full_name) FROM github_repos"),
            "2:acme/TOOL");
  EXPECT_EQ(r.removed, 1);
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.warnings.size(), 1u);
}

TEST_F(store, search_is_smartcase_over_every_letter_of_names_and_descriptions) {
  auto a = make(1, "o/ecole-tools");
  a.description = "Outils pour l'ÉCOLE";
  auto b = make(2, "o/uber");
  b.description = "Über alles";
  apply(listing({a, b}, true));
  auto names = [&](const std::string& search) {
    github_query q;
    q.search = search;
    std::vector<std::string> out;
    for (auto& r : storage::query_github(db, q)) out.push_back(r.full_name);
    return out;
  };
  using v = std::vector<std::string>;
  EXPECT_EQ(names("l'école"), v{"o/ecole-tools"});
  EXPECT_EQ(names("über"), v{"o/uber"});
  EXPECT_EQ(names("ÜBER"), v{}) << "an upper-case letter makes the term exact";
  EXPECT_EQ(names("Über"), v{"o/uber"});
}

}  // namespace
}  // namespace gum
