// gum_fixture_server: a loopback fake of the GitHub REST API, for gum's sync tests and for
// `gum stress` (SPEC §3.3, §3.5).
//
// Why it is built this way:
// - It is a separate process, not an in-test thread, so that tests and the stress harness talk to
//   it exactly as gum talks to GitHub: over TCP, through libcurl, with real timeouts. It prints
//   `port=N` once it is bound, and it dies with its parent (getppid() is polled every 200 ms), so a
//   crashed test can never leak a server.
// - The repositories are synthetic but realistic and deterministic for a seed: nulls, unicode,
//   emoji, quotes, other owners, forks, archived and private repositories, all ordered by
//   pushed_at descending as `sort=pushed` promises.
// - Pagination uses opaque cursors in the `Link` header, so a client that builds page URLs itself
//   fails; `page=` is rejected outright. A 304 carries no Link header, so clients must remember
//   the next URLs they saw earlier.
// - Page bodies and their ETags are serialized once and cached until a mutation, because the
//   benchmark "full sync of 5000 repos under 1 s" includes this server's time.
// - Everything a test needs to provoke is reachable over HTTP under /_fixture/: the request log,
//   concurrency statistics, mutations between syncs and injectable faults (error statuses, cut and
//   malformed bodies, hangs, rate limits, ...). Control requests are not logged or counted.
// - No exception leaves a handler: bad control input is a 400 with a JSON message.

