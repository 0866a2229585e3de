// tests/discovery_test.cpp: proves the project scanner of core/discovery_walk.cpp and
// core/git_metadata.cpp (SPEC §4).
//
// Every test builds its own tree under a mkdtemp folder in /tmp (never $HOME) with plain POSIX
// calls, runs scan_roots or read_git_metadata on it, and removes it afterwards. The trees are
// small on purpose: behaviour is tested here, speed only in bench/.
#include "core/discovery_walk.hpp"
#include "tests/support/test_env.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gum {
namespace {

/// A temporary folder that is removed (after restoring permissions) when the test ends.
class temp_tree {
public:
  temp_tree() {
    char tmpl[] = "/tmp/gum-discovery-XXXXXX";
    char* made = ::mkdtemp(tmpl);
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = made;
  }
  ~temp_tree() {
    std::error_code ec;
    for (auto& p : restore_) ::chmod(p.c_str(), 0755);
    std::filesystem::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return rel.empty() ? root_ : root_ + "/" + rel; }

  /// Creates folders (and their parents) below the root.
  void dir(const std::string& rel) const {
    std::filesystem::create_directories(std::filesystem::path(path(rel)));
  }
  /// Writes a file below the root, creating its folder.
  void file(const std::string& rel, const std::string& text) const {
    auto p = std::filesystem::path(path(rel));
    std::filesystem::create_directories(p.parent_path());
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0) << p;
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
  }
  /// A plain repository with a HEAD on `branch` and an origin at `url` (none if empty).
  void repo(const std::string& rel, const std::string& branch = "main",
            const std::string& url = "https://github.com/o/r.git") const {
    file(rel + "/.git/HEAD", "ref: refs/heads/" + branch + "\n");
    std::string config = "[core]\n\tbare = false\n";
    if (!url.empty()) config += "[remote \"origin\"]\n\turl = " + url + "\n";
    file(rel + "/.git/config", config);
  }
  void symlink(const std::string& target, const std::string& rel) const {
    ASSERT_EQ(::symlink(target.c_str(), path(rel).c_str()), 0);
  }
  void chmod_later_restored(const std::string& rel, mode_t mode) {
    restore_.push_back(path(rel));
    ASSERT_EQ(::chmod(path(rel).c_str(), mode), 0);
  }

private:
  std::string root_;
  std::vector<std::string> restore_;
};

discovery_options opts(int max_depth = 6, bool nested = false, int threads = 2) {
  discovery_options o;
  o.max_depth = max_depth;
  o.nested = nested;
  o.threads = threads;
  return o;
}

/// Paths of the projects relative to `root` (the root itself is ".").
std::vector<std::string> rel_paths(const scan_result& r, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& p : r.projects)
    out.push_back(p.path == root ? "." : p.path.substr(root.size() + 1));
  return out;
}

const project* find(const scan_result& r, const std::string& path) {
  for (const auto& p : r.projects)
    if (p.path == path) return &p;
  return nullptr;
}

using strings = std::vector<std::string>;

TEST(discovery, finds_repo_worktree_and_submodule_with_their_branch_and_remote) {
  temp_tree t;
  t.repo("main", "feature/deep/x", "git@github.com:me/main.git");
  t.file("main/.git/worktrees/wt/HEAD", "ref: refs/heads/wt-branch\n");
  t.file("main/.git/worktrees/wt/commondir", "../..\n");
  t.file("wt/.git", "gitdir: " + t.path("main/.git/worktrees/wt") + "\n");
  t.file("main/.git/modules/sub/HEAD", "ref: refs/heads/sub-branch\n");
  t.file("main/.git/modules/sub/config", "[remote \"origin\"]\n\turl = https://x/sub.git\n");
  t.file("main/sub/.git", "gitdir: ../.git/modules/sub\n");

  auto r = scan_roots({t.root()}, opts(6, /*nested=*/true));
  ASSERT_EQ(rel_paths(r, t.root()), (strings{"main", "main/sub", "wt"}));
  const project* main = find(r, t.path("main"));
  EXPECT_EQ(main->kind, "repo");
  EXPECT_EQ(main->name, "main");
  EXPECT_EQ(main->root, t.root());
  EXPECT_EQ(main->branch, std::optional<std::string>("feature/deep/x"));
  EXPECT_EQ(main->remote_url, std::optional<std::string>("git@github.com:me/main.git"));
  EXPECT_FALSE(main->github.has_value());
  const project* wt = find(r, t.path("wt"));
  EXPECT_EQ(wt->kind, "worktree");
  EXPECT_EQ(wt->branch, std::optional<std::string>("wt-branch"));  // HEAD from its gitdir
  EXPECT_EQ(wt->remote_url, std::optional<std::string>("git@github.com:me/main.git"));  // common
  const project* sub = find(r, t.path("main/sub"));
  EXPECT_EQ(sub->kind, "submodule");
  EXPECT_EQ(sub->name, "sub");
  EXPECT_EQ(sub->branch, std::optional<std::string>("sub-branch"));
  EXPECT_EQ(sub->remote_url, std::optional<std::string>("https://x/sub.git"));

  // read_git_metadata says the same when called directly.
  auto meta = read_git_metadata(t.path("wt"));
  EXPECT_EQ(meta.kind, "worktree");
  EXPECT_EQ(meta.branch, std::optional<std::string>("wt-branch"));
  EXPECT_EQ(meta.remote_url, std::optional<std::string>("git@github.com:me/main.git"));
  EXPECT_EQ(read_git_metadata(t.path("main/sub")).kind, "submodule");
}

