// net/http_transport.cpp: the GitHub REST transport of SPEC §3.3 (libcurl).
//
// Why it is built this way:
// - One libcurl easy handle per thread, kept inside a private multi handle for the whole run, so
//   connections are reused across pages and a transfer can be driven in 50 ms slices: the
//   `cancel` flag is checked between slices (and by the xferinfo callback), so SIGINT stops an
//   in-flight request promptly instead of after the 30 s timeout.
// - Every URL is checked before the token goes on the wire: https, or http only to a loopback
//   host. Link rel="next" URLs must also keep the api_url's scheme, host and port, so a lying
//   server cannot make us send the token elsewhere. Redirects are never followed.
// - Retries (5xx, transient connection errors, timeouts) use exponential backoff with ±20 %
//   jitter. Rate-limit waits (403/429 with retry-after or x-ratelimit-remaining: 0) share one
//   budget per client (max_wait_seconds) and sleep in small slices that poll `cancel`.
// - fetch_metadata runs up to `jobs` worker threads, each with its own handle; the first failure
//   stops the others (their in-flight transfers are aborted too).
// - Replies are parsed by net/github_pages.hpp (Boost.JSON, non-throwing) and Link headers by
//   net/link_header.hpp. The token is redacted from every debug line and message.
#include "net/http_transport.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_set>

#include "core/text.hpp"
#include "net/curl_loader.hpp"
#include "net/github_pages.hpp"
#include "net/link_header.hpp"