// Debian's libcpp-httplib is compiled with these, and they change the layout of httplib's classes;
// defining them here keeps this file ABI-compatible even if the build forgets the pkg-config flags.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif
#include <httplib.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace gum {
namespace {

namespace json = boost::json;

constexpr long rate_limit_total = 5000;
constexpr int64_t base_pushed_epoch = 1717200000;  // 2024-06-01T00:00:00Z
constexpr int64_t user_owner_id = 583231;
constexpr int64_t org_owner_id = 9919;
constexpr int64_t other_org_owner_id = 44101;
constexpr std::string_view json_type = "application/json; charset=utf-8";
constexpr std::string_view docs_url = "https://docs.github.com/rest";
constexpr size_t max_log_entries = 200000;

struct server_options {
  int port = 0;
  long repos = 1234;
  std::string owner = "fixture-user";
  uint64_t seed = 42;
  int per_page_max = 100;
  std::string token;  // empty: any non-empty bearer token is accepted
  int threads = 16;
};

// ---- deterministic randomness -----------------------------------------------------------------

// splitmix64 finalizer: a cheap, well-mixed hash of one 64-bit value.
uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct rng {
  uint64_t state;
  uint64_t next() { return mix64(state++); }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  template <class T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
};

// FNV-1a over a byte string, from a chosen offset basis.
uint64_t fnv1a(std::string_view s, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex(uint64_t v, int digits) {
  static const char* const d = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = d[v & 15];
  return out;
}

// A strong ETag derived from the exact bytes of a body.
std::string etag_of(std::string_view body) {
  return "\"" + hex(fnv1a(body, 0xcbf29ce484222325ULL), 16) +
         hex(fnv1a(body, 0x84222325cbf29ce4ULL) ^ body.size(), 16) + "\"";
}

std::string rfc3339(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int64_t now_epoch() {
  return static_cast<int64_t>(std::time(nullptr));
}

// The first whole unix second by which `seconds` from now have surely passed: rounded UP from
// the nanosecond clock. now_epoch() + seconds would be up to a second short when asked late in a
// second, so a reset a test asked to last one second could already have passed.
int64_t epoch_after(long seconds) {
  const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     static_cast<int64_t>(seconds) * 1000000000LL;
  return ns / 1000000000LL + (ns % 1000000000LL > 0 ? 1 : 0);
}

// ---- synthetic repositories -------------------------------------------------------------------

const char* const adjectives[] = {"fast",  "tiny",   "async",  "lazy",  "robust", "quantum",
                                  "rusty", "shiny",  "tidy",   "brave", "silent", "hyper",
                                  "micro", "golden", "cosmic", "plain"};
const char* const nouns[] = {"parser",   "cache",    "router", "kernel", "shell",  "notes",
                             "dotfiles", "compiler", "game",   "api",    "engine", "toolkit",
                             "bot",      "daemon",   "index",  "sandbox"};
const char* const languages[] = {"C++",         "C",          "Rust",       "Go",
                                 "Python",      "TypeScript", "JavaScript", "Shell",
                                 "Java",        "Kotlin",     "Swift",      "Ruby",
                                 "Haskell",     "Lua",        "Zig",        "Jupyter Notebook",
                                 "Objective-C", "C#",         "Vim Script"};
const char* const topic_words[] = {
    "cli", "cpp",    "rust", "database", "sqlite",        "actor-model",      "github",
    "tui", "neovim", "wasm", "embedded", "hacktoberfest", "machine-learning", "devtools",
    "zsh", "linux"};
const char* const odd_descriptions[] = {
    "Ünïcödé — 日本語のテキスト 🚀✨",
    "Handles \"quoted\" input, 'single quotes' and back\\slashes",
    "<script>alert('x')</script> & other HTML <b>entities</b>",
    "Line one\nLine two\ttabbed",
    "🦀🦀🦀",
    "مرحبا بالعالم — right-to-left text",
    "Zero\xE2\x80\x8Bwidth space and combining e\xCC\x81",
    "",
    "Emoji with modifiers 👩🏽‍💻 and flags 🇯🇵",
    "A {\"json\": [\"looking\"]} description, 100% not JSON",
};

struct license_info {
  const char* key;
  const char* name;
  const char* spdx_id;
};
const license_info licenses[] = {
    {"mit", "MIT License", "MIT"},
    {"apache-2.0", "Apache License 2.0", "Apache-2.0"},
    {"gpl-3.0", "GNU General Public License v3.0", "GPL-3.0"},
    {"bsd-3-clause", "BSD 3-Clause \"New\" or \"Revised\" License", "BSD-3-Clause"},
    {"other", "Other", "NOASSERTION"},
};

struct repo {
  int64_t id = 0;
  std::string owner;
  int64_t owner_id = 0;
  bool owner_is_org = false;
  std::string name;
  bool is_private = false;
  bool fork = false;
  bool archived = false;
  bool is_template = false;
  std::string visibility;
  std::optional<std::string> description;
  std::vector<std::string> topics;
  std::optional<std::string> language;
  std::string default_branch;
  int license = -1;  // index into licenses, -1 for null
  int64_t stars = 0;
  int64_t forks = 0;
  int64_t open_issues = 0;
  int64_t size_kb = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t pushed_at = 0;
  std::string json;  // cached serialization, refreshed whenever a field changes

  std::string full_name() const { return owner + "/" + name; }
};

// Builds the GitHub-shaped JSON object for a repository.
json::object repo_object(const repo& r) {
  const std::string full = r.full_name();
  json::object owner;
  owner["login"] = r.owner;
  owner["id"] = r.owner_id;
  owner["node_id"] = "MDQ6VXNlcj" + std::to_string(r.owner_id);
  owner["html_url"] = "https://github.com/" + r.owner;
  owner["type"] = r.owner_is_org ? "Organization" : "User";
  owner["site_admin"] = false;

  json::object o;
  o["id"] = r.id;
  o["node_id"] = "R_kgDO" + std::to_string(r.id);
  o["name"] = r.name;
  o["full_name"] = full;
  o["private"] = r.is_private;
  o["owner"] = std::move(owner);
  o["html_url"] = "https://github.com/" + full;
  if (r.description)
    o["description"] = *r.description;
  else
    o["description"] = nullptr;
  o["fork"] = r.fork;
  o["url"] = "https://api.github.com/repos/" + full;
  o["created_at"] = rfc3339(r.created_at);
  o["updated_at"] = rfc3339(r.updated_at);
  o["pushed_at"] = rfc3339(r.pushed_at);
  o["git_url"] = "git://github.com/" + full + ".git";
  o["ssh_url"] = "git@github.com:" + full + ".git";
  o["clone_url"] = "https://github.com/" + full + ".git";
  o["homepage"] = nullptr;
  o["size"] = r.size_kb;
  o["stargazers_count"] = r.stars;
  o["watchers_count"] = r.stars;
  if (r.language)
    o["language"] = *r.language;
  else
    o["language"] = nullptr;
  o["forks_count"] = r.forks;
  o["archived"] = r.archived;
  o["disabled"] = false;
  o["open_issues_count"] = r.open_issues;
  if (r.license >= 0) {
    const license_info& l = licenses[r.license];
    json::object lic;
    lic["key"] = l.key;
    lic["name"] = l.name;
    lic["spdx_id"] = l.spdx_id;
    lic["url"] = std::string("https://api.github.com/licenses/") + l.key;
    o["license"] = std::move(lic);
  } else {
    o["license"] = nullptr;
  }
  o["allow_forking"] = true;
  o["is_template"] = r.is_template;
  json::array topics;
  for (const auto& t : r.topics) topics.emplace_back(t);
  o["topics"] = std::move(topics);
  o["visibility"] = r.visibility;
  o["forks"] = r.forks;
  o["open_issues"] = r.open_issues;
  o["watchers"] = r.stars;
  o["default_branch"] = r.default_branch;
  json::object perms;
  perms["admin"] = !r.owner_is_org;
  perms["maintain"] = true;
  perms["push"] = true;
  perms["triage"] = true;
  perms["pull"] = true;
  o["permissions"] = std::move(perms);
  return o;
}

void refresh_json(repo& r) {
  r.json = json::serialize(repo_object(r));
}

// Generates repository number `index` for a seed; pushed_at is supplied by the caller so that the
// list stays sorted.
repo make_repo(const server_options& opt, int64_t index, int64_t pushed_at) {
  rng g{mix64(opt.seed * 0x2545f4914f6cdd1dULL + static_cast<uint64_t>(index))};
  repo r;
  r.id = 100000000 + index * 13 + 1;
  const uint64_t who = g.below(100);
  if (who < 10) {
    r.owner = "fixture-org";
    r.owner_id = org_owner_id;
    r.owner_is_org = true;
  } else if (who < 13) {
    r.owner = "Acme-Corp";
    r.owner_id = other_org_owner_id;
    r.owner_is_org = true;
  } else {
    r.owner = opt.owner;
    r.owner_id = user_owner_id;
  }
  const std::string adj = g.pick(adjectives);
  const std::string noun = g.pick(nouns);
  const uint64_t style = g.below(20);
  if (style == 0)
    r.name = "Dot." + noun + "_" + std::to_string(index);
  else if (style == 1)
    r.name = "My" + adj + "-" + noun + "-" + std::to_string(index);
  else
    r.name = adj + "-" + noun + "-" + std::to_string(index);
  r.is_private = g.chance(25);
  r.visibility =
      r.is_private ? (r.owner_is_org && g.chance(30) ? "internal" : "private") : "public";
  r.fork = g.chance(10);
  r.archived = g.chance(7);
  r.is_template = g.chance(3);
  const uint64_t d = g.below(100);
  if (d < 15)
    r.description = std::nullopt;
  else if (d < 40)
    r.description = std::string(g.pick(odd_descriptions));
  else if (d < 45)
    r.description = std::string(300, 'x').replace(0, 12, "Long text: ");
  else
    r.description = "A " + adj + " " + noun + " for everyday work";
  const uint64_t ntopics = g.chance(40) ? 0 : 1 + g.below(4);
  for (uint64_t i = 0; i < ntopics; ++i) {
    std::string t = g.pick(topic_words);
    if (std::find(r.topics.begin(), r.topics.end(), t) == r.topics.end()) r.topics.push_back(t);
  }
  if (!g.chance(12)) r.language = std::string(g.pick(languages));
  const uint64_t b = g.below(100);
  r.default_branch = b < 80 ? "main" : b < 95 ? "master" : "develop";
  r.license = g.chance(30) ? -1 : static_cast<int>(g.below(std::size(licenses)));
  r.stars = g.chance(50) ? static_cast<int64_t>(g.below(10)) : static_cast<int64_t>(g.below(50000));
  r.forks = static_cast<int64_t>(g.below(static_cast<uint64_t>(r.stars) / 5 + 1));
  r.open_issues = static_cast<int64_t>(g.below(200));
  r.size_kb = 1 + static_cast<int64_t>(g.below(200000));
  r.pushed_at = pushed_at;
  r.created_at = pushed_at - 86400 - static_cast<int64_t>(g.below(3 * 365 * 86400));
  r.updated_at = pushed_at + static_cast<int64_t>(g.below(600));
  refresh_json(r);
  return r;
}

// The /languages object for a repository: its main language and perhaps a few others.
std::string languages_body(const repo& r) {
  json::object o;
  if (r.language) {
    const uint64_t h = mix64(static_cast<uint64_t>(r.id) ^ static_cast<uint64_t>(r.size_kb));
    o[*r.language] = r.size_kb * 700 + static_cast<int64_t>(h % 1000);
    if (h % 3 == 0 && *r.language != "Shell") o["Shell"] = static_cast<int64_t>(h % 9000) + 120;
    if (h % 5 == 0 && *r.language != "CMake") o["CMake"] = static_cast<int64_t>(h % 4000) + 64;
  }
  return json::serialize(o);
}

std::string topics_body(const repo& r) {
  json::array names;
  for (const auto& t : r.topics) names.emplace_back(t);
  json::object o;
  o["names"] = std::move(names);
  return json::serialize(o);
}

std::string message_body(std::string_view message) {
  json::object o;
  o["message"] = message;
  o["documentation_url"] = docs_url;
  return json::serialize(o);
}

// ---- faults -------------------------------------------------------------------------------------

struct fault {
  long id = 0;
  std::string kind;
  int status = 502;
  long page = 0;  // 0: any request; otherwise only that listing page
  std::string path_prefix;
  long times = -1;  // -1: unlimited
  long ms = 60000;
  long seconds = 1;
  int64_t reset_epoch = 0;
  std::string message;
};

bool known_fault_kind(const std::string& k) {
  static const char* const kinds[] = {"status",      "truncated",    "disconnect", "malformed",
                                      "object",      "wrong_type",   "hang",       "rate_limit",
                                      "retry_after", "unauthorized", "empty",      "huge"};
  return std::find(std::begin(kinds), std::end(kinds), k) != std::end(kinds);
}

// Reads an integer member of a JSON object; false when present but not an integer.
bool read_int(const json::object& o, std::string_view key, long& out) {
  const json::value* v = o.if_contains(key);
  if (!v) return true;
  boost::system::error_code ec;
  const auto n = v->to_number<int64_t>(ec);
  if (ec) return false;
  out = static_cast<long>(n);
  return true;
}

bool read_string(const json::object& o, std::string_view key, std::string& out) {
  const json::value* v = o.if_contains(key);
  if (!v) return true;
  if (!v->is_string()) return false;
  out = std::string(v->as_string());
  return true;
}

bool read_names(const json::object& o, std::string_view key, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(key);
  if (!v) return true;
  if (!v->is_array()) return false;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return false;
    out.emplace_back(e.as_string());
  }
  return true;
}

// ---- the server state ---------------------------------------------------------------------------

struct page_view {
  std::string body;
  std::string etag;
  std::string link;
  size_t offset = 0;
  size_t count = 0;
};

struct log_entry {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  int status = 0;
};

struct rate_snapshot {
  long limit = rate_limit_total;
  long remaining = rate_limit_total;
  int64_t reset = 0;
};

// All mutable state of the fixture. Thread-safe: every public member locks what it touches.
class fixture_state {
 public:
  explicit fixture_state(server_options opt) : opt_(std::move(opt)) {
    rate_reset_ = epoch_after(3600);
    regenerate(opt_.repos);
  }

  const server_options& options() const { return opt_; }
  void set_port(int port) { port_ = port; }
  std::atomic<bool>& stopping() { return stopping_; }

  // Returns the listing page of `per_page` repos starting at `offset`.
  page_view listing_page(size_t per_page, size_t offset) {
    std::lock_guard<std::mutex> lock(data_mu_);
    const size_t total = repos_.size();
    if (offset % per_page == 0 && offset < total) {
      auto& pages = pages_[per_page];
      if (!pages) pages = build_pages(per_page);
      return (*pages)[offset / per_page];
    }
    return make_page(per_page, offset);
  }

  // The page's repositories with ~50 KB descriptions, for the `huge` fault.
  std::string huge_body(size_t offset, size_t count) {
    std::string big;
    const std::string chunk = "Lorem ipsum — ünïcødé 🚀 \"quoted\" \\ ";
    while (big.size() < 50000) big += chunk;
    std::lock_guard<std::mutex> lock(data_mu_);
    if (offset >= repos_.size()) offset = 0;
    count = std::min<size_t>(std::max<size_t>(count, 1), 100);
    const size_t end = std::min(repos_.size(), offset + count);
    json::array a;
    for (size_t i = offset; i < end; ++i) {
      json::object o = repo_object(repos_[i]);
      o["description"] = big;
      a.emplace_back(std::move(o));
    }
    return json::serialize(a);
  }

  // Runs `f` on the repository named owner/name (case-insensitive); false when unknown.
  template <class F>
  bool with_repo(const std::string& full_name, F&& f) {
    std::lock_guard<std::mutex> lock(data_mu_);
    auto it = by_name_.find(lower(full_name));
    if (it == by_name_.end()) return false;
    f(repos_[it->second]);
    return true;
  }

  std::string repo_names_json() {
    std::lock_guard<std::mutex> lock(data_mu_);
    json::array a;
    for (const auto& r : repos_) a.emplace_back(r.full_name());
    json::object o;
    o["count"] = repos_.size();
    o["full_names"] = std::move(a);
    return json::serialize(o);
  }

  // Applies a /_fixture/mutate body; returns the JSON answer or an error message.
  bool mutate(const json::object& body, std::string& answer) {
    long add = 0, remove_count = 0, update_count = 0, set_repos = -1;
    std::vector<std::string> remove, update;
    if (!read_int(body, "add", add) || !read_int(body, "remove_count", remove_count) ||
        !read_int(body, "update_count", update_count) || !read_int(body, "set_repos", set_repos) ||
        !read_names(body, "remove", remove) || !read_names(body, "update", update) || add < 0 ||
        remove_count < 0 || update_count < 0 || add > 1000000 || set_repos > 1000000) {
      answer =
          "mutate expects {add: N, remove: [full_name], remove_count: N, update: [full_name], "
          "update_count: N, set_repos: N} with non-negative numbers";
      return false;
    }
    json::array added, removed, updated, not_found;
    std::lock_guard<std::mutex> lock(data_mu_);
    ++mutations_;
    rng g{mix64(opt_.seed ^ (mutations_ * 0x9e3779b97f4a7c15ULL))};
    if (set_repos >= 0) regenerate(set_repos);
    for (const auto& name : remove) {
      auto it = by_name_.find(lower(name));
      if (it == by_name_.end()) {
        not_found.emplace_back(name);
        continue;
      }
      removed.emplace_back(repos_[it->second].full_name());
      repos_.erase(repos_.begin() + static_cast<std::ptrdiff_t>(it->second));
      reindex();
    }
    for (long i = 0; i < remove_count && !repos_.empty(); ++i) {
      const size_t at = g.below(repos_.size());
      removed.emplace_back(repos_[at].full_name());
      repos_.erase(repos_.begin() + static_cast<std::ptrdiff_t>(at));
    }
    reindex();
    std::vector<std::string> to_update = update;
    for (long i = 0; i < update_count && !repos_.empty(); ++i)
      to_update.push_back(repos_[g.below(repos_.size())].full_name());
    for (const auto& name : to_update) {
      auto it = by_name_.find(lower(name));
      if (it == by_name_.end()) {
        not_found.emplace_back(name);
        continue;
      }
      repo r = std::move(repos_[it->second]);
      repos_.erase(repos_.begin() + static_cast<std::ptrdiff_t>(it->second));
      r.stars += 1 + static_cast<int64_t>(g.below(10));
      r.size_kb += 1 + static_cast<int64_t>(g.below(64));
      r.pushed_at = tick();
      r.updated_at = r.pushed_at;
      refresh_json(r);
      updated.emplace_back(r.full_name());
      repos_.insert(repos_.begin(), std::move(r));
      reindex();
    }
    for (long i = 0; i < add; ++i) {
      repo r = make_repo(opt_, next_index_++, tick());
      added.emplace_back(r.full_name());
      repos_.insert(repos_.begin(), std::move(r));
    }
    reindex();
    pages_.clear();
    json::object o;
    o["repos"] = repos_.size();
    o["added"] = std::move(added);
    o["removed"] = std::move(removed);
    o["updated"] = std::move(updated);
    o["not_found"] = std::move(not_found);
    answer = json::serialize(o);
    return true;
  }

  // ---- faults ----

  long add_fault(fault f) {
    std::lock_guard<std::mutex> lock(fault_mu_);
    f.id = ++next_fault_id_;
    faults_.push_back(std::move(f));
    return faults_.back().id;
  }

  void clear_faults() {
    std::lock_guard<std::mutex> lock(fault_mu_);
    faults_.clear();
  }

  // Takes the first fault matching a request, consuming one of its `times`.
  std::optional<fault> take_fault(const std::string& path, long page) {
    std::lock_guard<std::mutex> lock(fault_mu_);
    const int64_t now = now_epoch();
    for (auto it = faults_.begin(); it != faults_.end();) {
      if (it->kind == "rate_limit" && now >= it->reset_epoch) {
        it = faults_.erase(it);
        continue;
      }
      if ((it->page != 0 && it->page != page) ||
          path.compare(0, it->path_prefix.size(), it->path_prefix) != 0) {
        ++it;
        continue;
      }
      fault f = *it;
      if (it->times > 0 && --it->times == 0) faults_.erase(it);
      return f;
    }
    return std::nullopt;
  }

  // ---- rate limit ----

  rate_snapshot rate() {
    std::lock_guard<std::mutex> lock(rate_mu_);
    roll_rate_window();
    return {rate_limit_total, rate_remaining_, rate_reset_};
  }

  void charge() {
    std::lock_guard<std::mutex> lock(rate_mu_);
    roll_rate_window();
    if (rate_remaining_ > 0) --rate_remaining_;
  }

  void set_rate(long remaining, long reset_in) {
    std::lock_guard<std::mutex> lock(rate_mu_);
    rate_remaining_ = std::clamp(remaining, 0L, rate_limit_total);
    rate_reset_ = epoch_after(std::max(reset_in, 1L));
  }

  // ---- request log and statistics ----

  void begin_request() {
    std::lock_guard<std::mutex> lock(log_mu_);
    ++requests_;
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
  }

  void end_request(log_entry e, bool not_modified) {
    std::lock_guard<std::mutex> lock(log_mu_);
    --in_flight_;
    if (not_modified) ++not_modified_;
    if (log_.size() < max_log_entries) log_.push_back(std::move(e));
  }

  void reset_log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    log_.clear();
    requests_ = 0;
    not_modified_ = 0;
    max_in_flight_ = in_flight_;
  }

  std::string log_json() {
    std::lock_guard<std::mutex> lock(log_mu_);
    json::array a;
    for (const auto& e : log_) {
      json::object headers;
      for (const auto& [k, v] : e.headers) {
        auto it = headers.find(k);
        if (it == headers.end())
          headers[k] = v;
        else
          it->value() = std::string(it->value().as_string()) + ", " + v;
      }
      json::object o;
      o["method"] = e.method;
      o["target"] = e.target;
      o["status"] = e.status;
      o["headers"] = std::move(headers);
      a.emplace_back(std::move(o));
    }
    return json::serialize(a);
  }

  std::string stats_json() {
    json::object o;
    {
      std::lock_guard<std::mutex> lock(log_mu_);
      o["requests"] = requests_;
      o["max_in_flight"] = max_in_flight_;
      o["in_flight"] = in_flight_;
      o["not_modified"] = not_modified_;
    }
    {
      std::lock_guard<std::mutex> lock(data_mu_);
      o["repos"] = repos_.size();
    }
    o["rate_remaining"] = rate().remaining;
    return json::serialize(o);
  }

 private:
  // Replaces the listing with `count` freshly generated repositories (as if started with it).
  void regenerate(long count) {
    repos_.clear();
    repos_.reserve(static_cast<size_t>(std::max(count, 0L)));
    for (long i = 0; i < count; ++i) {
      const int64_t jitter =
          static_cast<int64_t>(mix64(opt_.seed ^ static_cast<uint64_t>(i)) % 3000);
      repos_.push_back(make_repo(opt_, i, base_pushed_epoch - i * 3600 - jitter));
    }
    next_index_ = std::max<int64_t>(next_index_, count);
    clock_ = std::max<int64_t>(clock_, base_pushed_epoch);
    reindex();
    pages_.clear();
  }

  void reindex() {
    by_name_.clear();
    for (size_t i = 0; i < repos_.size(); ++i) by_name_[lower(repos_[i].full_name())] = i;
  }

  // A pushed_at for a repository that goes to the front: now, but never older than the front.
  int64_t tick() {
    clock_ = std::max(now_epoch(), clock_ + 1);
    return clock_;
  }

  std::string listing_url(size_t per_page, size_t offset) const {
    return "http://127.0.0.1:" + std::to_string(port_) +
           "/user/repos?per_page=" + std::to_string(per_page) +
           "&sort=pushed&cursor=" + encode_cursor(offset);
  }

 public:
  std::string encode_cursor(size_t offset) const {
    const uint64_t v = static_cast<uint64_t>(offset) * cursor_multiplier + cursor_salt();
    return hex(v, 16) + hex(mix64(v ^ 0x5bd1e995ULL) & 0xffffffffULL, 8);
  }

  // Decodes a cursor made by encode_cursor; false for anything else.
  bool decode_cursor(const std::string& c, size_t& offset) const {
    if (c.size() != 24) return false;
    uint64_t v = 0, chk = 0;
    for (size_t i = 0; i < 24; ++i) {
      const char ch = c[i];
      int d;
      if (ch >= '0' && ch <= '9')
        d = ch - '0';
      else if (ch >= 'a' && ch <= 'f')
        d = ch - 'a' + 10;
      else
        return false;
      (i < 16 ? v : chk) = ((i < 16 ? v : chk) << 4) | static_cast<uint64_t>(d);
    }
    if (chk != (mix64(v ^ 0x5bd1e995ULL) & 0xffffffffULL)) return false;
    const uint64_t off = (v - cursor_salt()) * inverse(cursor_multiplier);
    if (off > 100000000ULL) return false;
    offset = static_cast<size_t>(off);
    return true;
  }

 private:
  // Cursors are offset * odd constant + salt (mod 2^64): invertible, but they look random.
  static constexpr uint64_t cursor_multiplier = 0x9e3779b97f4a7c15ULL;
  uint64_t cursor_salt() const { return mix64(opt_.seed ^ 0xc0ffee1234ULL); }
  // The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration).
  static uint64_t inverse(uint64_t odd) {
    uint64_t x = odd;
    for (int i = 0; i < 5; ++i) x *= 2 - odd * x;
    return x;
  }

  page_view make_page(size_t per_page, size_t offset) const {
    page_view p;
    const size_t total = repos_.size();
    p.offset = offset;
    p.count = offset < total ? std::min(per_page, total - offset) : 0;
    size_t bytes = 2;
    for (size_t i = 0; i < p.count; ++i) bytes += repos_[offset + i].json.size() + 1;
    p.body.reserve(bytes);
    p.body += '[';
    for (size_t i = 0; i < p.count; ++i) {
      if (i) p.body += ',';
      p.body += repos_[offset + i].json;
    }
    p.body += ']';
    p.etag = etag_of(p.body);
    std::vector<std::string> links;
    if (offset + per_page < total) {
      links.push_back("<" + listing_url(per_page, offset + per_page) + ">; rel=\"next\"");
      links.push_back("<" + listing_url(per_page, (total - 1) / per_page * per_page) +
                      ">; rel=\"last\"");
    }
    if (offset > 0) {
      links.insert(links.begin(),
                   "<" + listing_url(per_page, offset >= per_page ? offset - per_page : 0) +
                       ">; rel=\"prev\"");
      links.push_back("<" + listing_url(per_page, 0) + ">; rel=\"first\"");
    }
    for (size_t i = 0; i < links.size(); ++i) p.link += (i ? ", " : "") + links[i];
    return p;
  }

  std::shared_ptr<const std::vector<page_view>> build_pages(size_t per_page) const {
    auto pages = std::make_shared<std::vector<page_view>>();
    for (size_t off = 0; off < repos_.size(); off += per_page)
      pages->push_back(make_page(per_page, off));
    return pages;
  }

  void roll_rate_window() {
    const int64_t now = now_epoch();
    if (now >= rate_reset_) {
      rate_remaining_ = rate_limit_total;
      rate_reset_ = epoch_after(3600);
    }
  }

  server_options opt_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};

