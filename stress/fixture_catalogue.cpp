// stress/fixture_catalogue.cpp: the fixture server's repositories (see fixture_catalogue.hpp).
#include "stress/fixture_catalogue.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iterator>

#include "stress/fixture_clock.hpp"

namespace gum::fixture {

namespace {

constexpr int64_t user_owner_id = 583231;
constexpr int64_t org_owner_id = 9919;
constexpr int64_t other_org_owner_id = 44101;

// FNV-1a over a byte string, from a chosen offset basis.
uint64_t fnv1a(std::string_view s, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string rfc3339(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

}  // namespace

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}


std::string hex(uint64_t v, int digits) {
  static const char* const d = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = d[v & 15];
  return out;
}

std::string etag_of(std::string_view body) {
  return "\"" + hex(fnv1a(body, 0xcbf29ce484222325ULL), 16) +
         hex(fnv1a(body, 0x84222325cbf29ce4ULL) ^ body.size(), 16) + "\"";
}


std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

// ---- the catalogue ----------------------------------------------------------------------------

repo_catalogue::repo_catalogue(const server_options& opt) : opt_(opt) { regenerate(opt_.repos); }

void repo_catalogue::set_port(int port) {
  std::lock_guard<std::mutex> lock(data_mu_);
  port_ = port;
}

// Returns the listing page of `per_page` repos starting at `offset`.
page_view repo_catalogue::listing_page(size_t per_page, size_t offset) {
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
std::string repo_catalogue::huge_body(size_t offset, size_t count) {
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

std::string repo_catalogue::repo_names_json() {
  std::lock_guard<std::mutex> lock(data_mu_);
  json::array a;
  for (const auto& r : repos_) a.emplace_back(r.full_name());
  json::object o;
  o["count"] = repos_.size();
  o["full_names"] = std::move(a);
  return json::serialize(o);
}

size_t repo_catalogue::size() {
  std::lock_guard<std::mutex> lock(data_mu_);
  return repos_.size();
}

// Applies a /_fixture/mutate body; returns the JSON answer or an error message.
bool repo_catalogue::mutate(const json::object& body, std::string& answer) {
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

// Replaces the listing with `count` freshly generated repositories (as if started with it).
void repo_catalogue::regenerate(long count) {
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

void repo_catalogue::reindex() {
  by_name_.clear();
  for (size_t i = 0; i < repos_.size(); ++i) by_name_[lower(repos_[i].full_name())] = i;
}

// A pushed_at for a repository that goes to the front: now, but never older than the front.
int64_t repo_catalogue::tick() {
  clock_ = std::max(now_epoch(), clock_ + 1);
  return clock_;
}

std::string repo_catalogue::listing_url(size_t per_page, size_t offset) const {
  return "http://127.0.0.1:" + std::to_string(port_) +
         "/user/repos?per_page=" + std::to_string(per_page) +
         "&sort=pushed&cursor=" + encode_cursor(offset);
}

std::string repo_catalogue::encode_cursor(size_t offset) const {
  const uint64_t v = static_cast<uint64_t>(offset) * cursor_multiplier + cursor_salt();
  return hex(v, 16) + hex(mix64(v ^ 0x5bd1e995ULL) & 0xffffffffULL, 8);
}

// Decodes a cursor made by encode_cursor; false for anything else.
bool repo_catalogue::decode_cursor(const std::string& c, size_t& offset) const {
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

page_view repo_catalogue::make_page(size_t per_page, size_t offset) const {
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

std::shared_ptr<const std::vector<page_view>> repo_catalogue::build_pages(size_t per_page) const {
  auto pages = std::make_shared<std::vector<page_view>>();
  for (size_t off = 0; off < repos_.size(); off += per_page)
    pages->push_back(make_page(per_page, off));
  return pages;
}

}  // namespace gum::fixture