TEST(discovery, detached_head_has_null_branch_and_missing_remote_is_null) {
  temp_tree t;
  t.file("det/.git/HEAD", "0123456789abcdef0123456789abcdef01234567\n");
  t.file("det/.git/config", "[remote \"origin\"]\n\turl = https://h/det.git\n");
  t.repo("noremote", "main", "");
  t.dir("nofiles/.git");  // neither HEAD nor config
  t.file("otherref/.git/HEAD", "ref: refs/remotes/origin/main\n");
  auto r = scan_roots({t.root()}, opts());
  ASSERT_EQ(r.projects.size(), 4u);
  EXPECT_FALSE(find(r, t.path("det"))->branch.has_value());
  EXPECT_EQ(find(r, t.path("det"))->remote_url, std::optional<std::string>("https://h/det.git"));
  EXPECT_EQ(find(r, t.path("noremote"))->branch, std::optional<std::string>("main"));
  EXPECT_FALSE(find(r, t.path("noremote"))->remote_url.has_value());
  EXPECT_FALSE(find(r, t.path("nofiles"))->branch.has_value());
  EXPECT_FALSE(find(r, t.path("nofiles"))->remote_url.has_value());
  EXPECT_FALSE(find(r, t.path("otherref"))->branch.has_value());
}

TEST(discovery, origin_is_preferred_over_other_remotes_else_the_first_in_file_order) {
  temp_tree t;
  t.file("a/.git/config",
         "[remote \"upstream\"]\n\turl = https://up/a.git\n[remote \"origin\"]\n"
         "\turl = https://origin/a.git\n");
  t.file("b/.git/config",
         "[remote \"zeta\"]\n\turl = https://zeta/b.git\n[remote \"alpha\"]\n"
         "\turl = https://alpha/b.git\n");
  EXPECT_EQ(read_git_metadata(t.path("a")).remote_url,
            std::optional<std::string>("https://origin/a.git"));
  EXPECT_EQ(read_git_metadata(t.path("b")).remote_url,
            std::optional<std::string>("https://zeta/b.git"));
}

TEST(discovery, config_parser_handles_whitespace_comments_quotes_and_case) {
  temp_tree t;
  t.file("a/.git/config",
         "# [remote \"origin\"]\n; url = https://commented/out\n"
         "[Remote \"other\"] URL = https://same-line/x.git ; trailing comment\n"
         "  [remote   \"origin\"]  \n"
         "   fetch = +refs/heads/*:refs/remotes/origin/*\n"
         "\turl   =   \"https://q/with # hash.git\"   # comment\n");
  EXPECT_EQ(read_git_metadata(t.path("a")).remote_url,
            std::optional<std::string>("https://q/with # hash.git"));
  t.file("b/.git/config", "[remote \"other\"] URL = https://same-line/x.git ; trailing\n");
  EXPECT_EQ(read_git_metadata(t.path("b")).remote_url,
            std::optional<std::string>("https://same-line/x.git"));
  // A url in a section that is not a remote, or in a broken header, is not a remote url.
  t.file("c/.git/config",
         "[branch \"main\"]\n\turl = https://nope\n[remote \"broken\n\turl = https://nope2\n"
         "[remote]\n\turl = https://nope3\n");
  EXPECT_FALSE(read_git_metadata(t.path("c")).remote_url.has_value());
  // Old [remote.name] syntax, CRLF line ends, continuation lines.
  t.file("d/.git/config", "[remote.origin]\r\n\turl = https://old/\\\nsyntax.git\r\n");
  EXPECT_EQ(read_git_metadata(t.path("d")).remote_url,
            std::optional<std::string>("https://old/syntax.git"));
  // Garbage and binary do not crash and yield nothing.
  const char garbage[] = "\0\xff[\"\\\n=\n[[[\"\\";
  t.file("e/.git/config", std::string(garbage, sizeof garbage - 1));
  EXPECT_FALSE(read_git_metadata(t.path("e")).remote_url.has_value());
  t.file("f/.git/HEAD", "ref:   refs/heads/with space\r\n");
  EXPECT_EQ(read_git_metadata(t.path("f")).branch, std::optional<std::string>("with space"));
}