  std::mutex data_mu_;
  std::vector<repo> repos_;
  std::unordered_map<std::string, size_t> by_name_;
  std::map<size_t, std::shared_ptr<const std::vector<page_view>>> pages_;
  int64_t next_index_ = 0;
  int64_t clock_ = 0;
  uint64_t mutations_ = 0;

  std::mutex fault_mu_;
  std::vector<fault> faults_;
  long next_fault_id_ = 0;

  std::mutex rate_mu_;
  long rate_remaining_ = rate_limit_total;
  int64_t rate_reset_ = 0;

  std::mutex log_mu_;
  std::vector<log_entry> log_;
  uint64_t requests_ = 0;
  uint64_t not_modified_ = 0;
  uint64_t in_flight_ = 0;
  uint64_t max_in_flight_ = 0;
};

// ---- request handling -----------------------------------------------------------------------

void set_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), std::string(json_type));
}

void set_rate_headers(httplib::Response& res, const rate_snapshot& r) {
  res.set_header("x-ratelimit-limit", std::to_string(r.limit));
  res.set_header("x-ratelimit-remaining", std::to_string(r.remaining));
  res.set_header("x-ratelimit-reset", std::to_string(r.reset));
  res.set_header("x-ratelimit-used", std::to_string(r.limit - r.remaining));
  res.set_header("x-ratelimit-resource", "core");
}

