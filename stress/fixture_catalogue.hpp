// stress/fixture_catalogue.hpp: the fixture server's repositories (see fixture_server.cpp).
//
// They are synthetic but realistic and deterministic for a seed: nulls, unicode, emoji, quotes,
// other owners, forks, archived and private repositories, all ordered by pushed_at descending
// as `sort=pushed` promises. Listing pages are reached through opaque cursors, and their
// bodies and ETags are serialized once and cached until a mutation (/_fixture/mutate), because
// the benchmark "full sync of 5000 repos under 1 s" includes this server's time.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gum::fixture {

namespace json = boost::json;

constexpr int64_t base_pushed_epoch = 1717200000;  // 2024-06-01T00:00:00Z

/// The command line of gum_fixture_server.
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

/// splitmix64 finalizer: a cheap, well-mixed hash of one 64-bit value.
uint64_t mix64(uint64_t x);

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

/// `v` as `digits` lower-case hex digits.
std::string hex(uint64_t v, int digits);

/// A strong ETag derived from the exact bytes of a body.
std::string etag_of(std::string_view body);

/// `s` in ASCII lower case.
std::string lower(std::string s);

// ---- synthetic repositories -------------------------------------------------------------------

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

/// The GitHub-shaped JSON object for a repository.
json::object repo_object(const repo& r);

/// Refreshes r.json after a field changed.
void refresh_json(repo& r);

/// Repository number `index` for a seed; pushed_at is supplied by the caller so that the list
/// stays sorted.
repo make_repo(const server_options& opt, int64_t index, int64_t pushed_at);

/// The /languages object for a repository: its main language and perhaps a few others.
std::string languages_body(const repo& r);

/// The /topics object for a repository.
std::string topics_body(const repo& r);

// ---- control request bodies -------------------------------------------------------------------

/// Reads an integer member of a JSON object; false when present but not an integer.
bool read_int(const json::object& o, std::string_view key, long& out);
/// Reads a string member; false when present but not a string.
bool read_string(const json::object& o, std::string_view key, std::string& out);
/// Appends the strings of an array member; false when present but not an array of strings.
bool read_names(const json::object& o, std::string_view key, std::vector<std::string>& out);

// ---- the catalogue ----------------------------------------------------------------------------

/// One listing page: its body, ETag and Link header, and which repositories it holds.
struct page_view {
  std::string body;
  std::string etag;
  std::string link;
  size_t offset = 0;
  size_t count = 0;
};

/// The current list of repositories. Thread-safe: every public member locks what it touches.
class repo_catalogue {
 public:
  /// Generates opt.repos repositories.
  explicit repo_catalogue(const server_options& opt);

  /// The port the Link headers name (set once the server is bound).
  void set_port(int port);

  /// The listing page of `per_page` repos starting at `offset`.
  page_view listing_page(size_t per_page, size_t offset);

  /// The page's repositories with ~50 KB descriptions, for the `huge` fault.
  std::string huge_body(size_t offset, size_t count);

  /// Runs `f` on the repository named owner/name (case-insensitive); false when unknown.
  template <class F>
  bool with_repo(const std::string& full_name, F&& f) {
    std::lock_guard<std::mutex> lock(data_mu_);
    auto it = by_name_.find(lower(full_name));
    if (it == by_name_.end()) return false;
    f(repos_[it->second]);
    return true;
  }

  /// {"count", "full_names"} of every repository, for /_fixture/repos.
  std::string repo_names_json();

  /// How many repositories there are.
  size_t size();

  /// Applies a /_fixture/mutate body; false with `answer` holding the error message.
  bool mutate(const json::object& body, std::string& answer);

  /// The opaque cursor of a listing offset.
  std::string encode_cursor(size_t offset) const;

  /// Decodes a cursor made by encode_cursor; false for anything else.
  bool decode_cursor(const std::string& c, size_t& offset) const;

 private:
  void regenerate(long count);
  void reindex();
  int64_t tick();
  std::string listing_url(size_t per_page, size_t offset) const;
  // Cursors are offset * odd constant + salt (mod 2^64): invertible, but they look random.
  static constexpr uint64_t cursor_multiplier = 0x9e3779b97f4a7c15ULL;
  uint64_t cursor_salt() const { return mix64(opt_.seed ^ 0xc0ffee1234ULL); }
  // The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration).
  static uint64_t inverse(uint64_t odd) {
    uint64_t x = odd;
    for (int i = 0; i < 5; ++i) x *= 2 - odd * x;
    return x;
  }
  page_view make_page(size_t per_page, size_t offset) const;
  std::shared_ptr<const std::vector<page_view>> build_pages(size_t per_page) const;

  const server_options opt_;
  int port_ = 0;

  std::mutex data_mu_;
  std::vector<repo> repos_;
  std::unordered_map<std::string, size_t> by_name_;
  std::map<size_t, std::shared_ptr<const std::vector<page_view>>> pages_;
  int64_t next_index_ = 0;
  int64_t clock_ = 0;
  uint64_t mutations_ = 0;
};

}  // namespace gum::fixture
