// tests/clone_test.cpp: `gum clone` end to end, without network.
//
// Two local bare repositories stand in for GitHub: git's url.<base>.insteadOf rules (in a
// temporary system gitconfig named by GIT_CONFIG_SYSTEM) send https://github.com/ to one folder
// and git@github.com: to another, whose contents differ, so a test can tell which URL gum gave
// git. git keeps the URL it was given (before insteadOf) as remote.origin.url, which proves it
// too. The rules are in the system file because gum applies those of the global and the
// repository's config to the remotes it shows, and these are a test's plumbing, not the user's.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "core/clone_url.hpp"
#include "support/test_env.hpp"
#include "tests/support/fixture_process.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::run_process;
using gum::testing::run_result;
using gum::testing::test_env;

// A test_env with a project root, two fake GitHub servers and git configured to use them.
class clone_env {
 public:
  clone_env() {
    env.vars["GIT_CONFIG_GLOBAL"] = env.root() + "/gitconfig";
    env.vars["GIT_CONFIG_SYSTEM"] = rules_file();
    env.vars["GIT_TERMINAL_PROMPT"] = "0";
    env.vars["GIT_AUTHOR_NAME"] = env.vars["GIT_COMMITTER_NAME"] = "gum test";
    env.vars["GIT_AUTHOR_EMAIL"] = env.vars["GIT_COMMITTER_EMAIL"] = "gum@test.invalid";
    test_env::write_file(rules_file(),
                         "[url \"file://" + https_dir() + "/\"]\n\tinsteadOf = https://github.com/\n"
                         "[url \"file://" + ssh_dir() + "/\"]\n\tinsteadOf = git@github.com:\n"
                         "[init]\n\tdefaultBranch = main\n");
    fs::create_directories(projects());
    env.write_config("projects: [" + projects() + "]\n");
  }

  std::string projects() const { return env.home() + "/projects"; }
  std::string rules_file() const { return env.root() + "/gitsystem"; }
  std::string https_dir() const { return env.root() + "/https-remote"; }
  std::string ssh_dir() const { return env.root() + "/ssh-remote"; }

  run_result git(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"/usr/bin/git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env.environment());
  }

