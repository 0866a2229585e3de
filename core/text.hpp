// core/text.hpp: the text helpers every layer shares: ASCII case folding, whitespace trimming
// and strict integer parsing, each defined once.
//
// gum folds case only for ASCII letters: repository keys (host/owner/name), HTTP header and
// URL scheme/host names, config words, keyword and search matching. Bytes >= 0x80 are left as
// they are, so a path in any encoding folds the same on every machine whatever the locale.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gum {

/// `c` with A-Z folded to a-z; every other byte unchanged.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// `text` with A-Z folded to a-z; every other byte unchanged.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// True for the C locale's white space: space, \t, \n, \v, \f, \r.
inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/// `text` without leading and trailing white space (a view into `text`).
inline std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

/// Parses a strict decimal integer: white space around it is ignored, then an optional sign and
/// digits only, without overflow. Leaves `value` unchanged and returns false otherwise.
inline bool parse_int64(std::string_view text, int64_t& value) {
  std::string_view s = trim(text);
  if (s.empty()) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    int digit = s[i] - '0';
    if (v > (INT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  value = negative ? -v : v;
  return true;
}

/// `s` on one line for quoting in a message: control characters become spaces, at most
/// `max_len` bytes then "...", trimmed.
inline std::string one_line(std::string_view s, size_t max_len = 200) {
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

/// Hostile input shortened for quoting back in a message: at most 40 bytes, then "...";
/// control characters become '?'.
inline std::string excerpt(std::string_view text) {
  constexpr size_t max_chars = 40;
  std::string out(text.substr(0, max_chars));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  if (text.size() > max_chars) out += "...";
  return out;
}

}  // namespace gum