// Issue 13, item 6: a remote written with an insteadOf prefix shows as git shows it.
TEST(discovery, insteadof_rules_of_the_repository_config_rewrite_its_remote) {
  temp_tree t;
  const std::string rules =
      "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n"
      "[url \"https://ghe.corp/\"]\n\tInsteadOf = gh:corp/\n"
      "[url \"git@github.com:\"]\n\tpushInsteadOf = https://github.com/\n";
  t.file("a/.git/config", rules + "[remote \"origin\"]\n\turl = gh:acme/tool\n");
  EXPECT_EQ(read_git_metadata(t.path("a")).remote_url,
            std::optional<std::string>("https://github.com/acme/tool"));
  // The longest matching prefix wins, wherever the rules are in the file.
  t.file("b/.git/config", "[remote \"origin\"]\n\turl = gh:corp/x.git\n" + rules);
  EXPECT_EQ(read_git_metadata(t.path("b")).remote_url,
            std::optional<std::string>("https://ghe.corp/x.git"));
  // pushInsteadOf is for push URLs only; a prefix must match from the start.
  t.file("c/.git/config", rules + "[remote \"origin\"]\n\turl = https://github.com/o/c\n");
  EXPECT_EQ(read_git_metadata(t.path("c")).remote_url,
            std::optional<std::string>("https://github.com/o/c"));
  t.file("d/.git/config", rules + "[remote \"origin\"]\n\turl = xgh:o/d\n");
  EXPECT_EQ(read_git_metadata(t.path("d")).remote_url, std::optional<std::string>("xgh:o/d"));
}

TEST(discovery, global_insteadof_rules_apply_to_every_repository_and_merge_with_local) {
  temp_tree t;
  // The global files git reads: GIT_CONFIG_GLOBAL alone when set, else XDG then ~/.gitconfig.
  environment env;
  env.home = t.path("home");
  env.xdg_config_home = t.path("xdg");
  EXPECT_EQ(global_git_config_files(env),
            (strings{t.path("xdg/git/config"), t.path("home/.gitconfig")}));
  env.git_config_global = t.path("only");
  EXPECT_EQ(global_git_config_files(env), (strings{t.path("only")}));
  env.git_config_global = "";
  EXPECT_TRUE(global_git_config_files(env).empty());

  t.file("xdg/git/config", "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n");
  t.file("home/.gitconfig",
         "[url \"https://gitlab.com/\"]\n\tinsteadOf = gl:\n"
         "[url \"https://mirror.example/\"]\n\tinsteadOf = gh:mirror/\n");
  auto global = read_url_rewrites({t.path("xdg/git/config"), t.path("home/.gitconfig"),
                                   t.path("missing")});
  t.repo("root/a", "main", "gh:acme/tool");
  t.repo("root/b", "main", "gl:o/b.git");
  t.repo("root/c", "main", "gh:mirror/c");
  // A longer local prefix beats a shorter global one, and the other way round.
  t.file("root/d/.git/config", "[remote \"origin\"]\n\turl = gh:acme/d\n"
                               "[url \"ssh://git@github.com/\"]\n\tinsteadOf = gh:acme/\n");
  t.file("root/e/.git/config", "[remote \"origin\"]\n\turl = gh:mirror/e\n"
                               "[url \"https://local.example/\"]\n\tinsteadOf = gh:\n");
  t.repo("root/f", "main", "https://example.com/o/f");
  auto r = scan_roots({t.path("root")}, opts(), global);
  ASSERT_EQ(r.projects.size(), 6u);
  auto remote = [&](const char* name) {
    const project* p = find(r, t.path(std::string("root/") + name));
    return p ? p->remote_url.value_or("<none>") : "<not found>";
  };
  EXPECT_EQ(remote("a"), "https://github.com/acme/tool");
  EXPECT_EQ(remote("b"), "https://gitlab.com/o/b.git");
  EXPECT_EQ(remote("c"), "https://mirror.example/c");
  EXPECT_EQ(remote("d"), "ssh://git@github.com/d");
  EXPECT_EQ(remote("e"), "https://mirror.example/e");
  EXPECT_EQ(remote("f"), "https://example.com/o/f");
  // read_git_metadata takes the same rules; without them nothing is rewritten.
  EXPECT_EQ(read_git_metadata(t.path("root/a"), global).remote_url,
            std::optional<std::string>("https://github.com/acme/tool"));
  EXPECT_EQ(read_git_metadata(t.path("root/a")).remote_url,
            std::optional<std::string>("gh:acme/tool"));
  // On a tie, the rule git read first (the global one) wins.
  url_rewrites tie = global;
  tie.add_config("[url \"https://other/\"]\n\tinsteadOf = gh:\n");
  EXPECT_EQ(tie.apply("gh:x/y"), "https://github.com/x/y");
}

