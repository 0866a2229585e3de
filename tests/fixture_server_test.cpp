// Tests for gum_fixture_server, the loopback fake GitHub API (stress/fixture_server.cpp).
//
// The sync tests and the stress harness trust this server to behave like GitHub and to break in
// exactly the ways they ask for, so it gets tested as they use it: the built binary is started as
// a child process (posix_spawn, port read from a pipe), and spoken to over TCP with
// httplib::Client. Each test starts its own server on a free port and stops it on exit.

#include <httplib.h>

#include "tests/support/fixture_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>



namespace gum {
namespace {

namespace json = boost::json;
using testing::eof_within;
using testing::fixture_process;
using testing::read_line;
using testing::spawn;
using testing::wait_exit;
using clock_type = std::chrono::steady_clock;


httplib::Headers auth() {
  return {{"Authorization", "Bearer test-token"}, {"Accept", "application/vnd.github+json"}};
}

httplib::Headers auth_with(const std::string& name, const std::string& value) {
  auto h = auth();
  h.emplace(name, value);
  return h;
}

std::unique_ptr<httplib::Client> client_for(const fixture_process& p) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", p.port());
  c->set_connection_timeout(std::chrono::seconds(5));
  c->set_read_timeout(std::chrono::seconds(10));
  return c;
}

json::value parse(const std::string& s) {
  boost::system::error_code ec;
  json::value v = json::parse(s, ec);
  return ec ? json::value(nullptr) : v;
}

bool parses(const std::string& s) {
  boost::system::error_code ec;
  json::parse(s, ec);
  return !ec;
}

// The target (path and query) of the Link entry with rel=`rel`, or "" when absent.
std::string link_target(const std::string& link, const std::string& rel) {
  size_t pos = 0;
  while ((pos = link.find('<', pos)) != std::string::npos) {
    const size_t close = link.find('>', pos);
    if (close == std::string::npos) return "";
    const std::string url = link.substr(pos + 1, close - pos - 1);
    const size_t next = link.find('<', close);
    const std::string params =
        link.substr(close, next == std::string::npos ? std::string::npos : next - close);
    if (params.find("rel=\"" + rel + "\"") != std::string::npos) {
      const size_t path = url.find('/', url.find("://") + 3);
      return path == std::string::npos ? "" : url.substr(path);
    }
    pos = close;
  }
  return "";
}

struct page {
  std::string target;
  std::string etag;
  std::string link;
  std::string body;
};

// Follows rel="next" from the first listing page; every page must be a 200.
std::vector<page> walk(httplib::Client& c, int per_page) {
  std::vector<page> pages;
  std::string target = "/user/repos?per_page=" + std::to_string(per_page) + "&sort=pushed";
  while (!target.empty() && pages.size() < 1000) {
    auto r = c.Get(target.c_str(), auth());
    if (!r || r->status != 200) {
      ADD_FAILURE() << "GET " << target << " failed";
      break;
    }
    pages.push_back({target, r->get_header_value("ETag"), r->get_header_value("Link"), r->body});
    target = link_target(pages.back().link, "next");
  }
  return pages;
}

std::vector<std::string> names_of(const std::string& body) {
  std::vector<std::string> names;
  json::value v = parse(body);
  if (!v.is_array()) return names;
  for (const auto& e : v.as_array()) names.emplace_back(e.at("full_name").as_string());
  return names;
}

std::vector<std::string> all_names(httplib::Client& c, int per_page) {
  std::vector<std::string> names;
  for (const auto& p : walk(c, per_page)) {
    auto n = names_of(p.body);
    names.insert(names.end(), n.begin(), n.end());
  }
  return names;
}

json::value post(httplib::Client& c, const std::string& path, const std::string& body,
                 int expect = 200) {
  auto r = c.Post(path.c_str(), body, "application/json");
  if (!r) {
    ADD_FAILURE() << "POST " << path << " failed";
    return nullptr;
  }
  EXPECT_EQ(r->status, expect) << path << " " << body << " -> " << r->body;
  return parse(r->body);
}

json::value get_json(httplib::Client& c, const std::string& path) {
  auto r = c.Get(path.c_str());
  if (!r) {
    ADD_FAILURE() << "GET " << path << " failed";
    return nullptr;
  }
  return parse(r->body);
}

const std::string first_page = "/user/repos?per_page=100&sort=pushed";

// ---- listing and pagination -----------------------------------------------------------------

TEST(fixture_server, pagination_covers_every_repo_exactly_once_with_opaque_cursors) {
  fixture_process srv({"--repos", "250"});
  ASSERT_GT(srv.port(), 0);
  auto c = client_for(srv);
  const auto pages = walk(*c, 100);
  ASSERT_EQ(pages.size(), 3u);
  std::vector<std::string> names;
  std::string last_pushed = "9999";
  for (size_t i = 0; i < pages.size(); ++i) {
    json::value v = parse(pages[i].body);
    ASSERT_TRUE(v.is_array());
    for (const auto& e : v.as_array()) {
      const auto& o = e.as_object();
      names.emplace_back(o.at("full_name").as_string());
      const std::string pushed(o.at("pushed_at").as_string());
      EXPECT_LE(pushed, last_pushed) << "pushed_at must descend";
      last_pushed = pushed;
    }
    if (i > 0) {
      const std::string& t = pages[i].target;
      EXPECT_EQ(t.find("&page="), std::string::npos) << t;
      EXPECT_EQ(t.find("?page="), std::string::npos) << t;
      const std::string cursor = t.substr(t.find("cursor=") + 7);
      EXPECT_FALSE(cursor.empty());
      EXPECT_NE(cursor.find_first_not_of("0123456789"), std::string::npos)
          << "cursor looks like an offset";
    }
  }
  EXPECT_EQ(link_target(pages[0].link, "last"), pages[2].target);
  EXPECT_EQ(link_target(pages[2].link, "next"), "");
  EXPECT_EQ(link_target(pages[2].link, "first").find("/user/repos?"), 0u);
  EXPECT_EQ(names.size(), 250u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 250u);
  json::value truth = get_json(*c, "/_fixture/repos");
  ASSERT_TRUE(truth.is_object());
  std::vector<std::string> expected;
  for (const auto& n : truth.at("full_names").as_array()) expected.emplace_back(n.as_string());
  EXPECT_EQ(names, expected);
}

TEST(fixture_server, repositories_have_realistic_and_varied_fields) {
  fixture_process srv({"--repos", "300", "--owner", "alice"});
  auto c = client_for(srv);
  int nulls = 0, private_count = 0, org = 0, archived = 0, forks = 0, no_topics = 0, unicode = 0,
      licensed = 0, null_language = 0;
  for (const auto& p : walk(*c, 100)) {
    const json::value listing = parse(p.body);
    for (const auto& e : listing.as_array()) {
      const auto& o = e.as_object();
      const std::string full(o.at("full_name").as_string());
      const std::string login(o.at("owner").at("login").as_string());
      EXPECT_EQ(full, login + "/" + std::string(o.at("name").as_string()));
      EXPECT_EQ(o.at("html_url").as_string(), "https://github.com/" + full);
      EXPECT_EQ(o.at("clone_url").as_string(), "https://github.com/" + full + ".git");
      EXPECT_EQ(o.at("ssh_url").as_string(), "git@github.com:" + full + ".git");
      EXPECT_TRUE(o.at("id").is_int64());
      EXPECT_EQ(o.at("pushed_at").as_string().size(), 20u);
      EXPECT_EQ(o.at("pushed_at").as_string().back(), 'Z');
      EXPECT_TRUE(o.at("stargazers_count").is_int64());
      EXPECT_TRUE(o.at("topics").is_array());
      EXPECT_FALSE(o.at("default_branch").as_string().empty());
      if (o.at("license").is_object()) {
        ++licensed;
        EXPECT_TRUE(o.at("license").as_object().contains("spdx_id"));
      }
      nulls += o.at("description").is_null();
      if (o.at("description").is_string())
        for (unsigned char ch : o.at("description").as_string()) unicode += ch >= 0x80 ? 1 : 0;
      private_count += o.at("private").as_bool();
      org += login != "alice";
      archived += o.at("archived").as_bool();
      forks += o.at("fork").as_bool();
      no_topics += o.at("topics").as_array().empty();
      null_language += o.at("language").is_null();
    }
  }
  for (int n :
       {nulls, private_count, org, archived, forks, no_topics, unicode, licensed, null_language})
    EXPECT_GT(n, 0);
  EXPECT_LT(org, 100) << "most repositories belong to the user";
}

TEST(fixture_server, listing_is_deterministic_for_a_seed) {
  fixture_process a({"--repos", "40", "--seed", "7"});
  fixture_process b({"--repos", "40", "--seed", "7"});
  fixture_process d({"--repos", "40", "--seed", "8"});
  auto ca = client_for(a), cb = client_for(b), cd = client_for(d);
  auto ra = ca->Get(first_page.c_str(), auth());
  auto rb = cb->Get(first_page.c_str(), auth());
  auto rd = cd->Get(first_page.c_str(), auth());
  ASSERT_TRUE(ra && rb && rd);
  EXPECT_EQ(ra->body, rb->body);
  EXPECT_EQ(ra->get_header_value("ETag"), rb->get_header_value("ETag"));
  EXPECT_NE(ra->body, rd->body);
}

TEST(fixture_server, per_page_is_capped_and_empty_listing_has_no_link) {
  fixture_process srv({"--repos", "150"});
  auto c = client_for(srv);
  auto r = c->Get("/user/repos?per_page=1000&sort=pushed", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(names_of(r->body).size(), 100u);
  r = c->Get("/user/repos?sort=pushed", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(names_of(r->body).size(), 30u) << "GitHub's default page size";
  post(*c, "/_fixture/mutate", R"({"set_repos": 0})");
  r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "[]");
  EXPECT_FALSE(r->has_header("Link"));
}

TEST(fixture_server, bad_cursors_and_page_numbers_are_rejected) {
  fixture_process srv({"--repos", "250"});
  auto c = client_for(srv);
  const auto pages = walk(*c, 100);
  ASSERT_EQ(pages.size(), 3u);
  std::string tampered = pages[1].target;
  char& digit = tampered[tampered.size() - 10];
  digit = digit == '0' ? '1' : '0';
  for (const std::string& t : {std::string("/user/repos?per_page=100&cursor=abc"), tampered,
                               std::string("/user/repos?per_page=100&cursor=%00%FF"),
                               std::string("/user/repos?per_page=100&page=2")}) {
    auto r = c->Get(t.c_str(), auth());
    ASSERT_TRUE(r) << t;
    EXPECT_EQ(r->status, 422) << t;
    EXPECT_TRUE(parse(r->body).is_object()) << t;
  }
}

// ---- ETags and rate limits -------------------------------------------------------------------

TEST(fixture_server, matching_etag_gives_304_without_body_link_or_rate_cost) {
  fixture_process srv({"--repos", "250"});
  auto c = client_for(srv);
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  const std::string etag = r->get_header_value("ETag");
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_TRUE(r->has_header("Link"));
  EXPECT_EQ(r->get_header_value("x-ratelimit-limit"), "5000");
  const long remaining = std::stol(r->get_header_value("x-ratelimit-remaining"));
  EXPECT_EQ(std::stol(r->get_header_value("x-ratelimit-used")), 5000 - remaining);
  EXPECT_GT(std::stol(r->get_header_value("x-ratelimit-reset")),
            static_cast<long>(std::time(nullptr)));

  auto nm = c->Get(first_page.c_str(), auth_with("If-None-Match", etag));
  ASSERT_TRUE(nm);
  EXPECT_EQ(nm->status, 304);
  EXPECT_TRUE(nm->body.empty());
  EXPECT_FALSE(nm->has_header("Link"));
  EXPECT_EQ(nm->get_header_value("ETag"), etag);
  EXPECT_EQ(std::stol(nm->get_header_value("x-ratelimit-remaining")), remaining);

  auto weak = c->Get(first_page.c_str(), auth_with("If-None-Match", "\"other\", W/" + etag));
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 304);

  auto changed = c->Get(first_page.c_str(), auth_with("If-None-Match", "\"stale\""));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_EQ(std::stol(changed->get_header_value("x-ratelimit-remaining")), remaining - 1);
  json::value stats = get_json(*c, "/_fixture/stats");
  EXPECT_EQ(stats.at("not_modified").to_number<int64_t>(), 2u);
  EXPECT_EQ(stats.at("requests").to_number<int64_t>(), 4u);
}

TEST(fixture_server, exhausted_rate_limit_answers_403_until_reset) {
  fixture_process srv({"--repos", "10"});
  auto c = client_for(srv);
  post(*c, "/_fixture/rate", R"({"remaining": 1, "reset_in": 600})");
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("x-ratelimit-remaining"), "0");
  r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("API rate limit exceeded"), std::string::npos);
  EXPECT_EQ(r->get_header_value("x-ratelimit-remaining"), "0");
}

