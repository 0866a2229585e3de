// core/frecency.cpp: frecency scores and keyword matching of frecent directories (SPEC §3.2).
//
// Plain functions of their inputs, so they can be tested without SQLite or actors:
// storage/dirs_store keeps the ranks, the cache calls these to score and filter. Keyword
// matching follows zoxide so that users moving over keep their muscle memory.
#include "core/frecency.hpp"

#include "core/case_fold.hpp"

namespace gum {

namespace {

constexpr int64_t hour_seconds = 3600;
constexpr int64_t day_seconds = 86400;
constexpr int64_t week_seconds = 604800;

}  // namespace

double frecency_score(double rank, int64_t last_seen, int64_t now) {
  int64_t age = now > last_seen ? now - last_seen : 0;
  if (age < hour_seconds) return rank * 4;
  if (age < day_seconds) return rank * 2;
  if (age < week_seconds) return rank * 0.5;
  return rank * 0.25;
}

keyword_matcher::keyword_matcher(const std::vector<std::string>& keywords) {
  for (const auto& k : keywords)
    if (!k.empty()) words_.push_back(fold_case(k));
}

bool keywords_match(std::string_view path, const std::vector<std::string>& keywords) {
  return keyword_matcher(keywords)(path);
}

bool keyword_matcher::operator()(std::string_view path) const {
  const auto& words = words_;
  if (words.empty()) return true;
  const std::string haystack = fold_case(path);

  // The last keyword: its rightmost occurrence must leave no '/' after it (as zoxide does, so
  // a last keyword holding a '/' may start in an earlier component but must end in the last).
  const std::string& last = words.back();
  size_t last_at = haystack.rfind(last);
  if (last_at == std::string::npos) return false;
  if (haystack.find('/', last_at + last.size()) != std::string::npos) return false;

  // The others, in order and without overlapping, all before that occurrence. Greedy
  // left-to-right is optimal: the earliest possible end leaves the most room for the rest.
  size_t from = 0;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    size_t at = haystack.find(words[i], from);
    if (at == std::string::npos) return false;
    from = at + words[i].size();
  }
  return from <= last_at;
}

}  // namespace gum