// True when an If-None-Match header names `etag` (weak or strong form, or `*`).
bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  size_t pos = 0;
  while (pos <= if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    if (comma == std::string::npos) comma = if_none_match.size();
    std::string item = if_none_match.substr(pos, comma - pos);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    if (item == "*" || (!item.empty() && item == etag)) return true;
    pos = comma + 1;
  }
  return false;
}

// Replaces top-level values with the string "abc": arrays of objects get "id":"abc", objects
// get every member replaced, for the `wrong_type` fault.
std::string wrong_type_body(const std::string& normal) {
  boost::system::error_code ec;
  json::value v = json::parse(normal, ec);
  if (ec) return "[{\"id\":\"abc\"}]";
  if (v.is_array()) {
    for (auto& e : v.as_array())
      if (e.is_object()) e.as_object()["id"] = "abc";
    if (v.as_array().empty()) v.as_array().emplace_back(json::object{{"id", "abc"}});
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) kv.value() = "abc";
  }
  return json::serialize(v);
}

class fixture_handler {
 public:
  explicit fixture_handler(fixture_state& s) : s_(s) {}

  // Entry point for every request: control endpoints, or the logged fake API.
  void handle(const httplib::Request& req, httplib::Response& res) {
    try {
      if (req.path.rfind("/_fixture/", 0) == 0) {
        control(req, res);
        set_rate_headers(res, s_.rate());
        return;
      }
      s_.begin_request();
      bool not_modified = false;
      try {
        api(req, res, not_modified);
      } catch (const std::exception& e) {
        set_json(res, 500, message_body(std::string("fixture error: ") + e.what()));
      }
      log_entry e;
      e.method = req.method;
      e.target = req.target;
      e.status = res.status;
      for (const auto& [k, v] : req.headers) {
        if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT")
          continue;
        e.headers.emplace_back(lower(k), v);
      }
      s_.end_request(std::move(e), not_modified);
    } catch (const std::exception& e) {
      set_json(res, 500, message_body(std::string("fixture error: ") + e.what()));
    }
  }

