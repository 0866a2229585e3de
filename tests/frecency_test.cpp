// tests/frecency_test.cpp: core/frecency.hpp: scores on both sides of every age boundary, and
// keyword matching against a table of zoxide's rules.
#include "core/frecency.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

// ---- frecency_score ----------------------------------------------------------------------

TEST(frecency_score, multiplies_rank_by_age_bracket_on_both_sides_of_each_boundary) {
  const int64_t now = 1'700'000'000;
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now, now), 40);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 3599, now), 40);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 3600, now), 20);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 86399, now), 20);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 86400, now), 5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 604799, now), 5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 604800, now), 2.5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, 0, now), 2.5);
}

TEST(frecency_score, treats_a_visit_in_the_future_as_just_now) {
  const int64_t now = 1'700'000'000;
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, now + 1'000'000, now), 12);
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, std::numeric_limits<int64_t>::max(), now), 12);
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, std::numeric_limits<int64_t>::min() + 1, 0), 0.75);
}

// ---- keywords_match ----------------------------------------------------------------------

TEST(keywords_match, follows_zoxide_rules) {
  struct row {
    const char* path;
    std::vector<std::string> keywords;
    bool expected;
  };
  const std::vector<row> table = {
      // No keywords, or only empty ones, match everything.
      {"/home/bob/src/gum", {}, true},
      {"/", {}, true},
      {"/home/bob/src/gum", {""}, true},
      {"/home/bob/src/gum", {"gum", ""}, true},
      // The last keyword must lie in the last component.
      {"/home/bob/src/gum", {"gum"}, true},
      {"/home/bob/src/gum", {"src"}, false},
      {"/home/bob/src/gum", {"um"}, true},
      {"/home/bob/gum/src", {"gum"}, false},
      // Keywords appear in order.
      {"/home/bob/src/gum", {"src", "gum"}, true},
      {"/home/bob/src/gum", {"gum", "src"}, false},
      {"/home/bob/src/gum", {"bob", "src", "gum"}, true},
      {"/home/bob/src/gum", {"src", "bob", "gum"}, false},
      // Matches do not overlap: each search starts where the previous match ended.
      {"/a/foo", {"foo", "foo"}, false},
      {"/a/foo/foo", {"foo", "foo"}, true},
      {"/a/foofoo", {"foo", "foo"}, true},
      {"/a/foo", {"fo", "oo"}, false},
      // An earlier keyword may match in the last component too, before the last keyword.
      {"/a/foobar", {"foo", "bar"}, true},
      {"/a/barfoo", {"foo", "bar"}, false},
      // The last keyword's rightmost occurrence counts, not its first.
      {"/gum/x/gum", {"gum"}, true},
      {"/gum/x/gum", {"x", "gum"}, true},
      // Case-insensitive on both sides.
      {"/home/Bob/Projects/GUM", {"gum"}, true},
      {"/home/bob/projects/gum", {"PROJ", "GuM"}, true},
      // Every letter's case is ignored, as zoxide does (core/case_fold.hpp).
      {"/home/bob/Café", {"café"}, true},
      {"/home/bob/CAFÉ", {"café"}, true},
      {"/home/bob/café", {"CAFÉ"}, true},
      {"/home/bob/über", {"über"}, true},
      {"/home/bob/Ünïcode Dir/sub", {"ünïcode", "SUB"}, true},
      {"/home/bob/ΟΔΟΣ", {"οδος"}, true},  // final sigma and sigma are one letter
      {"/home/bob/école", {"ÉCOLE"}, true},
      {"/home/bob/école", {"ecole"}, false},  // an accent is not a case
      {"/home/bob/Straße", {"STRASSE"}, false},  // lower case, not full case folding
      // An ASCII keyword matches ASCII letters only: the Kelvin sign (whose lower case is k)
      // does not match `k`, which keeps SQLite's ASCII prefilter exact (dirs_store.cpp).
      {"/home/bob/\xE2\x84\xAA" "elvin", {"kelvin"}, false},
      {"/home/bob/\xE2\x84\xAA" "elvin", {"\xE2\x84\xAA"}, true},
      // Bytes that are not UTF-8 are compared as they are.
      {"/home/bob/a\xFF\xC3" "b", {"\xFF\xC3"}, true},
      {"/home/bob/a\xFF\xC3" "B", {"\xFF\xC3" "b"}, true},
      // A '/' in a keyword matches across components.
      {"/home/bob/src/gum", {"src/gum"}, true},
      {"/home/bob/src/gum", {"bob/src", "gum"}, true},
      {"/home/bob/src/gum", {"/gum"}, true},
      {"/home/bob/src/gum", {"src/"}, true},  // ends in the last component, as in zoxide
      {"/home/bob/src/gum/x", {"src/"}, false},
      {"/home/bob/src/gum", {"bob/src"}, false},
      // Not present at all.
      {"/home/bob/src/gum", {"zzz"}, false},
      {"/home/bob/src/gum", {"zzz", "gum"}, false},
      {"/", {"a"}, false},
      {"", {"a"}, false},
  };
  for (const auto& r : table) {
    std::string joined;
    for (const auto& k : r.keywords) joined += "'" + k + "' ";
    EXPECT_EQ(gum::keywords_match(r.path, r.keywords), r.expected)
        << "path " << r.path << " keywords " << joined;
  }
}
