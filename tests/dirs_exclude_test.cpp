// tests/dirs_exclude_test.cpp: core/dirs_exclude.hpp, the `dirs.exclude` paths and globs
// (zoxide's _ZO_EXCLUDE_DIRS syntax), and `gum add` / `gum import` honouring them.
#include "core/dirs_exclude.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::test_env;
namespace fs = std::filesystem;

bool m(const std::string& pattern, const std::string& path) {
  return exclude_pattern_matches(pattern, path);
}

TEST(exclude_pattern, an_entry_without_wildcards_is_an_exact_path) {
  EXPECT_TRUE(m("/home/bob", "/home/bob"));
  EXPECT_FALSE(m("/home/bob", "/home/bob/a")) << "a path excludes itself, not what is below";
  EXPECT_FALSE(m("/home/bob", "/home/bob2"));
  EXPECT_FALSE(is_glob_pattern("/home/bob"));
  EXPECT_TRUE(is_glob_pattern("/home/*"));
  EXPECT_TRUE(is_glob_pattern("/home/b?b"));
  EXPECT_TRUE(is_glob_pattern("/home/[ab]"));
}

TEST(exclude_pattern, star_matches_any_run_of_characters_slash_included_as_zoxide) {
  EXPECT_TRUE(m("/home/bob/secret/*", "/home/bob/secret/a"));
  EXPECT_TRUE(m("/home/bob/secret/*", "/home/bob/secret/a/b/c")) << "zoxide's glob: * spans /";
  EXPECT_FALSE(m("/home/bob/secret/*", "/home/bob/secret")) << "the folder itself is kept";
  EXPECT_FALSE(m("/home/bob/secret/*", "/home/bob/secrets/a"));
  EXPECT_TRUE(m("/tmp*", "/tmp"));
  EXPECT_TRUE(m("/tmp*", "/tmpfoo/x"));
  EXPECT_TRUE(m("*/node_modules", "/a/b/node_modules"));
  EXPECT_FALSE(m("*/node_modules", "/a/b/node_modules/x"));
  EXPECT_TRUE(m("/a/*.d", "/a/conf.d"));
  EXPECT_FALSE(m("/a/*.d", "/a/conf.dx"));
}

TEST(exclude_pattern, double_star_is_any_number_of_whole_components) {
  EXPECT_TRUE(m("/h/**/node_modules", "/h/node_modules")) << "none";
  EXPECT_TRUE(m("/h/**/node_modules", "/h/a/node_modules"));
  EXPECT_TRUE(m("/h/**/node_modules", "/h/a/b/c/node_modules"));
  EXPECT_FALSE(m("/h/**/node_modules", "/h/a/xnode_modules")) << "whole components only";
  EXPECT_FALSE(m("/h/**/node_modules", "/h/a/node_modules/x"));
  EXPECT_TRUE(m("**/node_modules", "/a/node_modules"));
  EXPECT_TRUE(m("/h/x/**", "/h/x/a"));
  EXPECT_TRUE(m("/h/x/**", "/h/x/a/b"));
  EXPECT_FALSE(m("/h/x/**", "/h/x")) << "below, not the folder itself";
  EXPECT_FALSE(m("/h/x/**", "/h/xy"));
  EXPECT_TRUE(m("**", "/anything/at/all"));
}

TEST(exclude_pattern, question_mark_and_sets_match_one_character) {
  EXPECT_TRUE(m("/h/b?b", "/h/bob"));
  EXPECT_FALSE(m("/h/b?b", "/h/bb"));
  EXPECT_TRUE(m("/h/caf?", "/h/caf\xC3\xA9")) << "one character, not one byte";
  EXPECT_TRUE(m("/h/[ab]x", "/h/ax"));
  EXPECT_TRUE(m("/h/[ab]x", "/h/bx"));
  EXPECT_FALSE(m("/h/[ab]x", "/h/cx"));
  EXPECT_TRUE(m("/h/[a-c]", "/h/b"));
  EXPECT_FALSE(m("/h/[a-c]", "/h/d"));
  EXPECT_TRUE(m("/h/[!a]", "/h/b"));
  EXPECT_FALSE(m("/h/[!a]", "/h/a"));
  EXPECT_TRUE(m("/h/[*]", "/h/*")) << "a set escapes a wildcard";
  EXPECT_FALSE(m("/h/[*]", "/h/x"));
  EXPECT_TRUE(m("/h/[]]", "/h/]"));
  EXPECT_TRUE(m("/h/[x", "/h/[x")) << "an unclosed set is a literal '['";
}

TEST(exclude_pattern, many_stars_stay_cheap) {
  // Without memoisation this is exponential; with it, a few thousand steps.
  std::string path = "/" + std::string(200, 'a');
  EXPECT_FALSE(m("/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
}

TEST(exclude_pattern, config_entries_expand_tilde_and_keep_wildcards) {
  EXPECT_EQ(normalize_exclude_pattern("~/secret/*", "/home/bob", "/w"), "/home/bob/secret/*");
  EXPECT_EQ(normalize_exclude_pattern("~/a/../b/", "/home/bob", "/w"), "/home/bob/b");
  EXPECT_EQ(normalize_exclude_pattern("rel/*", "/home/bob", "/w"), "/w/rel/*");
  EXPECT_EQ(normalize_exclude_pattern("**/node_modules", "/home/bob", "/w"), "**/node_modules")
      << "a leading wildcard matches anywhere: it is not made relative to the cwd";
  config cfg;
  cfg.dirs_exclude = {"/home/bob", "/home/bob/secret/*"};
  EXPECT_TRUE(is_excluded(cfg, "/home/bob"));
  EXPECT_TRUE(is_excluded(cfg, "/home/bob/secret/x"));
  EXPECT_FALSE(is_excluded(cfg, "/home/bob/src"));
}

std::string mkdir_in(const std::string& parent, const std::string& name) {
  fs::create_directories(parent + "/" + name);
  return parent + "/" + name;
}

TEST(dirs_exclude_cli, a_glob_in_the_config_stops_add_and_import) {
  test_env env;
  env.write_config("dirs:\n  exclude: [\"~/secret/*\", \"**/node_modules\"]\n");
  const std::string h = env.home();
  mkdir_in(h, "secret/a/b");
  mkdir_in(h, "src/app/node_modules");
  auto r = env.gum({"add", h + "/secret/a", h + "/secret/a/b", h + "/secret", h + "/src/app",
                    h + "/src/app/node_modules", h});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = env.gum({"dirs", "-f", "simple"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = gum::testing::lines_of(r.out);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{h, h + "/secret", h + "/src/app"}))
      << "the configured list replaces the default ($HOME), and each glob drops its matches";
  // gum import applies the same list.
  env.write_file(env.root() + "/z.txt", h + "/secret/a|5|1700000000\n" + h + "/src|3|1700000000\n");
  mkdir_in(h, "src");
  r = env.gum({"import", "--from", "z", env.root() + "/z.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 excluded"), std::string::npos) << r.out;
  r = env.gum({"dirs", "-f", "simple"});
  EXPECT_NE(r.out.find(h + "/src\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(h + "/secret/a\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace gum
