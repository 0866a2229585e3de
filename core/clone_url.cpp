// core/clone_url.cpp: git URLs as `gum clone` accepts them (see clone_url.hpp for why this is
// not parse_remote_url). Everything that is refused is refused here, before git runs.
#include "core/clone_url.hpp"

#include <cctype>

#include "core/text.hpp"

namespace gum {

namespace {

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_ipv4(std::string_view h) {
  int parts = 0;
  while (true) {
    auto dot = h.find('.');
    auto part = h.substr(0, dot);
    if (!is_digits(part) || part.size() > 3 || std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    h.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool is_ipv6_literal(std::string_view h) {
  if (h.size() < 4 || h.front() != '[' || h.back() != ']') return false;
  h = h.substr(1, h.size() - 2);
  bool colon = false;
  for (char c : h) {
    if (c == ':') colon = true;
    else if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  }
  return colon;
}

bool is_dns_name(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  if (h.back() == '.') h.remove_suffix(1);  // a fully qualified "example.com."
  while (true) {
    auto dot = h.find('.');
    auto label = h.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    if (dot == std::string_view::npos) return true;
    h.remove_prefix(dot + 1);
  }
}

// The user part of user@host: what ssh accepts as a login, never an option.
bool is_user(std::string_view u) {
  if (u.empty() || u.size() > 64 || u.front() == '-') return false;
  for (char c : u)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

bool has_control_or_space(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Splits "a/b/c.git/" into segments; false on an empty, "." or ".." segment or an odd byte.
bool split_path(std::string_view path, std::vector<std::string>& out) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return false;
  if (path.find_first_of("?#\\") != std::string_view::npos) return false;
  while (true) {
    auto slash = path.find('/');
    auto seg = path.substr(0, slash);
    if (!is_folder_name(seg) || seg.find(':') != std::string_view::npos) return false;
    out.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  auto& name = out.back();
  if (name.size() > 4 && ascii_lower(name.substr(name.size() - 4)) == ".git")
    name.resize(name.size() - 4);
  return true;
}

// "[user@]host[:port]" of a URL; host lower-cased. False when any part is not what it must be.
bool split_authority(std::string_view authority, bool allow_port, std::string& host) {
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (!is_user(authority.substr(0, at))) return false;
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    port = authority.substr(close + 1);
    authority = authority.substr(0, close + 1);
    if (!port.empty()) {
      if (port.front() != ':') return false;
      port.remove_prefix(1);
      if (port.empty()) return false;
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
    if (port.empty()) return false;
  }
  if (!port.empty() && (!allow_port || !is_digits(port) || port.size() > 5 ||
                        std::stoi(std::string(port)) > 65535))
    return false;
  host = ascii_lower(authority);
  return is_clone_host(host);
}

}  // namespace

bool is_clone_host(std::string_view host) {
  if (host.empty() || host.front() == '-') return false;
  return is_ipv6_literal(host) || is_ipv4(host) || is_dns_name(host);
}

bool is_folder_name(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 255) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

std::optional<clone_url> parse_clone_url(std::string_view text) {
  auto url = trim(text);
  if (url.empty() || url.size() > 4096 || url.front() == '-') return std::nullopt;
  // git's "<transport>::<address>" runs a remote helper (ext:: runs any command): never. git
  // takes anything that starts with a scheme-like word and "::" as one; an IPv6 literal's "::"
  // comes after "://[" and is not.
  if (auto helper = url.find("::"); helper != std::string_view::npos) {
    bool scheme_like = true;
    for (char c : url.substr(0, helper))
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
        scheme_like = false;
    if (scheme_like) return std::nullopt;
  }
  clone_url out;
  out.url = std::string(url);
  auto sep = url.find("://");
  if (sep != std::string_view::npos) {
    out.scheme = ascii_lower(url.substr(0, sep));
    auto rest = url.substr(sep + 3);
    if (out.scheme == "file") {
      // file:///path or file://localhost/path; the path is a local folder, spaces allowed.
      auto slash = rest.find('/');
      if (slash == std::string_view::npos) return std::nullopt;
      auto host = ascii_lower(rest.substr(0, slash));
      if (!host.empty() && host != "localhost") return std::nullopt;
      out.host = "localhost";
      auto path = rest.substr(slash);
      if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
      std::vector<std::string> segments;
      if (!split_path(path, segments)) return std::nullopt;
      out.segments = std::move(segments);
      return out;
    }
    if (out.scheme != "https" && out.scheme != "http" && out.scheme != "ssh" &&
        out.scheme != "git" && out.scheme != "git+ssh" && out.scheme != "ssh+git")
      return std::nullopt;
    if (has_control_or_space(rest)) return std::nullopt;
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    if (!split_authority(rest.substr(0, slash), true, out.host)) return std::nullopt;
    if (!split_path(rest.substr(slash), out.segments)) return std::nullopt;
    return out;
  }
  // scp-like: [user@]host:path, the colon before any slash (else it is a local path).
  if (has_control_or_space(url)) return std::nullopt;
  auto colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto first_slash = url.find('/');
  if (first_slash != std::string_view::npos && first_slash < colon) return std::nullopt;
  out.scheme = "scp";
  auto authority = url.substr(0, colon);
  if (authority.find('[') != std::string_view::npos) return std::nullopt;
  if (!split_authority(authority, false, out.host)) return std::nullopt;
  if (out.host.size() < 2) return std::nullopt;  // C:\... is a Windows path, not a host
  if (!split_path(url.substr(colon + 1), out.segments)) return std::nullopt;
  return out;
}

std::vector<std::string> clone_folder(const clone_url& source, bool host_first) {
  std::vector<std::string> out;
  if (host_first) out.push_back(source.host);
  out.insert(out.end(), source.segments.begin(), source.segments.end());
  return out;
}

}  // namespace gum
