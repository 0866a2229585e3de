// core/display_width.hpp: how many terminal columns a UTF-8 string takes, and cutting a string
// to a number of columns, for the CLI's tables.
//
// Widths come from utf8proc (East Asian wide and fullwidth characters take two columns,
// combining marks none), linked from its static archive so no process maps another shared
// object for it. A byte that is not valid UTF-8 counts as one column, so a hostile name still
// gets a width. Pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gum {

/// The columns `text` takes on a terminal: 2 for a wide (CJK) character, 0 for a combining
/// mark or a control character, 1 for everything else (an invalid byte included).
std::size_t display_width(std::string_view text);

/// `text` cut to at most `columns` columns: unchanged when it fits, else as many whole
/// characters as fit in `columns - 1` followed by "…" (U+2026). 0 columns gives "".
std::string truncate_to_width(std::string_view text, std::size_t columns);

}  // namespace gum