TEST(discovery, gitdir_file_that_points_nowhere_is_still_a_project) {
  temp_tree t;
  t.file("broken/.git", "gitdir: /nonexistent/worktrees/zzz\n");
  t.file("garbage/.git", "this is not a gitdir file");
  auto r = scan_roots({t.root()}, opts());
  ASSERT_EQ(rel_paths(r, t.root()), (strings{"broken", "garbage"}));
  EXPECT_EQ(r.projects[0].kind, "worktree");
  EXPECT_FALSE(r.projects[0].branch.has_value());
  EXPECT_FALSE(r.projects[0].remote_url.has_value());
  EXPECT_EQ(r.projects[1].kind, "repo");
  // A folder without .git has no metadata, and a missing folder does not throw.
  EXPECT_FALSE(read_git_metadata(t.path("nothing-here")).branch.has_value());
  EXPECT_EQ(read_git_metadata(t.root()).kind, "repo");
}

TEST(discovery, finds_projects_at_max_depth_but_not_one_deeper) {
  temp_tree t;
  t.repo("d1");
  t.repo("a/d2");
  t.repo("a/b/d3");
  t.repo("a/b/c/d4");
  auto r = scan_roots({t.root()}, opts(3));
  EXPECT_EQ(rel_paths(r, t.root()), (strings{"a/b/d3", "a/d2", "d1"}));
  EXPECT_EQ(rel_paths(scan_roots({t.root()}, opts(4)), t.root()),
            (strings{"a/b/c/d4", "a/b/d3", "a/d2", "d1"}));
  EXPECT_EQ(rel_paths(scan_roots({t.root()}, opts(1)), t.root()), (strings{"d1"}));
  EXPECT_TRUE(scan_roots({t.root()}, opts(0)).projects.empty());
}

TEST(discovery, root_that_is_a_project_is_found_at_depth_zero) {
  temp_tree t;
  t.repo("", "trunk");
  t.repo("inner");
  auto r = scan_roots({t.root()}, opts(0));
  ASSERT_EQ(r.projects.size(), 1u);
  EXPECT_EQ(r.projects[0].path, t.root());
  EXPECT_EQ(r.projects[0].name, t.root().substr(t.root().rfind('/') + 1));
  EXPECT_EQ(r.projects[0].branch, std::optional<std::string>("trunk"));
  EXPECT_EQ(rel_paths(scan_roots({t.root()}, opts(6, true)), t.root()),
            (strings{".", "inner"}));
}

TEST(discovery, stops_at_a_project_unless_nested) {
  temp_tree t;
  t.repo("outer");
  t.repo("outer/inner");
  t.repo("outer/src/deep");
  // Never descend into .git, even when nested: nothing in there is a project.
  t.repo("outer/.git/modules/fake");
  EXPECT_EQ(rel_paths(scan_roots({t.root()}, opts(6, false)), t.root()), (strings{"outer"}));
  EXPECT_EQ(rel_paths(scan_roots({t.root()}, opts(6, true)), t.root()),
            (strings{"outer", "outer/inner", "outer/src/deep"}));
}