// ---- authentication --------------------------------------------------------------------------

TEST(fixture_server, requests_without_a_bearer_token_get_401) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  const std::string repo = names_of(c->Get(first_page.c_str(), auth())->body).at(0);
  for (const std::string& path : {first_page, "/repos/" + repo + "/languages", "/repos/" + repo}) {
    for (const httplib::Headers& h :
         {httplib::Headers{}, httplib::Headers{{"Authorization", "token abc"}},
          httplib::Headers{{"Authorization", "Bearer "}},
          httplib::Headers{{"Authorization", "Basic eDp5"}}}) {
      auto r = c->Get(path.c_str(), h);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 401) << path;
      EXPECT_EQ(parse(r->body).at("message").as_string(), "Bad credentials");
    }
  }
}

TEST(fixture_server, a_configured_token_must_match_exactly) {
  fixture_process srv({"--repos", "5", "--token", "s3cret"});
  auto c = client_for(srv);
  auto r = c->Get(first_page.c_str(), {{"Authorization", "Bearer wrong"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  r = c->Get(first_page.c_str(), {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// ---- faults ----------------------------------------------------------------------------------

TEST(fixture_server, status_fault_stops_after_its_count_then_service_resumes) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  post(*c, "/_fixture/fault", R"({"kind": "status", "status": 502, "times": 2})");
  for (int expected : {502, 502, 200, 200}) {
    auto r = c->Get(first_page.c_str(), auth());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, expected);
    if (expected == 502) {
      EXPECT_TRUE(parse(r->body).at("message").is_string());
    }
  }
  post(*c, "/_fixture/fault", R"({"kind": "status", "status": 503})");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c->Get(first_page.c_str(), auth())->status, 503);
  post(*c, "/_fixture/clear-faults", "");
  EXPECT_EQ(c->Get(first_page.c_str(), auth())->status, 200);
}

TEST(fixture_server, page_and_path_targeted_faults_hit_only_their_requests) {
  fixture_process srv({"--repos", "250"});
  auto c = client_for(srv);
  const auto pages = walk(*c, 100);
  ASSERT_EQ(pages.size(), 3u);
  const std::string repo = names_of(pages[0].body).at(0);
  post(*c, "/_fixture/fault", R"({"kind": "status", "status": 500, "page": 2})");
  post(*c, "/_fixture/fault", R"({"kind": "status", "status": 404, "path": "/repos/"})");
  EXPECT_EQ(c->Get(pages[0].target.c_str(), auth())->status, 200);
  EXPECT_EQ(c->Get(pages[1].target.c_str(), auth())->status, 500);
  EXPECT_EQ(c->Get(pages[2].target.c_str(), auth())->status, 200);
  EXPECT_EQ(c->Get(("/repos/" + repo + "/languages").c_str(), auth())->status, 404);
}

TEST(fixture_server, body_faults_deliver_broken_or_mistyped_json) {
  fixture_process srv({"--repos", "150"});
  auto c = client_for(srv);
  const std::string normal = c->Get(first_page.c_str(), auth())->body;

  post(*c, "/_fixture/fault", R"({"kind": "truncated", "times": 1})");
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, normal.substr(0, normal.size() / 2));
  EXPECT_FALSE(parses(r->body));

  post(*c, "/_fixture/fault", R"({"kind": "malformed", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(parses(r->body));

  post(*c, "/_fixture/fault", R"({"kind": "object", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(parse(r->body).is_object());

  post(*c, "/_fixture/fault", R"({"kind": "wrong_type", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 200);
  json::value v = parse(r->body);
  ASSERT_TRUE(v.is_array());
  ASSERT_FALSE(v.as_array().empty());
  EXPECT_EQ(v.as_array()[0].at("id").as_string(), "abc");

  post(*c, "/_fixture/fault", R"({"kind": "empty", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "[]");

  post(*c, "/_fixture/fault", R"({"kind": "huge", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 200);
  v = parse(r->body);
  ASSERT_TRUE(v.is_array());
  EXPECT_EQ(v.as_array().size(), 100u);
  EXPECT_GE(v.as_array()[99].at("description").as_string().size(), 50000u);

  post(*c, "/_fixture/fault", R"({"kind": "disconnect", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_FALSE(r && r->status == 200 && r->body == normal)
      << "a cut connection must not look whole";

  r = c->Get(first_page.c_str(), auth());  // every fault above was used up
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, normal);
}

TEST(fixture_server, rate_limit_retry_after_and_unauthorized_faults_look_like_github) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  const long now = static_cast<long>(std::time(nullptr));
  post(*c, "/_fixture/fault", R"({"kind": "rate_limit", "reset_in": 30, "times": 1})");
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->get_header_value("x-ratelimit-remaining"), "0");
  const long reset = std::stol(r->get_header_value("x-ratelimit-reset"));
  EXPECT_GE(reset, now + 29);
  EXPECT_LE(reset, now + 32);
  EXPECT_NE(r->body.find("API rate limit exceeded"), std::string::npos);

  post(*c, "/_fixture/fault", R"({"kind": "retry_after", "seconds": 7, "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("retry-after"), "7");

  post(*c, "/_fixture/fault", R"({"kind": "unauthorized", "times": 1})");
  r = c->Get(first_page.c_str(), auth());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(parse(r->body).at("message").as_string(), "Bad credentials");
  EXPECT_EQ(c->Get(first_page.c_str(), auth())->status, 200);
}

TEST(fixture_server, rate_limit_fault_without_count_lasts_until_its_reset) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  post(*c, "/_fixture/fault", R"({"kind": "rate_limit", "reset_in": 1})");
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 403);
  const long reset = std::stol(r->get_header_value("x-ratelimit-reset"));
  while (static_cast<long>(std::time(nullptr)) < reset)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(c->Get(first_page.c_str(), auth())->status, 200);
}

// Sleeps until the wall clock is at least 850 ms into its second: a reset computed in whole
// seconds from here (now rounded down, plus N) would end less than N seconds later.
void wait_until_late_in_a_second() {
  for (;;) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count() %
                    1000;
    if (ms >= 850 && ms < 950) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms < 850 ? 850 - ms : 1000 - ms + 850));
  }
}

