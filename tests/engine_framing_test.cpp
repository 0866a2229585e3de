// tests/engine_framing_test.cpp: core/engine_framing.hpp, the framing of `gum engine --stdio`:
// any path without NUL round-trips, records split anywhere are reassembled, and a malformed
// record is reported once and the stream goes on.
#include "core/engine_framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using gum::engine_request_parser;
using gum::engine_verb;
using gum::parsed_record;

std::vector<parsed_record> parse_all(engine_request_parser& parser, const std::string& bytes,
                                     size_t chunk = std::string::npos) {
  std::vector<parsed_record> out;
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    parser.feed(std::string_view(bytes).substr(at, chunk));
    parsed_record r;
    while (parser.next(r)) out.push_back(r);
    if (chunk == std::string::npos) break;
  }
  return out;
}

const std::vector<std::string> hostile_paths = {
    "/tmp/with space", "/tmp/with\ttab", "/tmp/with\nnewline", "/tmp/\xff\xfe-not-utf8",
    "/tmp/'quote\"double\\back", "/tmp/$(echo no)", "/tmp/ leading and trailing ",
    std::string("/tmp/") + std::string(4000, 'x')};

TEST(engine_framing, every_path_without_nul_round_trips) {
  for (const auto& path : hostile_paths) {
    engine_request_parser parser;
    auto records = parse_all(parser, gum::encode_engine_record("visit", {path}));
    ASSERT_EQ(records.size(), 1u);
    ASSERT_TRUE(records[0].ok) << records[0].error;
    EXPECT_EQ(records[0].request.verb, engine_verb::visit);
    ASSERT_EQ(records[0].request.fields.size(), 1u);
    EXPECT_EQ(records[0].request.fields[0], path);
  }
}

TEST(engine_framing, records_split_at_every_byte_are_reassembled) {
  std::string stream = gum::encode_engine_record("visit", hostile_paths) +
                       gum::encode_engine_record("jump", {"/home/u", "foo", "bar"}) +
                       gum::encode_engine_record("ping", {}) +
                       gum::encode_engine_record("query", {"-1"});
  engine_request_parser parser;
  auto records = parse_all(parser, stream, 1);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].request.fields, hostile_paths);
  EXPECT_EQ(records[1].request.verb, engine_verb::jump);
  EXPECT_EQ(records[1].request.fields, (std::vector<std::string>{"/home/u", "foo", "bar"}));
  EXPECT_EQ(records[2].request.verb, engine_verb::ping);
  EXPECT_EQ(records[3].request.verb, engine_verb::query);
}

TEST(engine_framing, the_shell_printf_form_is_the_same_record) {
  // What the hook writes: printf '%s\0' visit 1 "$PWD".
  std::string shell_bytes = std::string("visit") + '\0' + "1" + '\0' + "/a b" + '\0';
  EXPECT_EQ(shell_bytes, gum::encode_engine_record("visit", {"/a b"}));
}

TEST(engine_framing, a_malformed_record_is_reported_and_the_stream_goes_on) {
  std::string z(1, '\0');
  const std::string stream = "bogus" + z + "1" + z + "x" + z +  // unknown verb, good count
                             "visit" + z + "abc" + z +           // bad count: resync after it
                             "ping" + z + "0" + z +              //
                             "visit" + z + "0" + z +             // wrong arity
                             "jump" + z + "1" + z + "relative" + z +  // cwd must be absolute
                             "query" + z + "1" + z + "many" + z +     // limit not a number
                             "ping" + z + "1" + z + "x" + z +         // ping takes nothing
                             "ping" + z + "0" + z;
  engine_request_parser parser;
  auto records = parse_all(parser, stream);
  ASSERT_EQ(records.size(), 8u);
  EXPECT_FALSE(records[0].ok);
  EXPECT_NE(records[0].error.find("unknown request 'bogus'"), std::string::npos);
  EXPECT_FALSE(records[1].ok);
  EXPECT_NE(records[1].error.find("bad field count"), std::string::npos);
  EXPECT_TRUE(records[2].ok);
  for (int i = 3; i < 7; ++i) EXPECT_FALSE(records[i].ok) << i;
  EXPECT_TRUE(records[7].ok);
  EXPECT_EQ(records[7].request.verb, engine_verb::ping);
}

TEST(engine_framing, an_over_long_field_is_dropped_and_parsing_resumes) {
  std::string z(1, '\0');
  std::string stream = "visit" + z + "1" + z + std::string(gum::engine_max_field_bytes + 10, 'a') +
                       z + "ping" + z + "0" + z;
  engine_request_parser parser;
  auto records = parse_all(parser, stream, 4096);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].ok);
  EXPECT_TRUE(records[1].ok);
}

TEST(engine_framing, input_that_ends_inside_a_record_is_reported_by_finish) {
  engine_request_parser parser;
  parser.feed(std::string("visit") + '\0' + "2" + '\0' + "/a" + '\0');
  parsed_record r;
  EXPECT_FALSE(parser.next(r));
  EXPECT_TRUE(parser.finish(r));
  EXPECT_FALSE(r.ok);
  engine_request_parser clean;
  clean.feed(gum::encode_engine_record("ping", {}));
  EXPECT_TRUE(clean.next(r));
  EXPECT_FALSE(clean.finish(r));
}

TEST(engine_framing, replies_encode_as_records_and_errors_lose_their_nuls) {
  EXPECT_EQ(gum::encode_engine_record("ok", {}), std::string("ok") + '\0' + "0" + '\0');
  EXPECT_EQ(gum::encode_engine_error(std::string("a\0b", 3)),
            std::string("error") + '\0' + "1" + '\0' + "a b" + '\0');
}

}  // namespace
