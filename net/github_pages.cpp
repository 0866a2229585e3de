// net/github_pages.cpp: the JSON of GitHub's replies, parsed into gum's value types.
//
// Why separate from the transport: parsing is pure (no libcurl, no I/O), so it is tested with
// hostile bodies directly. Boost.JSON's non-throwing API is used throughout; any wrong type is a
// "malformed reply" status, never an exception.
#include "net/github_pages.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"

namespace gum {
namespace {

namespace json = boost::json;

status malformed(const std::string& what) {
  return status::fail(status_code::network, "malformed reply from GitHub: " + what);
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

}  // namespace

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

}  // namespace gum