TEST(fixture_server, rate_limit_fault_set_late_in_a_second_lasts_at_least_its_reset_in) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  c->Get(first_page.c_str(), auth());  // connected, so the post below is quick
  wait_until_late_in_a_second();
  const auto asked = std::chrono::system_clock::now();
  post(*c, "/_fixture/fault", R"({"kind": "rate_limit", "reset_in": 1})");
  // Past the next whole second, but well within the one second asked for.
  std::this_thread::sleep_until(asked + std::chrono::milliseconds(300));
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  const auto reset = std::chrono::system_clock::time_point(
      std::chrono::seconds(std::stol(r->get_header_value("x-ratelimit-reset"))));
  EXPECT_GE(reset, asked + std::chrono::seconds(1));
}

TEST(fixture_server, exhausted_rate_set_late_in_a_second_lasts_at_least_its_reset_in) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  c->Get(first_page.c_str(), auth());
  wait_until_late_in_a_second();
  const auto asked = std::chrono::system_clock::now();
  post(*c, "/_fixture/rate", R"({"remaining": 0, "reset_in": 1})");
  std::this_thread::sleep_until(asked + std::chrono::milliseconds(300));
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->get_header_value("x-ratelimit-remaining"), "0");
}

TEST(fixture_server, hang_fault_delays_the_answer_and_can_outlast_a_client_timeout) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  post(*c, "/_fixture/fault", R"({"kind": "hang", "ms": 300, "times": 1})");
  const auto start = clock_type::now();
  auto r = c->Get(first_page.c_str(), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(clock_type::now() - start, std::chrono::milliseconds(290));

  post(*c, "/_fixture/fault", R"({"kind": "hang", "times": 1})");
  auto impatient = client_for(srv);
  impatient->set_read_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(impatient->Get(first_page.c_str(), auth()));
}