 private:
  void control(const httplib::Request& req, httplib::Response& res) {
    const std::string& p = req.path;
    if (req.method == "GET" && p == "/_fixture/requests") return set_json(res, 200, s_.log_json());
    if (req.method == "GET" && p == "/_fixture/stats") return set_json(res, 200, s_.stats_json());
    if (req.method == "GET" && p == "/_fixture/repos")
      return set_json(res, 200, s_.repo_names_json());
    if (req.method != "POST") return set_json(res, 404, message_body("Not Found"));
    if (p == "/_fixture/reset-log") {
      s_.reset_log();
      return set_json(res, 200, "{\"ok\":true}");
    }
    if (p == "/_fixture/clear-faults") {
      s_.clear_faults();
      return set_json(res, 200, "{\"ok\":true}");
    }
    if (p != "/_fixture/mutate" && p != "/_fixture/fault" && p != "/_fixture/rate")
      return set_json(res, 404, message_body("Not Found"));
    boost::system::error_code ec;
    json::value body = json::parse(req.body, ec);
    if (ec || !body.is_object())
      return set_json(res, 400, message_body("body must be a JSON object"));
    const json::object& o = body.as_object();
    if (p == "/_fixture/mutate") {
      std::string answer;
      const bool ok = s_.mutate(o, answer);
      return set_json(res, ok ? 200 : 400, ok ? answer : message_body(answer));
    }
    if (p == "/_fixture/rate") {
      long remaining = rate_limit_total, reset_in = 3600;
      if (!read_int(o, "remaining", remaining) || !read_int(o, "reset_in", reset_in))
        return set_json(res, 400, message_body("rate expects {remaining: N, reset_in: S}"));
      s_.set_rate(remaining, reset_in);
      return set_json(res, 200, "{\"ok\":true}");
    }
    fault f;
    long status = 502, reset_in = 60;
    if (!read_string(o, "kind", f.kind) || !known_fault_kind(f.kind) ||
        !read_int(o, "status", status) || !read_int(o, "page", f.page) ||
        !read_string(o, "path", f.path_prefix) || !read_string(o, "path_prefix", f.path_prefix) ||
        !read_int(o, "times", f.times) || !read_int(o, "ms", f.ms) ||
        !read_int(o, "seconds", f.seconds) || !read_int(o, "reset_in", reset_in) ||
        !read_string(o, "message", f.message) || status < 100 || status > 599 || f.page < 0 ||
        (f.times < 1 && o.contains("times")) || f.ms < 0 || f.seconds < 0) {
      return set_json(res, 400,
                      message_body("fault expects {kind, status?, page?, path?, times?, ms?, "
                                   "seconds?, reset_in?, message?} with a known kind"));
    }
    f.status = static_cast<int>(status);
    if (f.kind == "retry_after" && !o.contains("status")) f.status = 429;
    f.reset_epoch = epoch_after(std::max(reset_in, 0L));
    json::object answer;
    answer["ok"] = true;
    answer["id"] = s_.add_fault(std::move(f));
    set_json(res, 200, json::serialize(answer));
  }

