// tests/remote_url_test.cpp: core/remote_url.hpp, the one Git remote URL parser, on every Git
// URL form, on what is not owner/name, and on the API-URL-to-host mapping.
#include "core/remote_url.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace gum {
namespace {

TEST(github_parse, remote_urls_in_every_git_form_are_understood) {
  struct row {
    const char* url;
    const char* host;
    const char* owner;
    const char* name;
  };
  const row rows[] = {
      {"https://github.com/o/r", "github.com", "o", "r"},
      {"https://github.com/o/r.git", "github.com", "o", "r"},
      {"https://github.com/o/r/", "github.com", "o", "r"},
      {"https://GitHub.COM/Owner/Repo.git", "github.com", "Owner", "Repo"},
      {"http://github.com/o/r.git", "github.com", "o", "r"},
      {"https://user:pw@ghe.example.com/o/r.git", "ghe.example.com", "o", "r"},
      {"ssh://git@github.com/o/r.git", "github.com", "o", "r"},
      {"ssh://git@github.com:22/o/r.git", "github.com", "o", "r"},
      {"git@github.com:o/r.git", "github.com", "o", "r"},
      {"git@github.com:o/r", "github.com", "o", "r"},
      {"git://github.com/o/r", "github.com", "o", "r"},
      {"  git@github.com:my.org/my-repo.js.git\n", "github.com", "my.org", "my-repo.js"},
  };
  for (const auto& r : rows) {
    auto ref = parse_remote_url(r.url);
    ASSERT_TRUE(ref) << r.url;
    EXPECT_EQ(ref->host, r.host) << r.url;
    EXPECT_EQ(ref->owner, r.owner) << r.url;
    EXPECT_EQ(ref->name, r.name) << r.url;
  }
}

TEST(github_parse, remote_urls_that_are_not_owner_slash_name_are_rejected) {
  for (const char* bad :
       {"", "   ", "/srv/x.git", "file:///srv/o/r.git", "../x", "./o/r", "x", "o/r",
        "https://github.com", "https://github.com/", "https://github.com/o",
        "https://github.com/o/", "https://github.com//r", "https://github.com/o//r",
        "https://github.com/o/r/tree/main", "https://github.com/o/.git",
        "https://github.com/o/r?x=1", "ftp://github.com/o/r", "git@github.com:", "git@github.com:o",
        "git@:o/r", "C:\\src\\o\\r", "C:/src/o/r", "https://gith ub.com/o/r",
        "https://github.com:abc/o/r", "https://github.com/../r", "git@github.com:o/r/x",
        "\x01\x02\x03", "://o/r"})
    EXPECT_FALSE(parse_remote_url(bad)) << bad;
  std::mt19937 rng(99);
  const std::string alphabet = "git@hub.com:/\\sh+ps?#.\x7f";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, ' ');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    (void)parse_remote_url(s);
  }
}

TEST(github_parse, git_host_for_api_maps_the_api_host_to_the_git_host) {
  EXPECT_EQ(git_host_for_api("https://api.github.com"), "github.com");
  EXPECT_EQ(git_host_for_api("https://API.GitHub.com/"), "github.com");
  EXPECT_EQ(git_host_for_api("https://ghe.example.com/api/v3"), "ghe.example.com");
  EXPECT_EQ(git_host_for_api("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(git_host_for_api(""), "");
  // GHE.com data residency: the API is on api.SUB.ghe.com, the repositories on SUB.ghe.com.
  EXPECT_EQ(git_host_for_api("https://api.Acme.ghe.com"), "acme.ghe.com");
  EXPECT_EQ(git_host_for_api("https://api.ghe.com"), "api.ghe.com");
}

TEST(github_parse, web_base_for_api_keeps_scheme_and_port) {
  EXPECT_EQ(web_base_for_api("https://api.github.com"), "https://github.com");
  EXPECT_EQ(web_base_for_api("https://ghe.example.com/api/v3/"), "https://ghe.example.com");
  EXPECT_EQ(web_base_for_api("https://api.acme.ghe.com"), "https://acme.ghe.com");
  EXPECT_EQ(web_base_for_api("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(web_base_for_api("HTTP://LocalHost:9/api/v3"), "http://localhost:9");
  EXPECT_EQ(web_base_for_api("http://[::1]:8080"), "http://[::1]:8080");
  EXPECT_EQ(web_base_for_api(""), "");
}

}  // namespace
}  // namespace gum