// ---- mutations -------------------------------------------------------------------------------

std::vector<std::string> etags(httplib::Client& c, int per_page) {
  std::vector<std::string> out;
  for (const auto& p : walk(c, per_page)) out.push_back(p.etag);
  return out;
}

TEST(fixture_server, mutate_add_puts_new_repos_first_and_changes_page_etags) {
  fixture_process srv({"--repos", "50"});
  auto c = client_for(srv);
  const auto before = etags(*c, 10);
  const auto old_names = all_names(*c, 10);
  json::value answer = post(*c, "/_fixture/mutate", R"({"add": 2})");
  ASSERT_EQ(answer.at("added").as_array().size(), 2u);
  EXPECT_EQ(answer.at("repos").to_number<int64_t>(), 52u);
  const auto names = all_names(*c, 10);
  ASSERT_EQ(names.size(), 52u);
  EXPECT_EQ(names[0], answer.at("added").as_array()[1].as_string()) << "the newest is pushed last";
  EXPECT_EQ(names[1], answer.at("added").as_array()[0].as_string());
  EXPECT_EQ(std::vector<std::string>(names.begin() + 2, names.end()), old_names);
  const auto after = etags(*c, 10);
  ASSERT_EQ(after.size(), 6u);
  for (size_t i = 0; i < before.size(); ++i) EXPECT_NE(before[i], after[i]) << "page " << i + 1;
  auto first = parse(c->Get("/user/repos?per_page=10&sort=pushed", auth())->body).as_array();
  EXPECT_GT(std::string(first[0].at("pushed_at").as_string()),
            std::string(first[2].at("pushed_at").as_string()));
}

