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

/// A byte count as people read it: "32 MiB", "1.5 GiB", "512 KiB", "100 bytes".
inline std::string byte_size_text(int64_t bytes) {
  static const char* const units[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  int64_t tenths = static_cast<int64_t>(v * 10 + 0.5);
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10 != 0) text += "." + std::to_string(tenths % 10);
  return text + " " + units[unit];
}

/// Parses a byte count: digits, optionally followed by KiB, MiB, GiB or TiB (also written
/// K/M/G/T, KB/MB/GB/TB, any case, all powers of 1024), with white space allowed around the
/// unit. Leaves `value` unchanged and returns false on anything else or on overflow.
inline bool parse_byte_size(std::string_view text, int64_t& value) {
  std::string_view s = trim(text);
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) return false;
  int64_t n = 0;
  if (!parse_int64(s.substr(0, digits), n)) return false;
  std::string unit = ascii_lower(trim(s.substr(digits)));
  int shift = 0;
  if (unit.empty() || unit == "b" || unit == "bytes") shift = 0;
  else if (unit == "k" || unit == "kb" || unit == "kib") shift = 10;
  else if (unit == "m" || unit == "mb" || unit == "mib") shift = 20;
  else if (unit == "g" || unit == "gb" || unit == "gib") shift = 30;
  else if (unit == "t" || unit == "tb" || unit == "tib") shift = 40;
  else return false;
  if (shift > 0 && n > (INT64_MAX >> shift)) return false;
  value = n << shift;
  return true;
}

/// `text` safe to echo to a terminal on one line: each control character (C0, DEL and the C1
/// range U+0080..U+009F, written as UTF-8 or as a lone byte) is written as a C-style escape
/// (\n, \t, \e, \x9b, \u0085 ...), so a config file or a folder name cannot move the cursor,
/// retitle the terminal (OSC) or fake a line of output. Other bytes, UTF-8 included, are kept.
inline std::string escape_control(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == 0x1b) {
      out += "\\e";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      unsigned char d = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += hex[d >> 4];
      out += hex[d & 15];
    } else if (c >= 0xc2 && c <= 0xf4) {
      // A UTF-8 lead byte: it and its continuation bytes are one character, kept as it is.
      out += static_cast<char>(c);
      for (int k = 0; k < 3 && i + 1 < text.size() &&
                      (static_cast<unsigned char>(text[i + 1]) & 0xc0) == 0x80;
           ++k)
        out += text[++i];
    } else if (c >= 0x80 && c <= 0x9f) {
      // A lone C1 byte (not UTF-8): some terminals still act on 0x9b (CSI) and 0x9d (OSC).
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace gum
