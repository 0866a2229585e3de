// core/dirs_exclude.cpp: matching `dirs.exclude` entries (paths and zoxide-style globs).
//
// `gum add` runs on every `cd` and tests its path against every entry, so an exact entry is
// one string comparison, and a pattern is matched by a memoised walk over (pattern position,
// path position): at most |pattern| x |path| steps, whatever the stars, never exponential.
#include "core/dirs_exclude.hpp"

#include <vector>

#include "core/paths.hpp"

namespace gum {

namespace {

// The length of the UTF-8 sequence that starts at `s[i]` (1 for a stray byte), so `?` takes
// one character, as the glob crate does, rather than one byte.
size_t char_length(std::string_view s, size_t i) {
  size_t n = 1;
  if (static_cast<unsigned char>(s[i]) >= 0xC0)
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  return n;
}

// A `[...]` set at pattern[p] ('['): its end (one past ']') and whether `c` is in it; end is 0
// when the set is not closed, and the '[' is then a literal.
size_t match_set(std::string_view pattern, size_t p, unsigned char c, bool& in_set) {
  size_t i = p + 1;
  bool negated = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negated) ++i;
  bool found = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    auto lo = static_cast<unsigned char>(pattern[i]);
    auto hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = static_cast<unsigned char>(pattern[i + 2]);
      i += 2;
    }
    if (lo <= c && c <= hi) found = true;
    ++i;
  }
  if (i >= pattern.size()) return 0;  // no ']'
  in_set = found != negated;
  return i + 1;
}

class glob_matcher {
 public:
  glob_matcher(std::string_view pattern, std::string_view path)
      : pattern_(pattern), path_(path), memo_((pattern.size() + 1) * (path.size() + 1), unknown) {}

  bool matches() { return match(0, 0); }

 private:
  static constexpr signed char unknown = -1;

  bool match(size_t p, size_t s) {
    signed char& known = memo_[p * (path_.size() + 1) + s];
    if (known == unknown) known = compute(p, s) ? 1 : 0;
    return known == 1;
  }

  bool at_component_start(size_t p) const { return p == 0 || pattern_[p - 1] == '/'; }

  bool compute(size_t p, size_t s) {
    if (p == pattern_.size()) return s == path_.size();
    const char c = pattern_[p];
    if (c == '*') {
      // `**/` as a whole component: nothing, or whole components (text ending in '/').
      if (pattern_.compare(p, 3, "**/") == 0 && at_component_start(p)) {
        if (match(p + 3, s)) return true;
        for (size_t i = s + 1; i <= path_.size(); ++i)
          if (path_[i - 1] == '/' && match(p + 3, i)) return true;
        return false;
      }
      // `/**` at the end: everything below (a normalised path never ends in '/').
      if (p > 0 && p + 2 == pattern_.size() && pattern_[p + 1] == '*' && at_component_start(p))
        return s > 0 && path_[s - 1] == '/' && s < path_.size();
      // `*` (and `**` inside a component): any run of characters, '/' included.
      size_t next = p + 1;
      while (next < pattern_.size() && pattern_[next] == '*') ++next;
      for (size_t i = s; i <= path_.size(); ++i)
        if (match(next, i)) return true;
      return false;
    }
    if (s == path_.size()) return false;
    if (c == '?') return match(p + 1, s + char_length(path_, s));
    if (c == '[') {
      bool in_set = false;
      size_t end = match_set(pattern_, p, static_cast<unsigned char>(path_[s]), in_set);
      if (end != 0) return in_set && match(end, s + 1);
    }
    return c == path_[s] && match(p + 1, s + 1);
  }

  std::string_view pattern_;
  std::string_view path_;
  std::vector<signed char> memo_;
};

}  // namespace

bool is_glob_pattern(std::string_view pattern) {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}

bool exclude_pattern_matches(std::string_view pattern, std::string_view path) {
  if (!is_glob_pattern(pattern)) return pattern == path;
  return glob_matcher(pattern, path).matches();
}

std::string normalize_exclude_pattern(std::string_view pattern, std::string_view home,
                                      std::string_view cwd) {
  if (!pattern.empty() && (pattern[0] == '*' || pattern[0] == '?' || pattern[0] == '[')) {
    std::string kept(pattern);
    while (kept.size() > 1 && kept.back() == '/') kept.pop_back();
    return kept;
  }
  return normalize_path(pattern, home, cwd);
}

bool is_excluded(const config& cfg, const std::string& path) {
  for (const auto& entry : cfg.dirs_exclude)
    if (exclude_pattern_matches(entry, path)) return true;
  return false;
}

}  // namespace gum