TEST(fixture_server, mutate_update_moves_a_repo_to_the_front_and_changes_only_pages_up_to_it) {
  fixture_process srv({"--repos", "50"});
  auto c = client_for(srv);
  const auto before = etags(*c, 10);
  auto page2 = parse(walk(*c, 10).at(1).body).as_array();
  const json::object target = page2[5].as_object();  // index 15 in the listing
  const std::string name(target.at("full_name").as_string());
  json::value answer = post(*c, "/_fixture/mutate", "{\"update\": [\"" + name + "\"]}");
  ASSERT_EQ(answer.at("updated").as_array().size(), 1u);
  auto front = parse(c->Get("/user/repos?per_page=10&sort=pushed", auth())->body).as_array();
  EXPECT_EQ(front[0].at("full_name").as_string(), name);
  EXPECT_GT(front[0].at("stargazers_count").as_int64(), target.at("stargazers_count").as_int64());
  EXPECT_GT(std::string(front[0].at("pushed_at").as_string()),
            std::string(target.at("pushed_at").as_string()));
  const auto after = etags(*c, 10);
  ASSERT_EQ(after.size(), 5u);
  EXPECT_NE(before[0], after[0]);
  EXPECT_NE(before[1], after[1]);
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ(before[i], after[i]) << "page " << i + 1;
  EXPECT_EQ(all_names(*c, 10).size(), 50u);
}

