// Bounded resources against a hostile GitHub API server (issue 17, item 4).
//
// Each test runs the built gum binary against its own gum_fixture_server child, which is told
// (POST /_fixture/fault) to misbehave: a rel="next" chain that never repeats a URL, a gzip bomb,
// a 200 KB response header, or simply more pages or bytes than the config allows. Every case
// must end the run with exit 5 and one `gum: …` line, leave github_repos as it was, and record
// a failed sync_runs row; none may wait on the server for long. The budgets themselves are
// parsed strictly from config.yaml (docs/github-sync.md, "Bounded resources").
#include <httplib.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.hpp"
#include "gum/options.hpp"
#include "tests/support/fixture_process.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using testing::run_result;
using testing::sqlite_text;
using testing::test_env;

const std::string token = "ghp_HostileServerTest0123456789abcdef";

// A fixture server, a HOME whose config points gum at it, and the gum binary.
struct world {
  test_env env;
  testing::fixture_process server;
  explicit world(std::vector<std::string> fixture_args, const std::string& github_config = {})
      : server(std::move(fixture_args)) {
    env.vars["GH_TOKEN"] = token;
    env.vars["GUM_GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(server.port());
    env.write_config("projects: [" + env.home() + "/projects]\n" +
                     "github: {token_command: /bin/false" + github_config + "}\n");
    testing::fs::create_directories(env.home() + "/projects");
  }
  void fault(const std::string& body) {
    httplib::Client c("127.0.0.1", server.port());
    auto r = c.Post("/_fixture/fault", body, "application/json");
    ASSERT_TRUE(r && r->status == 200) << body;
  }
  run_result gum(const std::vector<std::string>& args) const { return env.gum(args, {}, 120); }
  std::string db(const std::string& sql) const { return sqlite_text(env.db_path(), sql); }
  int64_t requests() const {
    httplib::Client c("127.0.0.1", server.port());
    auto r = c.Get("/_fixture/stats");
    if (!r) return -1;
    auto at = r->body.find("\"requests\":");
    return at == std::string::npos ? -1 : std::atoll(r->body.c_str() + at + 11);
  }
};

// The run failed with exit 5 and exactly one line that names `what`; nothing changed.
void expect_stopped(world& w, const run_result& r, const std::string& what,
                    const std::string& repos_before) {
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
  EXPECT_EQ(w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id"), repos_before);
  EXPECT_EQ(w.db("SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1"), "failed");
}

TEST(hostile_server, a_next_chain_that_never_repeats_a_url_stops_after_twenty_stale_pages) {
  world w({"--repos", "150"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  std::string before = w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id");
  w.fault(R"({"kind": "endless_next", "page": 1})");
  auto r = w.gum({"sync", "-t", "full"});
  expect_stopped(w, r, "listing pages in a row brought no new repository", before);
  // 2 pages for the first sync, then page 1 and 20 stale pages: bounded, not 10 000.
  EXPECT_GT(w.requests(), 0);
  EXPECT_LE(w.requests(), 2 + 21);
}

TEST(hostile_server, more_listing_pages_than_github_max_pages_exit_5) {
  world w({"--repos", "1000", "--per-page-max", "50"}, ", max_pages: 4");
  ASSERT_EQ(w.gum({"github"}).exit_code, 0);  // creates the database
  std::string before = w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id");
  auto r = w.gum({"sync", "-t", "full"});
  expect_stopped(w, r, "the listing goes on past 4 pages (github.max_pages)", before);
  EXPECT_EQ(w.requests(), 4);
}

TEST(hostile_server, a_gzip_bomb_page_is_cut_at_the_page_budget) {
  world w({"--repos", "300"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  std::string before = w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id");
  // 64 MiB of JSON white space in about 64 KB of gzip; the page budget is 32 MiB.
  w.fault(R"({"kind": "gzip_bomb", "page": 2, "bytes": 67108864})");
  auto r = w.gum({"sync", "-t", "full"});
  expect_stopped(w, r, "decoded to more than 32 MiB (github.max_page_bytes)", before);
}

TEST(hostile_server, the_run_budget_stops_a_listing_that_decodes_to_more) {
  world w({"--repos", "1000"}, ", max_run_bytes: 512KiB");
  ASSERT_EQ(w.gum({"github"}).exit_code, 0);  // creates the database
  std::string before = w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id");
  auto r = w.gum({"sync", "-t", "full"});
  expect_stopped(w, r, "decoded to more than 512 KiB (github.max_run_bytes)", before);
}

TEST(hostile_server, a_200_kb_response_header_is_one_line_not_out_of_memory) {
  world w({"--repos", "300"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  std::string before = w.db("SELECT group_concat(full_name) FROM github_repos ORDER BY id");
  w.fault(R"({"kind": "huge_header", "page": 2, "bytes": 200000})");
  auto r = w.gum({"sync", "-t", "full"});
  expect_stopped(w, r, "reply header too large", before);
  EXPECT_EQ(r.err.find("Out of memory"), std::string::npos) << r.err;
}

TEST(hostile_server, the_budgets_are_read_strictly_from_config_yaml) {
  test_env env;
  auto load = [&](const std::string& yaml, config& cfg) {
    env.write_config(yaml);
    environment e;
    e.home = env.home();
    e.cwd = env.home();
    e.xdg_config_home = env.config_home();
    e.xdg_cache_home = env.cache_home();
    return load_config(e, std::nullopt, cfg);
  };
  config cfg;
  ASSERT_TRUE(load("github: {max_pages: 50, max_page_bytes: 8MiB, max_run_bytes: 1 GiB}\n", cfg).ok());
  EXPECT_EQ(cfg.github_max_pages, 50);
  EXPECT_EQ(cfg.github_max_page_bytes, int64_t{8} << 20);
  EXPECT_EQ(cfg.github_max_run_bytes, int64_t{1} << 30);
  config defaults;
  ASSERT_TRUE(load("github: {}\n", defaults).ok());
  EXPECT_EQ(defaults.github_max_pages, 2000);
  EXPECT_EQ(defaults.github_max_page_bytes, int64_t{32} << 20);
  EXPECT_EQ(defaults.github_max_run_bytes, int64_t{2} << 30);
  for (const char* bad : {"github: {max_page_bytes: 10 parsecs}\n", "github: {max_page_bytes: 1}\n",
                          "github: {max_run_bytes: -5MiB}\n", "github: {max_pages: 0}\n",
                          "github: {max_pages: many}\n", "github: {max_run_bytes: 99999999999TiB}\n"}) {
    config c;
    status st = load(bad, c);
    EXPECT_EQ(st.code, status_code::usage) << bad;
    EXPECT_NE(st.message.find("github.max_"), std::string::npos) << st.message;
  }
}

TEST(hostile_server, byte_sizes_parse_and_print_as_people_write_them) {
  int64_t n = 0;
  EXPECT_TRUE(parse_byte_size("32MiB", n));
  EXPECT_EQ(n, int64_t{32} << 20);
  EXPECT_TRUE(parse_byte_size(" 512 kb ", n));
  EXPECT_EQ(n, 512 << 10);
  EXPECT_TRUE(parse_byte_size("100", n));
  EXPECT_EQ(n, 100);
  EXPECT_FALSE(parse_byte_size("1.5GiB", n));
  EXPECT_FALSE(parse_byte_size("MiB", n));
  EXPECT_FALSE(parse_byte_size("9223372036854775807KiB", n));
  EXPECT_EQ(byte_size_text(int64_t{32} << 20), "32 MiB");
  EXPECT_EQ(byte_size_text(1536), "1.5 KiB");
  EXPECT_EQ(byte_size_text(100), "100 bytes");
}

}  // namespace
}  // namespace gum
