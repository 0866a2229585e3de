// actors/github_client.cpp: the GitHub REST client of SPEC §3.3 (libcurl + Boost.JSON).
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
// - Replies are parsed with Boost.JSON's non-throwing API; any wrong type is a "malformed reply"
//   status, never an exception. The token is redacted from every debug line and message.
#include "actors/github_client.hpp"

#include "actors/curl_loader.hpp"
#include "storage/text.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <set>
#include <thread>

extern char** environ;

namespace gum {
namespace {

using storage::ascii_lower;

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

constexpr int64_t max_pages = 10000;
constexpr size_t max_body_bytes = size_t{256} << 20;  // a page of 100 repos is ~600 KB
constexpr int64_t sleep_slice_ms = 50;
constexpr int max_jobs = 64;

// libcurl's functions. github_client's constructor loads the library, and fetch_listing and
// fetch_metadata refuse to run when that failed, so every call below finds it loaded.
const curl_api& curl() {
  std::string ignored;
  return *load_curl(ignored);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

status network_error(std::string msg, std::string hint = {}) {
  return status::fail(status_code::network, std::move(msg), std::move(hint));
}

status malformed(const std::string& what) {
  return network_error("malformed reply from GitHub: " + what);
}

int64_t elapsed_ms(clock_type::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - since).count();
}

// Replaces control characters by spaces and caps the length, for text quoted from a reply.
std::string one_line(std::string_view s, size_t max_len = 200) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max_len) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  return std::string(trim(out));
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

// ---- JSON field access -------------------------------------------------------------------

// Reads a field that is an integer, or missing/null (=> fallback). Wrong type => false.
bool as_int(const json::value& v, int64_t& out) {
  if (auto p = v.if_int64()) {
    out = *p;
    return true;
  }
  if (auto p = v.if_uint64()) {
    if (*p > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(*p);
    return true;
  }
  return false;
}

bool get_int(const json::object& o, const char* key, int64_t& out, bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return !required;
  return as_int(it->value(), out);
}

bool get_bool(const json::object& o, const char* key, bool& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (auto p = it->value().if_bool()) {
    out = *p;
    return true;
  }
  return false;
}

bool get_opt_string(const json::object& o, const char* key, std::optional<std::string>& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    out.reset();
    return true;
  }
  if (auto p = it->value().if_string()) {
    out = std::string(p->data(), p->size());
    return true;
  }
  return false;
}

// Parses one repository object; `what` names the field that is wrong on failure.
bool parse_repo(const json::object& o, github_repo& r, std::string& what) {
  auto fail = [&](const char* field) {
    what = std::string("field ") + field + " has the wrong type";
    return false;
  };
  if (o.find("id") == o.end() || o.at("id").is_null()) {
    what = "a repository has no id";
    return false;
  }
  if (!get_int(o, "id", r.github_id, true)) return fail("id");
  std::optional<std::string> full_name;
  if (!get_opt_string(o, "full_name", full_name)) return fail("full_name");
  if (!full_name || full_name->empty()) {
    what = "repository " + std::to_string(r.github_id) + " has no full_name";
    return false;
  }
  r.full_name = *full_name;
  std::optional<std::string> owner, name;
  if (auto it = o.find("owner"); it != o.end() && !it->value().is_null()) {
    auto owner_obj = it->value().if_object();
    if (owner_obj == nullptr) return fail("owner");
    if (!get_opt_string(*owner_obj, "login", owner)) return fail("owner.login");
  }
  if (!get_opt_string(o, "name", name)) return fail("name");
  auto slash = r.full_name.find('/');
  if (!owner || owner->empty()) {
    if (slash == std::string::npos || slash == 0) {
      what = "full_name " + one_line(r.full_name, 100) + " is not owner/name";
      return false;
    }
    owner = r.full_name.substr(0, slash);
  }
  if (!name || name->empty()) {
    if (slash == std::string::npos || slash + 1 >= r.full_name.size()) {
      what = "full_name " + one_line(r.full_name, 100) + " is not owner/name";
      return false;
    }
    name = r.full_name.substr(slash + 1);
  }
  r.owner = *owner;
  r.name = *name;
  if (!get_opt_string(o, "description", r.description)) return fail("description");
  r.topics.clear();
  r.topics_known = false;
  if (auto it = o.find("topics"); it != o.end() && !it->value().is_null()) {
    auto arr = it->value().if_array();
    if (arr == nullptr) return fail("topics");
    for (const auto& t : *arr) {
      auto s = t.if_string();
      if (s == nullptr) return fail("topics");
      r.topics.emplace_back(s->data(), s->size());
    }
    r.topics_known = true;
  }
  if (!get_opt_string(o, "language", r.language)) return fail("language");
  if (!get_bool(o, "private", r.is_private)) return fail("private");
  if (!get_bool(o, "fork", r.fork)) return fail("fork");
  if (!get_bool(o, "archived", r.archived)) return fail("archived");
  if (!get_bool(o, "is_template", r.is_template)) return fail("is_template");
  if (!get_opt_string(o, "visibility", r.visibility)) return fail("visibility");
  if (!get_opt_string(o, "default_branch", r.default_branch)) return fail("default_branch");
  r.license.reset();
  if (auto it = o.find("license"); it != o.end() && !it->value().is_null()) {
    auto lic = it->value().if_object();
    if (lic == nullptr) return fail("license");
    for (const char* key : {"spdx_id", "key", "name"}) {
      std::optional<std::string> v;
      if (!get_opt_string(*lic, key, v)) return fail("license");
      if (v && !v->empty() && *v != "NOASSERTION") {
        r.license = v;
        break;
      }
    }
  }
  if (!get_int(o, "stargazers_count", r.stars, false)) return fail("stargazers_count");
  if (!get_int(o, "forks_count", r.forks, false)) return fail("forks_count");
  if (!get_int(o, "open_issues_count", r.open_issues, false)) return fail("open_issues_count");
  if (!get_int(o, "size", r.size, false)) return fail("size");
  if (!get_opt_string(o, "html_url", r.html_url)) return fail("html_url");
  if (!get_opt_string(o, "clone_url", r.clone_url)) return fail("clone_url");
  if (!get_opt_string(o, "ssh_url", r.ssh_url)) return fail("ssh_url");
  if (!get_opt_string(o, "created_at", r.created_at)) return fail("created_at");
  if (!get_opt_string(o, "updated_at", r.updated_at)) return fail("updated_at");
  if (!get_opt_string(o, "pushed_at", r.pushed_at)) return fail("pushed_at");
  return true;
}

// Parses a whole body as JSON without throwing.
status parse_json(std::string_view body, json::value& out) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  out = json::parse(json::string_view(body.data(), body.size()), ec, {}, opts);
  if (ec) return malformed("invalid JSON (" + ec.message() + ")");
  return status::success();
}

