// core/case_fold.hpp: folding case for matching text (directory keywords), and the smartcase
// search of `projects --search` and `github -s`.
//
// zoxide ignores case for every letter, not only for A-Z, so `j café` finds `~/CAFÉ`; gum folds
// the same way, locale-independently, with Unicode's simple lower-case mapping (utf8proc):
// - ASCII letters fold to a-z, and every other character folds to its lower case when that is
//   not ASCII (`CAFÉ` -> `café`, `ÜBER` -> `über`, `ΣΟΦΙΑ` -> `σοφια`), and the final sigma ς
//   to σ, so that a word typed with either matches;
// - a character whose lower case is ASCII stays as it is (the Kelvin sign U+212A, the dotted
//   capital I U+0130), so that a term of ASCII letters matches exactly what SQLite's ASCII case
//   folding lets through (storage/dirs_store.cpp prefilters ASCII keywords in SQL);
// - bytes that are not UTF-8 stay as they are: paths are bytes.
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gum {

/// `text` with every letter folded as above; the same bytes when it has no upper-case letter.
std::string fold_case(std::string_view text);

/// True when `text` holds an upper-case letter (one that fold_case lowers; the final sigma is
/// lower case): smartcase.
bool has_upper_case(std::string_view text);

/// A search of terms under smartcase (SPEC §3.1): a term with an upper-case letter must occur
/// as it is, any other in the folded text. Prepared once per query, then asked of each row.
class smartcase_search {
 public:
  /// The terms are the runs of `search` between `separators` (ASCII whitespace by default).
  explicit smartcase_search(std::string_view search,
                            std::string_view separators = " \t\n\r\f\v");

  /// True when there is no term (everything matches).
  bool empty() const { return terms_.empty(); }

  /// True when every term occurs in `a` or in `b`; each is folded at most once, and only for a
  /// term that needs it.
  bool matches(std::string_view a, std::string_view b) const;

 private:
  struct term {
    std::string text;  ///< folded unless exact
    bool exact = false;
  };
  std::vector<term> terms_;
};

}  // namespace gum
