// core/config.cpp: reads the process environment and the user's configuration (SPEC §4).
//
// environment::from_process is the engine's one capture of the process environment: HOME, the
// XDG folders, the working directory, GIT_CONFIG_GLOBAL and the GUM_TEST_TX_DELAY_MS test aid,
// read once, and everything else receives that value, so tests can hand-build an environment
// instead of mutating the process. Every other variable gum reads (the token, GUM_DB, GUM_DEBUG, …) is
// captured here too, in environment::variables: nothing else in gum calls getenv.
//
// load_config turns config.yaml (or the legacy projects-dirs.list, or the default roots) into a
// plain gum::config. It is strict about what it understands and lenient about what it does not:
// a value of the wrong type is a usage error naming file, line, column and key, while an unknown
// key is only a warning, so a config written for a newer gum still works with an older one.
// core/yaml_document parses strictly (a file cut short inside a quote or a bracket is an error)
// and returns errors as values; any other exception is caught here and turned into a
// gum::status, so nothing escapes to the caller. `out` is only assigned on success.
//
// Choices where the spec is silent (documented here so callers can rely on them):
//  - A YAML null value (`key:`, `key: ~`) means "not set": the default applies. A section that is
//    null (`discovery:`) is an empty section.
//  - config.yaml without a `projects` key takes its roots from the legacy list, else the default
//    roots, exactly as if there were no config.yaml; the other keys still apply. `projects: []`
//    is an explicit, empty list of roots.
//  - A legacy list that exists is used even if it names no roots.
//  - Relative paths in the config are resolved against the working directory (env.cwd).
//  - Messages name an explicit --config/GUM_CONFIG file as the user spelled it; config_path
//    always holds the absolute, normalised path.
//  - github.api_url must start with http:// or https:// and loses any trailing slash;
//    github.timeout must be positive (0 would mean "no timeout" to libcurl).
//  - Durations are an integer of seconds or one or more <integer><s|m|h|d> groups ("1h30m").
//  - Enum values (protocol, synchronous) are matched case-insensitively and stored lowercase.
//  - A config file larger than 1 MiB is refused (it cannot be a hand-written config, and an
//    unbounded read of e.g. /dev/zero would never end).
#include <dirent.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/dirs_exclude.hpp"
#include "core/paths.hpp"
#include "core/regular_file.hpp"
#include "core/remote_url.hpp"
#include "core/yaml_document.hpp"
#include "gum/options.hpp"
#include "core/text.hpp"

namespace gum {

namespace {


constexpr size_t max_config_bytes = 1 << 20;

// The value of environment variable `name`, or empty when unset.
std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

// The home folder from the password database, empty if there is none.
std::string home_from_passwd() {
  long size_hint = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size_hint > 0 ? static_cast<size_t>(size_hint) : 16384);
  struct passwd pw;
  struct passwd* result = nullptr;
  while (true) {
    int rc = getpwuid_r(getuid(), &pw, buf.data(), buf.size(), &result);
    if (rc == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 2);
      continue;
    }
    if (rc != 0 || result == nullptr || result->pw_dir == nullptr) return {};
    return result->pw_dir;
  }
}

// The working directory, empty if it cannot be determined (e.g. it was deleted).
std::string current_directory() {
  std::vector<char> buf(4096);
  while (buf.size() <= (1u << 20)) {
    if (getcwd(buf.data(), buf.size()) != nullptr) return buf.data();
    if (errno != ERANGE) return {};
    buf.resize(buf.size() * 2);
  }
  return {};
}

// Parses "90", "30s", "15m", "1h", "2d" or "1h30m" into seconds; false on anything else.
bool parse_duration(const std::string& text, int64_t& seconds) {
  std::string s(trim(text));
  if (s.empty()) return false;
  if (parse_int64(s, seconds)) return seconds >= 0;
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      int digit = s[i] - '0';
      if (n > (INT64_MAX - digit) / 10) return false;
      n = n * 10 + digit;
      ++i;
    }
    if (i == start || i == s.size()) return false;
    int64_t unit = 0;
    switch (s[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        return false;
    }
    ++i;
    if (n > INT64_MAX / unit || total > INT64_MAX - n * unit) return false;
    total += n * unit;
  }
  seconds = total;
  return true;
}

