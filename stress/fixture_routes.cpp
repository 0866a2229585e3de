// stress/fixture_routes.cpp: the fixture server's HTTP handlers (see fixture_routes.hpp).
#include "stress/fixture_routes.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>

namespace gum::fixture {

namespace {
// "[" + `bytes` spaces + "]", gzip-compressed (about 1 KB per MB). Built once per size.
std::string gzip_bomb(size_t bytes) {
  static std::mutex mu;
  static std::map<size_t, std::string> built;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = built.find(bytes); it != built.end()) return it->second;
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out, chunk(1 << 20, ' ');
  std::string buf(1 << 16, '\0');
  auto feed = [&](const char* data, size_t n, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z.avail_in = static_cast<uInt>(n);
    int rc = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      rc = deflate(&z, flush);
      out.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc == Z_OK));
  };
  feed("[", 1, Z_NO_FLUSH);
  for (size_t left = bytes; left > 0;) {
    size_t n = std::min(left, chunk.size());
    feed(chunk.data(), n, Z_NO_FLUSH);
    left -= n;
  }
  feed("]", 1, Z_FINISH);
  deflateEnd(&z);
  return built[bytes] = out;
}
}  // namespace


namespace {

constexpr std::string_view json_type = "application/json; charset=utf-8";
constexpr std::string_view docs_url = "https://docs.github.com/rest";
constexpr size_t max_log_entries = 200000;

std::string message_body(std::string_view message) {
  json::object o;
  o["message"] = message;
  o["documentation_url"] = docs_url;
  return json::serialize(o);
}

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

std::string stats_json(fixture_state& s) {
  json::object o;
  s.log.add_stats(o);
  o["repos"] = s.catalogue.size();
  o["rate_remaining"] = s.rate.snapshot().remaining;
  return json::serialize(o);
}

}  // namespace

// ---- request log ----------------------------------------------------------------------------

void request_log::begin_request() {
  std::lock_guard<std::mutex> lock(log_mu_);
  ++requests_;
  ++in_flight_;
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
}

void request_log::end_request(log_entry e, bool not_modified) {
  std::lock_guard<std::mutex> lock(log_mu_);
  --in_flight_;
  if (not_modified) ++not_modified_;
  if (log_.size() < max_log_entries) log_.push_back(std::move(e));
}

void request_log::reset() {
  std::lock_guard<std::mutex> lock(log_mu_);
  log_.clear();
  requests_ = 0;
  not_modified_ = 0;
  max_in_flight_ = in_flight_;
}

std::string request_log::log_json() {
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

void request_log::add_stats(json::object& o) {
  std::lock_guard<std::mutex> lock(log_mu_);
  o["requests"] = requests_;
  o["max_in_flight"] = max_in_flight_;
  o["in_flight"] = in_flight_;
  o["not_modified"] = not_modified_;
}

// ---- handlers -------------------------------------------------------------------------------

void fixture_handler::handle(const httplib::Request& req, httplib::Response& res) {
  try {
    if (req.path.rfind("/_fixture/", 0) == 0) {
      control(req, res);
      set_rate_headers(res, s_.rate.snapshot());
      return;
    }
    s_.log.begin_request();
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
    s_.log.end_request(std::move(e), not_modified);
  } catch (const std::exception& e) {
    set_json(res, 500, message_body(std::string("fixture error: ") + e.what()));
  }
}

void fixture_handler::control(const httplib::Request& req, httplib::Response& res) {
  const std::string& p = req.path;
  if (req.method == "GET" && p == "/_fixture/requests") return set_json(res, 200, s_.log.log_json());
  if (req.method == "GET" && p == "/_fixture/stats") return set_json(res, 200, stats_json(s_));
  if (req.method == "GET" && p == "/_fixture/repos")
    return set_json(res, 200, s_.catalogue.repo_names_json());
  if (req.method != "POST") return set_json(res, 404, message_body("Not Found"));
  if (p == "/_fixture/reset-log") {
    s_.log.reset();
    return set_json(res, 200, "{\"ok\":true}");
  }
  if (p == "/_fixture/clear-faults") {
    s_.faults.clear();
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
    const bool ok = s_.catalogue.mutate(o, answer);
    return set_json(res, ok ? 200 : 400, ok ? answer : message_body(answer));
  }
  if (p == "/_fixture/rate") {
    long remaining = rate_limit_total, reset_in = 3600;
    if (!read_int(o, "remaining", remaining) || !read_int(o, "reset_in", reset_in))
      return set_json(res, 400, message_body("rate expects {remaining: N, reset_in: S}"));
    s_.rate.set(remaining, reset_in);
    return set_json(res, 200, "{\"ok\":true}");
  }
  fault f;
  if (!parse_fault(o, f))
    return set_json(res, 400,
                    message_body("fault expects {kind, status?, page?, path?, times?, ms?, "
                                 "seconds?, reset_in?, message?} with a known kind"));
  json::object answer;
  answer["ok"] = true;
  answer["id"] = s_.faults.add(std::move(f));
  set_json(res, 200, json::serialize(answer));
}


bool fixture_handler::authorized(const httplib::Request& req) const {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) != 0) return false;
  const std::string token = auth.substr(7);
  if (token.find_first_not_of(' ') == std::string::npos) return false;
  return s_.options.token.empty() || token == s_.options.token;
}


