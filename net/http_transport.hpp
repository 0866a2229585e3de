// net/http_transport.hpp: the GitHub REST client over libcurl, without SQLite.
//
// The github_fetcher actor drives one github_client from a detached thread. The client does
// the HTTP part of SPEC §3.3: headers, Link pagination (never built URLs), conditional requests
// with stored ETags, retries on 5xx and connection errors, rate-limit waits within a budget,
// timeouts and cancellation. It returns parsed pages; deciding what changed and writing it is
// the caller's job. One client per thread; not thread-safe itself.
//
// The token is never logged or put into an error message, and never sent over plain http://
// except to a loopback address.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// The URL fetch_metadata requests for a repository's languages (and the key of its stored
/// ETag): api_url/repos/OWNER/NAME/languages, each part percent-encoded.
std::string languages_url(const std::string& api_url, const std::string& full_name);

/// What was stored for a page URL by an earlier run.
struct page_validator {
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> next_url;  ///< the page's rel="next", needed to go on after a 304
};

/// One page of the listing as fetched in this run.
struct fetched_page {
  std::string url;
  bool not_modified = false;  ///< 304: repos is empty, the stored page is still valid
  std::optional<std::string> etag, last_modified, next_url;
  std::vector<github_repo> repos;
};

/// Metadata (languages and maybe topics) of one repository.
struct fetched_metadata {
  std::string full_name;
  bool languages_not_modified = false;
  std::map<std::string, int64_t> languages;
  std::optional<std::string> languages_etag;
  std::optional<std::vector<std::string>> topics;  ///< only when asked for
};

struct github_client_options {
  std::string api_url = "https://api.github.com";  ///< no trailing slash
  std::string token;                               ///< never logged
  std::string user_agent = "gum/0.1.0";
  int64_t connect_timeout_ms = 10000;
  int64_t total_timeout_ms = 30000;
  int64_t max_wait_seconds = 60;    ///< rate-limit wait budget for the whole run
  int max_attempts = 4;             ///< 1 + 3 retries on 5xx and connection errors
  int64_t backoff_initial_ms = 500; ///< doubles at each retry, with jitter
  // What one run may take from a server, whatever the server sends (docs/github-sync.md,
  // "Bounded resources"). Each limit ends the run with status_code::network and one line.
  int64_t max_page_bytes = int64_t{32} << 20;  ///< decoded body of one reply
  int64_t max_run_bytes = int64_t{2} << 30;    ///< decoded bodies of every reply of the run
  int64_t max_header_bytes = int64_t{256} << 10;  ///< the headers of one reply
  int64_t max_pages = 2000;                    ///< listing pages of the run
  /// Listing pages in a row that bring no repository not seen before in the run: a server
  /// whose rel="next" chain never repeats a URL but repeats its data is stopped here.
  int64_t max_stale_pages = 20;
  const std::atomic<bool>* cancel = nullptr;  ///< set => stop promptly, status interrupted
  std::function<void(const std::string&)> debug;  ///< --debug lines (never given the token)
};

class github_client {
 public:
  explicit github_client(github_client_options options);
  ~github_client();
  github_client(const github_client&) = delete;
  github_client& operator=(const github_client&) = delete;

  /// Fetches every page of GET /user/repos?per_page=100&sort=pushed, following Link rel="next".
  /// With `conditional`, sends If-None-Match from `validator_for(url)` and, on a 304, follows
  /// the stored next_url. Any failure returns a non-ok status and `out` must be ignored.
  status fetch_listing(bool conditional,
                       const std::function<page_validator(const std::string& url)>& validator_for,
                       std::vector<fetched_page>& out);

  /// Fetches languages (with If-None-Match from languages_etag_for) and, where want_topics,
  /// topics, for each repository, with at most `jobs` requests in flight.
  status fetch_metadata(const std::vector<std::pair<std::string, bool>>& repos_and_want_topics,
                        const std::function<std::optional<std::string>(const std::string&)>&
                            languages_etag_for,
                        int jobs, std::vector<fetched_metadata>& out);

  int64_t requests() const;      ///< HTTP requests made so far
  int64_t decoded_bytes() const; ///< decoded body bytes received so far (max_run_bytes)
  int64_t waited_ms() const;     ///< time spent waiting for rate limits

 private:
  struct impl;
  impl* impl_;
};

}  // namespace gum