// "FILE:LINE:COLUMN" of a node.
std::string locate(const std::string& file, const yaml_node& node) {
  return file + ":" + std::to_string(node.line()) + ":" + std::to_string(node.column());
}

// YAML 1.1 booleans as yaml-cpp read them: y/n, yes/no, true/false, on/off, in lower case,
// Capitalised or UPPER case; false for anything else.
bool parse_yaml_bool(const std::string& text, bool& value) {
  if (text.empty()) return false;
  std::string lower = ascii_lower(text);
  bool upper = std::none_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  bool flexible = text == lower || upper || text.substr(1) == lower.substr(1);
  if (!flexible) return false;
  for (const auto& [yes, no] : {std::pair<const char*, const char*>{"y", "n"}, {"yes", "no"},
                                {"true", "false"}, {"on", "off"}}) {
    if (lower == yes || lower == no) {
      value = lower == yes;
      return true;
    }
  }
  return false;
}

// Walks a parsed config.yaml into a gum::config, stopping at the first bad value.
class config_reader {
 public:
  config_reader(const environment& env, std::string file, config& cfg)
      : env_(env), file_(std::move(file)), cfg_(cfg) {}

  const status& error() const { return error_; }
  bool projects_set() const { return projects_set_; }
  bool dirs_exclude_set() const { return dirs_exclude_set_; }

  // Reads the top-level mapping; false (with error()) on a bad value.
  bool read(const yaml_node& root) {
    if (root.is_null()) return true;  // an empty file is an empty config
    if (!root.is_mapping()) return fail(root, "", "the top level must be a mapping of keys");
    return for_each_key(root, "", [&](const std::string& key, const yaml_node& value) {
      if (key == "projects") return read_projects(value);
      if (key == "discovery")
        return section(value, key, [&](auto& k, auto& v) { return discovery(k, v); });
      if (key == "cache") return section(value, key, [&](auto& k, auto& v) { return cache(k, v); });
      if (key == "github")
        return section(value, key, [&](auto& k, auto& v) { return github(k, v); });
      if (key == "clone") return section(value, key, [&](auto& k, auto& v) { return clone(k, v); });
      if (key == "storage")
        return section(value, key, [&](auto& k, auto& v) { return storage(k, v); });
      if (key == "dirs") return section(value, key, [&](auto& k, auto& v) { return dirs(k, v); });
      if (key == "shell") return section(value, key, [&](auto& k, auto& v) { return shell(k, v); });
      return unknown(key);
    });
  }

 private:
  // Sets a usage error "invalid config FILE[:L:C]: key: why" and returns false.
  bool fail(const yaml_node& node, const std::string& key, const std::string& why) {
    std::string where = locate(file_, node);
    // Keys and values are the file's text: escaped, so a config cannot drive the terminal.
    error_ = status::fail(status_code::usage,
                          escape_control("invalid config " + where + ": " +
                                         (key.empty() ? "" : key + ": ") + why));
    return false;
  }

  bool unknown(const std::string& key) {
    cfg_.warnings.push_back("unknown config key '" + escape_control(key) + "' in " +
                            escape_control(file_));
    return true;
  }

  // Calls fn(dotted_key, value) for each entry of `map`, warning about repeated keys.
  template <class F>
  bool for_each_key(const yaml_node& map, const std::string& prefix, F&& fn) {
    std::set<std::string> seen;
    for (const auto& entry : map.entries()) {
      const yaml_node& k = *entry.key;
      std::string name = k.is_scalar() ? k.text() : std::string("<non-scalar key>");
      std::string dotted = prefix.empty() ? name : prefix + "." + name;
      if (!k.is_scalar()) {
        if (!unknown(dotted)) return false;
        continue;
      }
      if (!seen.insert(name).second)
        cfg_.warnings.push_back("duplicate config key '" + escape_control(dotted) + "' in " +
                                escape_control(file_) +
                                " (the last one wins)");
      if (!fn(dotted, *entry.value)) return false;
    }
    return true;
  }

  // Reads a nested mapping `key`; fn(dotted_key, value) handles each entry.
  template <class F>
  bool section(const yaml_node& value, const std::string& key, F&& fn) {
    if (value.is_null()) return true;
    if (!value.is_mapping()) return fail(value, key, "expected a mapping of keys");
    return for_each_key(value, key, fn);
  }

