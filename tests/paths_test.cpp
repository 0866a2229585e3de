// tests/paths_test.cpp: proves the lexical path rules of SPEC §2 (core/paths.hpp)..
//
// Every stored path goes through normalize_path, so these tests pin down each rule with the
// awkward spellings users and shells produce: `~`, `~user`, `.`, `..` past the root, doubled and
// trailing slashes, and names that merely share a prefix. Nothing here touches the disk.
#include "core/paths.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using gum::normalize_path;
using gum::path_basename;
using gum::path_is_under;
using gum::tilde_path;

constexpr const char* home = "/home/bob";
constexpr const char* cwd = "/work/here";

TEST(paths, absolute_path_is_kept_as_is) {
  EXPECT_EQ(normalize_path("/usr/local/bin", home, cwd), "/usr/local/bin");
  EXPECT_EQ(normalize_path("/", home, cwd), "/");
}

TEST(paths, tilde_expands_to_home) {
  EXPECT_EQ(normalize_path("~", home, cwd), "/home/bob");
  EXPECT_EQ(normalize_path("~/", home, cwd), "/home/bob");
  EXPECT_EQ(normalize_path("~/code/gum", home, cwd), "/home/bob/code/gum");
  EXPECT_EQ(normalize_path("~//code/", home, cwd), "/home/bob/code");
}

TEST(paths, tilde_user_is_an_ordinary_relative_name) {
  EXPECT_EQ(normalize_path("~alice/x", home, cwd), "/work/here/~alice/x");
  EXPECT_EQ(normalize_path("x/~", home, cwd), "/work/here/x/~");
}

TEST(paths, tilde_with_empty_home_is_an_ordinary_relative_name) {
  EXPECT_EQ(normalize_path("~/x", "", cwd), "/work/here/~/x");
}

TEST(paths, relative_path_hangs_from_cwd) {
  EXPECT_EQ(normalize_path("src", home, cwd), "/work/here/src");
  EXPECT_EQ(normalize_path("./src/./lib", home, cwd), "/work/here/src/lib");
  EXPECT_EQ(normalize_path("../there", home, cwd), "/work/there");
}

TEST(paths, empty_input_is_cwd) {
  EXPECT_EQ(normalize_path("", home, cwd), "/work/here");
  EXPECT_EQ(normalize_path("", home, "/work/here/"), "/work/here");
}

TEST(paths, repeated_and_trailing_slashes_collapse) {
  EXPECT_EQ(normalize_path("//a///b//", home, cwd), "/a/b");
  EXPECT_EQ(normalize_path("////", home, cwd), "/");
}

TEST(paths, dot_components_are_removed) {
  EXPECT_EQ(normalize_path("/a/./b/.", home, cwd), "/a/b");
  EXPECT_EQ(normalize_path("/.", home, cwd), "/");
  EXPECT_EQ(normalize_path(".", home, cwd), "/work/here");
}

TEST(paths, dot_dot_is_resolved_lexically_and_stops_at_root) {
  EXPECT_EQ(normalize_path("/a/b/../c", home, cwd), "/a/c");
  EXPECT_EQ(normalize_path("/a/..", home, cwd), "/");
  EXPECT_EQ(normalize_path("/../../x", home, cwd), "/x");
  EXPECT_EQ(normalize_path("../../../../..", home, cwd), "/");
  EXPECT_EQ(normalize_path("~/../alice", home, cwd), "/home/alice");
}

TEST(paths, names_that_look_like_dots_are_kept) {
  EXPECT_EQ(normalize_path("/a/.../b", home, cwd), "/a/.../b");
  EXPECT_EQ(normalize_path("/a/..b/.c", home, cwd), "/a/..b/.c");
}

TEST(paths, hostile_characters_pass_through_unchanged) {
  EXPECT_EQ(normalize_path("/a b/tab\there/new\nline", home, cwd), "/a b/tab\there/new\nline");
  EXPECT_EQ(normalize_path("/bad/\xff\xfe", home, cwd), "/bad/\xff\xfe");
}

TEST(paths, relative_cwd_is_treated_as_root) {
  EXPECT_EQ(normalize_path("x", home, "relative"), "/x");
  EXPECT_EQ(normalize_path("", home, ""), "/");
}

TEST(paths, normalisation_is_idempotent) {
  for (const char* p : {"~/a/../b/", "x/./y", "/", "//a//", "../.."}) {
    std::string once = normalize_path(p, home, cwd);
    EXPECT_EQ(normalize_path(once, home, cwd), once) << p;
  }
}

TEST(paths, is_under_is_component_wise) {
  EXPECT_TRUE(path_is_under("/home/bob/x", "/home/bob"));
  EXPECT_TRUE(path_is_under("/home/bob", "/home/bob"));
  EXPECT_FALSE(path_is_under("/home/bob2", "/home/bob"));
  EXPECT_FALSE(path_is_under("/home/bo", "/home/bob"));
  EXPECT_FALSE(path_is_under("/home", "/home/bob"));
  EXPECT_FALSE(path_is_under("/other/home/bob", "/home/bob"));
}

TEST(paths, everything_is_under_root) {
  EXPECT_TRUE(path_is_under("/", "/"));
  EXPECT_TRUE(path_is_under("/a/b", "/"));
  EXPECT_FALSE(path_is_under("", "/"));
  EXPECT_FALSE(path_is_under("/a", ""));
}

TEST(paths, basename_is_the_last_component) {
  EXPECT_EQ(path_basename("/home/bob/code"), "code");
  EXPECT_EQ(path_basename("/code"), "code");
  EXPECT_EQ(path_basename("/"), "/");
  EXPECT_EQ(path_basename("plain"), "plain");
  EXPECT_EQ(path_basename(""), "");
}

TEST(paths, tilde_path_abbreviates_home_on_a_component_boundary) {
  EXPECT_EQ(tilde_path("/home/bob/x", home), "~/x");
  EXPECT_EQ(tilde_path("/home/bob", home), "~");
  EXPECT_EQ(tilde_path("/home/bob2", home), "/home/bob2");
  EXPECT_EQ(tilde_path("/home/bob2/x", home), "/home/bob2/x");
  EXPECT_EQ(tilde_path("/etc", home), "/etc");
}

TEST(paths, tilde_path_with_empty_home_is_unchanged) {
  EXPECT_EQ(tilde_path("/home/bob/x", ""), "/home/bob/x");
}

TEST(paths, tilde_path_with_root_home) {
  EXPECT_EQ(tilde_path("/x", "/"), "~/x");
  EXPECT_EQ(tilde_path("/", "/"), "~");
}

}  // namespace
