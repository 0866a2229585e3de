// tests/http_transport_test.cpp: net/http_transport.hpp, the GitHub REST client, against an
// in-process loopback server.
//
// Each test starts its own cpp-httplib server on 127.0.0.1 (a free port from bind_to_any_port)
// that plays one GitHub behaviour: opaque Link cursors, 304s, 5xx storms, malformed bodies, hangs,
// 401/403/429 with rate-limit headers, lying Link headers. The pure parsers are tested in
// github_pages_test.cpp, remote URLs in remote_url_test.cpp and the token in
// github_token_test.cpp. No test touches the real network or $HOME.
#include "net/http_transport.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace gum {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

const std::string test_token = "ghp_SECRETtoken0123456789";

int64_t ms_since(steady::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t).count();
}

// A loopback HTTP server on a free port, stopped (and its hanging handlers released) at scope end.
class loopback_server {
 public:
  httplib::Server svr;
  std::atomic<bool> released{false};

  void start() {
    port_ = svr.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { svr.listen_after_bind(); });
  }
  ~loopback_server() {
    released = true;
    svr.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  // Blocks a handler until the test ends (or 10 s), like a server that never answers.
  void hang() {
    for (int i = 0; i < 1000 && !released; ++i) std::this_thread::sleep_for(10ms);
  }

 private:
  int port_ = 0;
  std::thread thread_;
};

std::string repo_json(int64_t id, const std::string& name) {
  return R"({"id":)" + std::to_string(id) + R"(,"full_name":"octo/)" + name +
         R"(","owner":{"login":"octo"},"name":")" + name +
         R"(","topics":["cli"],"language":"C++","stargazers_count":)" + std::to_string(id) + "}";
}

std::string page_json(std::initializer_list<std::pair<int64_t, std::string>> repos) {
  std::string out = "[";
  for (const auto& [id, name] : repos) {
    if (out.size() > 1) out += ",";
    out += repo_json(id, name);
  }
  return out + "]";
}

github_client_options options_for(const loopback_server& server) {
  github_client_options o;
  o.api_url = server.url();
  o.token = test_token;
  o.user_agent = "gum-test/9.9";
  o.backoff_initial_ms = 10;
  o.total_timeout_ms = 5000;
  o.connect_timeout_ms = 2000;
  o.max_wait_seconds = 5;
  return o;
}

const char* first_path = "/user/repos";

status listing(github_client& c, std::vector<fetched_page>& pages) {
  return c.fetch_listing(false, {}, pages);
}

// ---- listing -----------------------------------------------------------------------------