  // A scalar's text; fails on a list or mapping.
  bool scalar(const yaml_node& v, const std::string& key, const char* what, std::string& out) {
    if (!v.is_scalar()) return fail(v, key, std::string("expected ") + what);
    out = v.text();
    return true;
  }

  bool integer(const yaml_node& v, const std::string& key, int64_t min, int64_t max, int64_t& out) {
    std::string text;
    const std::string what = "a non-negative integer";
    if (!scalar(v, key, what.c_str(), text)) return false;
    int64_t n = 0;
    if (!parse_int64(text, n)) return fail(v, key, "expected " + what + ", got '" + text + "'");
    if (n < min || n > max)
      return fail(v, key,
                  "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      ", got " + text);
    out = n;
    return true;
  }

  // A byte count such as 32MiB, 512 KiB or 1048576, between `min` and `max`.
  bool byte_size(const yaml_node& v, const std::string& key, int64_t min, int64_t max,
                 int64_t& out) {
    std::string text;
    const char* what = "a size such as 32MiB, 512KiB, 2GiB or a number of bytes";
    if (!scalar(v, key, what, text)) return false;
    int64_t n = 0;
    if (!parse_byte_size(text, n))
      return fail(v, key, std::string("expected ") + what + ", got '" + text + "'");
    if (n < min || n > max)
      return fail(v, key, "must be between " + byte_size_text(min) + " and " +
                              byte_size_text(max) + ", got " + text);
    out = n;
    return true;
  }

  bool boolean(const yaml_node& v, const std::string& key, bool& out) {
    std::string text;
    if (!scalar(v, key, "true or false", text)) return false;
    if (parse_yaml_bool(text, out)) return true;
    return fail(v, key, "expected true or false, got '" + text + "'");
  }

  bool duration(const yaml_node& v, const std::string& key, bool allow_zero, int64_t& out) {
    std::string text;
    const char* what = "a duration such as 30s, 15m, 1h, 2d or a number of seconds";
    if (!scalar(v, key, what, text)) return false;
    int64_t s = 0;
    if (!parse_duration(text, s))
      return fail(v, key, std::string("expected ") + what + ", got '" + text + "'");
    if (!allow_zero && s == 0) return fail(v, key, "must be longer than 0 seconds");
    out = s;
    return true;
  }

  bool text(const yaml_node& v, const std::string& key, std::string& out) {
    return scalar(v, key, "a string", out);
  }

  // One of `choices` (case-insensitive), stored lowercase.
  bool choice(const yaml_node& v, const std::string& key, const std::vector<std::string>& choices,
              std::string& out) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : " or ") + c;
    std::string raw;
    if (!scalar(v, key, list.c_str(), raw)) return false;
    std::string lower = ascii_lower(trim(raw));
    if (std::find(choices.begin(), choices.end(), lower) == choices.end())
      return fail(v, key, "expected " + list + ", got '" + raw + "'");
    out = lower;
    return true;
  }

  // A list of non-empty strings.
  bool string_list(const yaml_node& v, const std::string& key, std::vector<std::string>& out) {
    if (!v.is_sequence()) return fail(v, key, "expected a list");
    std::vector<std::string> items;
    for (const yaml_node* item : v.items()) {
      if (item->is_null())
        return fail(*item, key, "empty entry (write \"~\" in quotes for the home folder)");
      if (!item->is_scalar()) return fail(*item, key, "expected a list of strings");
      if (item->text().empty()) return fail(*item, key, "empty entry");
      items.push_back(item->text());
    }
    out = std::move(items);
    return true;
  }

  // A list of paths, normalised; duplicates dropped keeping the first.
  bool path_list(const yaml_node& v, const std::string& key, std::vector<std::string>& out) {
    std::vector<std::string> raw;
    if (!string_list(v, key, raw)) return false;
    out.clear();
    for (const auto& p : raw) {
      std::string n = normalize_path(p, env_.home, env_.cwd);
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
    }
    return true;
  }

  bool read_projects(const yaml_node& v) {
    if (v.is_null()) return true;
    if (!path_list(v, "projects", cfg_.roots)) return false;
    projects_set_ = true;
    return true;
  }

  bool discovery(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    auto& d = cfg_.discovery;
    int64_t n = 0;
    if (key == "discovery.max_depth") {
      if (!integer(v, key, 0, INT_MAX, n)) return false;
      d.max_depth = static_cast<int>(n);
      return true;
    }
    if (key == "discovery.threads") {
      if (!integer(v, key, 0, 1024, n)) return false;
      d.threads = static_cast<int>(n);
      return true;
    }
    if (key == "discovery.exclude") return string_list(v, key, d.exclude);
    if (key == "discovery.nested") return boolean(v, key, d.nested);
    return unknown(key);
  }

  bool cache(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "cache.ttl") return duration(v, key, true, cfg_.cache_ttl_seconds);
    return unknown(key);
  }

  bool github(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "github.api_url") {
      std::string url;
      if (!text(v, key, url)) return false;
      url = std::string(trim(url));
      std::string lower = ascii_lower(url);
      if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0)
        return fail(v, key, "expected an http:// or https:// URL, got '" + url + "'");
      while (url.size() > 1 && url.back() == '/') url.pop_back();
      if (git_host_for_api(url).empty())
        return fail(v, key, "expected a URL with a valid host name, got '" + url + "'");
      cfg_.github_api_url = url;
      return true;
    }
    if (key == "github.token_command") return text(v, key, cfg_.github_token_command);
    if (key == "github.timeout") return duration(v, key, false, cfg_.github_timeout_seconds);
    if (key == "github.max_pages") return integer(v, key, 1, 1000000, cfg_.github_max_pages);
    if (key == "github.max_page_bytes")
      return byte_size(v, key, int64_t{64} << 10, int64_t{1} << 30, cfg_.github_max_page_bytes);
    if (key == "github.max_run_bytes")
      return byte_size(v, key, int64_t{64} << 10, int64_t{1} << 40, cfg_.github_max_run_bytes);
    return unknown(key);
  }

  bool clone(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "clone.root") {
      std::string root;
      if (!text(v, key, root)) return false;
      if (root.empty()) return fail(v, key, "expected a path");
      cfg_.clone_root = normalize_path(root, env_.home, env_.cwd);
      return true;
    }
    if (key == "clone.protocol") return choice(v, key, {"https", "ssh"}, cfg_.clone_protocol);
    if (key == "clone.layout")
      return choice(v, key, {"owner/name", "host/owner/name"}, cfg_.clone_layout);
    return unknown(key);
  }

  bool storage(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "storage.synchronous") {
      std::string mode;
      if (!choice(v, key, {"normal", "full"}, mode)) return false;
      cfg_.synchronous_full = mode == "full";
      return true;
    }
    if (key == "storage.busy_timeout_ms") return integer(v, key, 0, INT_MAX, cfg_.busy_timeout_ms);
    return unknown(key);
  }

  bool shell(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "shell.engine") return boolean(v, key, cfg_.shell_engine);
    return unknown(key);
  }

  bool dirs(const std::string& key, const yaml_node& v) {
    if (v.is_null()) return true;
    if (key == "dirs.exclude") {
      // Paths and globs (core/dirs_exclude.hpp): `~` expanded, wildcards kept.
      std::vector<std::string> raw;
      if (!string_list(v, key, raw)) return false;
      cfg_.dirs_exclude.clear();
      for (const auto& p : raw) {
        std::string n = normalize_exclude_pattern(p, env_.home, env_.cwd);
        if (std::find(cfg_.dirs_exclude.begin(), cfg_.dirs_exclude.end(), n) ==
            cfg_.dirs_exclude.end())
          cfg_.dirs_exclude.push_back(std::move(n));
      }
      dirs_exclude_set_ = true;
      return true;
    }
    return unknown(key);
  }

  const environment& env_;
  std::string file_;
  config& cfg_;
  status error_;
  bool projects_set_ = false;
  bool dirs_exclude_set_ = false;
};