TEST(discovery, skips_excluded_folder_names_by_exact_match) {
  temp_tree t;
  t.repo("node_modules/pkg");
  t.repo("x/node_modules/pkg");
  t.repo("node_modules2/pkg");
  t.repo("Node_Modules/pkg");
  t.repo("vendor");  // an excluded name that is itself a project is skipped too
  auto r = scan_roots({t.root()}, opts());
  EXPECT_EQ(rel_paths(r, t.root()), (strings{"Node_Modules/pkg", "node_modules2/pkg"}));
  discovery_options none = opts();
  none.exclude.clear();
  EXPECT_EQ(scan_roots({t.root()}, none).projects.size(), 5u);
}

TEST(discovery, never_follows_symlinks_below_a_root_and_loops_terminate) {
  temp_tree t;
  t.repo("real/r1");
  t.dir("elsewhere");
  t.repo("elsewhere/outside");
  t.symlink(t.path("elsewhere"), "real/link-out");
  t.symlink(t.root(), "real/loop");           // a loop back to the top
  t.symlink("../real", "real/relative-loop");  // and a relative one
  t.symlink(t.path("real/r1"), "real/link-to-repo");
  auto r = scan_roots({t.path("real")}, opts(40, true));
  EXPECT_EQ(rel_paths(r, t.path("real")), (strings{"r1"}));
  EXPECT_EQ(r.unreadable_count, 0);
}

TEST(discovery, follows_a_root_that_is_a_symlink) {
  temp_tree t;
  t.repo("real/r1");
  t.symlink(t.path("real"), "alias");
  auto r = scan_roots({t.path("alias")}, opts());
  ASSERT_EQ(r.projects.size(), 1u);
  EXPECT_EQ(r.projects[0].path, t.path("alias/r1"));  // reported under the root as given
  EXPECT_EQ(r.projects[0].root, t.path("alias"));
  EXPECT_TRUE(r.roots[0].exists);
  EXPECT_EQ(r.roots[0].repo_count, 1);
}

TEST(discovery, missing_root_or_file_root_reports_exists_false) {
  temp_tree t;
  t.repo("r1");
  t.file("plain-file", "x");
  auto r = scan_roots({t.path("missing"), t.root(), t.path("plain-file"), ""}, opts());
  ASSERT_EQ(r.roots.size(), 4u);
  EXPECT_EQ(r.roots[0].path, t.path("missing"));
  EXPECT_FALSE(r.roots[0].exists);
  EXPECT_EQ(r.roots[0].repo_count, 0);
  EXPECT_TRUE(r.roots[1].exists);
  EXPECT_EQ(r.roots[1].repo_count, 1);
  EXPECT_FALSE(r.roots[2].exists);
  EXPECT_FALSE(r.roots[3].exists);
  EXPECT_EQ(rel_paths(r, t.root()), (strings{"r1"}));
  EXPECT_TRUE(scan_roots({}, opts()).projects.empty());
}

