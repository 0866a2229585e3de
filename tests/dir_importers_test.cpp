// tests/dir_importers_test.cpp: core/dir_importers.hpp, the z, autojump and zoxide parsers,
// with well-formed and hostile files.
#include "core/dir_importers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

// ---- parse_dir_import --------------------------------------------------------------------

TEST(parse_dir_import, rejects_unknown_formats) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  gum::status st = gum::parse_dir_import("fasd", "/a|1|2\n", out, skipped);
  EXPECT_EQ(st.code, gum::status_code::usage);
  EXPECT_EQ(st.message, "unknown import format 'fasd' (expected zoxide, z or autojump)");
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(gum::parse_dir_import("", "", out, skipped).code, gum::status_code::usage);
  EXPECT_EQ(gum::parse_dir_import("Z", "", out, skipped).code, gum::status_code::usage);
}

TEST(parse_dir_import, reads_z_lines_and_skips_malformed_ones) {
  const std::string text =
      "/home/bob/src|12.5|1700000000\n"
      "\n"
      "/home/bob/a|b|3|1700000001\n"    // a '|' in the path
      "relative/path|1|1700000000\n"
      "/home/bob/x|0|1700000000\n"
      "/home/bob/x|-2|1700000000\n"
      "/home/bob/x|nan|1700000000\n"
      "/home/bob/x|inf|1700000000\n"
      "/home/bob/x|1e999|1700000000\n"
      "/home/bob/x|12abc|1700000000\n"
      "/home/bob/x|1|17.5\n"
      "/home/bob/x|1|\n"
      "/home/bob/x|1|-5\n"
      "/home/bob/x|1\n"
      "just garbage\n"
      "   \t  \n"
      "/home/bob/last|1|5";  // no final newline
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].path, "/home/bob/src");
  EXPECT_DOUBLE_EQ(out[0].rank, 12.5);
  EXPECT_EQ(out[0].last_seen, 1700000000);
  EXPECT_EQ(out[1].path, "/home/bob/a|b");
  EXPECT_DOUBLE_EQ(out[1].rank, 3);
  EXPECT_EQ(out[2].path, "/home/bob/last");
  EXPECT_EQ(out[2].last_seen, 5);
  const std::vector<std::string> expected = {
      "line 4: not an absolute path",
      "line 5: bad rank '0'",
      "line 6: bad rank '-2'",
      "line 7: bad rank 'nan'",
      "line 8: bad rank 'inf'",
      "line 9: bad rank '1e999'",
      "line 10: bad rank '12abc'",
      "line 11: bad time '17.5'",
      "line 12: bad time ''",
      "line 13: bad time '-5'",
      "line 14: expected path|rank|time",
      "line 15: expected path|rank|time",
  };
  EXPECT_EQ(skipped, expected);
}

TEST(parse_dir_import, reads_autojump_lines) {
  const std::string text =
      "22.360679775\t/home/bob/src/gum\n"
      "10\t/home/bob/with\ttab\n"
      "10 /home/bob/no-tab\n"
      "x\t/home/bob/bad\n"
      "5\trelative\n"
      "\t/home/bob/empty-weight\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("autojump", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/src/gum");
  EXPECT_NEAR(out[0].rank, 22.360679775, 1e-12);
  EXPECT_EQ(out[0].last_seen, 0);
  EXPECT_EQ(out[1].path, "/home/bob/with\ttab");
  EXPECT_EQ(skipped, (std::vector<std::string>{"line 3: expected weight<TAB>path",
                                               "line 4: bad rank 'x'",
                                               "line 5: not an absolute path",
                                               "line 6: bad rank ''"}));
}

TEST(parse_dir_import, reads_zoxide_scores_with_spaces_in_paths) {
  const std::string text =
      "  16.0 /home/bob/src/gum\n"
      "   4.0 /home/bob/My Documents/a  b\n"
      "1234.5 /home/bob/big\n"
      "   0.0 /home/bob/zero\n"
      "   2.0  /home/bob/two-spaces\n"
      "   2.0\n"
      "   abc /home/bob/x\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("zoxide", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].path, "/home/bob/src/gum");
  EXPECT_DOUBLE_EQ(out[0].rank, 16);
  EXPECT_EQ(out[1].path, "/home/bob/My Documents/a  b");
  EXPECT_EQ(out[2].path, "/home/bob/big");
  EXPECT_DOUBLE_EQ(out[2].rank, 1234.5);
  for (const auto& d : out) EXPECT_EQ(d.last_seen, 0);
  EXPECT_EQ(skipped, (std::vector<std::string>{"line 4: bad rank '0.0'",
                                               "line 5: not an absolute path",
                                               "line 6: expected SCORE PATH",
                                               "line 7: bad rank 'abc'"}));
}

TEST(parse_dir_import, merges_duplicates_by_summing_ranks_and_keeping_the_latest_visit) {
  const std::string text =
      "/home/bob/a|2|100\n"
      "/home/bob/b|1|50\n"
      "/home/bob/a/|3|300\n"  // the same directory, written differently
      "/home/bob/a|0.5|200\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/a");
  EXPECT_DOUBLE_EQ(out[0].rank, 5.5);
  EXPECT_EQ(out[0].last_seen, 300);
  EXPECT_EQ(out[1].path, "/home/bob/b");
  EXPECT_TRUE(skipped.empty());
}

TEST(parse_dir_import, tolerates_crlf_and_a_byte_order_mark) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import(
                  "z", "\xEF\xBB\xBF/home/bob/a|1|10\r\n\r\n/home/bob/b|2|20\r\n", out, skipped)
                  .ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/a");
  EXPECT_EQ(out[1].path, "/home/bob/b");
  EXPECT_EQ(out[1].last_seen, 20);
  out.clear();
  ASSERT_TRUE(gum::parse_dir_import("zoxide", "  1.0 /home/bob/c d\r\n", out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "/home/bob/c d");
  out.clear();
  ASSERT_TRUE(gum::parse_dir_import("autojump", "1\t/home/bob/e\r\n", out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "/home/bob/e");
  EXPECT_TRUE(skipped.empty());
}

TEST(parse_dir_import, survives_hostile_input) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  // A NUL inside a path, a huge line, binary noise and control characters.
  std::string text = std::string("/home/bob/a\0b|1|10\n", 19);
  text += "/" + std::string(100000, 'x') + "|1|10\n";
  for (int i = 0; i < 256; ++i) text += static_cast<char>(i);
  text += "\n\x1b[31m|1|2\n";
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path.size(), 100001u);
  ASSERT_GE(skipped.size(), 2u);
  EXPECT_EQ(skipped[0], "line 1: the path contains a NUL byte");
  for (const auto& s : skipped) {
    EXPECT_LT(s.size(), 100u) << "skip messages quote at most a short excerpt";
    for (char c : s) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "no control characters";
  }
  for (const std::string format : {"zoxide", "autojump"}) {
    std::vector<gum::imported_dir> more;
    EXPECT_TRUE(gum::parse_dir_import(format, text, more, skipped).ok());
  }
}
