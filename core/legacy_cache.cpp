// cli/legacy_parsers.cpp: the Go gum's legacy caches, parsed (see legacy_parsers.hpp).
#include "core/legacy_cache.hpp"

#include <sys/stat.h>

#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/dirs_exclude.hpp"
#include "core/paths.hpp"
#include "core/regular_file.hpp"
#include "core/text.hpp"

namespace gum {

namespace {

namespace json = boost::json;

// The value under `key`, matching keys case-insensitively; null when absent.
const json::value* find_key(const json::object& obj, const std::string& key) {
  for (auto& kv : obj)
    if (ascii_lower(std::string_view(kv.key())) == key) return &kv.value();
  return nullptr;
}

// RFC 3339 ("2024-05-01T12:34:56.789+02:00", as Go marshals time.Time) to unix seconds.
std::optional<int64_t> parse_rfc3339(const std::string& s) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return std::nullopt;
  if (tm.tm_year < 1970) return std::nullopt;  // Go's zero time: "never"
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t t = static_cast<int64_t>(::timegm(&tm));
  size_t i = static_cast<size_t>(consumed);
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return t;
  int oh = 0, om = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-') &&
      std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) == 2)
    return s[i] == '+' ? t - (oh * 3600 + om * 60) : t + (oh * 3600 + om * 60);
  return std::nullopt;
}

// A timestamp as RFC 3339 text or unix seconds; anything else is unknown (null), and so is a
// number beyond int64 (found by fuzz/legacy_cache.cpp: converting 1e26 is undefined). Boost.JSON
// keeps a number as uint64 only when it is above INT64_MAX, so a uint64 never fits.
std::optional<int64_t> timestamp_of(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_string()) return parse_rfc3339(std::string(v->as_string()));
  if (v->is_int64() && v->as_int64() > 0) return v->as_int64();
  // 2^63 as a double: a positive double below it truncates to a valid int64; NaN and inf fail.
  constexpr double int64_end = 9223372036854775808.0;
  if (v->is_double() && v->as_double() > 0 && v->as_double() < int64_end)
    return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}

std::optional<int64_t> count_of(const json::value* v) {
  if (v && v->is_int64() && v->as_int64() >= 0) return v->as_int64();
  return std::nullopt;
}

// A legacy path: `~` expanded, absolute after normalising, or nullopt.
std::optional<std::string> legacy_path(const std::string& raw, const environment& env) {
  if (raw.empty() || raw.find('\0') != std::string::npos) return std::nullopt;
  if (raw[0] != '/' && raw[0] != '~') return std::nullopt;
  return normalize_path(raw, env.home, "/");
}

// {"data": [...]}: the data array (an empty one for "data": null), or an error.
const json::array* data_array(const std::string& text, std::string& error, json::value& doc) {
  boost::system::error_code ec;
  doc = json::parse(text, ec);
  if (ec) {
    error = "not valid JSON (" + ec.message() + ")";
    return nullptr;
  }
  if (!doc.is_object()) {
    error = "not a JSON object";
    return nullptr;
  }
  static const json::array empty;
  const json::value* data = find_key(doc.as_object(), "data");
  if (!data) {
    error = "no \"data\" field";
    return nullptr;
  }
  if (data->is_null()) return &empty;
  if (!data->is_array()) {
    error = "\"data\" is not an array";
    return nullptr;
  }
  return &data->as_array();
}

// An optional string field: absent, null or "" is unknown; another type is an error.
bool optional_text(const json::object& obj, const char* key, std::optional<std::string>& out) {
  const json::value* v = find_key(obj, key);
  out.reset();
  if (!v || v->is_null()) return true;
  if (!v->is_string()) return false;
  if (!v->as_string().empty()) out = std::string(v->as_string());
  return true;
}

// One entry of a legacy JSON "data" array: an object whose path key (any case; `label` is how
// the Go gum spelled it, for messages) holds an absolute path. Sets `error` and returns
// nullopt otherwise.
std::optional<std::string> entry_path(const json::value& value, const char* label,
                                      const std::string& where, const environment& env,
                                      const json::object*& entry, std::string& error) {
  if (!value.is_object()) {
    error = where + "not an object";
    return std::nullopt;
  }
  entry = &value.as_object();
  const json::value* path = find_key(*entry, "path");
  if (!path || !path->is_string()) {
    error = where + "no \"" + label + "\" string";
    return std::nullopt;
  }
  auto normal = legacy_path(std::string(path->as_string()), env);
  if (!normal) error = where + "\"" + label + "\" is not an absolute path";
  return normal;
}

}  // namespace

bool read_legacy_file(const std::string& path, legacy_file& file, std::string& out,
                      int64_t* mtime) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  file.found = true;
  if (S_ISDIR(st.st_mode)) {
    file.error = "it is a directory";
    return false;
  }
  // Never waits on a FIFO, and stops at 256 MiB (the Go gum's caches are a few MB).
  auto r = read_regular_file(path, 256u * 1024 * 1024, out);
  if (!r.ok()) {
    file.error = r.what == file_read::failure::not_regular ? "it is not a regular file"
                                                           : "cannot read it: " + r.reason(256u * 1024 * 1024);
    return false;
  }
  if (mtime) *mtime = static_cast<int64_t>(st.st_mtime);
  return true;
}

