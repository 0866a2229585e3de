// stress/fixture_faults.hpp: what the fixture server has been told to get wrong.
//
// Faults are injected over HTTP (/_fixture/fault) and replace the next matching answers: error
// statuses, cut and malformed bodies, hangs, rate limits and so on (docs/github-sync.md). The
// primary rate limit (x-ratelimit-* headers, /_fixture/rate) is counted here too, since a test
// exhausts it on purpose. Reset times are whole unix seconds rounded up (epoch_after), so a
// fault or limit asked to last N seconds lasts at least N seconds.
// Thread-safe: every public member locks what it touches.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gum::fixture {

namespace json = boost::json;

constexpr long rate_limit_total = 5000;

/// One injected fault: what to do, to which requests, how many times.
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
  long bytes = 1L << 30;  // gzip_bomb: decoded size; huge_header: header size
};

/// True for the fault kinds /_fixture/fault knows.
bool known_fault_kind(const std::string& k);

/// Reads a /_fixture/fault body into `f` (reset_in becomes f.reset_epoch); false when a member
/// has the wrong type or value, or the kind is unknown.
bool parse_fault(const json::object& o, fault& f);

/// The faults in force, first added first.
class fault_list {
 public:
  /// Adds `f` and returns its id.
  long add(fault f);
  void clear();
  /// Takes the first fault matching a request, consuming one of its `times`; rate_limit
  /// faults whose reset has passed are dropped.
  std::optional<fault> take(const std::string& path, long page);

 private:
  std::mutex fault_mu_;
  std::vector<fault> faults_;
  long next_fault_id_ = 0;
};

/// The x-ratelimit-* values of an answer.
struct rate_snapshot {
  long limit = rate_limit_total;
  long remaining = rate_limit_total;
  int64_t reset = 0;
};

/// The primary rate limit: rate_limit_total requests per window; a new window starts at reset.
class rate_limit {
 public:
  rate_limit();
  rate_snapshot snapshot();
  /// Counts one request against the limit.
  void charge();
  /// /_fixture/rate: `remaining` requests until `reset_in` seconds from now (at least 1).
  void set(long remaining, long reset_in);

 private:
  void roll_rate_window();

  std::mutex rate_mu_;
  long rate_remaining_ = rate_limit_total;
  int64_t rate_reset_ = 0;
};

}  // namespace gum::fixture