TEST(fixture_server, mutate_remove_drops_repos_and_reports_unknown_names) {
  fixture_process srv({"--repos", "50"});
  auto c = client_for(srv);
  const auto names = all_names(*c, 100);
  json::value answer =
      post(*c, "/_fixture/mutate", "{\"remove\": [\"" + names[3] + "\", \"nobody/nothing\"]}");
  EXPECT_EQ(answer.at("removed").as_array().size(), 1u);
  ASSERT_EQ(answer.at("not_found").as_array().size(), 1u);
  EXPECT_EQ(answer.at("not_found").as_array()[0].as_string(), "nobody/nothing");
  auto now = all_names(*c, 100);
  EXPECT_EQ(now.size(), 49u);
  EXPECT_EQ(std::count(now.begin(), now.end(), names[3]), 0);

  answer = post(*c, "/_fixture/mutate", R"({"remove_count": 3})");
  EXPECT_EQ(answer.at("removed").as_array().size(), 3u);
  EXPECT_EQ(all_names(*c, 100).size(), 46u);
  auto gone = "/repos/" + std::string(answer.at("removed").as_array()[0].as_string()) + "/topics";
  EXPECT_EQ(c->Get(gone.c_str(), auth())->status, 404);

  post(*c, "/_fixture/mutate", R"({"set_repos": 7})");
  EXPECT_EQ(all_names(*c, 100).size(), 7u);
}

TEST(fixture_server, hostile_control_bodies_are_rejected_without_changing_anything) {
  fixture_process srv({"--repos", "20"});
  auto c = client_for(srv);
  for (const char* body : {"not json", "[1]", R"({"add": -1})", R"({"add": "x"})",
                           R"({"remove": [1]})", R"({"remove": "a/b"})", "", "{\"add\": 1"}) {
    post(*c, "/_fixture/mutate", body, 400);
  }
  for (const char* body :
       {R"({"kind": "explode"})", R"({"status": 500})", R"({"kind": "status", "status": 9999})",
        R"({"kind": "status", "times": 0})", R"({"kind": 5})"}) {
    post(*c, "/_fixture/fault", body, 400);
  }
  EXPECT_EQ(all_names(*c, 100).size(), 20u);
  EXPECT_EQ(c->Get(first_page.c_str(), auth())->status, 200);
  EXPECT_EQ(c->Get("/_fixture/nope")->status, 404);
}