TEST(github_listing, sends_the_required_headers) {
  loopback_server server;
  httplib::Headers seen;
  std::mutex mu;
  server.svr.Get(first_path, [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    seen = req.headers;
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  ASSERT_TRUE(s.ok()) << s.message;
  std::lock_guard<std::mutex> lock(mu);
  auto header = [&](const char* k) {
    auto it = seen.find(k);
    return it == seen.end() ? std::string() : it->second;
  };
  EXPECT_EQ(header("Authorization"), "Bearer " + test_token);
  EXPECT_EQ(header("Accept"), "application/vnd.github+json");
  EXPECT_EQ(header("X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_EQ(header("User-Agent"), "gum-test/9.9");
  EXPECT_EQ(seen.count("If-None-Match"), 0u);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].url, server.url() + "/user/repos?per_page=100&sort=pushed");
  EXPECT_EQ(client.requests(), 1);
}

TEST(github_listing, follows_link_next_across_three_pages_with_opaque_cursors) {
  loopback_server server;
  std::atomic<int> calls{0};
  std::string base;
  std::mutex mu;
  std::set<int> client_ports;  // one port: the connection was reused across pages
  auto note_port = [&](const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mu);
    client_ports.insert(req.remote_port);
  };
  server.svr.Get(first_path, [&](const httplib::Request& req, httplib::Response& res) {
    ++calls;
    note_port(req);
    EXPECT_EQ(req.get_param_value("per_page"), "100");
    EXPECT_EQ(req.get_param_value("sort"), "pushed");
    res.set_header("ETag", "\"p1\"");
    res.set_header("Link", "<" + base + "/cursor/Zm9v?after=Y3Vyc29yOjI%3D&per_page=100>; " +
                               "rel=\"next\", <" + base + "/cursor/last>; rel=\"last\"");
    res.set_content(page_json({{1, "a"}, {2, "b"}}), "application/json");
  });
  server.svr.Get("/cursor/Zm9v", [&](const httplib::Request& req, httplib::Response& res) {
    ++calls;
    note_port(req);
    EXPECT_EQ(req.get_param_value("after"), "Y3Vyc29yOjI=");  // passed on untouched
    res.set_header("Link", "<" + base + "/user/repos?per_page=100&sort=pushed>; rel=\"prev\", <" +
                               base + "/cursor/YmFy>; rel=\"next\"");
    res.set_content(page_json({{3, "c"}}), "application/json");
  });
  server.svr.Get("/cursor/YmFy", [&](const httplib::Request& req, httplib::Response& res) {
    ++calls;
    note_port(req);
    res.set_header("Link", "<" + base + "/cursor/Zm9v>; rel=\"prev\"");
    res.set_content("[]", "application/json");
  });
  server.start();
  base = server.url();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  ASSERT_TRUE(s.ok()) << s.message;
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(pages[0].repos.size(), 2u);
  EXPECT_EQ(pages[0].etag, "\"p1\"");
  EXPECT_EQ(pages[0].next_url, base + "/cursor/Zm9v?after=Y3Vyc29yOjI%3D&per_page=100");
  EXPECT_EQ(pages[1].url, *pages[0].next_url);
  EXPECT_EQ(pages[1].repos.at(0).full_name, "octo/c");
  EXPECT_EQ(pages[2].url, base + "/cursor/YmFy");
  EXPECT_TRUE(pages[2].repos.empty());
  EXPECT_FALSE(pages[2].next_url);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(client_ports.size(), 1u);
}

TEST(github_listing, conditional_sends_if_none_match_and_follows_the_stored_next_url_on_304) {
  loopback_server server;
  std::string base;
  std::atomic<int> not_modified{0};
  server.svr.Get(first_path, [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"e1\"") {
      ++not_modified;
      res.status = 304;  // no Link header: the client must use the stored next_url
      return;
    }
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.svr.Get("/stored/next", [&](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(req.get_header_value("If-None-Match"), "\"e2\"");
    res.set_header("ETag", "\"e2-new\"");
    res.set_content(page_json({{2, "b"}}), "application/json");
  });
  server.start();
  base = server.url();
  const std::string first = base + "/user/repos?per_page=100&sort=pushed";
  std::vector<std::string> asked;
  auto validator_for = [&](const std::string& url) {
    asked.push_back(url);
    page_validator v;
    if (url == first) {
      v.etag = "\"e1\"";
      v.next_url = base + "/stored/next";
    } else if (url == base + "/stored/next") {
      v.etag = "\"e2\"";
    }
    return v;
  };
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = client.fetch_listing(true, validator_for, pages);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(not_modified.load(), 1);
  EXPECT_EQ(asked, (std::vector<std::string>{first, base + "/stored/next"}));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_TRUE(pages[0].not_modified);
  EXPECT_TRUE(pages[0].repos.empty());
  EXPECT_EQ(pages[0].etag, "\"e1\"");
  EXPECT_EQ(pages[0].next_url, base + "/stored/next");
  EXPECT_FALSE(pages[1].not_modified);
  EXPECT_EQ(pages[1].etag, "\"e2-new\"");
  EXPECT_EQ(pages[1].repos.size(), 1u);
}

TEST(github_listing, retries_a_502_twice_then_succeeds) {
  loopback_server server;
  std::atomic<int> calls{0};
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    if (++calls <= 2) {
      res.status = 502;
      return;
    }
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(client.requests(), 3);
  EXPECT_EQ(pages.at(0).repos.size(), 1u);
}

TEST(github_listing, gives_up_after_exactly_four_attempts_on_a_persistent_502) {
  loopback_server server;
  std::atomic<int> calls{0};
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 502;
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_EQ(calls.load(), 4);
  EXPECT_NE(s.message.find("HTTP 502"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("after 4 attempts"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("/user/repos?per_page=100"), std::string::npos) << s.message;
}

TEST(github_listing, truncated_or_wrongly_typed_replies_are_malformed) {
  for (const std::string body : {R"([{"id": 1, "full_name": "o/r")", R"({"id": 1})",
                                 R"([{"id": "one", "full_name": "o/r"}])"}) {
    loopback_server server;
    server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(body, "application/json");
    });
    server.start();
    github_client client(options_for(server));
    std::vector<fetched_page> pages;
    auto s = listing(client, pages);
    EXPECT_EQ(s.code, status_code::network) << body;
    EXPECT_NE(s.message.find("malformed reply from GitHub"), std::string::npos) << s.message;
    EXPECT_NE(s.message.find(server.url() + "/user/repos"), std::string::npos) << s.message;
    EXPECT_EQ(client.requests(), 1);  // malformed replies are not retried
  }
}

TEST(github_listing, a_hanging_server_times_out) {
  loopback_server server;
  std::atomic<int> calls{0};
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    server.hang();
  });
  server.start();
  auto o = options_for(server);
  o.total_timeout_ms = 300;
  o.max_attempts = 2;
  github_client client(o);
  std::vector<fetched_page> pages;
  auto started = steady::now();
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("timed out"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("after 2 attempts"), std::string::npos) << s.message;
  EXPECT_EQ(calls.load(), 2);
  EXPECT_LT(ms_since(started), 3000);
}