  // A bare repository at `base`/owner/name.git whose README says `content`, with `commits`
  // commits on main.
  void make_remote(const std::string& base, const std::string& owner, const std::string& name,
                   const std::string& content, int commits = 1) {
    std::string seed = env.root() + "/seed-" + owner + "-" + name + "-" + std::to_string(++seeds_);
    ASSERT_EQ(git({"init", "-q", "-b", "main", seed}).exit_code, 0);
    for (int i = 0; i < commits; ++i) {
      test_env::write_file(seed + "/README", content + " " + std::to_string(i) + "\n");
      ASSERT_EQ(git({"-C", seed, "add", "README"}).exit_code, 0);
      ASSERT_EQ(git({"-C", seed, "commit", "-q", "-m", "commit " + std::to_string(i)}).exit_code, 0);
    }
    fs::create_directories(base + "/" + owner);
    auto r = git({"clone", "-q", "--bare", seed, base + "/" + owner + "/" + name + ".git"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  test_env env;

 private:
  int seeds_ = 0;
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST(clone, owner_name_clones_over_https_by_default_and_is_indexed_at_once) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "hello", "https copy");
  c.make_remote(c.ssh_dir(), "octo", "hello", "ssh copy");
  // Build the index first, so that "at once" means without a refresh.
  ASSERT_EQ(c.env.gum({"projects"}).exit_code, 0);

  auto r = c.env.gum({"clone", "octo/hello"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string target = c.projects() + "/octo/hello";
  EXPECT_EQ(trim(r.out), target);
  EXPECT_NE(test_env::read_file(target + "/README").find("https copy"), std::string::npos);
  auto url = c.git({"-C", target, "config", "remote.origin.url"});
  EXPECT_EQ(trim(url.out), "https://github.com/octo/hello.git");

  auto listed = c.env.gum({"projects", "-f", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("\"path\":\"" + target + "\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"root\":\"" + c.projects() + "\""), std::string::npos);
  EXPECT_NE(listed.out.find("\"remote\":\"https://github.com/octo/hello.git\""), std::string::npos);
  EXPECT_NE(listed.out.find("\"branch\":\"main\""), std::string::npos);
  EXPECT_EQ(c.env.gum({"integrity"}).exit_code, 0);
}

TEST(clone, ssh_flag_and_config_protocol_choose_the_ssh_url) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "hello", "https copy");
  c.make_remote(c.ssh_dir(), "octo", "hello", "ssh copy");

  auto r = c.env.gum({"clone", "--ssh", "octo/hello"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string target = c.projects() + "/octo/hello";
  EXPECT_NE(test_env::read_file(target + "/README").find("ssh copy"), std::string::npos);
  EXPECT_EQ(trim(c.git({"-C", target, "config", "remote.origin.url"}).out),
            "git@github.com:octo/hello.git");

  // clone.protocol: ssh is the default without a flag; --https overrides it.
  c.env.write_config("projects: [" + c.projects() + "]\nclone: {protocol: ssh}\n");
  r = c.env.gum({"clone", "octo/hello", "--target", c.env.home() + "/by-config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.env.home() + "/by-config", "config", "remote.origin.url"}).out),
            "git@github.com:octo/hello.git");
  r = c.env.gum({"clone", "--https", "octo/hello", "--target", c.env.home() + "/by-flag"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.env.home() + "/by-flag", "config", "remote.origin.url"}).out),
            "https://github.com/octo/hello.git");
  EXPECT_EQ(c.env.gum({"clone", "--ssh", "--https", "octo/hello", "--suggest"}).exit_code, 2);
}

TEST(clone, every_url_form_names_the_same_target) {
  clone_env c;
  std::string expected = c.projects() + "/octo/hello";
  for (std::string repo : {"octo/hello", "octo/hello.git", "https://github.com/octo/hello",
                           "https://github.com/octo/hello.git", "git@github.com:octo/hello.git",
                           "ssh://git@github.com/octo/hello.git", "github.com/octo/hello"}) {
    auto r = c.env.gum({"clone", "--suggest", repo});
    EXPECT_EQ(r.exit_code, 0) << repo << ": " << r.err;
    EXPECT_EQ(trim(r.out), expected) << repo;
  }
  // --suggest does nothing.
  EXPECT_FALSE(fs::exists(c.projects() + "/octo"));
  EXPECT_FALSE(fs::exists(c.env.db_path()));
  // clone.root wins over the first project root; --target wins over both.
  c.env.write_config("projects: [" + c.projects() + "]\nclone: {root: ~/src}\n");
  EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", "octo/hello"}).out),
            c.env.home() + "/src/octo/hello");
  EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", "octo/hello", "--target", "~/x"}).out),
            c.env.home() + "/x");
  // Not a repository.
  for (std::string bad : std::vector<std::string>{"hello", "a/b/c", "octo/..", "../hello", "https://github.com/octo",
                          "octo/hel lo", c.env.root() + "/no-such-folder"}) {
    auto r = c.env.gum({"clone", "--suggest", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.err.find("gum: "), std::string::npos);
  }
}

TEST(clone, enterprise_host_comes_from_the_api_url) {
  clone_env c;
  c.env.write_config("projects: [" + c.projects() + "]\ngithub: {api_url: https://ghe.example.com/api/v3}\n");
  test_env::write_file(c.rules_file(),
                       "[url \"file://" + c.https_dir() + "/\"]\n\tinsteadOf = https://ghe.example.com/\n");
  c.make_remote(c.https_dir(), "team", "tool", "enterprise");
  auto r = c.env.gum({"clone", "team/tool"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.projects() + "/team/tool", "config", "remote.origin.url"}).out),
            "https://ghe.example.com/team/tool.git");
}

// Issue 13, item 5: never synced, owner/name is built on the API's web host, keeping the API
// URL's scheme and port (it used to be https://127.0.0.1/owner/name.git for a loopback API).
TEST(clone, without_a_synced_repository_the_url_is_built_on_the_api_web_host) {
  clone_env c;
  c.make_remote(c.https_dir(), "team", "tool", "built");
  test_env::write_file(c.rules_file(),
                       "[url \"file://" + c.https_dir() + "/\"]\n"
                       "\tinsteadOf = http://127.0.0.1:1/\n\tinsteadOf = https://acme.ghe.com/\n");
  c.env.write_config("projects: [" + c.projects() + "]\ngithub: {api_url: http://127.0.0.1:1}\n");
  auto r = c.env.gum({"clone", "team/tool"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.projects() + "/team/tool", "config", "remote.origin.url"}).out),
            "http://127.0.0.1:1/team/tool.git");
  // GHE.com data residency: the API is api.acme.ghe.com, the repositories are on acme.ghe.com.
  c.env.write_config("projects: [" + c.projects() + "]\ngithub: {api_url: https://api.acme.ghe.com}\n");
  r = c.env.gum({"clone", "team/tool", "--target", c.env.home() + "/ghe"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.env.home() + "/ghe", "config", "remote.origin.url"}).out),
            "https://acme.ghe.com/team/tool.git");
}