// ---- per-repository endpoints ----------------------------------------------------------------

TEST(fixture_server, languages_and_topics_describe_each_repo_with_etags) {
  fixture_process srv({"--repos", "60"});
  auto c = client_for(srv);
  const auto listing = parse(c->Get(first_page.c_str(), auth())->body).as_array();
  int checked_languages = 0, checked_topics = 0;
  for (const auto& e : listing) {
    const auto& o = e.as_object();
    const std::string full(o.at("full_name").as_string());
    auto langs = c->Get(("/repos/" + full + "/languages").c_str(), auth());
    ASSERT_TRUE(langs);
    ASSERT_EQ(langs->status, 200);
    json::value lv = parse(langs->body);
    ASSERT_TRUE(lv.is_object());
    if (o.at("language").is_string()) {
      const auto* bytes = lv.as_object().if_contains(o.at("language").as_string());
      ASSERT_NE(bytes, nullptr) << full;
      EXPECT_GT(bytes->as_int64(), 0);
      ++checked_languages;
    } else {
      EXPECT_TRUE(lv.as_object().empty());
    }
    auto topics = c->Get(("/repos/" + full + "/topics").c_str(), auth());
    ASSERT_TRUE(topics);
    EXPECT_EQ(parse(topics->body).at("names"), o.at("topics"));
    ++checked_topics;
  }
  EXPECT_GT(checked_languages, 10);
  EXPECT_EQ(checked_topics, 60);

  const std::string full(listing[0].at("full_name").as_string());
  const std::string path = "/repos/" + full + "/languages";
  auto r = c->Get(path.c_str(), auth());
  const std::string etag = r->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(c->Get(path.c_str(), auth_with("If-None-Match", etag))->status, 304);
  std::string upper = "/repos/";
  for (char ch : full) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c->Get((upper + "/topics").c_str(), auth())->status, 200)
      << "names are case-insensitive";
  post(*c, "/_fixture/mutate", "{\"update\": [\"" + full + "\"]}");
  EXPECT_EQ(c->Get(path.c_str(), auth_with("If-None-Match", etag))->status, 200)
      << "an update changes the languages";

  for (const char* bad : {"/repos/nobody/nothing/languages", "/repos/nobody/nothing/topics",
                          "/repos/a", "/repos//x/topics", "/repos/a/b/c/d", "/nowhere"}) {
    auto nf = c->Get(bad, auth());
    ASSERT_TRUE(nf);
    EXPECT_EQ(nf->status, 404) << bad;
    EXPECT_EQ(parse(nf->body).at("message").as_string(), "Not Found") << bad;
  }
}

// ---- request log -----------------------------------------------------------------------------

TEST(fixture_server, request_log_records_method_target_and_lowercased_headers) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  c->Get(first_page.c_str(), auth_with("X-GitHub-Api-Version", "2022-11-28"));
  c->Get("/repos/nobody/nothing/topics", auth());
  json::value log = get_json(*c, "/_fixture/requests");
  ASSERT_TRUE(log.is_array());
  ASSERT_EQ(log.as_array().size(), 2u) << "control requests are not logged";
  const auto& first = log.as_array()[0].as_object();
  EXPECT_EQ(first.at("method").as_string(), "GET");
  EXPECT_EQ(first.at("target").as_string(), first_page);
  const auto& h = first.at("headers").as_object();
  EXPECT_EQ(h.at("authorization").as_string(), "Bearer test-token");
  EXPECT_EQ(h.at("x-github-api-version").as_string(), "2022-11-28");
  EXPECT_EQ(h.at("accept").as_string(), "application/vnd.github+json");
  EXPECT_FALSE(h.contains("remote_addr"));
  EXPECT_EQ(log.as_array()[1].at("status").as_int64(), 404);

  post(*c, "/_fixture/reset-log", "");
  EXPECT_TRUE(get_json(*c, "/_fixture/requests").as_array().empty());
  EXPECT_EQ(get_json(*c, "/_fixture/stats").at("requests").to_number<int64_t>(), 0u);
}