TEST(github_listing, a_401_names_the_token_and_hints_how_to_fix_it) {
  loopback_server server;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content(R"({"message": "Bad credentials"})", "application/json");
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_EQ(s.message, "GitHub rejected the token (HTTP 401)");
  EXPECT_EQ(s.hint, "check GH_TOKEN / GITHUB_TOKEN or run gh auth login");
  EXPECT_EQ(client.requests(), 1);
}

TEST(github_listing, a_404_or_a_plain_403_is_an_error_without_retry) {
  for (int code : {404, 403, 422}) {
    loopback_server server;
    server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
      res.status = code;
      res.set_content(R"({"message": "nope"})", "application/json");
    });
    server.start();
    github_client client(options_for(server));
    std::vector<fetched_page> pages;
    auto s = listing(client, pages);
    EXPECT_EQ(s.code, status_code::network);
    EXPECT_NE(s.message.find("HTTP " + std::to_string(code)), std::string::npos) << s.message;
    EXPECT_NE(s.message.find("nope"), std::string::npos) << s.message;
    EXPECT_EQ(client.requests(), 1);
  }
}

TEST(github_listing, a_429_with_retry_after_waits_within_the_budget_and_succeeds) {
  loopback_server server;
  std::atomic<int> calls{0};
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(calls.load(), 2);
  EXPECT_GE(client.waited_ms(), 900);
  EXPECT_LT(client.waited_ms(), 3000);
}

TEST(github_listing, a_rate_limit_reset_beyond_the_budget_fails_at_once_naming_the_reset) {
  loopback_server server;
  const auto reset = static_cast<int64_t>(std::time(nullptr)) + 3600;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    res.status = 403;
    res.set_header("x-ratelimit-remaining", "0");
    res.set_header("x-ratelimit-reset", std::to_string(reset));
  });
  server.start();
  auto o = options_for(server);
  o.max_wait_seconds = 60;
  github_client client(o);
  std::vector<fetched_page> pages;
  auto started = steady::now();
  auto s = listing(client, pages);
  EXPECT_LT(ms_since(started), 1000);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("rate limited by GitHub; the limit resets at "), std::string::npos)
      << s.message;
  EXPECT_NE(s.message.find("(in 360"), std::string::npos) << s.message;  // 3600 or 3601 s
  std::time_t t = static_cast<std::time_t>(reset + 1);
  std::tm tm{};
  localtime_r(&t, &tm);
  char hhmm[8];
  std::strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
  EXPECT_NE(s.message.find(hhmm), std::string::npos) << s.message;
  EXPECT_EQ(client.waited_ms(), 0);
  EXPECT_EQ(client.requests(), 1);
}

