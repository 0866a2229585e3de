// stress/fixture_routes.hpp: the fixture server's HTTP handlers (see fixture_server.cpp): the
// fake GitHub REST API, logged and counted, and the /_fixture/ control endpoints (request log,
// statistics, mutations, faults, rate limit), which are neither logged nor counted. No
// exception leaves a handler: bad control input is a 400 with a JSON message.
#pragma once

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

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "stress/fixture_catalogue.hpp"
#include "stress/fixture_faults.hpp"

namespace gum::fixture {

/// One request to the fake API, as /_fixture/requests lists it.
struct log_entry {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  int status = 0;
};

/// The request log and the concurrency statistics of the fake API. Thread-safe.
class request_log {
 public:
  void begin_request();
  void end_request(log_entry e, bool not_modified);
  /// Forgets every entry and count (/_fixture/reset-log).
  void reset();
  /// The log as a JSON array of {method, target, status, headers}.
  std::string log_json();
  /// Adds requests, max_in_flight, in_flight and not_modified to `o`.
  void add_stats(json::object& o);

 private:
  std::mutex log_mu_;
  std::vector<log_entry> log_;
  uint64_t requests_ = 0;
  uint64_t not_modified_ = 0;
  uint64_t in_flight_ = 0;
  uint64_t max_in_flight_ = 0;
};

/// All mutable state of the fixture. Each part locks what it touches.
struct fixture_state {
  explicit fixture_state(server_options opt) : options(std::move(opt)), catalogue(options) {}

  const server_options options;
  repo_catalogue catalogue;
  fault_list faults;
  rate_limit rate;
  request_log log;
  std::atomic<bool> stopping{false};
};

/// Answers every request from `s`.
class fixture_handler {
 public:
  explicit fixture_handler(fixture_state& s) : s_(s) {}

  /// Entry point for every request: control endpoints, or the logged fake API.
  void handle(const httplib::Request& req, httplib::Response& res);

 private:
  void control(const httplib::Request& req, httplib::Response& res);
  bool authorized(const httplib::Request& req) const;
  /// Serves the fake GitHub API; sets `not_modified` for a 304.
  void api(const httplib::Request& req, httplib::Response& res, bool& not_modified);

  fixture_state& s_;
};

}  // namespace gum::fixture
