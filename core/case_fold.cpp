// core/case_fold.cpp: case folding for matching, with utf8proc (see case_fold.hpp).
#include "core/case_fold.hpp"

#include <utf8proc.h>

#include <utility>

#include "core/text.hpp"

namespace gum {

namespace {

// The code point at text[i] and its byte length; -1 and 1 for a byte that is not UTF-8.
std::pair<utf8proc_int32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  const auto* start = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
  utf8proc_int32_t code = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(start, static_cast<utf8proc_ssize_t>(text.size() - i), &code);
  if (n <= 0) return {-1, 1};
  return {code, static_cast<std::size_t>(n)};
}

// A non-ASCII code point's lower case, unless that would be ASCII (see case_fold.hpp).
utf8proc_int32_t lower_of(utf8proc_int32_t code) {
  const utf8proc_int32_t lower = utf8proc_tolower(code);
  return lower < 0x80 ? code : lower;
}

// The folded form of the character at text[i], appended to `out`; returns its byte length.
std::size_t fold_character(std::string_view text, std::size_t i, std::string& out) {
  const auto [code, n] = decode(text, i);
  if (code < 0) {  // not valid UTF-8: the byte as it is
    out += text[i];
    return 1;
  }
  utf8proc_int32_t lower = lower_of(code);
  if (lower == 0x03C2) lower = 0x03C3;  // final sigma: the same letter as σ, as Σ folds to
  utf8proc_uint8_t buffer[4];
  const utf8proc_ssize_t m = utf8proc_encode_char(lower, buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(m));
  return n;
}

}  // namespace

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII: the common case, without a decode
      out += ascii_lower(static_cast<char>(c));
      ++i;
    } else {
      i += fold_character(text, i, out);
    }
  }
  return out;
}

bool has_upper_case(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') return true;
      ++i;
      continue;
    }
    const auto [code, n] = decode(text, i);
    if (code >= 0 && lower_of(code) != code) return true;
    i += n;
  }
  return false;
}

smartcase_search::smartcase_search(std::string_view search, std::string_view separators) {
  std::size_t i = 0;
  while (i < search.size()) {
    i = search.find_first_not_of(separators, i);
    if (i == std::string_view::npos) break;
    std::size_t end = search.find_first_of(separators, i);
    if (end == std::string_view::npos) end = search.size();
    const std::string_view t = search.substr(i, end - i);
    const bool exact = has_upper_case(t);
    terms_.push_back({exact ? std::string(t) : fold_case(t), exact});
    i = end;
  }
}

bool smartcase_search::matches(std::string_view a, std::string_view b) const {
  std::string a_folded, b_folded;
  bool folded = false;
  for (const auto& t : terms_) {
    if (t.exact) {
      if (a.find(t.text) == std::string_view::npos && b.find(t.text) == std::string_view::npos)
        return false;
      continue;
    }
    if (!folded) {
      a_folded = fold_case(a);
      b_folded = fold_case(b);
      folded = true;
    }
    if (a_folded.find(t.text) == std::string::npos && b_folded.find(t.text) == std::string::npos)
      return false;
  }
  return true;
}

}  // namespace gum