TEST(github_listing, the_token_is_never_sent_over_http_to_a_non_loopback_host) {
  github_client_options o;
  o.api_url = "http://example.invalid";
  o.token = test_token;
  github_client client(o);
  std::vector<fetched_page> pages;
  auto started = steady::now();
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("http://"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("example.invalid"), std::string::npos) << s.message;
  EXPECT_EQ(s.message.find(test_token), std::string::npos);
  EXPECT_EQ(client.requests(), 0);  // refused before any connection attempt
  EXPECT_LT(ms_since(started), 500);

  std::vector<fetched_metadata> meta;
  s = client.fetch_metadata({{"o/r", true}}, {}, 1, meta);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_EQ(client.requests(), 0);
}

TEST(github_listing, a_next_link_to_another_server_is_refused) {
  loopback_server server;
  std::atomic<int> second{0};
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    // Same machine, but another host name: the token must not follow.
    res.set_header("Link", "<http://localhost:" + std::to_string(server.port()) +
                               "/elsewhere>; rel=\"next\"");
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.svr.Get("/elsewhere", [&](const httplib::Request&, httplib::Response& res) {
    ++second;
    res.set_content("[]", "application/json");
  });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("another server"), std::string::npos) << s.message;
  EXPECT_EQ(second.load(), 0);
  EXPECT_EQ(client.requests(), 1);
}

TEST(github_listing, a_next_link_to_a_visited_page_is_a_pagination_loop) {
  loopback_server server;
  std::string base;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Link", "<" + base + "/p2>; rel=\"next\"");
    res.set_content("[]", "application/json");
  });
  server.svr.Get("/p2", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Link", "<" + base + "/user/repos?per_page=100&sort=pushed>; rel=\"next\"");
    res.set_content("[]", "application/json");
  });
  server.start();
  base = server.url();
  github_client client(options_for(server));
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("malformed reply: pagination loop"), std::string::npos) << s.message;
  EXPECT_EQ(client.requests(), 2);
}

TEST(github_listing, cancellation_stops_a_hanging_request_promptly) {
  loopback_server server;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response&) { server.hang(); });
  server.start();
  std::atomic<bool> cancel{false};
  auto o = options_for(server);
  o.total_timeout_ms = 20000;
  o.cancel = &cancel;
  github_client client(o);
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  std::vector<fetched_page> pages;
  auto started = steady::now();
  auto s = listing(client, pages);
  canceller.join();
  EXPECT_EQ(s.code, status_code::interrupted);
  EXPECT_EQ(s.message, "interrupted");
  EXPECT_LT(ms_since(started), 2000);
}

TEST(github_listing, cancellation_stops_a_rate_limit_wait_promptly) {
  loopback_server server;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "30");
  });
  server.start();
  std::atomic<bool> cancel{false};
  auto o = options_for(server);
  o.max_wait_seconds = 60;
  o.cancel = &cancel;
  github_client client(o);
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  std::vector<fetched_page> pages;
  auto started = steady::now();
  auto s = listing(client, pages);
  canceller.join();
  EXPECT_EQ(s.code, status_code::interrupted);
  EXPECT_LT(ms_since(started), 2000);
}

TEST(github_listing, the_debug_log_names_each_request_but_never_the_token) {
  loopback_server server;
  std::string base;
  server.svr.Get(first_path, [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Link", "<" + base + "/p2>; rel=\"next\"");
    res.set_content(page_json({{1, "a"}}), "application/json");
  });
  server.svr.Get("/p2", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
  });
  server.start();
  base = server.url();
  std::vector<std::string> lines;
  auto o = options_for(server);
  o.debug = [&](const std::string& line) { lines.push_back(line); };
  github_client client(o);
  std::vector<fetched_page> pages;
  auto s = listing(client, pages);
  EXPECT_EQ(s.code, status_code::network);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind("GET " + base + "/user/repos?per_page=100&sort=pushed -> 200 (", 0),
            0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind("GET " + base + "/p2 -> 401 (", 0), 0u) << lines[1];
  for (const auto& l : lines) {
    EXPECT_EQ(l.find(test_token), std::string::npos) << l;
    EXPECT_EQ(l.find("Authorization"), std::string::npos) << l;
  }
  EXPECT_EQ(s.message.find(test_token), std::string::npos);
}

// ---- metadata ----------------------------------------------------------------------------