  bool authorized(const httplib::Request& req) const {
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0) return false;
    const std::string token = auth.substr(7);
    if (token.find_first_not_of(' ') == std::string::npos) return false;
    return s_.options().token.empty() || token == s_.options().token;
  }

  // Serves the fake GitHub API; sets `not_modified` for a 304.
  void api(const httplib::Request& req, httplib::Response& res, bool& not_modified) {
    const std::string& path = req.path;
    const bool listing = path == "/user/repos";
    const bool repos = path.rfind("/repos/", 0) == 0;
    if (path == "/rate_limit") {
      const rate_snapshot r = s_.rate();
      json::object core{{"limit", r.limit},
                        {"remaining", r.remaining},
                        {"reset", r.reset},
                        {"used", r.limit - r.remaining}};
      json::object o{{"resources", json::object{{"core", core}}}, {"rate", core}};
      set_json(res, 200, json::serialize(o));
      set_rate_headers(res, r);
      return;
    }
    if (req.method != "GET" || (!listing && !repos)) {
      set_json(res, 404, message_body("Not Found"));
      set_rate_headers(res, s_.rate());
      return;
    }
    if (!authorized(req)) {
      set_json(res, 401, message_body("Bad credentials"));
      set_rate_headers(res, s_.rate());
      return;
    }

    // Work out the normal answer first; faults may replace it.
    int status = 200;
    std::string body, etag, link;
    long page_no = 0;
    size_t page_offset = 0, page_count = 0;
    if (listing) {
      if (req.has_param("page")) {
        set_json(res, 422, message_body("fixture: page= is not supported, follow the Link header"));
        set_rate_headers(res, s_.rate());
        return;
      }
      long per_page = 30;
      if (req.has_param("per_page")) {
        try {
          per_page = std::stol(req.get_param_value("per_page"));
        } catch (const std::exception&) {
          per_page = 30;
        }
      }
      per_page = std::clamp(per_page, 1L, static_cast<long>(s_.options().per_page_max));
      size_t offset = 0;
      if (req.has_param("cursor") && !s_.decode_cursor(req.get_param_value("cursor"), offset)) {
        set_json(res, 422, message_body("Invalid cursor"));
        set_rate_headers(res, s_.rate());
        return;
      }
      page_view p = s_.listing_page(static_cast<size_t>(per_page), offset);
      page_no = static_cast<long>(offset / static_cast<size_t>(per_page)) + 1;
      body = std::move(p.body);
      etag = std::move(p.etag);
      link = std::move(p.link);
      page_offset = p.offset;
      page_count = p.count;
    } else {
      // /repos/{owner}/{name}[/languages|/topics]
      std::vector<std::string> parts;
      size_t pos = 1;
      while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos) slash = path.size();
        parts.push_back(path.substr(pos, slash - pos));
        pos = slash + 1;
      }
      const bool shape_ok =
          (parts.size() == 3 ||
           (parts.size() == 4 && (parts[3] == "languages" || parts[3] == "topics"))) &&
          !parts[1].empty() && !parts[2].empty();
      const std::string what = parts.size() == 4 ? parts[3] : "";
      const bool found = shape_ok && s_.with_repo(parts[1] + "/" + parts[2], [&](const repo& r) {
        body = what == "languages" ? languages_body(r) : what == "topics" ? topics_body(r) : r.json;
      });
      if (!found) {
        s_.charge();
        set_json(res, 404, message_body("Not Found"));
        set_rate_headers(res, s_.rate());
        return;
      }
      etag = etag_of(body);
    }

    std::optional<rate_snapshot> rate_override;
    bool charge = true;
    std::string content_type(json_type);
    if (auto f = s_.take_fault(path, listing ? page_no : -1)) {
      const std::string& k = f->kind;
      if (k == "hang") {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(f->ms);
        while (std::chrono::steady_clock::now() < until && !s_.stopping())
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (s_.stopping()) {
          set_json(res, 503, message_body("fixture shutting down"));
          return;
        }
      } else if (k == "status") {
        status = f->status;
        body = message_body(f->message.empty() ? "fixture fault " + std::to_string(f->status)
                                               : f->message);
        etag.clear();
        link.clear();
      } else if (k == "truncated") {
        body = body.substr(0, body.size() / 2);  // headers (ETag, Link) as for the full body
      } else if (k == "disconnect") {
        // Announce the full length, send half, then drop the connection.
        auto full = std::make_shared<std::string>(std::move(body));
        if (!etag.empty()) res.set_header("ETag", etag);
        if (!link.empty()) res.set_header("Link", link);
        s_.charge();
        set_rate_headers(res, s_.rate());
        res.status = 200;
        res.set_content_provider(full->size(), content_type,
                                 [full](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset == 0) sink.write(full->data(), full->size() / 2);
                                   return false;
                                 });
        return;
      } else if (k == "malformed") {
        body = "[{\"id\": 1,, }";
        etag = etag_of(body);
      } else if (k == "object") {
        body = message_body(f->message.empty() ? "fixture: an object where an array belongs"
                                               : f->message);
        etag = etag_of(body);
        link.clear();
      } else if (k == "wrong_type") {
        body = wrong_type_body(body);
        etag = etag_of(body);
      } else if (k == "rate_limit") {
        status = 403;
        body = message_body("API rate limit exceeded");
        etag.clear();
        link.clear();
        charge = false;
        rate_override = rate_snapshot{rate_limit_total, 0, f->reset_epoch};
      } else if (k == "retry_after") {
        status = f->status;
        body = message_body(
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
            "again.");
        res.set_header("retry-after", std::to_string(f->seconds));
        etag.clear();
        link.clear();
      } else if (k == "unauthorized") {
        status = 401;
        body = message_body("Bad credentials");
        etag.clear();
        link.clear();
        charge = false;
      } else if (k == "empty") {
        body = "[]";
        etag = etag_of(body);
        link.clear();
      } else if (k == "huge") {
        body = s_.huge_body(page_offset, listing ? page_count : 100);
        etag = etag_of(body);
      }
    }

    // The primary rate limit, when exhausted (see /_fixture/rate).
    if (!rate_override && charge) {
      const rate_snapshot r = s_.rate();
      if (r.remaining <= 0) {
        set_json(res, 403, message_body("API rate limit exceeded"));
        set_rate_headers(res, r);
        return;
      }
    }

    if (status == 200 && !etag.empty() &&
        etag_matches(req.get_header_value("If-None-Match"), etag)) {
      res.status = 304;
      res.set_header("ETag", etag);
      set_rate_headers(res, s_.rate());
      not_modified = true;
      return;
    }
    if (charge) s_.charge();
    if (!etag.empty()) res.set_header("ETag", etag);
    if (!link.empty()) res.set_header("Link", link);
    res.set_header("Cache-Control", "private, max-age=60, s-maxage=60");
    res.set_header("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
    res.set_header("x-github-api-version-selected", "2022-11-28");
    set_json(res, status, std::move(body));
    set_rate_headers(res, rate_override ? *rate_override : s_.rate());
  }

  fixture_state& s_;
};