namespace gum {
namespace {

using clock_type = std::chrono::steady_clock;

constexpr int64_t sleep_slice_ms = 50;
constexpr int max_jobs = 64;

// libcurl's functions. github_client's constructor loads the library, and fetch_listing and
// fetch_metadata refuse to run when that failed, so every call below finds it loaded.
const curl_api& curl() {
  std::string ignored;
  return *load_curl(ignored);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

status network_error(std::string msg, std::string hint = {}) {
  return status::fail(status_code::network, std::move(msg), std::move(hint));
}

int64_t elapsed_ms(clock_type::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - since).count();
}

// ---- URLs --------------------------------------------------------------------------------

// The parts of an absolute http(s) URL that decide where a request goes.
struct url_origin {
  std::string scheme, host, port;  // lower-case; port always filled (default port if absent)
};

// Parses an absolute URL with libcurl's own parser, so we check exactly what curl will use.
std::optional<url_origin> origin_of(const std::string& url) {
  CURLU* u = curl().url();
  if (u == nullptr) return std::nullopt;
  std::optional<url_origin> result;
  if (curl().url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (curl().url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl().url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl().url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
      result = url_origin{ascii_lower(scheme), ascii_lower(host), port};
    curl().free(scheme);
    curl().free(host);
    curl().free(port);
  }
  curl().url_cleanup(u);
  return result;
}

// Resolves `ref` (absolute or relative) against `base`, as a browser would.
std::optional<std::string> resolve_url(const std::string& base, const std::string& ref) {
  CURLU* u = curl().url();
  if (u == nullptr) return std::nullopt;
  std::optional<std::string> result;
  if (curl().url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl().url_set(u, CURLUPART_URL, ref.c_str(), 0) == CURLUE_OK) {
    char* full = nullptr;
    if (curl().url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) result = std::string(full);
    curl().free(full);
  }
  curl().url_cleanup(u);
  return result;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  // 127.0.0.0/8 as a dotted quad.
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 0;
  size_t i = 0;
  while (i <= host.size()) {
    size_t j = host.find('.', i);
    if (j == std::string::npos) j = host.size();
    if (j == i || j - i > 3) return false;
    for (size_t k = i; k < j; ++k)
      if (!std::isdigit(static_cast<unsigned char>(host[k]))) return false;
    if (std::stoi(host.substr(i, j - i)) > 255) return false;
    ++parts;
    i = j + 1;
  }
  return parts == 4;
}

// Whether the token may be sent to `url`; the reason is in the returned status.
status check_token_destination(const std::string& url) {
  auto origin = origin_of(url);
  if (!origin) return network_error("refusing to contact an invalid URL: " + one_line(url));
  if (origin->scheme == "https") return status::success();
  if (origin->scheme == "http") {
    if (is_loopback_host(origin->host)) return status::success();
    return network_error("refusing to send the GitHub token over plain http:// to " +
                             origin->host,
                         "use an https:// API URL (http:// is only allowed to a loopback address)");
  }
  return network_error("refusing to contact " + one_line(url) + ": unsupported scheme " +
                       origin->scheme);
}

std::string percent_encode_segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// "owner/name" as a URL path, each part percent-encoded.
std::string repo_path(const std::string& full_name) {
  auto slash = full_name.find('/');
  if (slash == std::string::npos) return percent_encode_segment(full_name);
  return percent_encode_segment(full_name.substr(0, slash)) + "/" +
         percent_encode_segment(full_name.substr(slash + 1));
}

std::string local_clock_time(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

// ---- transfers ---------------------------------------------------------------------------

struct http_response {
  long code = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool too_large = false;       // the body passed max_page_bytes
  bool run_too_large = false;   // the run's bodies passed max_run_bytes
  bool header_too_large = false;
  size_t header_bytes = 0;

  const std::string* header(const char* name) const {
    auto it = headers.find(name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

// What the libcurl callbacks need: where to write and when to give up.
struct transfer_state {
  http_response* resp = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  const std::atomic<bool>* stop = nullptr;
  size_t max_page_bytes = 0;
  size_t max_header_bytes = 0;
  std::atomic<int64_t>* run_bytes = nullptr;  // shared by every transfer of the run
  int64_t max_run_bytes = 0;
  bool should_stop() const {
    return (cancel != nullptr && cancel->load()) || (stop != nullptr && stop->load());
  }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<transfer_state*>(user);
  size_t bytes = size * n;
  // Decoded bytes: libcurl calls this after gunzip, so a small compressed reply that inflates
  // to gigabytes (a gzip bomb) is cut off here, at one page's budget, before it is held.
  if (st->resp->body.size() + bytes > st->max_page_bytes) {
    st->resp->too_large = true;
    return 0;
  }
  if (st->run_bytes->fetch_add(static_cast<int64_t>(bytes)) + static_cast<int64_t>(bytes) >
      st->max_run_bytes) {
    st->resp->run_too_large = true;
    return 0;
  }
  st->resp->body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<transfer_state*>(user);
  size_t bytes = size * n;
  std::string_view line(data, bytes);
  if (starts_with_ci(line, "http/")) {
    st->resp->headers.clear();  // a new response (e.g. after 100 Continue)
    st->resp->header_bytes = 0;
    return bytes;
  }
  st->resp->header_bytes += bytes;
  if (st->resp->header_bytes > st->max_header_bytes) {
    st->resp->header_too_large = true;
    return 0;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  auto name = ascii_lower(trim(line.substr(0, colon)));
  auto value = std::string(trim(line.substr(colon + 1)));
  auto& slot = st->resp->headers[name];
  slot = slot.empty() ? value : slot + ", " + value;
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<transfer_state*>(user)->should_stop() ? 1 : 0;
}

// One easy handle inside its own multi handle: the connection cache lives as long as this.
class transfer_handle {
 public:
  explicit transfer_handle(const github_client_options& o) : multi_(curl().multi_init()) {
    easy_ = curl().easy_init();
    if (easy_ == nullptr || multi_ == nullptr) return;
    curl().easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl().easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
    curl().easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout_ms));
    curl().easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
    curl().easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");
    curl().easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl().easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    curl().easy_setopt(easy_, CURLOPT_USERAGENT, o.user_agent.c_str());
    curl().easy_setopt(easy_, CURLOPT_WRITEFUNCTION, on_body);
    curl().easy_setopt(easy_, CURLOPT_HEADERFUNCTION, on_header);
    curl().easy_setopt(easy_, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl().easy_setopt(easy_, CURLOPT_NOPROGRESS, 0L);
    curl().easy_setopt(easy_, CURLOPT_ERRORBUFFER, errbuf_);
  }
  ~transfer_handle() {
    if (easy_ != nullptr) curl().easy_cleanup(easy_);
    if (multi_ != nullptr) curl().multi_cleanup(multi_);
  }
  transfer_handle(const transfer_handle&) = delete;
  transfer_handle& operator=(const transfer_handle&) = delete;

  bool valid() const { return easy_ != nullptr && multi_ != nullptr; }
  const char* error_text() const { return errbuf_; }

  // Runs one GET; returns CURLE_ABORTED_BY_CALLBACK when `st` says stop.
  CURLcode perform(const std::string& url, curl_slist* headers, transfer_state& st) {
    errbuf_[0] = '\0';
    curl().easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl().easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
    curl().easy_setopt(easy_, CURLOPT_WRITEDATA, &st);
    curl().easy_setopt(easy_, CURLOPT_HEADERDATA, &st);
    curl().easy_setopt(easy_, CURLOPT_XFERINFODATA, &st);
    if (curl().multi_add_handle(multi_, easy_) != CURLM_OK) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    bool done = false;
    while (!done) {
      int running = 0;
      if (curl().multi_perform(multi_, &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      int queued = 0;
      while (CURLMsg* msg = curl().multi_info_read(multi_, &queued)) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy_) {
          result = msg->data.result;
          done = true;
        }
      }
      if (done) break;
      if (st.should_stop()) {
        result = CURLE_ABORTED_BY_CALLBACK;
        break;
      }
      curl().multi_poll(multi_, nullptr, 0, static_cast<int>(sleep_slice_ms), nullptr);
    }
    curl().multi_remove_handle(multi_, easy_);
    curl().easy_setopt(easy_, CURLOPT_HTTPHEADER, nullptr);
    if (result == CURLE_OK) curl().easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &st.resp->code);
    return result;
  }

 private:
  CURLM* multi_ = nullptr;
  CURL* easy_ = nullptr;
  char errbuf_[CURL_ERROR_SIZE] = {0};
};

// Connection failures worth another attempt.
bool is_transient(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string attempts_text(int n) {
  return n == 1 ? "after 1 attempt" : "after " + std::to_string(n) + " attempts";
}

// An unsigned decimal count from a header ("120"): no sign, at most 18 digits.
bool parse_count(std::string_view s, int64_t& out) {
  auto t = trim(s);
  if (t.empty() || t.size() > 18 || t.front() == '+' || t.front() == '-') return false;
  return parse_int64(t, out);
}

}  // namespace

// ---- the client --------------------------------------------------------------------------

struct github_client::impl {
  github_client_options opts;
  std::string load_error;  // why libcurl could not be loaded; empty when it was
  std::unique_ptr<transfer_handle> main_handle;
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> waited{0};
  std::atomic<int64_t> decoded{0};  // body bytes of every reply of the run (max_run_bytes)
  std::mutex budget_mutex;  // guards wait_reserved_ms
  int64_t wait_reserved_ms = 0;
  std::mutex debug_mutex;

  explicit impl(github_client_options o) : opts(std::move(o)) {
    while (!opts.api_url.empty() && opts.api_url.back() == '/') opts.api_url.pop_back();
    if (opts.max_attempts < 1) opts.max_attempts = 1;
    opts.max_page_bytes = std::max<int64_t>(opts.max_page_bytes, 1);
    opts.max_run_bytes = std::max<int64_t>(opts.max_run_bytes, 1);
    opts.max_header_bytes = std::max<int64_t>(opts.max_header_bytes, 1024);
    opts.max_pages = std::max<int64_t>(opts.max_pages, 1);
    opts.max_stale_pages = std::max<int64_t>(opts.max_stale_pages, 1);
  }

  bool cancelled() const { return opts.cancel != nullptr && opts.cancel->load(); }

  std::string redact(std::string s) const {
    if (opts.token.size() < 4) return s;
    for (size_t p = s.find(opts.token); p != std::string::npos; p = s.find(opts.token, p))
      s.replace(p, opts.token.size(), "***");
    return s;
  }

  void debug(const std::string& line) {
    if (!opts.debug) return;
    std::lock_guard<std::mutex> lock(debug_mutex);
    opts.debug(redact(line));
  }

  status redacted(status s) const {
    s.message = redact(std::move(s.message));
    s.hint = redact(std::move(s.hint));
    return s;
  }

  // Sleeps `ms` in small slices; false when cancelled (or `stop` set) meanwhile.
  bool sleep_for(int64_t ms, const std::atomic<bool>* stop) const {
    auto deadline = clock_type::now() + std::chrono::milliseconds(ms);
    for (;;) {
      if (cancelled() || (stop != nullptr && stop->load())) return false;
      auto now = clock_type::now();
      if (now >= deadline) return true;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(sleep_slice_ms)));
    }
  }

  // Takes `ms` from the run's wait budget, if it fits.
  bool reserve_wait(int64_t ms) {
    std::lock_guard<std::mutex> lock(budget_mutex);
    if (wait_reserved_ms + ms > opts.max_wait_seconds * 1000) return false;
    wait_reserved_ms += ms;
    return true;
  }

  status interrupted() const { return status::fail(status_code::interrupted, "interrupted"); }

  // One GET with retries and rate-limit waits. On success resp holds a 2xx or 304 reply.
  status get(transfer_handle& h, const std::string& url, const std::optional<std::string>& etag,
             const std::optional<std::string>& last_modified, const std::atomic<bool>* stop,
             std::mt19937& rng, http_response& resp) {
    if (!h.valid()) return network_error("cannot initialise libcurl");
    for (char c : opts.token)
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f)
        return status::fail(status_code::usage, "the GitHub token contains invalid characters",
                            "check GH_TOKEN / GITHUB_TOKEN or run gh auth login");
    if (auto s = check_token_destination(url); !s.ok()) return redacted(s);
    std::string host = "the GitHub API";
    if (auto o = origin_of(url)) host = o->host;

    curl_slist* headers = nullptr;
    auto add = [&](const std::string& line) { headers = curl().slist_append(headers, line.c_str()); };
    if (!opts.token.empty()) add("Authorization: Bearer " + opts.token);
    add("Accept: application/vnd.github+json");
    add("X-GitHub-Api-Version: 2022-11-28");
    if (etag) add("If-None-Match: " + one_line(*etag, 1024));
    if (last_modified) add("If-Modified-Since: " + one_line(*last_modified, 1024));
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> guard(headers, curl().slist_free_all);

    const bool conditional = etag.has_value() || last_modified.has_value();
    int attempt = 0;
    int64_t backoff = std::max<int64_t>(opts.backoff_initial_ms, 0);
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    for (;;) {
      if (cancelled()) return interrupted();
      if (stop != nullptr && stop->load()) return interrupted();
      ++attempt;
      resp = http_response{};
      transfer_state st{&resp,
                        opts.cancel,
                        stop,
                        static_cast<size_t>(opts.max_page_bytes),
                        static_cast<size_t>(opts.max_header_bytes),
                        &decoded,
                        opts.max_run_bytes};
      auto started = clock_type::now();
      CURLcode rc = h.perform(url, headers, st);
      ++requests;
      auto ms = elapsed_ms(started);
      if (rc == CURLE_OK)
        debug("GET " + url + " -> " + std::to_string(resp.code) + " (" + std::to_string(ms) +
              " ms)");
      else
        debug("GET " + url + " -> error: " + curl().easy_strerror(rc) + " (" +
              std::to_string(ms) + " ms)");
      if (rc == CURLE_ABORTED_BY_CALLBACK && st.should_stop()) return interrupted();

      auto retry_after_backoff = [&]() -> bool {
        if (attempt >= opts.max_attempts) return false;
        int64_t wait = static_cast<int64_t>(static_cast<double>(backoff) * jitter(rng));
        backoff *= 2;
        return sleep_for(wait, stop);
      };

      if (rc != CURLE_OK) {
        if (resp.too_large)
          return redacted(network_error("reply too large: GET " + url + " decoded to more than " +
                                        byte_size_text(opts.max_page_bytes) +
                                        " (github.max_page_bytes)"));
        if (resp.run_too_large)
          return network_error("sync stopped: the replies of this run decoded to more than " +
                               byte_size_text(opts.max_run_bytes) + " (github.max_run_bytes)");
        if (resp.header_too_large)
          return redacted(network_error("reply header too large: GET " + url +
                                        " sent more than " +
                                        byte_size_text(opts.max_header_bytes) + " of headers"));
        // libcurl refuses a single header line over 100 KB with CURLE_OUT_OF_MEMORY (or
        // CURLE_TOO_LARGE): the server's fault, not this machine's memory.
        if (rc == CURLE_OUT_OF_MEMORY)
          return redacted(network_error("reply header too large: GET " + url +
                                        " sent a header line longer than libcurl accepts"));
        if (is_transient(rc) && retry_after_backoff()) continue;
        if (cancelled() || (stop != nullptr && stop->load())) return interrupted();
        std::string detail = h.error_text()[0] != '\0' ? h.error_text() : curl().easy_strerror(rc);
        if (rc == CURLE_OPERATION_TIMEDOUT)
          return redacted(network_error("GET " + url + " timed out (" + one_line(detail) +
                                        ") " + attempts_text(attempt)));
        std::string msg = "cannot reach " + host + ": " + one_line(detail);
        if (is_transient(rc)) msg += " " + attempts_text(attempt);
        return redacted(network_error(msg));
      }

      long code = resp.code;
      if ((code >= 200 && code < 300) || (code == 304 && conditional)) return status::success();
      if (code >= 500 && code < 600) {
        if (retry_after_backoff()) continue;
        if (cancelled() || (stop != nullptr && stop->load())) return interrupted();
        return redacted(network_error("GitHub API error: HTTP " + std::to_string(code) +
                                      " on GET " + url + " " + attempts_text(attempt)));
      }
      if (code == 401)
        return network_error("GitHub rejected the token (HTTP 401)",
                             "check GH_TOKEN / GITHUB_TOKEN or run gh auth login");
      if (code == 403 || code == 429) {
        auto s = rate_limit_wait(resp, url, stop);
        if (s.ok()) {
          --attempt;  // a rate-limit wait is not a failed attempt
          continue;
        }
        return redacted(s);
      }
      std::string msg = "GitHub API error: HTTP " + std::to_string(code);
      if (code == 404) msg += " (not found)";
      msg += " on GET " + url;
      if (auto gm = github_error_message(resp.body); !gm.empty()) msg += ": " + gm;
      return redacted(network_error(msg));
    }
  }

  // For a 403/429: waits as told (within the budget) and returns ok, or says why not.
  status rate_limit_wait(const http_response& resp, const std::string& url,
                         const std::atomic<bool>* stop) {
    std::time_t now = std::time(nullptr);
    std::optional<int64_t> wait_s;
    int64_t value = 0;
    if (auto ra = resp.header("retry-after")) {
      if (parse_count(*ra, value)) {
        wait_s = value;
      } else {
        std::time_t when = curl().getdate(ra->c_str(), nullptr);
        if (when > 0) wait_s = std::max<int64_t>(0, static_cast<int64_t>(when - now));
      }
    }
    if (!wait_s) {
      auto remaining = resp.header("x-ratelimit-remaining");
      auto reset = resp.header("x-ratelimit-reset");
      if (remaining != nullptr && trim(*remaining) == "0" && reset != nullptr &&
          parse_count(*reset, value))
        wait_s = std::max<int64_t>(0, value - static_cast<int64_t>(now)) + 1;
    }
    if (!wait_s) {
      std::string msg = "GitHub API error: HTTP " + std::to_string(resp.code) + " on GET " + url;
      if (auto gm = github_error_message(resp.body); !gm.empty()) msg += ": " + gm;
      if (resp.code == 429) msg = "rate limited by GitHub (HTTP 429 on GET " + url + ")";
      return network_error(msg);
    }
    int64_t wait = std::max<int64_t>(*wait_s, 1);  // never spin on "retry-after: 0"
    if (!reserve_wait(wait * 1000)) {
      std::time_t reset_at = now + static_cast<std::time_t>(wait);
      return network_error("rate limited by GitHub; the limit resets at " +
                               local_clock_time(reset_at) + " (in " + std::to_string(wait) +
                               " s)",
                           "try again later, or allow a longer wait with --max-wait");
    }
    debug("rate limited: waiting " + std::to_string(wait) + " s");
    auto started = clock_type::now();
    bool slept = sleep_for(wait * 1000, stop);
    waited += elapsed_ms(started);
    if (!slept) return interrupted();
    return status::success();
  }
};

github_client::github_client(github_client_options options) : impl_(nullptr) {
  impl_ = new impl(std::move(options));
  if (!load_curl(impl_->load_error)) return;  // fetch_* report load_error
  curl().global_init(CURL_GLOBAL_DEFAULT);  // reference-counted and thread-safe in libcurl 7.84+
  impl_->main_handle = std::make_unique<transfer_handle>(impl_->opts);
}

github_client::~github_client() {
  bool loaded = impl_->load_error.empty();
  delete impl_;
  if (loaded) curl().global_cleanup();
}

int64_t github_client::requests() const { return impl_->requests.load(); }
int64_t github_client::waited_ms() const { return impl_->waited.load(); }
int64_t github_client::decoded_bytes() const { return impl_->decoded.load(); }

status github_client::fetch_listing(
    bool conditional, const std::function<page_validator(const std::string& url)>& validator_for,
    std::vector<fetched_page>& out) {
  out.clear();
  if (!impl_->load_error.empty()) return network_error(impl_->load_error);
  try {
    std::mt19937 rng(std::random_device{}());
    std::set<std::string> visited;
    std::unordered_set<int64_t> seen_ids;  // for max_stale_pages
    int64_t stale_pages = 0;
    std::optional<std::string> url = impl_->opts.api_url + "/user/repos?per_page=100&sort=pushed";
    auto api_origin = origin_of(*url);
    if (!api_origin)
      return network_error("invalid GitHub API URL: " + one_line(impl_->opts.api_url));
    while (url) {
      if (impl_->cancelled()) return impl_->interrupted();
      if (!visited.insert(*url).second)
        return network_error("malformed reply: pagination loop at " + impl_->redact(*url));
      if (static_cast<int64_t>(visited.size()) > impl_->opts.max_pages)
        return network_error("sync stopped: the listing goes on past " +
                             std::to_string(impl_->opts.max_pages) +
                             " pages (github.max_pages)");
      page_validator v;
      if (conditional && validator_for) v = validator_for(*url);
      http_response resp;
      auto s = impl_->get(*impl_->main_handle, *url, conditional ? v.etag : std::nullopt,
                          conditional ? v.last_modified : std::nullopt, nullptr, rng, resp);
      if (!s.ok()) return s;

      fetched_page page;
      page.url = *url;
      std::optional<std::string> next;
      if (resp.code == 304) {
        page.not_modified = true;
        page.etag = resp.header("etag") ? *resp.header("etag") : v.etag;
        page.last_modified = v.last_modified;
        if (auto lm = resp.header("last-modified")) page.last_modified = *lm;
        next = v.next_url;
      } else {
        s = parse_repo_page(resp.body, page.repos);
        if (!s.ok()) {
          s.message += " (" + impl_->redact(*url) + ")";
          return s;
        }
        if (auto e = resp.header("etag")) page.etag = *e;
        if (auto lm = resp.header("last-modified")) page.last_modified = *lm;
        if (auto link = resp.header("link")) next = parse_next_link(*link);
        bool brought_new = false;
        for (const auto& r : page.repos) brought_new = seen_ids.insert(r.github_id).second || brought_new;
        stale_pages = brought_new ? 0 : stale_pages + 1;
        if (stale_pages >= impl_->opts.max_stale_pages && next)
          return network_error("sync stopped: " + std::to_string(stale_pages) +
                               " listing pages in a row brought no new repository (the "
                               "server's next links never end; last " +
                               impl_->redact(*url) + ")");
        resp.body = std::string();  // parsed: only the rows are kept (memory: one page)
      }
      if (next) {
        auto absolute = resolve_url(*url, *next);
        auto next_origin = absolute ? origin_of(*absolute) : std::nullopt;
        if (!next_origin)
          return network_error("malformed reply: invalid next page URL (" +
                               impl_->redact(*url) + ")");
        if (next_origin->scheme != api_origin->scheme || next_origin->host != api_origin->host ||
            next_origin->port != api_origin->port)
          return network_error("refusing to follow a next page link to another server (" +
                               next_origin->scheme + "://" + next_origin->host + ":" +
                               next_origin->port + ")");
        next = absolute;
      }
      page.next_url = next;
      out.push_back(std::move(page));
      url = next;
    }
    return status::success();
  } catch (const std::exception& e) {
    return network_error(std::string("GitHub listing failed: ") + e.what());
  }
}

status github_client::fetch_metadata(
    const std::vector<std::pair<std::string, bool>>& repos_and_want_topics,
    const std::function<std::optional<std::string>(const std::string&)>& languages_etag_for,
    int jobs, std::vector<fetched_metadata>& out) {
  out.clear();
  if (!impl_->load_error.empty()) return network_error(impl_->load_error);
  try {
    const size_t n = repos_and_want_topics.size();
    out.resize(n);
    if (n == 0) return status::success();
    std::optional<std::string> etags_error;
    std::vector<std::optional<std::string>> etags(n);
    for (size_t i = 0; i < n; ++i)  // asked up front: the callback need not be thread-safe
      if (languages_etag_for) etags[i] = languages_etag_for(repos_and_want_topics[i].first);

    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex result_mutex;
    status first_error;

    auto work = [&](transfer_handle& h) {
      std::mt19937 rng(std::random_device{}());
      for (;;) {
        if (stop.load()) return;
        size_t i = next.fetch_add(1);
        if (i >= n) return;
        const auto& [full_name, want_topics] = repos_and_want_topics[i];
        auto& m = out[i];
        m.full_name = full_name;
        auto base = impl_->opts.api_url + "/repos/" + repo_path(full_name);
        http_response resp;
        auto s = impl_->get(h, base + "/languages", etags[i], std::nullopt, &stop, rng, resp);
        if (s.ok()) {
          if (resp.code == 304) {
            m.languages_not_modified = true;
            m.languages_etag = resp.header("etag") ? *resp.header("etag") : etags[i];
          } else {
            s = parse_languages(resp.body, m.languages);
            if (!s.ok()) s.message += " (" + impl_->redact(base + "/languages") + ")";
            if (auto e = resp.header("etag")) m.languages_etag = *e;
          }
        }
        if (s.ok() && want_topics) {
          s = impl_->get(h, base + "/topics", std::nullopt, std::nullopt, &stop, rng, resp);
          if (s.ok()) {
            std::vector<std::string> topics;
            s = parse_topics(resp.body, topics);
            if (s.ok())
              m.topics = std::move(topics);
            else
              s.message += " (" + impl_->redact(base + "/topics") + ")";
          }
        }
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(result_mutex);
          // The first real error wins over the "interrupted" of workers it stopped.
          if (first_error.ok()) first_error = s;
          stop = true;
          return;
        }
      }
    };

    int workers = std::max(1, std::min({jobs, max_jobs, static_cast<int>(n)}));
    if (workers == 1) {
      work(*impl_->main_handle);
    } else {
      std::vector<std::unique_ptr<transfer_handle>> handles;
      for (int w = 0; w < workers; ++w)
        handles.push_back(std::make_unique<transfer_handle>(impl_->opts));
      std::vector<std::thread> threads;
      for (int w = 0; w < workers; ++w) threads.emplace_back(work, std::ref(*handles[w]));
      for (auto& t : threads) t.join();
    }
    if (impl_->cancelled()) return impl_->interrupted();
    if (!first_error.ok()) {
      out.clear();
      return first_error;
    }
    return status::success();
  } catch (const std::exception& e) {
    return network_error(std::string("GitHub metadata fetch failed: ") + e.what());
  }
}

std::string languages_url(const std::string& api_url, const std::string& full_name) {
  return api_url + "/repos/" + repo_path(full_name) + "/languages";
}

}  // namespace gum
