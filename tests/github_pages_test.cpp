// tests/github_pages_test.cpp: the pure GitHub reply parsers of net/ (repository pages,
// languages, topics) and the Link header parser, fed valid, hostile and random input.
#include "net/github_pages.hpp"
#include "net/link_header.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace gum {
namespace {

TEST(github_parse, repo_page_reads_every_field) {
  std::string body = R"([{
    "id": 42, "full_name": "Octo/Hello", "owner": {"login": "Octo"}, "name": "Hello",
    "description": "say hi", "topics": ["a", "b"], "language": "Rust", "private": true,
    "fork": true, "archived": true, "is_template": true, "visibility": "private",
    "default_branch": "main", "license": {"key": "mit", "spdx_id": "MIT", "name": "MIT License"},
    "stargazers_count": 7, "forks_count": 3, "open_issues_count": 2, "size": 1024,
    "html_url": "https://github.com/Octo/Hello", "clone_url": "https://github.com/Octo/Hello.git",
    "ssh_url": "git@github.com:Octo/Hello.git", "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2021-01-01T00:00:00Z", "pushed_at": "2022-01-01T00:00:00Z",
    "unknown_field": {"ignored": [1, 2, 3]}}])";
  std::vector<github_repo> repos;
  auto s = parse_repo_page(body, repos);
  ASSERT_TRUE(s.ok()) << s.message;
  ASSERT_EQ(repos.size(), 1u);
  const auto& r = repos[0];
  EXPECT_EQ(r.github_id, 42);
  EXPECT_EQ(r.full_name, "Octo/Hello");
  EXPECT_EQ(r.owner, "Octo");
  EXPECT_EQ(r.name, "Hello");
  EXPECT_EQ(r.description, "say hi");
  EXPECT_TRUE(r.topics_known);
  EXPECT_EQ(r.topics, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.language, "Rust");
  EXPECT_TRUE(r.is_private && r.fork && r.archived && r.is_template);
  EXPECT_EQ(r.visibility, "private");
  EXPECT_EQ(r.default_branch, "main");
  EXPECT_EQ(r.license, "MIT");
  EXPECT_EQ(r.stars, 7);
  EXPECT_EQ(r.forks, 3);
  EXPECT_EQ(r.open_issues, 2);
  EXPECT_EQ(r.size, 1024);
  EXPECT_EQ(r.html_url, "https://github.com/Octo/Hello");
  EXPECT_EQ(r.clone_url, "https://github.com/Octo/Hello.git");
  EXPECT_EQ(r.ssh_url, "git@github.com:Octo/Hello.git");
  EXPECT_EQ(r.created_at, "2020-01-01T00:00:00Z");
  EXPECT_EQ(r.updated_at, "2021-01-01T00:00:00Z");
  EXPECT_EQ(r.pushed_at, "2022-01-01T00:00:00Z");
}

TEST(github_parse, nulls_become_nullopt_and_missing_topics_are_unknown) {
  std::string body = R"([{"id": 1, "full_name": "o/r", "description": null, "language": null,
    "license": null, "pushed_at": null, "topics": null, "stargazers_count": null},
    {"id": 2, "full_name": "o/s", "license": {"spdx_id": "NOASSERTION", "key": "other"}}])";
  std::vector<github_repo> repos;
  ASSERT_TRUE(parse_repo_page(body, repos).ok());
  ASSERT_EQ(repos.size(), 2u);
  EXPECT_FALSE(repos[0].description);
  EXPECT_FALSE(repos[0].language);
  EXPECT_FALSE(repos[0].license);
  EXPECT_FALSE(repos[0].pushed_at);
  EXPECT_FALSE(repos[0].topics_known);
  EXPECT_EQ(repos[0].stars, 0);
  EXPECT_FALSE(repos[1].topics_known);  // no topics key at all
  EXPECT_EQ(repos[1].license, "other");
  // owner and name fall back to splitting full_name.
  EXPECT_EQ(repos[0].owner, "o");
  EXPECT_EQ(repos[0].name, "r");
}

TEST(github_parse, an_empty_array_is_a_valid_empty_page) {
  std::vector<github_repo> repos{github_repo{}};
  auto s = parse_repo_page(" [ ] ", repos);
  EXPECT_TRUE(s.ok()) << s.message;
  EXPECT_TRUE(repos.empty());
}

