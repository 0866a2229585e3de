// cli/suggest.hpp: "did you mean …?" for a mistyped command or option name.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gum::cli {

/// The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
/// substitutions and swaps of two neighbours each cost 1 ("projcts" -> "projects" is 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate closest to `word`, or "" when none is close enough to be what was meant: at
/// most 1 edit for words of up to 4 characters, 2 up to 8, 3 beyond; or `word` is a prefix of
/// exactly one candidate. Ties go to the first candidate.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gum::cli