// ---- command line and process lifetime ------------------------------------------------------

const char* const usage =
    "usage: gum_fixture_server [--port N] [--repos N] [--owner NAME] [--seed S]\n"
    "                          [--per-page-max N] [--token T] [--threads N] [--state-file PATH]\n";

// Parses argv; false (with a message on stderr) for anything unexpected.
bool parse_args(int argc, char** argv, server_options& opt, bool& help) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      help = true;
      return true;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "gum_fixture_server: %s needs a value\n", a.c_str());
      return false;
    }
    const std::string v = argv[++i];
    auto number = [&](long lo, long hi, long& out) {
      try {
        size_t used = 0;
        const long n = std::stol(v, &used);
        if (used != v.size() || n < lo || n > hi) return false;
        out = n;
        return true;
      } catch (const std::exception&) {
        return false;
      }
    };
    long n = 0;
    bool ok = true;
    if (a == "--port") {
      ok = number(0, 65535, n);
      opt.port = static_cast<int>(n);
    } else if (a == "--repos") {
      ok = number(0, 1000000, n);
      opt.repos = n;
    } else if (a == "--owner") {
      ok = !v.empty() && v.find('/') == std::string::npos;
      opt.owner = v;
    } else if (a == "--seed") {
      try {
        size_t used = 0;
        opt.seed = std::stoull(v, &used);
        ok = used == v.size();
      } catch (const std::exception&) {
        ok = false;
      }
    } else if (a == "--per-page-max") {
      ok = number(1, 100000, n);
      opt.per_page_max = static_cast<int>(n);
    } else if (a == "--token") {
      ok = !v.empty();
      opt.token = v;
    } else if (a == "--threads") {
      ok = number(1, 1024, n);
      opt.threads = static_cast<int>(n);
    } else if (a == "--state-file") {
      std::fprintf(stderr, "gum_fixture_server: --state-file is accepted but ignored\n");
    } else {
      std::fprintf(stderr, "gum_fixture_server: unknown option %s\n%s", a.c_str(), usage);
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "gum_fixture_server: bad value for %s: %s\n", a.c_str(), v.c_str());
      return false;
    }
  }
  return true;
}