TEST(github_metadata, languages_use_etags_and_topics_are_fetched_when_asked) {
  loopback_server server;
  server.svr.Get(R"(/repos/octo/(\w+)/languages)",
                 [&](const httplib::Request& req, httplib::Response& res) {
                   std::string name = req.matches[1];
                   if (req.get_header_value("If-None-Match") == "\"L-" + name + "\"") {
                     res.status = 304;
                     return;
                   }
                   res.set_header("ETag", "\"L2-" + name + "\"");
                   res.set_content(R"({"C++": 100, "CMake": 5})", "application/json");
                 });
  server.svr.Get(R"(/repos/octo/(\w+)/topics)",
                 [&](const httplib::Request& req, httplib::Response& res) {
                   res.set_content(R"({"names": ["t-)" + std::string(req.matches[1]) + R"("]})",
                                   "application/json");
                 });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_metadata> out;
  auto etag_for = [](const std::string& full_name) -> std::optional<std::string> {
    if (full_name == "octo/same") return "\"L-same\"";
    if (full_name == "octo/changed") return "\"L-stale\"";
    return std::nullopt;
  };
  auto s = client.fetch_metadata({{"octo/same", false}, {"octo/changed", true}, {"octo/new", true}},
                                 etag_for, 2, out);
  ASSERT_TRUE(s.ok()) << s.message;
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].full_name, "octo/same");
  EXPECT_TRUE(out[0].languages_not_modified);
  EXPECT_EQ(out[0].languages_etag, "\"L-same\"");
  EXPECT_FALSE(out[0].topics);
  EXPECT_FALSE(out[1].languages_not_modified);
  EXPECT_EQ(out[1].languages, (std::map<std::string, int64_t>{{"C++", 100}, {"CMake", 5}}));
  EXPECT_EQ(out[1].languages_etag, "\"L2-changed\"");
  EXPECT_EQ(out[1].topics, (std::vector<std::string>{"t-changed"}));
  EXPECT_EQ(out[2].topics, (std::vector<std::string>{"t-new"}));
  EXPECT_EQ(client.requests(), 5);
}

TEST(github_metadata, at_most_jobs_requests_are_in_flight) {
  loopback_server server;
  std::atomic<int> in_flight{0}, max_in_flight{0}, calls{0};
  server.svr.Get(R"(/repos/octo/(\w+)/languages)",
                 [&](const httplib::Request&, httplib::Response& res) {
                   int now = ++in_flight;
                   int prev = max_in_flight.load();
                   while (now > prev && !max_in_flight.compare_exchange_weak(prev, now)) {
                   }
                   ++calls;
                   std::this_thread::sleep_for(60ms);
                   --in_flight;
                   res.set_content("{}", "application/json");
                 });
  server.start();
  github_client client(options_for(server));
  std::vector<std::pair<std::string, bool>> repos;
  for (int i = 0; i < 12; ++i) repos.emplace_back("octo/r" + std::to_string(i), false);
  std::vector<fetched_metadata> out;
  auto s = client.fetch_metadata(repos, {}, 3, out);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(calls.load(), 12);
  EXPECT_LE(max_in_flight.load(), 3);
  EXPECT_GE(max_in_flight.load(), 2);  // and it really ran in parallel
  ASSERT_EQ(out.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i].full_name, "octo/r" + std::to_string(i));
}

TEST(github_metadata, one_failing_repository_fails_the_whole_fetch) {
  loopback_server server;
  server.svr.Get(R"(/repos/octo/(\w+)/languages)",
                 [&](const httplib::Request& req, httplib::Response& res) {
                   if (req.matches[1] == "bad") {
                     res.set_content("[1, 2", "application/json");
                     return;
                   }
                   res.set_content("{}", "application/json");
                 });
  server.start();
  github_client client(options_for(server));
  std::vector<fetched_metadata> out;
  auto s = client.fetch_metadata({{"octo/a", false}, {"octo/bad", false}, {"octo/c", false}}, {},
                                 3, out);
  EXPECT_EQ(s.code, status_code::network);
  EXPECT_NE(s.message.find("malformed reply from GitHub"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("/repos/octo/bad/languages"), std::string::npos) << s.message;
}


}  // namespace
}  // namespace gum