void fixture_handler::api(const httplib::Request& req, httplib::Response& res, bool& not_modified) {
  const std::string& path = req.path;
  const bool listing = path == "/user/repos";
  const bool repos = path.rfind("/repos/", 0) == 0;
  if (path == "/rate_limit") {
    const rate_snapshot r = s_.rate.snapshot();
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
    set_rate_headers(res, s_.rate.snapshot());
    return;
  }
  if (!authorized(req)) {
    set_json(res, 401, message_body("Bad credentials"));
    set_rate_headers(res, s_.rate.snapshot());
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
      set_rate_headers(res, s_.rate.snapshot());
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
    per_page = std::clamp(per_page, 1L, static_cast<long>(s_.options.per_page_max));
    size_t offset = 0;
    if (req.has_param("cursor") && !s_.catalogue.decode_cursor(req.get_param_value("cursor"), offset)) {
      set_json(res, 422, message_body("Invalid cursor"));
      set_rate_headers(res, s_.rate.snapshot());
      return;
    }
    page_view p = s_.catalogue.listing_page(static_cast<size_t>(per_page), offset);
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
    const bool found = shape_ok && s_.catalogue.with_repo(parts[1] + "/" + parts[2], [&](const repo& r) {
      body = what == "languages" ? languages_body(r) : what == "topics" ? topics_body(r) : r.json;
    });
    if (!found) {
      s_.rate.charge();
      set_json(res, 404, message_body("Not Found"));
      set_rate_headers(res, s_.rate.snapshot());
      return;
    }
    etag = etag_of(body);
  }

  std::optional<rate_snapshot> rate_override;
  bool charge = true;
  std::string content_type(json_type);
  if (auto f = s_.faults.take(path, listing ? page_no : -1)) {
    const std::string& k = f->kind;
    if (k == "hang") {
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(f->ms);
      while (std::chrono::steady_clock::now() < until && !s_.stopping)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (s_.stopping) {
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
      s_.rate.charge();
      set_rate_headers(res, s_.rate.snapshot());
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
    } else if (k == "endless_next") {
      // A next link to a URL never seen before, forever; the body is the first page's.
      long n = 1;
      if (req.has_param("endless")) n = std::atol(req.get_param_value("endless").c_str()) + 1;
      link = "<" + std::string(listing ? "/user/repos" : path) + "?per_page=100&endless=" +
             std::to_string(n) + ">; rel=\"next\"";
    } else if (k == "gzip_bomb") {
      // A small gzip body that inflates to f->bytes of JSON white space.
      res.set_header("Content-Encoding", "gzip");
      body = gzip_bomb(static_cast<size_t>(f->bytes));
      etag.clear();
    } else if (k == "huge_header") {
      res.set_header("X-Fixture-Padding", std::string(static_cast<size_t>(f->bytes), 'a'));
    } else if (k == "huge") {
      body = s_.catalogue.huge_body(page_offset, listing ? page_count : 100);
      etag = etag_of(body);
    }
  }

  // The primary rate limit, when exhausted (see /_fixture/rate).
  if (!rate_override && charge) {
    const rate_snapshot r = s_.rate.snapshot();
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
    set_rate_headers(res, s_.rate.snapshot());
    not_modified = true;
    return;
  }
  if (charge) s_.rate.charge();
  if (!etag.empty()) res.set_header("ETag", etag);
  if (!link.empty()) res.set_header("Link", link);
  res.set_header("Cache-Control", "private, max-age=60, s-maxage=60");
  res.set_header("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
  res.set_header("x-github-api-version-selected", "2022-11-28");
  set_json(res, status, std::move(body));
  set_rate_headers(res, rate_override ? *rate_override : s_.rate.snapshot());
}

}  // namespace gum::fixture