TEST(fixture_server, stats_report_the_peak_number_of_concurrent_requests) {
  fixture_process srv({"--repos", "5"});
  auto c = client_for(srv);
  post(*c, "/_fixture/fault", R"({"kind": "hang", "ms": 600, "times": 4})");
  std::vector<std::future<int>> calls;
  for (int i = 0; i < 4; ++i)
    calls.push_back(std::async(std::launch::async, [&srv] {
      auto own = client_for(srv);
      auto r = own->Get(first_page.c_str(), auth());
      return r ? r->status : -1;
    }));
  for (auto& f : calls) EXPECT_EQ(f.get(), 200);
  json::value stats = get_json(*c, "/_fixture/stats");
  EXPECT_EQ(stats.at("max_in_flight").to_number<int64_t>(), 4u);
  EXPECT_EQ(stats.at("requests").to_number<int64_t>(), 4u);
}

// ---- process lifetime ------------------------------------------------------------------------

TEST(fixture_server, exits_cleanly_on_sigterm_even_while_a_request_hangs) {
  fixture_process srv({"--repos", "5"});
  ASSERT_GT(srv.port(), 0);
  auto c = client_for(srv);
  post(*c, "/_fixture/fault", R"({"kind": "hang"})");
  auto pending = std::async(std::launch::async, [&srv] {
    auto own = client_for(srv);
    return static_cast<bool>(own->Get(first_page.c_str(), auth()));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto start = clock_type::now();
  auto status = srv.stop(SIGTERM, 5000);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_LT(clock_type::now() - start, std::chrono::seconds(3));
  pending.get();
}

TEST(fixture_server, exits_on_sigint) {
  fixture_process srv({"--repos", "5"});
  ASSERT_GT(srv.port(), 0);
  auto status = srv.stop(SIGINT, 5000);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST(fixture_server, exits_when_its_parent_dies) {
  int out[2], in[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  // sh starts the server in the background, then exits once its stdin closes.
  const pid_t sh =
      spawn({"/bin/sh", "-c", "\"$0\" --repos 5 & echo pid=$!; read x", GUM_FIXTURE_SERVER}, out[1],
            in[0]);
  close(out[1]);
  close(in[0]);
  ASSERT_GT(sh, 0);
  int port = 0;
  pid_t server = 0;
  for (int i = 0; i < 2; ++i) {
    auto line = read_line(out[0], 10000);
    ASSERT_TRUE(line.has_value());
    if (line->rfind("port=", 0) == 0) port = std::atoi(line->c_str() + 5);
    if (line->rfind("pid=", 0) == 0) server = std::atoi(line->c_str() + 4);
  }
  ASSERT_GT(port, 0);
  ASSERT_GT(server, 0);
  httplib::Client c("127.0.0.1", port);
  ASSERT_TRUE(c.Get("/_fixture/stats"));

  close(in[1]);  // sh reads EOF and exits; the server is orphaned
  auto sh_status = wait_exit(sh, 5000);
  ASSERT_TRUE(sh_status.has_value());
  const bool gone = eof_within(out[0], 3000);  // the server's stdout closes when it exits
  close(out[0]);
  if (!gone) kill(server, SIGKILL);
  ASSERT_TRUE(gone) << "the orphaned server kept running";
  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(std::chrono::seconds(1));
  EXPECT_FALSE(after.Get("/_fixture/stats"));
}

TEST(fixture_server, bad_command_lines_exit_2_without_serving) {
  for (const std::vector<std::string>& extra : {std::vector<std::string>{"--repos", "-1"},
                                                {"--bogus", "1"},
                                                {"--port"},
                                                {"--port", "70000"},
                                                {"--seed", "x"},
                                                {"--owner", "a/b"}}) {
    int out[2];
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    std::vector<std::string> args{GUM_FIXTURE_SERVER};
    args.insert(args.end(), extra.begin(), extra.end());
    const pid_t pid = spawn(args, out[1]);
    close(out[1]);
    ASSERT_GT(pid, 0);
    EXPECT_FALSE(read_line(out[0], 5000).has_value()) << "no port line for " << extra[0];
    auto status = wait_exit(pid, 5000);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 2) << extra[0];
    close(out[0]);
  }
}

TEST(fixture_server, serves_a_5000_repo_listing_in_pages_of_100) {
  fixture_process srv({"--repos", "5000"});
  auto c = client_for(srv);
  const auto pages = walk(*c, 100);
  ASSERT_EQ(pages.size(), 50u);
  size_t total = 0;
  for (const auto& p : pages) total += names_of(p.body).size();
  EXPECT_EQ(total, 5000u);
}

}  // namespace
}  // namespace gum
