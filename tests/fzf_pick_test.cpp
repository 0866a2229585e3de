// tests/fzf_pick_test.cpp: `gum projects -i` and `gum dirs -i` (cli/fzf_pick.cpp), driven
// through the real fzf without a terminal: FZF_DEFAULT_OPTS / GUM_FZF_OPTS carry
// `--filter=QUERY`, which makes fzf print its matches instead of asking, so every test goes
// through the spawn, the list gum writes, fzf's matching and gum's reading of the answer.
// Queries use --exact: a fuzzy query could match letters of the random temporary folder.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/process.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::run_result;
using gum::testing::test_env;
namespace fs = std::filesystem;

bool have_fzf() { return !find_program("fzf", "/usr/local/bin:/usr/bin:/bin").empty(); }

// Two projects whose remotes name each other: a query must match the path column only.
void make_projects(test_env& env) {
  env.write_config("projects: [~/code]\n");
  test_env::make_repo(env.home() + "/code/api", "git@github.com:acme/web.git");
  test_env::make_repo(env.home() + "/code/web", "git@github.com:acme/api.git");
  test_env::make_repo(env.home() + "/code/tools");
}

TEST(fzf_pick, projects_i_prints_the_chosen_path_matching_the_path_column_only) {
  ASSERT_TRUE(have_fzf()) << "fzf is missing: `make test` installs it";
  test_env env;
  make_projects(env);
  env.vars["FZF_DEFAULT_OPTS"] = "--exact --filter=api";
  run_result r = env.gum({"projects", "-i"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, env.home() + "/code/api\n") << "not web, whose remote holds 'api'";
  env.vars["FZF_DEFAULT_OPTS"] = "--exact --filter=acme";
  r = env.gum({"projects", "--interactive"});
  EXPECT_EQ(r.exit_code, 1) << "only remotes hold 'acme': nothing is chosen";
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "") << "nothing chosen is silent, as `gum jump`";
  // GUM_FZF_OPTS comes after the user's FZF_DEFAULT_OPTS, so it wins.
  env.vars["GUM_FZF_OPTS"] = "--exact --filter=tools";
  r = env.gum({"projects", "-i"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, env.home() + "/code/tools\n");
}

TEST(fzf_pick, dirs_i_keeps_the_frecency_order_filters_by_keywords_and_returns_exact_paths) {
  ASSERT_TRUE(have_fzf()) << "fzf is missing: `make test` installs it";
  test_env env;
  const std::string h = env.home();
  for (auto d : {"proj/alpha", "proj/beta", "other"}) fs::create_directories(h + "/" + d);
  const std::string odd = h + "/proj/tab\there";
  fs::create_directories(odd);
  ASSERT_EQ(env.gum({"add", h + "/proj/beta"}).exit_code, 0);
  ASSERT_EQ(env.gum({"add", h + "/proj/beta", h + "/proj/alpha", h + "/other", odd}).exit_code, 0);
  // An empty query matches everything; the first line is the best-ranked (fzf keeps gum's
  // order), and keywords narrow the list before fzf sees it.
  env.vars["FZF_DEFAULT_OPTS"] = "--filter=";
  run_result r = env.gum({"dirs", "-i"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, h + "/proj/beta\n");
  r = env.gum({"dirs", "-i", "alp"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, h + "/proj/alpha\n");
  r = env.gum({"dirs", "-i", "nothing-like-this"});
  EXPECT_EQ(r.exit_code, 1) << "no candidate at all: exit 1, as the ji contract says";
  EXPECT_EQ(r.out, "");
  // A tab in a name is shown escaped to fzf, and the exact path comes back.
  env.vars["FZF_DEFAULT_OPTS"] = "--exact --filter=here";
  r = env.gum({"dirs", "-i"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, odd + "\n");
  // The score column is shown, not searched.
  env.vars["FZF_DEFAULT_OPTS"] = "--exact --filter=8.0";
  r = env.gum({"dirs", "-i"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
}

TEST(fzf_pick, a_failing_fzf_is_a_clear_error) {
  ASSERT_TRUE(have_fzf()) << "fzf is missing: `make test` installs it";
  test_env env;
  make_projects(env);
  env.vars["FZF_DEFAULT_OPTS"] = "--no-such-fzf-option";
  run_result r = env.gum({"projects", "-i"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("gum: fzf failed (exit 2)"), std::string::npos) << r.err;
}

TEST(fzf_pick, without_fzf_on_path_it_says_how_to_install_it) {
  test_env env;
  make_projects(env);
  fs::create_directories(env.root() + "/empty-bin");
  env.vars["PATH"] = env.root() + "/empty-bin";
  for (auto args : {std::vector<std::string>{"projects", "-i"},
                    std::vector<std::string>{"dirs", "-i", "x"}}) {
    run_result r = env.gum(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(r.out, "");
    auto lines = gum::testing::lines_of(r.err);
    ASSERT_EQ(lines.size(), 2u) << r.err;
    EXPECT_EQ(lines[0], "gum: -i needs fzf, which is not installed (not on PATH)");
    EXPECT_EQ(lines[1].rfind("gum: install fzf", 0), 0u) << lines[1];
  }
}

}  // namespace
}  // namespace gum
