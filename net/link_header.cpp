// net/link_header.cpp: the rel="next" URL of an HTTP Link header (RFC 8288).
//
// The listing is paginated by following these links, never by building page URLs, so this
// parser is the only thing that decides where the next request goes; the transport then checks
// that the URL stays on the API's server. Pure, thread-safe.
#include "net/link_header.hpp"

#include "core/text.hpp"

namespace gum {

// A small state machine over RFC 8288 link-values: <uri> *( ";" param [ "=" value ] ) ",".
std::optional<std::string> parse_next_link(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  while (i < n) {
    skip_ws();
    while (i < n && (s[i] == ',' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= n) break;
    if (s[i] != '<') return std::nullopt;
    size_t close = s.find('>', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view url = trim(s.substr(i + 1, close - i - 1));
    i = close + 1;
    bool is_next = false;
    for (;;) {
      skip_ws();
      if (i >= n || s[i] == ',') break;
      if (s[i] != ';') return std::nullopt;
      ++i;
      skip_ws();
      size_t name_start = i;
      while (i < n && s[i] != '=' && s[i] != ';' && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
        ++i;
      std::string name = ascii_lower(s.substr(name_start, i - name_start));
      skip_ws();
      std::string value;
      if (i < n && s[i] == '=') {
        ++i;
        skip_ws();
        if (i < n && s[i] == '"') {
          ++i;
          bool closed = false;
          while (i < n) {
            if (s[i] == '\\' && i + 1 < n) {
              value += s[i + 1];
              i += 2;
            } else if (s[i] == '"') {
              ++i;
              closed = true;
              break;
            } else {
              value += s[i++];
            }
          }
          if (!closed) return std::nullopt;
        } else {
          size_t v_start = i;
          while (i < n && s[i] != ';' && s[i] != ',' && s[i] != ' ' && s[i] != '\t') ++i;
          value = std::string(s.substr(v_start, i - v_start));
        }
      }
      if (name == "rel") {
        size_t p = 0;
        while (p < value.size()) {
          size_t q = value.find_first_of(" \t", p);
          if (q == std::string::npos) q = value.size();
          if (ascii_lower(std::string_view(value).substr(p, q - p)) == "next") is_next = true;
          p = q + 1;
        }
      }
    }
    if (is_next && !url.empty()) return std::string(url);
  }
  return std::nullopt;
}

}  // namespace gum
