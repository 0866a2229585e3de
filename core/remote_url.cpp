// core/remote_url.cpp: owner/name on a host, from a Git remote URL; the git host of an API URL.
//
// One parser for every caller: storage links a project to its GitHub repository with it, and
// `gum clone` resolves its argument with it, so both agree on what a remote names. Hostile input
// (local paths, file://, query strings, odd bytes) yields nullopt, never a guess.
#include "core/remote_url.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace gum {

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

namespace {

/// An API base URL split into the parts its web host is built from.
struct api_authority {
  std::string scheme;  ///< lower-case; https when the URL names none
  std::string host;    ///< lower-case, the API host mapped to the web host
  std::string port;    ///< digits, or empty
};

api_authority split_api_url(std::string_view api_url) {
  api_authority out;
  auto url = trim(api_url);
  auto sep = url.find("://");
  out.scheme = sep == std::string_view::npos ? "https" : ascii_lower(url.substr(0, sep));
  if (sep != std::string_view::npos) url = url.substr(sep + 3);
  auto end = url.find_first_of("/?#");
  auto authority = url.substr(0, end == std::string_view::npos ? url.size() : end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    auto close = authority.find(']');
    if (close != std::string_view::npos) {
      auto rest = authority.substr(close + 1);
      if (rest.size() > 1 && rest.front() == ':') out.port = std::string(rest.substr(1));
      authority = authority.substr(0, close + 1);
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    out.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  out.host = ascii_lower(authority);
  // The host becomes part of git URLs and argv: anything but a host name is no host at all
  // (`https://-oProxyCommand=…/api/v3` must never reach git).
  if (!valid_host_name(out.host)) {
    out.host.clear();
    return out;
  }
  for (char c : out.port)
    if (c < '0' || c > '9') {
      out.host.clear();
      return out;
    }
  // github.com and GHE.com data residency serve the API on api.HOST; GHES on HOST/api/v3.
  constexpr std::string_view ghe_suffix = ".ghe.com";
  if (out.host == "api.github.com") {
    out.host = "github.com";
  } else if (out.host.size() > 4 + ghe_suffix.size() && out.host.compare(0, 4, "api.") == 0 &&
             out.host.compare(out.host.size() - ghe_suffix.size(), ghe_suffix.size(),
                              ghe_suffix) == 0) {
    out.host.erase(0, 4);
  }
  return out;
}

}  // namespace

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '[') {  // an IPv6 literal: hex digits, ':' and '.' inside brackets
    if (host.size() < 4 || host.back() != ']') return false;
    for (char c : host.substr(1, host.size() - 2))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    return true;
  }
  size_t label = 0;
  char prev = '.';
  for (char c : host) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return prev != '-';  // a trailing '.' (an absolute name) is fine after a non-empty label
}

std::string git_host_for_api(std::string_view api_url) { return split_api_url(api_url).host; }

std::string web_base_for_api(std::string_view api_url) {
  auto a = split_api_url(api_url);
  if (a.host.empty()) return {};
  return a.scheme + "://" + a.host + (a.port.empty() ? "" : ":" + a.port);
}

}  // namespace gum