// Issue 13, item 5: after a sync from the loopback fixture (which serves github.com
// repositories), owner/name clones the synced clone_url (ssh_url with --ssh), not a URL on the
// API's host.
TEST(clone, owner_name_uses_the_synced_clone_url) {
  clone_env c;
  gum::testing::fixture_process server({"--repos", "5"});
  ASSERT_GT(server.port(), 0);
  c.env.vars["GH_TOKEN"] = "clone-test-token";
  c.env.vars["GUM_GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(server.port());
  auto sync = c.env.gum({"sync", "-t", "full"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  auto listed = c.env.gum({"github", "-f", "simple", "-n", "1"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::string full = trim(listed.out.substr(0, listed.out.find_first_of(" \t\n")));
  ASSERT_NE(full.find('/'), std::string::npos) << listed.out;
  std::string owner = full.substr(0, full.find('/')), name = full.substr(full.find('/') + 1);
  c.make_remote(c.https_dir(), owner, name, "https copy");
  c.make_remote(c.ssh_dir(), owner, name, "ssh copy");

  auto r = c.env.gum({"clone", full});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string target = c.projects() + "/" + full;
  EXPECT_EQ(trim(c.git({"-C", target, "config", "remote.origin.url"}).out),
            "https://github.com/" + full + ".git");
  r = c.env.gum({"clone", "--ssh", full, "--target", c.env.home() + "/by-ssh"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(c.git({"-C", c.env.home() + "/by-ssh", "config", "remote.origin.url"}).out),
            "git@github.com:" + full + ".git");
  // The clone links at once: its remote is on the repository's own host.
  auto projects = c.env.gum({"projects", "-f", "json", "--with-github"});
  EXPECT_NE(projects.out.find("\"full_name\":\"" + full + "\""), std::string::npos) << projects.out;
}

TEST(clone, a_failed_clone_exits_1_with_gits_message_and_leaves_no_folder) {
  clone_env c;
  auto r = c.env.gum({"clone", "octo/missing"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("gum: git clone https://github.com/octo/missing.git failed: fatal:"),
            std::string::npos)
      << r.err;
  // gum made projects/octo for the clone: it is gone again; the root stays.
  EXPECT_FALSE(fs::exists(c.projects() + "/octo"));
  EXPECT_TRUE(fs::exists(c.projects()));
  // A folder that was there before stays, empty target included.
  fs::create_directories(c.projects() + "/octo/missing");
  r = c.env.gum({"clone", "octo/missing"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(fs::is_directory(c.projects() + "/octo/missing"));
  EXPECT_TRUE(fs::is_empty(c.projects() + "/octo/missing"));
  // Nothing was indexed.
  auto listed = c.env.gum({"projects", "-f", "simple"});
  EXPECT_EQ(listed.out.find("missing"), std::string::npos);
  // Deep --target: every folder gum made is removed.
  r = c.env.gum({"clone", "octo/missing", "--target", c.env.home() + "/a/b/c/d"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(c.env.home() + "/a"));
}

TEST(clone, an_existing_non_empty_target_is_exit_2_and_untouched) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "hello", "https copy");
  std::string target = c.projects() + "/octo/hello";
  fs::create_directories(target);
  test_env::write_file(target + "/mine.txt", "keep me");
  auto r = c.env.gum({"clone", "octo/hello"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already exists and is not empty"), std::string::npos) << r.err;
  EXPECT_EQ(test_env::read_file(target + "/mine.txt"), "keep me");
  EXPECT_FALSE(fs::exists(target + "/README"));
  // A file in the way is exit 2 as well.
  test_env::write_file(c.env.home() + "/file", "x");
  EXPECT_EQ(c.env.gum({"clone", "octo/hello", "--target", c.env.home() + "/file"}).exit_code, 2);
  // An empty folder is fine.
  fs::remove_all(target);
  fs::create_directories(target);
  EXPECT_EQ(c.env.gum({"clone", "octo/hello"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(target + "/README"));
}

TEST(clone, depth_makes_a_shallow_clone) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "deep", "history", 3);
  auto r = c.env.gum({"clone", "--depth", "1", "octo/deep"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto count = c.git({"-C", c.projects() + "/octo/deep", "rev-list", "--count", "HEAD"});
  EXPECT_EQ(trim(count.out), "1");
  EXPECT_EQ(c.env.gum({"clone", "--depth", "0", "octo/deep", "--suggest"}).exit_code, 2);
}

TEST(clone, a_synced_repository_is_linked_at_once) {
  clone_env c;
  c.make_remote(c.https_dir(), "Octo", "Linked", "linked");
  ASSERT_EQ(c.env.gum({"projects"}).exit_code, 0);  // creates the database
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(c.env.db_path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO github_repos(github_id, full_name, owner, name, stars, "
                         "repo_key) VALUES(42, 'Octo/Linked', 'Octo', 'Linked', 7, "
                         "'github.com/octo/linked')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto r = c.env.gum({"clone", "Octo/Linked"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto listed = c.env.gum({"projects", "-f", "json", "--with-github"});
  EXPECT_NE(listed.out.find("\"full_name\":\"Octo/Linked\""), std::string::npos) << listed.out;
  auto github = c.env.gum({"github", "-f", "json"});
  EXPECT_NE(github.out.find("\"local_path\":\"" + c.projects() + "/Octo/Linked\""), std::string::npos)
      << github.out;
}

TEST(clone, a_target_outside_every_root_is_indexed_with_a_warning) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "hello", "https copy");
  std::string target = c.env.root() + "/elsewhere/hello";
  ASSERT_EQ(c.env.gum({"projects"}).exit_code, 0);  // the index is built
  auto r = c.env.gum({"clone", "octo/hello", "--target", target});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not under a configured project root"), std::string::npos) << r.err;
  auto listed = c.env.gum({"projects", "-f", "json", "--search", "hello"});
  EXPECT_NE(listed.out.find("\"root\":\"" + c.env.root() + "/elsewhere\""), std::string::npos)
      << listed.out;
}

// Issue 16: `clone.layout: host/owner/name` puts the host first, as ghq does; owner/name stays
// the default. Any git URL names its folder: GitLab's nested groups keep every segment.
TEST(clone, layout_host_owner_name_puts_the_host_first) {
  clone_env c;
  c.make_remote(c.https_dir(), "octo", "hello", "https copy");
  c.env.write_config("projects: [" + c.projects() + "]\nclone: {layout: host/owner/name}\n");
  auto r = c.env.gum({"clone", "octo/hello"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string target = c.projects() + "/github.com/octo/hello";
  EXPECT_EQ(trim(r.out), target);
  EXPECT_NE(test_env::read_file(target + "/README").find("https copy"), std::string::npos);
  auto listed = c.env.gum({"projects", "-f", "json"});
  EXPECT_NE(listed.out.find("\"path\":\"" + target + "\""), std::string::npos) << listed.out;

  const std::vector<std::pair<std::string, std::string>> host_first = {
      {"https://gitlab.com/group/sub/proj.git", "gitlab.com/group/sub/proj"},
      {"git@gitlab.example.com:team/tool.git", "gitlab.example.com/team/tool"},
      {"ssh://git@Git.Example.ORG:2222/team/tool", "git.example.org/team/tool"},
      {"gitlab.com/group/sub/proj", "gitlab.com/group/sub/proj"},
      {"octo/hello", "github.com/octo/hello"}};
  for (auto& [repo, folder] : host_first)
    EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", repo}).out), c.projects() + "/" + folder)
        << repo;
  // The default layout: the same URLs without the host.
  c.env.write_config("projects: [" + c.projects() + "]\n");
  for (auto& [repo, folder] : host_first)
    EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", repo}).out),
              c.projects() + "/" + folder.substr(folder.find('/') + 1))
        << repo;
  // The layout is parsed strictly, like every other key.
  c.env.write_config("projects: [" + c.projects() + "]\nclone: {layout: name}\n");
  r = c.env.gum({"clone", "--suggest", "octo/hello"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("clone.layout: expected owner/name or host/owner/name, got 'name'"),
            std::string::npos)
      << r.err;
}

// Issue 16: a file:// URL of a bare repository and a local path clone (git used to be refused
// them); the host of a local source is "localhost".
TEST(clone, a_file_url_or_a_local_path_of_a_bare_repository_clones_and_is_indexed) {
  clone_env c;
  const std::string bare = c.env.root() + "/bare";
  c.make_remote(bare, "team", "tool", "local copy");
  const std::string url = "file://" + bare + "/team/tool.git";
  auto r = c.env.gum({"clone", url});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string target = c.projects() + "/team/tool";
  EXPECT_EQ(trim(r.out), target);
  EXPECT_NE(test_env::read_file(target + "/README").find("local copy"), std::string::npos);
  EXPECT_EQ(trim(c.git({"-C", target, "config", "remote.origin.url"}).out), url);
  auto listed = c.env.gum({"projects", "-f", "json"});
  EXPECT_NE(listed.out.find("\"path\":\"" + target + "\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"remote\":\"" + url + "\""), std::string::npos) << listed.out;

  c.env.write_config("projects: [" + c.projects() + "]\nclone: {layout: host/owner/name}\n");
  EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", url}).out),
            c.projects() + "/localhost/team/tool");
  // A local path: absolute, or relative to ~.
  r = c.env.gum({"clone", bare + "/team/tool.git"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(r.out), c.projects() + "/localhost/team/tool");
  EXPECT_EQ(trim(c.git({"-C", trim(r.out), "config", "remote.origin.url"}).out),
            bare + "/team/tool.git");
  fs::create_directories(c.env.home() + "/mirrors");
  ASSERT_EQ(c.git({"clone", "-q", "--bare", bare + "/team/tool.git",
                   c.env.home() + "/mirrors/tool.git"}).exit_code, 0);
  EXPECT_EQ(trim(c.env.gum({"clone", "--suggest", "~/mirrors/tool.git"}).out),
            c.projects() + "/localhost/mirrors/tool");
  // --ssh and --https need a host; a local path that does not exist is refused.
  EXPECT_EQ(c.env.gum({"clone", "--ssh", "--suggest", url}).exit_code, 2);
  r = c.env.gum({"clone", "--suggest", c.env.root() + "/nothing-here"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no repository at"), std::string::npos) << r.err;
  EXPECT_EQ(c.env.gum({"integrity"}).exit_code, 0);
}

// Issue 16: what git would read as a transport, an ssh option or a bad host is refused before
// git runs (exit 2), whatever the URL form.
TEST(clone, hostile_urls_and_hosts_are_refused_before_git_runs) {
  clone_env c;
  const std::string marker = c.env.root() + "/pwned";
  for (std::string bad : std::vector<std::string>{
           "ext::sh -c touch% " + marker, "ext::sh -c 'touch " + marker + "'",
           "fd::17/o/r", "ssh://-oProxyCommand=touch%20" + marker + "/o/r",
           "ssh://-oProxyCommand=x@host/o/r", "git@-oProxyCommand=x:o/r",
           "-oProxyCommand=x:o/r", "--upload-pack=touch " + marker,
           "https://bad_host!/o/r", "https://-host.example/o/r", "https://host..example/o/r",
           "https://[::1/o/r", "https://github.com/o/r?x=1", "https://github.com/o/r#frag",
           "https://github.com:99999/o/r", "file://otherhost/srv/o/r.git", "ftp://host/o/r",
           "https://host/o/r\nx", "https://host/o/../r", "https://github.com/o/r%20x y"}) {
    auto r = c.env.gum({"clone", bad, "--target", c.env.home() + "/t"});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_EQ(r.err.find("git clone"), std::string::npos) << bad << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_FALSE(fs::exists(c.env.home() + "/t"));
  // An IP host and a bracketed IPv6 host are hosts.
  EXPECT_EQ(c.env.gum({"clone", "--suggest", "https://192.0.2.7/o/r"}).exit_code, 0);
  EXPECT_EQ(c.env.gum({"clone", "--suggest", "ssh://git@[2001:db8::1]:22/o/r"}).exit_code, 0);
}

}  // namespace

namespace {

TEST(clone_url, splits_any_git_url_into_host_and_segments) {
  auto gl = gum::parse_clone_url("https://user@GitLab.com:8443/group/sub/proj.git/");
  ASSERT_TRUE(gl);
  EXPECT_EQ(gl->scheme, "https");
  EXPECT_EQ(gl->host, "gitlab.com");
  EXPECT_EQ(gl->segments, (std::vector<std::string>{"group", "sub", "proj"}));
  auto scp = gum::parse_clone_url("git@example.org:team/tool.git");
  ASSERT_TRUE(scp);
  EXPECT_EQ(scp->scheme, "scp");
  EXPECT_EQ(scp->host, "example.org");
  auto file = gum::parse_clone_url("file:///srv/git/my repo.git");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->host, "localhost");
  EXPECT_EQ(file->segments, (std::vector<std::string>{"srv", "git", "my repo"}));
  EXPECT_EQ(gum::clone_folder(*scp, true), (std::vector<std::string>{"example.org", "team", "tool"}));
  EXPECT_EQ(gum::clone_folder(*scp, false), (std::vector<std::string>{"team", "tool"}));
  for (const char* bad : {"ext::sh -c x", "https://h/o/r?q", "ssh://-oX/o/r", "C:\\x\\y",
                          "https://h", "file://h/x/y", "git@h:", "/abs/path", "o/r"})
    EXPECT_FALSE(gum::parse_clone_url(bad)) << bad;
  EXPECT_TRUE(gum::is_clone_host("[::1]"));
  EXPECT_TRUE(gum::is_clone_host("10.0.0.1"));
  EXPECT_FALSE(gum::is_clone_host("-x"));
  EXPECT_FALSE(gum::is_clone_host("a b"));
}

}  // namespace