void parse_projects_json(const std::string& text, const environment& env, legacy_file& file,
                         legacy_import& out) {
  json::value doc;
  const json::array* data = data_array(text, file.error, doc);
  if (!data) return;
  std::vector<project> projects;
  std::set<std::string> seen;
  for (size_t i = 0; i < data->size(); ++i) {
    const std::string where = "entry " + std::to_string(i + 1) + ": ";
    const json::object* entry = nullptr;
    auto normal = entry_path((*data)[i], "Path", where, env, entry, file.error);
    if (!normal) return;
    const auto& obj = *entry;
    project p;
    p.path = *normal;
    if (!optional_text(obj, "remote", p.remote_url) || !optional_text(obj, "branch", p.branch)) {
      file.error = where + "\"Remote\" or \"Branch\" is not a string";
      return;
    }
    if (seen.insert(p.path).second) projects.push_back(std::move(p));
  }
  const auto& top = doc.as_object();
  out.projects_timestamp = timestamp_of(find_key(top, "timestamp"));
  if (auto ttl = count_of(find_key(top, "ttl"))) {
    // Go's time.Duration marshals as nanoseconds; a plain number of seconds is small.
    out.projects_ttl = *ttl >= 1000000000 ? *ttl / 1000000000 : *ttl;
  }
  file.items = static_cast<int64_t>(projects.size());
  out.projects = std::move(projects);
}

void parse_project_dirs_json(const std::string& text, const environment& env, legacy_file& file,
                             std::vector<legacy_root>& out) {
  json::value doc;
  const json::array* data = data_array(text, file.error, doc);
  if (!data) return;
  std::vector<legacy_root> roots;
  for (size_t i = 0; i < data->size(); ++i) {
    const std::string where = "entry " + std::to_string(i + 1) + ": ";
    const json::object* entry = nullptr;
    auto normal = entry_path((*data)[i], "path", where, env, entry, file.error);
    if (!normal) return;
    const auto& obj = *entry;
    legacy_root r;
    r.path = *normal;
    r.last_scanned = timestamp_of(find_key(obj, "last_scanned"));
    if (!r.last_scanned) r.last_scanned = timestamp_of(find_key(obj, "lastscanned"));
    r.repo_count = count_of(find_key(obj, "git_count"));
    if (!r.repo_count) r.repo_count = count_of(find_key(obj, "gitcount"));
    roots.push_back(std::move(r));
  }
  file.items = static_cast<int64_t>(roots.size());
  for (auto& r : roots) out.push_back(std::move(r));
}

// cwds: "<score> <path>" per line. A score of 0 is kept by nothing (ranks are positive).
void parse_cwds(const std::string& text, int64_t mtime, const environment& env,
                const config& cfg, legacy_file& file, std::vector<dir_entry>& out) {
  std::vector<dir_entry> dirs;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    size_t gap = line.find_first_of(" \t", start);
    if (gap == std::string::npos) {
      file.error = where + "expected \"<score> <path>\"";
      return;
    }
    std::string score_text = line.substr(start, gap - start);
    char* end = nullptr;
    errno = 0;
    double score = std::strtod(score_text.c_str(), &end);
    if (errno != 0 || !end || *end != '\0' || !std::isfinite(score) || score < 0) {
      file.error = where + "bad score '" + score_text + "'";
      return;
    }
    size_t path_start = line.find_first_not_of(" \t", gap);
    auto path = path_start == std::string::npos ? std::nullopt
                                                : legacy_path(line.substr(path_start), env);
    if (!path) {
      file.error = where + "not an absolute path";
      return;
    }
    if (score <= 0) continue;
    if (is_excluded(cfg, *path)) continue;
    dir_entry d;
    d.path = *path;
    d.rank = score;
    d.last_seen = mtime;
    dirs.push_back(std::move(d));
  }
  file.items = static_cast<int64_t>(dirs.size());
  for (auto& d : dirs) out.push_back(std::move(d));
}

void parse_dirs_list(const std::string& text, const environment& env, legacy_file& file,
                     std::vector<legacy_root>& out) {
  std::istringstream in(text);
  std::string line;
  int64_t count = 0;
  while (std::getline(in, line)) {
    size_t a = line.find_first_not_of(" \t\r");
    if (a == std::string::npos || line[a] == '#') continue;
    size_t b = line.find_last_not_of(" \t\r");
    std::string raw = line.substr(a, b - a + 1);
    // As load_config reads it: relative to $HOME.
    legacy_root r;
    r.path = normalize_path(raw, env.home, env.home);
    out.push_back(std::move(r));
    ++count;
  }
  file.items = count;
}

}  // namespace gum
