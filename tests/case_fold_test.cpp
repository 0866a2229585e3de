// tests/case_fold_test.cpp (core/case_fold.hpp): every letter's case folds, an ASCII result
// never comes from a non-ASCII letter, and bytes that are not UTF-8 stay as they are.
#include "core/case_fold.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gum {
namespace {

TEST(case_fold, folds_ascii_and_other_letters_to_lower_case) {
  EXPECT_EQ(fold_case("Projects/GUM"), "projects/gum");
  EXPECT_EQ(fold_case("CAFÉ"), "café");
  EXPECT_EQ(fold_case("ÜBER Straße"), "über straße");
  EXPECT_EQ(fold_case("ΣΟΦΙΑ ΟΔΟΣ οδος"), "σοφια οδοσ οδοσ");  // final sigma folds to σ too
  EXPECT_EQ(fold_case("ДОМ"), "дом");
  EXPECT_EQ(fold_case(""), "");
  EXPECT_EQ(fold_case("already lower, 123 /x_y"), "already lower, 123 /x_y");
}

TEST(case_fold, keeps_letters_whose_lower_case_is_ascii) {
  // The Kelvin sign (U+212A) and the capital I with a dot (U+0130) lower to `k` and `i`:
  // folding them would let an ASCII keyword match what SQLite's ASCII prefilter drops.
  EXPECT_EQ(fold_case("\xE2\x84\xAA"), "\xE2\x84\xAA");
  EXPECT_EQ(fold_case("\xC4\xB0stanbul"), "\xC4\xB0stanbul");
  EXPECT_FALSE(has_upper_case("\xE2\x84\xAA"));
}

TEST(case_fold, keeps_bytes_that_are_not_utf8) {
  EXPECT_EQ(fold_case("A\xFF" "B"), "a\xFF" "b");
  EXPECT_EQ(fold_case("\xC3"), "\xC3");  // a sequence cut short
  EXPECT_EQ(fold_case("\xC3\x89\xC3"), "\xC3\xA9\xC3");
  EXPECT_EQ(fold_case("\xED\xA0\x80"), "\xED\xA0\x80");  // a UTF-16 surrogate is not UTF-8
}

TEST(case_fold, has_upper_case_sees_every_upper_case_letter) {
  EXPECT_TRUE(has_upper_case("gum API"));
  EXPECT_TRUE(has_upper_case("école École"));
  EXPECT_FALSE(has_upper_case("école"));
  EXPECT_FALSE(has_upper_case("straße 42 /x"));
  EXPECT_FALSE(has_upper_case("\xFF"));
  EXPECT_FALSE(has_upper_case("οδος"));  // ς folds to σ, but it is not upper case
  EXPECT_TRUE(has_upper_case("ΟΔΟΣ"));
}

TEST(case_fold, smartcase_search_needs_every_term_in_either_text) {
  const smartcase_search search("école  API\tx");
  EXPECT_FALSE(search.empty());
  EXPECT_TRUE(search.matches("ÉCOLE-x", "tools/API"));
  EXPECT_FALSE(search.matches("ÉCOLE-x", "tools/api")) << "API has upper case: exact";
  EXPECT_FALSE(search.matches("ÉCOLE-API", "")) << "x is in neither";
  EXPECT_TRUE(smartcase_search(" \t\n").empty());
  // The separators are the caller's: without \r, "a\rb" is one term.
  EXPECT_TRUE(smartcase_search("a\rb", " \t\n").matches("xa\rbx", ""));
  EXPECT_FALSE(smartcase_search("a\rb", " \t\n").matches("a", "b"));
  EXPECT_TRUE(smartcase_search("a\rb").matches("a", "b"));
}

}  // namespace
}  // namespace gum
