// tests/text_test.cpp: core/text.hpp, the one trim and the one parse_int64 that replaced the
// copies in config, the GitHub client, the importers and the stress harness.
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace gum {
namespace {

TEST(text, trim_removes_c_locale_white_space_at_both_ends_only) {
  EXPECT_EQ(trim(" \t\r\n\v\fa b\t\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("\xC2\xA0x"), "\xC2\xA0x");  // non-ASCII bytes are not white space
}

TEST(text, parse_int64_is_strict_decimal_with_an_optional_sign) {
  int64_t v = 42;
  EXPECT_TRUE(parse_int64(" 120 ", v));
  EXPECT_EQ(v, 120);
  EXPECT_TRUE(parse_int64("-7", v));
  EXPECT_EQ(v, -7);
  EXPECT_TRUE(parse_int64("+9", v));
  EXPECT_EQ(v, 9);
  EXPECT_TRUE(parse_int64("9223372036854775807", v));
  EXPECT_EQ(v, INT64_MAX);
  v = 42;
  for (const char* bad : {"", " ", "-", "+", "1.5", "12abc", "0x10", "1 2", "9223372036854775808"}) {
    EXPECT_FALSE(parse_int64(bad, v)) << bad;
    EXPECT_EQ(v, 42) << "unchanged on failure: " << bad;
  }
}

TEST(text, ascii_lower_folds_only_ascii_letters) {
  EXPECT_EQ(ascii_lower("GitHub.COM/Über"), "github.com/Über");
}

}  // namespace
}  // namespace gum
