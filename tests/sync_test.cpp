// End-to-end tests of `gum sync`, `gum github` and project linking (SPEC §3.3, issue 5).
//
// Every test runs the built gum binary (tests/support/test_env.hpp) against its own
// gum_fixture_server child on a free loopback port, steered through /_fixture/ (faults,
// mutations, the request log). Atomicity is checked the strict way: a dump of every row of
// github_repos (or of the whole database, for --dry-run) taken before a failed run must equal
// the dump taken after it.

#include <httplib.h>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fixture_process.hpp"
#include "tests/support/test_env.hpp"


namespace gum {
namespace {

namespace json = boost::json;
using testing::lines_of;
using testing::run_result;
using testing::start_process;
using testing::test_env;
using clock_type = std::chrono::steady_clock;
using testing::wait_exit;

const std::string secret_token = "ghp_SyncTestSecret0123456789abcdefXYZ";

// A gum_fixture_server child on a free port, stopped on destruction.
class fixture {
 public:
  explicit fixture(std::vector<std::string> extra = {}) : process_(extra) {
    client_ = std::make_unique<httplib::Client>("127.0.0.1", process_.port());
    client_->set_connection_timeout(std::chrono::seconds(5));
    client_->set_read_timeout(std::chrono::seconds(10));
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  int port() const { return process_.port(); }
  std::string api_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  json::value post(const std::string& path, const std::string& body) {
    auto r = client_->Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(r && r->status == 200) << path << " " << body;
    boost::system::error_code ec;
    return r ? json::parse(r->body, ec) : json::value(nullptr);
  }
  json::value get(const std::string& path) {
    auto r = client_->Get(path.c_str());
    EXPECT_TRUE(r && r->status == 200) << path;
    boost::system::error_code ec;
    return r ? json::parse(r->body, ec) : json::value(nullptr);
  }
  void fault(const std::string& body) { post("/_fixture/fault", body); }
  void clear_faults() { post("/_fixture/clear-faults", "{}"); }
  void reset_log() { post("/_fixture/reset-log", "{}"); }
  json::array requests() {
    auto v = get("/_fixture/requests");
    return v.is_array() ? v.as_array() : json::array{};
  }
  json::value mutate(const std::string& body) { return post("/_fixture/mutate", body); }

 private:
  testing::fixture_process process_;
  std::unique_ptr<httplib::Client> client_;
};

// A test world: HOME, config, database, and a fixture server the gum binary talks to.
struct sync_world {
  test_env env;
  fixture server;