// Reads a whole file (at most max_config_bytes); on failure sets `st`. Never waits: a FIFO or
// a device where the file should be is refused (exit 2), not opened for a writer that never
// comes.
bool read_file(const std::string& path, const std::string& display, std::string& content,
               status& st) {
  auto r = read_regular_file(path, max_config_bytes, content);
  if (r.ok()) return true;
  using failure = file_read::failure;
  if (r.what == failure::too_large)
    st = status::fail(status_code::usage, "invalid config " + display + ": larger than 1 MiB");
  else if (r.what == failure::not_regular)
    st = status::fail(status_code::usage,
                      "cannot read config " + display + ": not a regular file",
                      "replace it with a YAML file (it is a FIFO, a socket or a device)");
  else
    st = status::fail(r.what == failure::permission ? status_code::permission
                                                    : status_code::failure,
                      "cannot read config " + display + ": " + r.reason(max_config_bytes));
  return false;
}

// Roots from the legacy list: one path per line, full-line `#` comments, blank lines ignored.
// A `#` inside a line is part of the path (folder names may contain it).
std::vector<std::string> parse_legacy_list(const std::string& content) {
  std::vector<std::string> roots;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    std::string line(trim(std::string_view(content).substr(pos, nl - pos)));
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    roots.push_back(line);
  }
  return roots;
}

