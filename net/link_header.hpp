// net/link_header.hpp: the pagination link of an HTTP Link header (RFC 8288). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gum {

/// The URL of rel="next" in a Link header, if any.
std::optional<std::string> parse_next_link(std::string_view link_header);

}  // namespace gum