// ---- transfers ---------------------------------------------------------------------------

struct http_response {
  long code = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool too_large = false;

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
  bool should_stop() const {
    return (cancel != nullptr && cancel->load()) || (stop != nullptr && stop->load());
  }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<transfer_state*>(user);
  size_t bytes = size * n;
  if (st->resp->body.size() + bytes > max_body_bytes) {
    st->resp->too_large = true;
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
    return bytes;
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

// The "message" of a GitHub error body, if there is one.
std::string github_error_message(const std::string& body) {
  json::value v;
  if (!parse_json(body, v).ok()) return {};
  auto o = v.if_object();
  if (o == nullptr) return {};
  auto it = o->find("message");
  if (it == o->end() || !it->value().is_string()) return {};
  const auto& s = it->value().get_string();
  return one_line(std::string_view(s.data(), s.size()));
}

bool parse_int64(const std::string& s, int64_t& out) {
  auto t = trim(s);
  if (t.empty() || t.size() > 18) return false;
  int64_t v = 0;
  for (char c : t) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

// ---- the client --------------------------------------------------------------------------

struct github_client::impl {
  github_client_options opts;
  std::string load_error;  // why libcurl could not be loaded; empty when it was
  std::unique_ptr<transfer_handle> main_handle;
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> waited{0};
  std::mutex budget_mutex;  // guards wait_reserved_ms
  int64_t wait_reserved_ms = 0;
  std::mutex debug_mutex;

  explicit impl(github_client_options o) : opts(std::move(o)) {
    while (!opts.api_url.empty() && opts.api_url.back() == '/') opts.api_url.pop_back();
    if (opts.max_attempts < 1) opts.max_attempts = 1;
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
      transfer_state st{&resp, opts.cancel, stop};
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
          return redacted(network_error("reply too large on GET " + url));
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
      if (parse_int64(*ra, value)) {
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
          parse_int64(*reset, value))
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

status github_client::fetch_listing(
    bool conditional, const std::function<page_validator(const std::string& url)>& validator_for,
    std::vector<fetched_page>& out) {
  out.clear();
  if (!impl_->load_error.empty()) return network_error(impl_->load_error);
  try {
    std::mt19937 rng(std::random_device{}());
    std::set<std::string> visited;
    std::optional<std::string> url = impl_->opts.api_url + "/user/repos?per_page=100&sort=pushed";
    auto api_origin = origin_of(*url);
    if (!api_origin)
      return network_error("invalid GitHub API URL: " + one_line(impl_->opts.api_url));
    while (url) {
      if (impl_->cancelled()) return impl_->interrupted();
      if (!visited.insert(*url).second)
        return network_error("malformed reply: pagination loop at " + impl_->redact(*url));
      if (static_cast<int64_t>(visited.size()) > max_pages)
        return network_error("malformed reply: more than " + std::to_string(max_pages) +
                             " pages");
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

// ---- parsers -----------------------------------------------------------------------------

status parse_repo_page(std::string_view body, std::vector<github_repo>& out) {
  out.clear();
  try {
    json::value v;
    if (auto s = parse_json(body, v); !s.ok()) return s;
    auto arr = v.if_array();
    if (arr == nullptr) return malformed("expected a JSON array of repositories");
    out.reserve(arr->size());
    for (size_t i = 0; i < arr->size(); ++i) {
      auto obj = (*arr)[i].if_object();
      if (obj == nullptr) {
        out.clear();
        return malformed("element " + std::to_string(i) + " is not an object");
      }
      github_repo r;
      std::string what;
      if (!parse_repo(*obj, r, what)) {
        out.clear();
        return malformed(what + " (element " + std::to_string(i) + ")");
      }
      out.push_back(std::move(r));
    }
    return status::success();
  } catch (const std::exception& e) {
    out.clear();
    return malformed(e.what());
  }
}

status parse_languages(std::string_view body, std::map<std::string, int64_t>& out) {
  out.clear();
  try {
    json::value v;
    if (auto s = parse_json(body, v); !s.ok()) return s;
    auto obj = v.if_object();
    if (obj == nullptr) return malformed("expected a JSON object of languages");
    for (const auto& kv : *obj) {
      int64_t bytes = 0;
      if (!as_int(kv.value(), bytes) || bytes < 0) {
        out.clear();
        return malformed("language " + one_line(std::string(kv.key()), 60) +
                         " has no byte count");
      }
      out[std::string(kv.key())] = bytes;
    }
    return status::success();
  } catch (const std::exception& e) {
    out.clear();
    return malformed(e.what());
  }
}

status parse_topics(std::string_view body, std::vector<std::string>& out) {
  out.clear();
  try {
    json::value v;
    if (auto s = parse_json(body, v); !s.ok()) return s;
    auto obj = v.if_object();
    if (obj == nullptr) return malformed("expected a JSON object with names");
    auto it = obj->find("names");
    if (it == obj->end() || !it->value().is_array())
      return malformed("topics reply has no names array");
    for (const auto& t : it->value().get_array()) {
      auto s = t.if_string();
      if (s == nullptr) {
        out.clear();
        return malformed("a topic is not a string");
      }
      out.emplace_back(s->data(), s->size());
    }
    return status::success();
  } catch (const std::exception& e) {
    out.clear();
    return malformed(e.what());
  }
}

// A small state machine over RFC 8288 link-values: <uri> *( ";" param [ "=" value ] ) ",".
std::optional<std::string> parse_next_link(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  while (i < n) {
    skip_ws();
    while (i < n && (s[i] == ',' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= n) break;
    if (s[i] != '<') return std::nullopt;
    size_t close = s.find('>', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view url = trim(s.substr(i + 1, close - i - 1));
    i = close + 1;
    bool is_next = false;
    for (;;) {
      skip_ws();
      if (i >= n || s[i] == ',') break;
      if (s[i] != ';') return std::nullopt;
      ++i;
      skip_ws();
      size_t name_start = i;
      while (i < n && s[i] != '=' && s[i] != ';' && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
        ++i;
      std::string name = ascii_lower(s.substr(name_start, i - name_start));
      skip_ws();
      std::string value;
      if (i < n && s[i] == '=') {
        ++i;
        skip_ws();
        if (i < n && s[i] == '"') {
          ++i;
          bool closed = false;
          while (i < n) {
            if (s[i] == '\\' && i + 1 < n) {
              value += s[i + 1];
              i += 2;
            } else if (s[i] == '"') {
              ++i;
              closed = true;
              break;
            } else {
              value += s[i++];
            }
          }
          if (!closed) return std::nullopt;
        } else {
          size_t v_start = i;
          while (i < n && s[i] != ';' && s[i] != ',' && s[i] != ' ' && s[i] != '\t') ++i;
          value = std::string(s.substr(v_start, i - v_start));
        }
      }
      if (name == "rel") {
        size_t p = 0;
        while (p < value.size()) {
          size_t q = value.find_first_of(" \t", p);
          if (q == std::string::npos) q = value.size();
          if (ascii_lower(std::string_view(value).substr(p, q - p)) == "next") is_next = true;
          p = q + 1;
        }
      }
    }
    if (is_next && !url.empty()) return std::string(url);
  }
  return std::nullopt;
}

namespace {

bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
      return false;
  return h.front() != '.' && h.front() != '-';
}

bool valid_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7f || c == '\\' || c == ':' || c == '?' || c == '#' || c == '@' ||
        c == '"' || c == '\'' || c == '<' || c == '>')
      return false;
  }
  return true;
}

// owner/name from "owner/name(.git)(/)": exactly two non-empty segments.
std::optional<remote_ref> split_repo_path(std::string host, std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.size() >= 4 && ascii_lower(path.substr(path.size() - 4)) == ".git")
    path.remove_suffix(4);
  auto slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto owner = path.substr(0, slash);
  auto name = path.substr(slash + 1);
  if (!valid_segment(owner) || !valid_segment(name) || name.find('/') != std::string_view::npos)
    return std::nullopt;
  return remote_ref{std::move(host), std::string(owner), std::string(name)};
}

}  // namespace

std::optional<remote_ref> parse_remote_url(std::string_view url) {
  url = trim(url);
  if (url.empty() || url.size() > 4096) return std::nullopt;
  auto sep = url.find("://");
  if (sep != std::string_view::npos) {
    auto scheme = ascii_lower(url.substr(0, sep));
    if (scheme != "https" && scheme != "http" && scheme != "ssh" && scheme != "git" &&
        scheme != "git+ssh" && scheme != "ssh+git")
      return std::nullopt;
    auto rest = url.substr(sep + 3);
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto authority = rest.substr(0, slash);
    auto path = rest.substr(slash + 1);
    if (auto at = authority.rfind('@'); at != std::string_view::npos)
      authority = authority.substr(at + 1);
    if (auto colon = authority.find(':'); colon != std::string_view::npos) {
      auto port = authority.substr(colon + 1);
      if (port.empty() || port.size() > 5 ||
          !std::all_of(port.begin(), port.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
      authority = authority.substr(0, colon);
    }
    if (!valid_host(authority)) return std::nullopt;
    if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
    return split_repo_path(ascii_lower(authority), path);
  }
  // scp-like: [user@]host:owner/name — the colon must come before any slash.
  auto colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto first_slash = url.find('/');
  if (first_slash != std::string_view::npos && first_slash < colon) return std::nullopt;
  auto authority = url.substr(0, colon);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.size() < 2 || !valid_host(authority)) return std::nullopt;  // not C:\...
  auto path = url.substr(colon + 1);
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return split_repo_path(ascii_lower(authority), path);
}

std::string languages_url(const std::string& api_url, const std::string& full_name) {
  return api_url + "/repos/" + repo_path(full_name) + "/languages";
}

std::string git_host_for_api(std::string_view api_url) {
  auto url = trim(api_url);
  auto sep = url.find("://");
  if (sep != std::string_view::npos) url = url.substr(sep + 3);
  auto end = url.find_first_of("/?#");
  auto authority = url.substr(0, end == std::string_view::npos ? url.size() : end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    auto close = authority.find(']');
    authority = close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  auto host = ascii_lower(authority);
  if (host == "api.github.com") return "github.com";
  return host;
}

// ---- token -------------------------------------------------------------------------------

namespace {

// Runs argv without a shell; stdout captured (at most 64 KB), stderr discarded, 10 s limit.
std::optional<std::string> run_capture(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return std::nullopt;
  }
  std::string output;
  bool timed_out = false;
  auto deadline = clock_type::now() + std::chrono::seconds(10);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      clock_type::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int pr = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (pr < 0 && errno == EINTR) continue;
    if (pr < 0) break;
    if (pr == 0) continue;
    char buf[4096];
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (output.size() < 65536) output.append(buf, static_cast<size_t>(got));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) return std::nullopt;
  return output;
}

}  // namespace

std::string resolve_github_token(const std::string& token_command) {
  try {
    for (const char* var : {"GH_TOKEN", "GITHUB_TOKEN"}) {
      const char* v = std::getenv(var);
      if (v != nullptr && !trim(v).empty()) return std::string(trim(v));
    }
    std::vector<std::string> args;
    std::string_view cmd = token_command;
    size_t i = 0;
    while (i < cmd.size()) {
      while (i < cmd.size() && std::isspace(static_cast<unsigned char>(cmd[i]))) ++i;
      size_t start = i;
      while (i < cmd.size() && !std::isspace(static_cast<unsigned char>(cmd[i]))) ++i;
      if (i > start) args.emplace_back(cmd.substr(start, i - start));
    }
    if (args.empty()) return {};
    auto output = run_capture(args);
    if (!output) return {};
    auto token = std::string(trim(*output));
    // A token never holds whitespace or control characters: anything else is not a token.
    for (char c : token)
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return {};
    return token;
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace gum