int run(int argc, char** argv) {
  const pid_t parent = getppid();
  server_options opt;
  bool help = false;
  if (!parse_args(argc, argv, opt, help)) return 2;
  if (help) {
    std::fputs(usage, stdout);
    return 0;
  }

  // Signals are taken synchronously by the watcher thread; block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  fixture_state state(opt);
  fixture_handler handler(state);
  httplib::Server svr;
  const size_t threads = static_cast<size_t>(opt.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_keep_alive_max_count(10000);
  svr.set_keep_alive_timeout(2);
  svr.set_payload_max_length(16 * 1024 * 1024);
  auto h = [&handler](const httplib::Request& req, httplib::Response& res) {
    handler.handle(req, res);
  };
  svr.Get(".*", h);
  svr.Post(".*", h);
  svr.Put(".*", h);
  svr.Patch(".*", h);
  svr.Delete(".*", h);

  int port = opt.port;
  if (port == 0) {
    port = svr.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
      std::fprintf(stderr, "gum_fixture_server: cannot bind 127.0.0.1\n");
      return 1;
    }
  } else if (!svr.bind_to_port("127.0.0.1", port)) {
    std::fprintf(stderr, "gum_fixture_server: cannot bind 127.0.0.1:%d\n", port);
    return 1;
  }
  state.set_port(port);
  std::printf("port=%d\n", port);
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const timespec slice{0, 200 * 1000 * 1000};
    while (!done) {
      const int sig = sigtimedwait(&stop_signals, nullptr, &slice);
      if (sig == SIGTERM || sig == SIGINT || getppid() != parent) {
        state.stopping() = true;
        svr.stop();
        // Idle keep-alive connections may hold workers for a while; don't wait for them long.
        for (int i = 0; i < 100 && !done; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!done) std::_Exit(0);
        return;
      }
    }
  });
  const bool listened = svr.listen_after_bind();
  done = true;
  watcher.join();
  return listened || state.stopping() ? 0 : 1;
}

}  // namespace
}  // namespace gum

int main(int argc, char** argv) {
  try {
    return gum::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gum_fixture_server: %s\n", e.what());
    return 1;
  }
}
