// core/frecency.hpp: frecency scores and keyword matching of frecent directories (SPEC §3.2).
//
// No SQLite here: storage/dirs_store.* keeps the ranks, these functions interpret them.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gum {

/// A directory that no longer exists is hidden from reads at once, and forgotten (by the next
/// write that records visits) once it has not been seen for this long: 90 days.
inline constexpr int64_t forget_missing_after_seconds = 90 * 24 * 3600;

/// rank x 4 (last visit under 1 hour ago), x 2 (under 1 day), x 0.5 (under 1 week), else x 0.25.
double frecency_score(double rank, int64_t last_seen, int64_t now);

/// zoxide-style: case-insensitive (core/case_fold.hpp), keywords appear in `path` in order, and
/// the last keyword matches within the last path component. No keywords match everything.
bool keywords_match(std::string_view path, const std::vector<std::string>& keywords);

/// keywords_match with the keywords folded once, for a caller that asks it of many paths.
class keyword_matcher {
 public:
  explicit keyword_matcher(const std::vector<std::string>& keywords);
  bool operator()(std::string_view path) const;

 private:
  std::vector<std::string> words_;  ///< the non-empty keywords, folded
};

}  // namespace gum