  explicit sync_world(std::vector<std::string> fixture_args = {}, std::string config = {})
      : server(std::move(fixture_args)) {
    env.vars["GH_TOKEN"] = secret_token;
    env.vars["GUM_GITHUB_API_URL"] = server.api_url();
    env.write_config("projects: [" + env.home() + "/projects]\n" +
                     "github: {token_command: /bin/false}\n" + config);
    testing::fs::create_directories(env.home() + "/projects");
  }
  run_result gum(const std::vector<std::string>& args, int timeout_s = 120) const {
    return env.gum(args, {}, timeout_s);
  }
};

// Every row of a query, each ended by `row_end`, columns separated by \x1f (NULL as \x1e).
std::string dump(const std::string& db_path, const std::string& sql, char row_end = '\n') {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open>";
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i) out += '\x1f';
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
          out += '\x1e';
        } else {
          auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          out.append(t, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
        }
      }
      out += row_end;
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::string repos_dump(const sync_world& w) {
  return dump(w.env.db_path(), "SELECT * FROM github_repos ORDER BY id");
}

// The schema and every row of every table: what `.dump` would show.
std::string whole_dump(const sync_world& w) {
  std::string out = dump(w.env.db_path(), "SELECT type, name, sql FROM sqlite_master ORDER BY name");
  for (const auto& line : lines_of(dump(w.env.db_path(),
                                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "ORDER BY name")))
    out += "== " + line + "\n" + dump(w.env.db_path(), "SELECT * FROM \"" + line + "\" ORDER BY rowid");
  return out;
}

int64_t count(const sync_world& w, const std::string& sql) {
  auto text = dump(w.env.db_path(), sql);
  return text.empty() ? -1 : std::atoll(text.c_str());
}

std::string last_run(const sync_world& w) {
  return dump(w.env.db_path(),
              "SELECT sync_type, status, coalesce(error, '') FROM sync_runs ORDER BY id DESC "
              "LIMIT 1");
}

// The JSON array in `text`, or an empty array (with a test failure) for anything else.
json::array parse_array(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) {
    ADD_FAILURE() << "not a JSON array: " << text.substr(0, 200);
    return {};
  }
  return std::move(v.as_array());
}

// Every listing page as the server serves it, by following Link (the ground truth).
std::vector<json::object> server_repos(fixture& f) {
  httplib::Client c("127.0.0.1", f.port());
  httplib::Headers h{{"Authorization", "Bearer x"}};
  std::vector<json::object> out;
  std::string target = "/user/repos?per_page=100&sort=pushed";
  while (!target.empty()) {
    auto r = c.Get(target.c_str(), h);
    if (!r || r->status != 200) {
      ADD_FAILURE() << "GET " << target;
      break;
    }
    for (auto& e : parse_array(r->body)) out.push_back(e.as_object());
    auto link = r->get_header_value("Link");
    target.clear();
    auto next = link.find(">; rel=\"next\"");
    if (next != std::string::npos) {
      auto open = link.rfind('<', next);
      auto url = link.substr(open + 1, next - open - 1);
      target = url.substr(url.find('/', url.find("://") + 3));
    }
  }
  return out;
}

std::string opt_text(const json::value& v) {
  return v.is_null() ? std::string("\x1e") : std::string(v.as_string());
}

std::string header(const json::value& request, const char* name) {
  const auto& h = request.at("headers").as_object();
  auto it = h.find(name);
  return it == h.end() ? std::string() : std::string(it->value().as_string());
}

// ---- full and incremental --------------------------------------------------------------------

TEST(sync, full_sync_stores_every_field_of_1234_repositories_over_13_pages) {
  sync_world w;
  auto r = w.gum({"sync", "-t", "full"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Sync completed (full): 1234 repositories, 1234 new, 0 updated, 0 removed; 13 pages, "
            "0 not modified\n");
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos"), 1234);

  auto log = w.server.requests();  // before server_repos adds its own requests
  auto truth = server_repos(w.server);
  ASSERT_EQ(truth.size(), 1234u);
  const std::string rows = dump(
      w.env.db_path(),
      "SELECT github_id, full_name, owner, name, description, topics, language, private, fork, "
      "archived, template, visibility, default_branch, license, stars, forks, open_issues, size, "
      "html_url, clone_url, ssh_url, created_at, updated_at, pushed_at, repo_key, languages, "
      "metadata_synced_at, last_synced IS NOT NULL FROM github_repos ORDER BY pushed_at DESC, "
      "github_id",
      '\x1d');  // descriptions hold newlines
  std::vector<std::string> lines;
  for (size_t pos = 0, end; (end = rows.find('\x1d', pos)) != std::string::npos; pos = end + 1)
    lines.push_back(rows.substr(pos, end - pos));
  ASSERT_EQ(lines.size(), truth.size());
  std::set<std::string> expected_lines;
  for (const auto& o : truth) {
    std::string topics = json::serialize(o.at("topics"));
    std::string license = "\x1e";
    if (!o.at("license").is_null()) {
      license = std::string(o.at("license").at("spdx_id").as_string());
      if (license == "NOASSERTION") license = std::string(o.at("license").at("key").as_string());
    }
    std::string full(o.at("full_name").as_string());
    std::string key = "github.com/" + full;  // the repository's own host, not the API's
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<std::string> cols = {
        std::to_string(o.at("id").as_int64()), full,
        std::string(o.at("owner").at("login").as_string()), std::string(o.at("name").as_string()),
        opt_text(o.at("description")), topics, opt_text(o.at("language")),
        o.at("private").as_bool() ? "1" : "0", o.at("fork").as_bool() ? "1" : "0",
        o.at("archived").as_bool() ? "1" : "0", o.at("is_template").as_bool() ? "1" : "0",
        std::string(o.at("visibility").as_string()),
        std::string(o.at("default_branch").as_string()), license,
        std::to_string(o.at("stargazers_count").as_int64()),
        std::to_string(o.at("forks_count").as_int64()),
        std::to_string(o.at("open_issues_count").as_int64()),
        std::to_string(o.at("size").as_int64()), std::string(o.at("html_url").as_string()),
        std::string(o.at("clone_url").as_string()), std::string(o.at("ssh_url").as_string()),
        std::string(o.at("created_at").as_string()), std::string(o.at("updated_at").as_string()),
        std::string(o.at("pushed_at").as_string()), key, "\x1e", "\x1e", "1"};
    std::string line;
    for (size_t i = 0; i < cols.size(); ++i) line += (i ? "\x1f" : "") + cols[i];
    expected_lines.insert(line);
  }
  size_t mismatches = 0;
  for (const auto& l : lines)
    if (!expected_lines.count(l) && ++mismatches <= 3) ADD_FAILURE() << "unexpected row: " << l;
  EXPECT_EQ(mismatches, 0u);

  // 13 pages fetched by following Link; each page's validator stored, with its next URL.
  EXPECT_EQ(log.size(), 13u);
  for (const auto& e : log) {
    const std::string target(e.at("target").as_string());
    EXPECT_EQ(target.rfind("/user/repos?per_page=100&sort=pushed", 0), 0u) << target;
    EXPECT_EQ(target.find("&page="), std::string::npos) << "built a page URL: " << target;
    EXPECT_EQ(header(e, "if-none-match"), "") << "full sync must not be conditional";
  }
  EXPECT_EQ(count(w, "SELECT count(*) FROM http_cache WHERE etag IS NOT NULL"), 13);
  EXPECT_EQ(count(w, "SELECT count(*) FROM http_cache WHERE next_url IS NOT NULL"), 12);
  EXPECT_EQ(last_run(w), "full\x1fok\x1f\n");
  EXPECT_EQ(dump(w.env.db_path(),
                 "SELECT pages, not_modified, repos_seen, added, updated, removed FROM sync_runs"),
            "13\x1f" "0\x1f" "1234\x1f" "1234\x1f" "0\x1f" "0\n");
  EXPECT_EQ(count(w, "SELECT item_count FROM cache_metadata WHERE cache_key = 'github'"), 1234);
}

TEST(sync, incremental_where_every_page_is_304_writes_nothing_but_its_run) {
  sync_world w;
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  const std::string before = repos_dump(w);
  const std::string others =
      dump(w.env.db_path(), "SELECT * FROM http_cache ORDER BY url") +
      dump(w.env.db_path(), "SELECT * FROM cache_metadata ORDER BY cache_key");
  w.server.reset_log();
  auto r = w.gum({"sync"});  // incremental is the default
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Sync completed (incremental): 1234 repositories, 0 new, 0 updated, 0 removed; 13 "
            "pages, 13 not modified\n");
  auto log = w.server.requests();
  ASSERT_EQ(log.size(), 13u) << "one request per page";
  for (const auto& e : log) {
    EXPECT_EQ(e.at("status").as_int64(), 304);
    EXPECT_NE(header(e, "if-none-match"), "");
  }
  EXPECT_EQ(repos_dump(w), before);
  EXPECT_EQ(dump(w.env.db_path(), "SELECT * FROM http_cache ORDER BY url") +
                dump(w.env.db_path(), "SELECT * FROM cache_metadata ORDER BY cache_key"),
            others);
  EXPECT_EQ(count(w, "SELECT count(*) FROM sync_runs"), 2);
  EXPECT_EQ(dump(w.env.db_path(),
                 "SELECT sync_type, status, pages, not_modified, added, updated FROM sync_runs "
                 "WHERE id = 2"),
            "incremental\x1fok\x1f" "13\x1f" "13\x1f" "0\x1f" "0\n");
  // `gum update` is the same command.
  r = w.gum({"update"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("13 not modified"), std::string::npos);
}

TEST(sync, requests_carry_the_headers_github_requires) {
  sync_world w;
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  auto log = w.server.requests();
  ASSERT_FALSE(log.empty());
  for (const auto& e : log) {
    EXPECT_EQ(header(e, "authorization"), "Bearer " + secret_token);
    EXPECT_EQ(header(e, "accept"), "application/vnd.github+json");
    EXPECT_EQ(header(e, "x-github-api-version"), "2022-11-28");
    EXPECT_EQ(header(e, "user-agent").rfind("gum/", 0), 0u) << header(e, "user-agent");
  }
}

TEST(sync, changed_added_and_removed_repositories_are_applied_and_removed_ones_unlink) {
  sync_world w({"--repos", "300"});
  auto truth = server_repos(w.server);
  ASSERT_EQ(truth.size(), 300u);
  const std::string kept(truth[10].at("full_name").as_string());
  const std::string gone(truth[200].at("full_name").as_string());
  const std::string projects = w.env.home() + "/projects";
  // The fixture serves github.com repositories: they link by their own host.
  test_env::make_repo(projects + "/kept", "https://github.com/" + kept + ".git");
  test_env::make_repo(projects + "/gone", "git@github.com:" + gone + ".git");
  ASSERT_EQ(w.gum({"projects", "--refresh"}).exit_code, 0);
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  EXPECT_EQ(count(w, "SELECT count(*) FROM projects WHERE github_repo_id IS NOT NULL"), 2);

  auto m = w.server.mutate("{\"remove\": [\"" + gone + "\"], \"update_count\": 3, \"add\": 2}");
  ASSERT_TRUE(m.is_object());
  std::set<std::string> updated;
  for (const auto& u : m.at("updated").as_array()) updated.emplace(u.as_string());

  // Incremental: the changed pages are applied; it cannot see the removal.
  auto r = w.gum({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("302 repositories, 2 new, 3 updated, 0 removed"), std::string::npos)
      << r.out;
  for (const auto& name : updated) {
    auto stars = dump(w.env.db_path(),
                      "SELECT stars FROM github_repos WHERE full_name = '" + name + "'");
    bool found = false;
    for (const auto& o : server_repos(w.server))
      if (o.at("full_name").as_string() == name) {
        EXPECT_EQ(stars, std::to_string(o.at("stargazers_count").as_int64()) + "\n");
        found = true;
      }
    EXPECT_TRUE(found) << name;
  }
  EXPECT_EQ(count(w, "SELECT count(*) FROM projects WHERE github_repo_id IS NOT NULL"), 2);

  // Full: the removed repository is deleted and its project unlinked, the other stays linked.
  r = w.gum({"sync", "-t", "full"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("301 repositories, 0 new, 0 updated, 1 removed"), std::string::npos)
      << r.out;
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos"), 301);
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos WHERE full_name = '" + gone + "'"), 0);
  r = w.gum({"projects", "-f", "json", "--with-github"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto list = parse_array(r.out);
  ASSERT_EQ(list.size(), 2u);
  for (const auto& p : list) {
    const std::string name(p.at("name").as_string());
    if (name == "kept") {
      ASSERT_TRUE(p.at("github").is_object()) << r.out;
      EXPECT_EQ(p.at("github").at("full_name").as_string(), kept);
    } else {
      EXPECT_TRUE(p.at("github").is_null()) << r.out;
    }
  }
  EXPECT_EQ(count(w, "SELECT item_count FROM cache_metadata WHERE cache_key = 'github'"), 301);
  EXPECT_EQ(dump(w.env.db_path(), "PRAGMA foreign_key_check"), "");
}

TEST(sync, projects_link_by_https_ssh_and_scp_remotes_in_any_case) {
  sync_world w({"--repos", "50"});
  auto truth = server_repos(w.server);
  const std::string a(truth[1].at("full_name").as_string());
  const std::string b(truth[2].at("full_name").as_string());
  const std::string c(truth[3].at("full_name").as_string());
  std::string upper_c = c;
  for (auto& ch : upper_c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string projects = w.env.home() + "/projects";
  // The fixture is at http://127.0.0.1:PORT but serves github.com repositories (html_url,
  // clone_url, ssh_url): projects link by the repositories' own host, never the API's.
  test_env::make_repo(projects + "/a", "https://github.com/" + a);
  test_env::make_repo(projects + "/b", "ssh://git@GitHub.com:22/" + b + ".git");
  test_env::make_repo(projects + "/c", "git@github.com:" + upper_c + ".git");
  test_env::make_repo(projects + "/other", "https://example.com/" + a + ".git");
  test_env::make_repo(projects + "/api-host", "https://127.0.0.1/" + a + ".git");
  // Synced first, refreshed second: linking happens on both sides.
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  auto r = w.gum({"projects", "--refresh", "-f", "json", "--with-github"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> linked;
  for (const auto& p : parse_array(r.out))
    linked[std::string(p.at("name").as_string())] =
        p.at("github").is_null() ? "" : std::string(p.at("github").at("full_name").as_string());
  EXPECT_EQ(linked["a"], a);
  EXPECT_EQ(linked["b"], b);
  EXPECT_EQ(linked["c"], c);
  EXPECT_EQ(linked["other"], "") << "another host must not link";
  EXPECT_EQ(linked["api-host"], "") << "the API's host is not the repositories' host";
  // `gum github` shows the local path of cloned repositories.
  r = w.gum({"github", "-f", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int with_path = 0;
  for (const auto& e : parse_array(r.out)) {
    if (e.at("local_path").is_null()) continue;
    ++with_path;
    if (e.at("full_name").as_string() == a) {
      EXPECT_EQ(e.at("local_path").as_string(), projects + "/a");
    }
  }
  EXPECT_EQ(with_path, 3);
}

// Issue 13, item 6: a remote written with an insteadOf prefix (from the user's global git
// config in this test's HOME, or the repository's own) shows as git shows it, and links.
TEST(sync, remotes_written_with_insteadof_prefixes_show_rewritten_and_link) {
  sync_world w({"--repos", "20"});
  auto truth = server_repos(w.server);
  const std::string a(truth[1].at("full_name").as_string());
  const std::string b(truth[2].at("full_name").as_string());
  const std::string projects = w.env.home() + "/projects";
  test_env::write_file(w.env.home() + "/.gitconfig",
                       "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n"
                       "[url \"https://example.com/\"]\n\tinsteadOf = gh:elsewhere/\n");
  test_env::make_repo(projects + "/a", "gh:" + a);
  test_env::make_repo(projects + "/b");
  test_env::write_file(projects + "/b/.git/config",
                       "[remote \"origin\"]\n\turl = work:" + b + ".git\n"
                       "[url \"git@github.com:\"]\n\tinsteadOf = work:\n");
  test_env::make_repo(projects + "/c", "gh:elsewhere/" + a);
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  auto r = w.gum({"projects", "--refresh", "-f", "json", "--with-github"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::pair<std::string, std::string>> seen;  // name -> remote, linked
  for (const auto& p : parse_array(r.out))
    seen[std::string(p.at("name").as_string())] = {
        std::string(p.at("remote").as_string()),
        p.at("github").is_null() ? "" : std::string(p.at("github").at("full_name").as_string())};
  EXPECT_EQ(seen["a"], std::make_pair("https://github.com/" + a, a));
  EXPECT_EQ(seen["b"], std::make_pair("git@github.com:" + b + ".git", b));
  EXPECT_EQ(seen["c"], std::make_pair("https://example.com/" + a, std::string()))
      << "the longest prefix wins";
}

// ---- failures leave github_repos as it was ---------------------------------------------------

// Syncs fully once, injects `fault`, runs `args` and checks exit code, message and that
// github_repos did not change. Returns the failed run's result.
run_result expect_failed_run(sync_world& w, const std::string& fault, int exit_code,
                             const std::string& message,
                             std::vector<std::string> args = {"sync", "-t", "full"}) {
  EXPECT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  w.server.mutate("{\"update_count\": 5, \"add\": 1}");  // so a run that succeeds would write
  const std::string before = repos_dump(w);
  w.server.fault(fault);
  auto r = w.gum(args);
  EXPECT_EQ(r.exit_code, exit_code) << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(repos_dump(w), before) << "github_repos changed after a failed run";
  auto run = last_run(w);
  EXPECT_EQ(run.rfind(args[2] + "\x1f" "failed\x1f", 0), 0u) << run;
  w.server.clear_faults();
  return r;
}

TEST(sync_faults, a_502_twice_then_ok_succeeds) {
  sync_world w({"--repos", "300"});
  w.server.fault("{\"kind\": \"status\", \"status\": 502, \"page\": 2, \"times\": 2}");
  auto r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos"), 300);
  EXPECT_EQ(last_run(w), "full\x1fok\x1f\n");
}

TEST(sync_faults, a_502_forever_exits_5_and_changes_nothing) {
  sync_world w({"--repos", "300"});
  expect_failed_run(w, "{\"kind\": \"status\", \"status\": 502, \"page\": 2}", 5, "HTTP 502");
}

TEST(sync_faults, truncated_json_exits_5_and_changes_nothing) {
  sync_world w({"--repos", "300"});
  expect_failed_run(w, "{\"kind\": \"truncated\", \"page\": 3}", 5, "malformed");
}

TEST(sync_faults, wrong_json_types_exit_5_and_change_nothing) {
  sync_world w({"--repos", "300"});
  expect_failed_run(w, "{\"kind\": \"wrong_type\", \"page\": 2}", 5, "malformed");
  expect_failed_run(w, "{\"kind\": \"object\", \"page\": 3}", 5, "malformed");
  expect_failed_run(w, "{\"kind\": \"malformed\", \"page\": 1}", 5, "malformed");
}

TEST(sync_faults, a_hang_past_the_timeout_exits_5_and_changes_nothing) {
  sync_world w({"--repos", "300"});
  w.env.write_config("projects: [" + w.env.home() + "/projects]\n" +
                     "github: {token_command: /bin/false, timeout: 1s}\n");
  expect_failed_run(w, "{\"kind\": \"hang\", \"page\": 2, \"ms\": 4000}", 5, "timed out");
}

TEST(sync_faults, a_401_exits_5_names_the_token_problem_and_changes_nothing) {
  sync_world w({"--repos", "300"});
  auto r = expect_failed_run(w, "{\"kind\": \"unauthorized\", \"page\": 2}", 5, "401");
  EXPECT_NE(r.err.find("GH_TOKEN"), std::string::npos) << r.err;
}

TEST(sync_faults, a_rate_limit_with_a_short_reset_waits_and_succeeds) {
  sync_world w({"--repos", "300"});
  w.server.fault("{\"kind\": \"rate_limit\", \"page\": 2, \"reset_in\": 3}");
  auto r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos"), 300);
  // Page 2 was refused (403, remaining 0) and asked again after the reset.
  std::vector<int64_t> page2;
  for (const auto& e : w.server.requests())
    if (std::string(e.at("target").as_string()).find("cursor=") != std::string::npos &&
        (page2.empty() || page2.back() != 200))
      page2.push_back(e.at("status").as_int64());
  ASSERT_GE(page2.size(), 2u);
  EXPECT_EQ(page2.front(), 403);
  EXPECT_EQ(page2.back(), 200);
  // A secondary limit (429 with retry-after) is waited out the same way.
  w.server.fault("{\"kind\": \"retry_after\", \"page\": 3, \"seconds\": 1, \"times\": 1}");
  r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(sync_faults, a_rate_limit_with_a_long_reset_exits_5_naming_the_reset_time) {
  sync_world w({"--repos", "300"});
  auto r = expect_failed_run(w, "{\"kind\": \"rate_limit\", \"page\": 2, \"reset_in\": 3600}", 5,
                             "resets at", {"sync", "-t", "full", "--max-wait", "5"});
  EXPECT_NE(r.err.find("--max-wait"), std::string::npos) << r.err;
}

TEST(sync_faults, a_failed_incremental_run_also_changes_nothing) {
  sync_world w({"--repos", "300"});
  expect_failed_run(w, "{\"kind\": \"truncated\", \"page\": 3}", 5, "malformed",
                    {"sync", "-t", "incremental"});
}

TEST(sync_faults, sigterm_during_a_hanging_sync_exits_143_and_applies_nothing) {
  sync_world w({"--repos", "300"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  w.server.mutate("{\"update_count\": 5}");
  const std::string before = repos_dump(w);
  for (int sig : {SIGTERM, SIGINT}) {
    w.server.fault("{\"kind\": \"hang\", \"page\": 2, \"ms\": 30000, \"times\": 1}");
    w.server.reset_log();
    const std::string out_file = w.env.root() + "/out.txt", err_file = w.env.root() + "/err.txt";
    pid_t pid = start_process({GUM_BINARY, "sync", "-t", "full"}, w.env.environment(), out_file,
                              err_file);
    ASSERT_GT(pid, 0);
    // Wait until the second page is being served (and hangs).
    const auto deadline = clock_type::now() + std::chrono::seconds(20);
    while (clock_type::now() < deadline) {
      auto stats = w.server.get("/_fixture/stats");
      if (stats.is_object() && stats.at("in_flight").as_int64() >= 1 &&
          stats.at("requests").as_int64() >= 2)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto t0 = clock_type::now();
    kill(pid, sig);
    auto status = wait_exit(pid, 10000);
    if (!status) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      FAIL() << "gum did not stop after signal " << sig;
    }
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0).count(),
              5000);
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), sig == SIGTERM ? 143 : 130);
    EXPECT_EQ(test_env::read_file(err_file), "gum: interrupted\n");
    EXPECT_EQ(test_env::read_file(out_file), "");
    EXPECT_EQ(repos_dump(w), before);
    EXPECT_EQ(last_run(w), "full\x1finterrupted\x1finterrupted\n");
    w.server.clear_faults();
  }
}

// ---- dry run, token, metadata, gum github ----------------------------------------------------

TEST(sync, dry_run_prints_the_changes_and_writes_nothing_at_all) {
  sync_world w({"--repos", "300"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  auto m = w.server.mutate("{\"update_count\": 2, \"add\": 1, \"remove_count\": 1}");
  const std::string added(m.at("added").as_array()[0].as_string());
  const std::string removed(m.at("removed").as_array()[0].as_string());
  const std::string before = whole_dump(w);
  auto r = w.gum({"sync", "-t", "full", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "+ " + added), lines.end()) << r.out;
  EXPECT_NE(std::find(lines.begin(), lines.end(), "- " + removed), lines.end()) << r.out;
  for (const auto& u : m.at("updated").as_array())
    EXPECT_NE(std::find(lines.begin(), lines.end(), "~ " + std::string(u.as_string())),
              lines.end())
        << r.out;
  EXPECT_EQ(lines.back(),
            "Sync dry run (full): 300 repositories, 1 new, 2 updated, 1 removed; 3 pages, 0 not "
            "modified; nothing was written");
  r = w.gum({"sync", "-n"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing was written"), std::string::npos);
  // A failing dry run records nothing either.
  w.server.fault("{\"kind\": \"truncated\", \"page\": 2, \"times\": 1}");
  EXPECT_EQ(w.gum({"sync", "-t", "full", "-n"}).exit_code, 5);
  EXPECT_EQ(whole_dump(w), before);
  // The real run then does what the dry run said.
  r = w.gum({"sync", "-t", "full"});
  EXPECT_NE(r.out.find("1 new, 2 updated, 1 removed"), std::string::npos) << r.out;
}

TEST(sync, no_token_exits_2_with_a_hint) {
  sync_world w({"--repos", "10"});
  w.env.vars.erase("GH_TOKEN");
  auto r = w.gum({"sync"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("gum: no GitHub token\ngum: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("GH_TOKEN"), std::string::npos);
  EXPECT_TRUE(w.server.requests().empty());
}

TEST(sync, the_token_comes_from_github_token_or_the_token_command) {
  sync_world w({"--repos", "10", "--token", "from-github-token"});
  w.env.vars.erase("GH_TOKEN");
  w.env.vars["GITHUB_TOKEN"] = "from-github-token";
  auto r = w.gum({"sync"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  w.env.vars.erase("GITHUB_TOKEN");
  w.env.write_config("github: {token_command: echo from-github-token}\n");
  r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  w.env.write_config("github: {token_command: echo wrong-token}\n");
  r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
}

TEST(sync, the_token_never_appears_in_any_output_even_with_debug) {
  sync_world w({"--repos", "120"});
  std::string all;
  auto run = [&](std::vector<std::string> args) {
    auto r = w.gum(args);
    all += r.out + r.err;
    return r;
  };
  auto r = run({"--debug", "sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("gum: debug: GET "), std::string::npos) << "debug log expected";
  run({"--debug", "sync"});
  run({"--debug", "sync", "-t", "metadata", "-j", "4"});
  // An error body that echoes the token (the message is quoted in gum's error line).
  w.server.fault("{\"kind\": \"status\", \"status\": 422, \"page\": 2, \"message\": \"" +
                 secret_token + "\"}");
  EXPECT_EQ(run({"--debug", "sync", "-t", "full"}).exit_code, 5);
  w.server.clear_faults();
  w.server.fault("{\"kind\": \"unauthorized\", \"page\": 1}");
  EXPECT_EQ(run({"--debug", "sync", "-n"}).exit_code, 5);
  run({"--debug", "github", "-f", "json"});
  EXPECT_EQ(all.find(secret_token), std::string::npos);
  EXPECT_EQ(all.find(secret_token.substr(4, 20)), std::string::npos);
  EXPECT_EQ(test_env::read_file(w.env.db_path()).find(secret_token), std::string::npos);
}

TEST(sync, the_token_is_never_sent_over_plain_http_to_a_remote_host) {
  sync_world w({"--repos", "10"});
  w.env.vars["GUM_GITHUB_API_URL"] = "http://192.0.2.1:9";
  auto r = w.gum({"sync", "-t", "full"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("plain http"), std::string::npos) << r.err;
}

TEST(sync, metadata_fetches_languages_of_pushed_repositories_with_etags) {
  sync_world w({"--repos", "120"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  w.server.reset_log();
  auto r = w.gum({"sync", "-t", "metadata", "-j", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Sync completed (metadata): 120 repositories, 120 updated; 120 requests, 0 "
                   "not modified\n");
  EXPECT_LE(w.server.get("/_fixture/stats").at("max_in_flight").as_int64(), 3);
  EXPECT_EQ(count(w, "SELECT count(*) FROM github_repos WHERE languages IS NULL OR "
                     "metadata_synced_at IS NULL"),
            0);
  EXPECT_EQ(count(w, "SELECT item_count FROM cache_metadata WHERE cache_key = "
                     "'github_metadata'"),
            120);
  auto lang = dump(w.env.db_path(),
                   "SELECT language, json_extract(languages, '$.' || json_quote(language)) > 0 "
                   "FROM github_repos WHERE language IS NOT NULL LIMIT 1");
  EXPECT_NE(lang.find("\x1f" "1"), std::string::npos) << lang;
  // Nothing pushed since: nothing to fetch.
  w.server.reset_log();
  r = w.gum({"sync", "-t", "metadata"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(w.server.requests().empty());
  // Pushed repositories are fetched again, with the stored ETag.
  w.server.mutate("{\"update_count\": 2}");
  ASSERT_EQ(w.gum({"sync"}).exit_code, 0);
  w.server.reset_log();
  r = w.gum({"sync", "-t", "metadata"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto log = w.server.requests();
  ASSERT_EQ(log.size(), 2u);
  for (const auto& e : log) {
    EXPECT_NE(std::string(e.at("target").as_string()).find("/languages"), std::string::npos);
    EXPECT_NE(header(e, "if-none-match"), "");
  }
}

TEST(github_command, before_the_first_sync_prints_nothing_and_hints) {
  sync_world w({"--repos", "10"});
  auto r = w.gum({"github"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "gum: no GitHub data yet; run `gum sync`\n");
  EXPECT_TRUE(w.server.requests().empty()) << "gum github never calls the network";
}

TEST(github_command, filters_sorts_and_formats_offline) {
  sync_world w({"--repos", "200"});
  ASSERT_EQ(w.gum({"sync", "-t", "full"}).exit_code, 0);
  w.server.reset_log();
  auto truth = server_repos(w.server);
  w.server.reset_log();
  auto r = w.gum({"github", "-f", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto all = parse_array(r.out);
  ASSERT_EQ(all.size(), 200u);
  for (const char* key : {"full_name", "owner", "name", "description", "language", "topics",
                          "stars", "forks", "private", "fork", "archived", "pushed_at",
                          "html_url", "local_path"})
    EXPECT_TRUE(all[0].as_object().contains(key)) << key;

  r = w.gum({"github", "-f", "json", "--archived"});
  auto archived = parse_array(r.out);
  EXPECT_GT(archived.size(), 0u);
  for (const auto& e : archived) EXPECT_TRUE(e.at("archived").as_bool());
  r = w.gum({"github", "-f", "json", "--no-archived"});
  EXPECT_EQ(parse_array(r.out).size() + archived.size(), 200u);

  std::string language;
  for (const auto& e : all)
    if (!e.at("language").is_null()) language = std::string(e.at("language").as_string());
  r = w.gum({"github", "-f", "simple", "--language", language});
  EXPECT_FALSE(r.out.empty());
  for (const auto& e : all) {
    bool listed = r.out.find(std::string(e.at("full_name").as_string()) + "\n") != std::string::npos;
    bool match = !e.at("language").is_null() && e.at("language").as_string() == language;
    EXPECT_EQ(listed, match) << e.at("full_name");
  }

  std::string topic;
  for (const auto& e : all)
    if (!e.at("topics").as_array().empty())
      topic = std::string(e.at("topics").as_array()[0].as_string());
  r = w.gum({"github", "-f", "json", "--topic", topic});
  for (const auto& e : parse_array(r.out)) {
    bool has = false;
    for (const auto& t : e.at("topics").as_array()) has = has || t.as_string() == topic;
    EXPECT_TRUE(has);
  }

  r = w.gum({"github", "-f", "json", "--sort", "stars", "-n", "5"});
  auto top = parse_array(r.out);
  ASSERT_EQ(top.size(), 5u);
  for (size_t i = 1; i < top.size(); ++i)
    EXPECT_GE(top[i - 1].at("stars").as_int64(), top[i].at("stars").as_int64());

  const std::string one(all[7].at("name").as_string());
  r = w.gum({"github", "-f", "simple", "-s", one});
  EXPECT_NE(r.out.find(std::string(all[7].at("full_name").as_string())), std::string::npos);

  EXPECT_EQ(w.gum({"github", "-f", "yaml"}).exit_code, 2);
  EXPECT_EQ(w.gum({"github", "--sort", "size"}).exit_code, 2);
  EXPECT_EQ(w.gum({"github", "--archived", "--no-archived"}).exit_code, 2);
  EXPECT_EQ(w.gum({"sync", "-t", "partial"}).exit_code, 2);
  EXPECT_TRUE(w.server.requests().empty()) << "gum github never calls the network";
}

}  // namespace
}  // namespace gum
