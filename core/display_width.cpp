// core/display_width.cpp: terminal column counts with utf8proc (see display_width.hpp).
#include "core/display_width.hpp"

#include <utf8proc.h>

namespace gum {

namespace {

// Decodes the character at `text[i]`: its byte length (at least 1) and its column width.
struct character {
  std::size_t bytes;
  std::size_t columns;
};

character character_at(std::string_view text, std::size_t i) {
  const auto* start = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
  utf8proc_int32_t code = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(start, static_cast<utf8proc_ssize_t>(text.size() - i), &code);
  if (n <= 0) return {1, 1};  // not valid UTF-8: one byte, one column
  const int w = utf8proc_charwidth(code);
  return {static_cast<std::size_t>(n), w > 0 ? static_cast<std::size_t>(w) : 0};
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII: the common case, without a decode
      width += c >= 0x20 && c != 0x7F ? 1 : 0;
      ++i;
      continue;
    }
    const character ch = character_at(text, i);
    width += ch.columns;
    i += ch.bytes;
  }
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t columns) {
  if (display_width(text) <= columns) return std::string(text);
  if (columns == 0) return {};
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const character ch = c < 0x80 ? character{1, c >= 0x20 && c != 0x7F ? 1u : 0u}
                                  : character_at(text, i);
    if (used + ch.columns > columns - 1) break;
    out.append(text.substr(i, ch.bytes));
    used += ch.columns;
    i += ch.bytes;
  }
  out += "\xE2\x80\xA6";  // …
  return out;
}

}  // namespace gum
