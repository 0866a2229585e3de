// core/paths.cpp: lexical path normalisation (SPEC §2).
//
// Every path gum stores or compares goes through normalize_path, so two spellings of one folder
// ("~/code/", "/home/bob/./code", "/home/bob/x/../code") become one key in the database.
// The work is purely lexical on purpose: it never calls stat or realpath, so it is cheap, cannot
// fail, and gives the same answer for a folder that was deleted a second ago. The price is that
// ".." is resolved textually (as a shell's `cd -L` would), not through symlinks.
#include "core/paths.hpp"

#include <vector>

namespace gum {

namespace {

// Appends the components of `path` to `parts`, applying "." and ".." as it goes.
void push_components(std::string_view path, std::vector<std::string_view>& parts) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();  // ".." at the root stays at the root
      continue;
    }
    parts.push_back(part);
  }
}

// Removes trailing slashes, keeping a lone "/".
std::string_view strip_trailing_slashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

std::string normalize_path(std::string_view path, std::string_view home, std::string_view cwd) {
  std::vector<std::string_view> parts;
  // The base a relative path hangs from. A relative or empty cwd is treated as "/" so that the
  // result is always absolute.
  auto push_base = [&](std::string_view base) {
    if (!base.empty() && base.front() == '/') push_components(base, parts);
  };
  if (path.empty()) {
    push_base(cwd);
  } else if (path.front() == '/') {
    push_components(path, parts);
  } else if (!home.empty() && path.front() == '~' && (path.size() == 1 || path[1] == '/')) {
    // "~" and "~/x" only; "~user" is an ordinary relative name. An empty home cannot be expanded,
    // so then "~" is an ordinary relative name too.
    push_base(home);
    push_components(path.substr(1), parts);
  } else {
    push_base(cwd);
    push_components(path, parts);
  }
  if (parts.empty()) return "/";
  std::string out;
  size_t size = 0;
  for (auto part : parts) size += part.size() + 1;
  out.reserve(size);
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out;
}

bool path_is_under(std::string_view path, std::string_view prefix) {
  path = strip_trailing_slashes(path);
  prefix = strip_trailing_slashes(prefix);
  if (prefix.empty() || path.empty()) return false;
  if (prefix == "/") return path.front() == '/';
  if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

std::string_view path_basename(std::string_view path) {
  path = strip_trailing_slashes(path);
  if (path == "/") return path;
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string tilde_path(std::string_view path, std::string_view home) {
  home = strip_trailing_slashes(home);
  if (home.empty() || !path_is_under(path, home)) return std::string(path);
  if (home == "/") return path == "/" ? std::string("~") : "~" + std::string(path);
  return "~" + std::string(path.substr(home.size()));
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

bool is_directory(const std::string& path, struct stat& st) {
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_directory(const std::string& path) {
  struct stat st;
  return is_directory(path, st);
}

}  // namespace gum