TEST(github_parse, wrong_shapes_are_malformed_replies) {
  const std::vector<std::string> bad = {
      "",
      "[",
      R"([{"id": 1, "full_name": "o/r")",                    // truncated
      R"({"message": "not an array"})",                       // object instead of array
      R"([{"id": "1", "full_name": "o/r"}])",                 // id of wrong type
      R"([{"id": 1.5, "full_name": "o/r"}])",                 // id not an integer
      R"([{"full_name": "o/r"}])",                            // no id
      R"([{"id": 1}])",                                       // no full_name
      R"([{"id": 1, "full_name": "noslash"}])",               // cannot split owner/name
      R"([42])",                                              // element not an object
      R"([{"id": 1, "full_name": "o/r", "topics": "cli"}])",  // topics not an array
      R"([{"id": 1, "full_name": "o/r", "topics": [1]}])",    // topic not a string
      R"([{"id": 1, "full_name": "o/r", "private": "yes"}])",
      R"([{"id": 1, "full_name": "o/r", "owner": "o"}])",
      R"([{"id": 1, "full_name": "o/r", "stargazers_count": "many"}])",
      R"([{"id": 1, "full_name": "o/r", "license": "MIT"}])",
      R"([{"id": 1, "full_name": "o/r"}] trailing)",
      std::string(100000, '['),  // hostile nesting depth
      "null",
      "\xff\xfe",
  };
  for (const auto& body : bad) {
    std::vector<github_repo> repos;
    auto s = parse_repo_page(body, repos);
    EXPECT_EQ(s.code, status_code::network) << body.substr(0, 80);
    EXPECT_NE(s.message.find("malformed reply from GitHub"), std::string::npos) << s.message;
    EXPECT_TRUE(repos.empty());
  }
}

TEST(github_parse, languages_and_topics_accept_their_shapes_and_reject_others) {
  std::map<std::string, int64_t> langs;
  ASSERT_TRUE(parse_languages(R"({"C++": 1200, "Shell": 34})", langs).ok());
  EXPECT_EQ(langs, (std::map<std::string, int64_t>{{"C++", 1200}, {"Shell", 34}}));
  EXPECT_TRUE(parse_languages("{}", langs).ok());
  EXPECT_TRUE(langs.empty());
  for (const char* bad : {"[]", R"({"C": "1"})", R"({"C": -1})", "{", "", R"({"C": 1.5})"})
    EXPECT_EQ(parse_languages(bad, langs).code, status_code::network) << bad;

  std::vector<std::string> topics;
  ASSERT_TRUE(parse_topics(R"({"names": ["x", "y"]})", topics).ok());
  EXPECT_EQ(topics, (std::vector<std::string>{"x", "y"}));
  for (const char* bad : {"[]", R"({"names": "x"})", R"({"names": [1]})", R"({})", "{"})
    EXPECT_EQ(parse_topics(bad, topics).code, status_code::network) << bad;
}

TEST(github_parse, next_link_is_found_in_any_order_and_form) {
  EXPECT_EQ(parse_next_link(R"(<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last")"),
            "https://a/x?page=2");
  EXPECT_EQ(parse_next_link(R"(<https://a/1>; rel="prev", <https://a/3>; rel="next")"),
            "https://a/3");
  EXPECT_EQ(parse_next_link(R"(<https://a/3>;rel=next)"), "https://a/3");
  EXPECT_EQ(parse_next_link(R"(  <https://a/3> ;  title="a, b; c" ; REL = "prev next" )"),
            "https://a/3");
  EXPECT_EQ(parse_next_link(R"(<https://a/c?after=Y3Vy,c29y>; rel="next")"),
            "https://a/c?after=Y3Vy,c29y");
  EXPECT_EQ(parse_next_link(R"(<https://a/1>; rel="first", <https://a/9>; rel="last")"),
            std::nullopt);
  EXPECT_EQ(parse_next_link(R"(<https://a/1>; rel="nextish")"), std::nullopt);
}

TEST(github_parse, next_link_rejects_hostile_input_without_crashing) {
  for (const char* bad : {"", "garbage", "https://a/2; rel=\"next\"", "<https://a/2",
                          "<https://a/2>; rel=\"next", "<>; rel=\"next\"", ";;;,,,", "<<<<",
                          ">; rel=next", "<https://a/2> junk; rel=next"})
    EXPECT_EQ(parse_next_link(bad), std::nullopt) << bad;
  std::mt19937 rng(1234);
  const std::string alphabet = "<>;=\", relnxt/:\\\t\r\n\x01";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, ' ');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    (void)parse_next_link(s);
  }
  (void)parse_next_link(std::string(1 << 20, '<'));
}

}  // namespace
}  // namespace gum
