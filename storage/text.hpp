// storage/text.hpp: ASCII case folding, the one used everywhere in the engine.
//
// gum folds case only for ASCII letters: repository keys (host/owner/name), HTTP header and
// URL scheme/host names, config words, keyword and search matching. Bytes >= 0x80 are left as
// they are, so a path in any encoding folds the same on every machine whatever the locale.
#pragma once

#include <string>
#include <string_view>

namespace gum::storage {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace gum::storage