// The default roots that exist as directories (following symlinks), in the spec's order.
std::vector<std::string> default_roots(const environment& env) {
  std::vector<std::string> roots;
  for (const char* name : {"projects", "code", "dev", "src", "work"}) {
    std::string p = normalize_path(name, env.home, env.home);
    if (is_directory(p)) roots.push_back(p);
  }
  std::vector<std::string> extra;
  std::string home = normalize_path("", env.home, env.home);
  if (DIR* d = ::opendir(home.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.rfind("projects-", 0) != 0) continue;
      std::string p = normalize_path(name, env.home, env.home);
      if (is_directory(p)) extra.push_back(p);
    }
    ::closedir(d);
  }
  std::sort(extra.begin(), extra.end());
  roots.insert(roots.end(), extra.begin(), extra.end());
  return roots;
}

// Why stat() failed with `err` on `path` when `path` is a symbolic link that leads nowhere:
// "a dangling symbolic link (to TARGET)" or "a symbolic link loop"; nullopt otherwise.
std::optional<std::string> broken_symlink(const std::string& path, int err) {
  if (err == ELOOP) return std::string("a symbolic link loop");
  struct stat lst;
  if (err != ENOENT || ::lstat(path.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode))
    return std::nullopt;
  char target[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
  if (n <= 0) return std::string("a dangling symbolic link");
  return "a dangling symbolic link (to " + escape_control(std::string_view(target, n)) + ")";
}

// Adds `p` to `out` unless already there.
void push_unique(std::vector<std::string>& out, std::string p) {
  if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
}

status load_config_impl(const environment& env, const std::optional<std::string>& path,
                        config& out) {
  config cfg;
  std::string file;     // absolute path of the config file, empty if none
  std::string display;  // how messages name it
  if (path) {
    file = normalize_path(*path, env.home, env.cwd);
    display = *path;
    struct stat st;
    if (path->empty() || ::stat(file.c_str(), &st) != 0) {
      int err = errno;
      if (!path->empty())
        if (auto broken = broken_symlink(file, err))
          return status::fail(status_code::usage, "cannot read config " + display + ": " + *broken);
      if (!path->empty() && (err == EACCES || err == EPERM))
        return status::fail(status_code::permission,
                            "cannot read config " + display + ": " + std::strerror(err));
      return status::fail(status_code::usage, "config file not found: " + display);
    }
    if (S_ISDIR(st.st_mode))
      return status::fail(status_code::usage, "cannot read config " + display + ": Is a directory");
  } else {
    std::string candidate = normalize_path("gum/config.yaml", env.home,
                                           normalize_path(env.xdg_config_home, env.home, env.cwd));
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode))
        return status::fail(status_code::usage,
                            "cannot read config " + candidate + ": Is a directory");
      file = display = candidate;
    } else if (errno == EACCES || errno == EPERM) {
      return status::fail(status_code::permission,
                          "cannot read config " + candidate + ": " + std::strerror(errno));
    } else if (auto broken = broken_symlink(candidate, errno)) {
      // A config.yaml that is a dangling link or a loop is a config the user meant to have:
      // falling back to the default roots would hide it.
      return status::fail(status_code::usage, "cannot read config " + candidate + ": " + *broken,
                          "fix or remove the link");
    }
  }

  config_reader reader(env, display, cfg);
  if (!file.empty()) {
    std::string content;
    status st;
    if (!read_file(file, display, content, st)) return st;
    yaml_document doc = yaml_document::parse(content, display);
    if (!doc.ok())
      return status::fail(status_code::usage, "invalid config " + doc.error().to_string());
    if (!reader.read(doc.root())) return reader.error();
    cfg.config_path = file;
  }

  if (reader.projects_set()) {
    cfg.roots_source = "config";
  } else {
    std::string legacy = normalize_path(".config/projects-dirs.list", env.home, env.home);
    struct stat st;
    if (::stat(legacy.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      std::string content;
      status read_status;
      if (!read_file(legacy, legacy, content, read_status)) {
        read_status.message.replace(0, std::strlen("cannot read config"), "cannot read");
        return read_status;
      }
      cfg.roots.clear();
      for (const auto& r : parse_legacy_list(content))
        push_unique(cfg.roots, normalize_path(r, env.home, env.cwd));
      cfg.roots_source = "legacy-list";
    } else {
      cfg.roots = default_roots(env);
      cfg.roots_source = "defaults";
    }
  }
  if (!reader.dirs_exclude_set() && !env.home.empty())
    cfg.dirs_exclude = {normalize_path(env.home, env.home, "/")};
  out = std::move(cfg);
  return status::success();
}

}  // namespace