TEST(discovery, unreadable_folder_is_counted_not_fatal) {
  temp_tree t;
  t.repo("ok");
  t.repo("locked/hidden");
  t.repo("locked2/hidden");
  t.dir("open/locked3");
  t.chmod_later_restored("", 0755);  // let the unprivileged child in
  t.chmod_later_restored("locked", 0);
  t.chmod_later_restored("locked2", 0);
  t.chmod_later_restored("open/locked3", 0);
  const std::string root = t.root();
  // Exit codes name the first expectation that failed (125: privileges could not be dropped).
  // The folders keep the modes set above: as_nobody does not open them up.
  int code = gum::testing::as_nobody([&]() -> int {
    auto r = scan_roots({root}, opts());
    if (r.projects.size() != 1 || r.projects[0].path != root + "/ok") return 10;
    if (r.unreadable_count != 3) return 11;
    if (r.roots.size() != 1 || r.roots[0].unreadable != 3 || !r.roots[0].exists) return 12;
    strings want = {root + "/locked", root + "/locked2", root + "/open/locked3"};
    if (r.unreadable_paths != want) return 13;
    // A root that cannot be read exists, holds nothing and counts as one unreadable folder.
    auto locked = scan_roots({root + "/locked"}, opts());
    if (!locked.roots[0].exists || locked.roots[0].unreadable != 1) return 14;
    if (!locked.projects.empty() || locked.unreadable_count != 1) return 15;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(discovery, names_with_space_tab_newline_and_invalid_utf8_are_found_verbatim) {
  temp_tree t;
  const strings names = {"with space", "with\ttab", "with\nnewline", "bad\xff\xfe utf8",
                         " leading", "trailing ", "-dash", "\\back\\slash"};
  for (size_t i = 0; i < names.size(); ++i) t.repo("g/" + names[i], "br\xff/" + std::to_string(i));
  auto r = scan_roots({t.root()}, opts());
  ASSERT_EQ(r.projects.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const project* p = find(r, t.path("g/" + names[i]));
    ASSERT_NE(p, nullptr) << names[i];
    EXPECT_EQ(p->name, names[i]);
    EXPECT_EQ(p->branch, std::optional<std::string>("br\xff/" + std::to_string(i)));
  }
}

TEST(discovery, overlapping_roots_yield_no_duplicates_and_keep_the_first_root) {
  temp_tree t;
  t.repo("a/r1");
  t.repo("a/b/r2");
  t.repo("c/r3");
  auto r = scan_roots({t.path("a/b"), t.path("a"), t.root(), t.path("a")}, opts());
  EXPECT_EQ(rel_paths(r, t.root()), (strings{"a/b/r2", "a/r1", "c/r3"}));
  EXPECT_EQ(find(r, t.path("a/b/r2"))->root, t.path("a/b"));
  EXPECT_EQ(find(r, t.path("a/r1"))->root, t.path("a"));
  EXPECT_EQ(find(r, t.path("c/r3"))->root, t.root());
  ASSERT_EQ(r.roots.size(), 4u);  // one per requested root, in order
  EXPECT_EQ(r.roots[0].repo_count, 1);
  EXPECT_EQ(r.roots[1].repo_count, 1);
  EXPECT_EQ(r.roots[2].repo_count, 1);
  EXPECT_EQ(r.roots[3].repo_count, 0);  // everything it found was already claimed
}

TEST(discovery, output_is_sorted_bytewise) {
  temp_tree t;
  for (const char* n : {"b", "B", "a", "\xc3\xa9", "a-b", "a b", "a0", "A", "\x7f"}) t.repo(n);
  auto r = scan_roots({t.root()}, opts());
  auto got = rel_paths(r, t.root());
  EXPECT_EQ(got, (strings{"A", "B", "a", "a b", "a-b", "a0", "b", "\x7f", "\xc3\xa9"}));
}

TEST(discovery, results_are_identical_with_one_and_four_threads) {
  temp_tree t;
  int made = 0;
  for (int g = 0; g < 8; ++g) {
    std::string group = "g" + std::to_string(g);
    for (int level = 0; level < g % 4; ++level) group += "/l" + std::to_string(level);
    for (int i = 0; i < 10; ++i, ++made)
      t.repo(group + "/r" + std::to_string(i), "b" + std::to_string(i),
             i % 3 ? "https://h/" + std::to_string(made) : "");
    t.repo(group + "/r0/nested");
    t.dir(group + "/empty/deeper/still");
  }
  auto one = scan_roots({t.root(), t.path("g3")}, opts(6, false, 1));
  auto four = scan_roots({t.root(), t.path("g3")}, opts(6, false, 4));
  auto hw = scan_roots({t.root(), t.path("g3")}, opts(6, false, 0));
  ASSERT_EQ(one.projects.size(), static_cast<size_t>(made));
  ASSERT_EQ(one.projects.size(), four.projects.size());
  for (const auto* other : {&four, &hw}) {
    ASSERT_EQ(one.projects.size(), other->projects.size());
    for (size_t i = 0; i < one.projects.size(); ++i) {
      const auto& a = one.projects[i];
      const auto& b = other->projects[i];
      EXPECT_EQ(a.path, b.path);
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.root, b.root);
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_EQ(a.branch, b.branch);
      EXPECT_EQ(a.remote_url, b.remote_url);
    }
    EXPECT_EQ(one.roots[0].repo_count, other->roots[0].repo_count);
    EXPECT_EQ(one.roots[1].repo_count, other->roots[1].repo_count);
  }
  EXPECT_EQ(one.roots[0].repo_count + one.roots[1].repo_count, made);
  EXPECT_TRUE(std::is_sorted(one.projects.begin(), one.projects.end(),
                             [](const project& a, const project& b) { return a.path < b.path; }));
}

}  // namespace
}  // namespace gum