environment environment::from_process() {
  environment env;
  std::string cwd = current_directory();
  std::string home = env_or_empty("HOME");
  if (home.empty()) home = home_from_passwd();
  if (home.empty()) home = cwd.empty() ? "/" : cwd;
  // A relative HOME is meaningless; resolve it against the working directory (or "/").
  env.home = normalize_path(home, "", cwd.empty() ? "/" : cwd);
  env.cwd = cwd.empty() || cwd.front() != '/' ? env.home : normalize_path(cwd, "", "/");
  // XDG base-directory spec: unset, empty or relative values are ignored.
  auto xdg = [&](const char* name, const char* fallback) {
    std::string v = env_or_empty(name);
    if (v.empty() || v.front() != '/') return normalize_path(fallback, env.home, env.home);
    return normalize_path(v, env.home, env.home);
  };
  env.xdg_config_home = xdg("XDG_CONFIG_HOME", ".config");
  env.xdg_cache_home = xdg("XDG_CACHE_HOME", ".cache");
  // git's global config file for url.<base>.insteadOf (core/git_metadata.hpp); set but empty
  // means none. A relative path is git's too: relative to the working directory.
  if (const char* g = std::getenv("GIT_CONFIG_GLOBAL"))
    env.git_config_global = *g == '\0' || *g == '/' ? std::string(g) : env.cwd + "/" + g;
  // Test aid (docs/architecture.md): clamped to 0..10000 ms, anything unparsable is 0.
  if (std::string delay = env_or_empty("GUM_TEST_TX_DELAY_MS"); !delay.empty())
    env.test_commit_delay_ms = std::max(0, std::min(std::atoi(delay.c_str()), 10000));
  // Test aid (docs/architecture.md): the freshness clock; anything unparsable is the real clock.
  if (std::string now = env_or_empty("GUM_TEST_NOW"); !now.empty())
    env.test_now = std::max<int64_t>(0, std::strtoll(now.c_str(), nullptr, 10));
  for (const char* name :
       {"GUM_CONFIG", "GUM_DB", "GUM_DEBUG", "NO_COLOR", "GH_TOKEN", "GITHUB_TOKEN",
        "GUM_GITHUB_API_URL", "GUM_STRESS_STATS", "GUM_STRESS_WORKER_BINARY", "PATH", "TMPDIR",
        "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TERM", "COLUMNS",
        "GUM_FZF_OPTS", "FZF_DEFAULT_OPTS", "XDG_DATA_HOME", "_Z_DATA",
        // gum --remote and gum serve (docs/serve.md)
        "GUM_REMOTE", "GUM_REMOTE_TIMEOUT", "GUM_REMOTE_CERT", "GUM_REMOTE_KEY", "GUM_REMOTE_CA",
        "GUM_TEST_PROTOCOL_VERSION"})
    if (const char* value = std::getenv(name)) env.variables[name] = value;
  return env;
}

status load_config(const environment& env, const std::optional<std::string>& path, config& out) {
  try {
    return load_config_impl(env, path, out);
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, std::string("cannot load config: ") + e.what());
  } catch (...) {
    return status::fail(status_code::failure, "cannot load config: unknown error");
  }
}

}  // namespace gum
