// core/project_query.cpp: --search, --similar and --limit of `gum projects` (SPEC §3.1).
//
// Pure functions over a snapshot the cache actor already read: the query runs in memory, after
// the read transaction, so filtering never holds the database. All comparisons are byte-wise
// on text folded by core/case_fold.hpp (every letter's case, locale-independently; bytes that
// are not UTF-8 compare exactly), so no comparison breaks a UTF-8 sequence in two.
//
// --similar ranks by category, then a tie-break that puts the most plausible name first:
//   exact (case-insensitive equal) > prefix > substring > edit distance (Levenshtein, bytes).
// Within the first three, a shorter name wins (it is a closer fit to the text), then the path;
// within edit distance, a smaller distance wins, then the path. A name that is not a substring
// match and whose distance is above max(2, len(text)/2) is dropped: it is not similar.
#include "core/project_query.hpp"
#include "core/case_fold.hpp"
#include "core/paths.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <tuple>

namespace gum {

std::string_view path_below_root(const project& p) {
  std::string_view path = p.path, root = p.root;
  while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
  if (root.empty() || path.compare(0, root.size(), root) != 0) return path;
  if (path.size() == root.size()) return path.substr(path.size());  // the root is the project
  if (root == "/") return path.substr(1);
  if (path[root.size()] != '/') return path;  // /home/bob/projects2 is not under .../projects
  return path.substr(root.size() + 1);
}

namespace {

// Levenshtein distance with two rows: O(|a|·|b|) time, O(|b|) memory. Above `bound` it only
// says so (bound + 1): the distance is at least the difference of the lengths, and at least
// the smallest value of any row, so most names far from the text stop early.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound) {
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > bound) return bound + 1;
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > bound) return bound + 1;
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], bound + 1);
}

// How well a project's name fits the --similar text; smaller tuples sort first.
struct similarity {
  int category = 0;       // 0 exact, 1 prefix, 2 substring, 3 edit distance
  std::size_t key = 0;    // name length (categories 0-2) or edit distance (category 3)
  std::size_t index = 0;  // position in the input, to move the project without copying
};

}  // namespace

bool project_matches(const project& p, const smartcase_search& search) {
  // The root's own folders (`home`, `projects`) are not the project's: only the name and the
  // path below the root are searched (SPEC §3.1).
  return search.matches(p.name, path_below_root(p));
}

bool project_matches(const project& p, const std::string& search) {
  return project_matches(p, smartcase_search(search));
}

void filter_projects(std::vector<project>& projects, const std::string& search) {
  const smartcase_search terms(search);
  if (terms.empty()) return;
  projects.erase(std::remove_if(projects.begin(), projects.end(),
                                [&](const project& p) { return !project_matches(p, terms); }),
                 projects.end());
}

std::vector<std::size_t> similarity_order(const std::vector<const project*>& projects,
                                          const std::string& text) {
  const std::string needle = fold_case(text);
  const std::size_t max_distance = std::max<std::size_t>(2, needle.size() / 2);
  std::vector<similarity> kept;
  kept.reserve(projects.size());
  std::string name;
  for (std::size_t i = 0; i < projects.size(); ++i) {
    name = fold_case(projects[i]->name);
    if (name == needle) {
      kept.push_back({0, name.size(), i});
    } else if (name.compare(0, needle.size(), needle) == 0) {
      kept.push_back({1, name.size(), i});
    } else if (name.find(needle) != std::string::npos) {
      kept.push_back({2, name.size(), i});
    } else {
      const std::size_t distance = edit_distance(name, needle, max_distance);
      if (distance <= max_distance) kept.push_back({3, distance, i});
    }
  }
  std::sort(kept.begin(), kept.end(), [&](const similarity& a, const similarity& b) {
    return std::tie(a.category, a.key, projects[a.index]->path) <
           std::tie(b.category, b.key, projects[b.index]->path);
  });
  std::vector<std::size_t> order;
  order.reserve(kept.size());
  for (const auto& k : kept) order.push_back(k.index);
  return order;
}

void rank_by_similarity(std::vector<project>& projects, const std::string& text) {
  std::vector<const project*> candidates;
  candidates.reserve(projects.size());
  for (const auto& p : projects) candidates.push_back(&p);
  const auto order = similarity_order(candidates, text);
  std::vector<project> ranked;
  ranked.reserve(order.size());
  for (auto i : order) ranked.push_back(std::move(projects[i]));
  projects = std::move(ranked);
}

std::string duration_text(int64_t seconds) {
  if (seconds != 0 && seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds != 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds != 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

std::string index_staleness(const index_state& index,
                            const std::vector<std::string>& configured_roots, int64_t ttl_seconds,
                            int64_t now, std::string_view home) {
  if (!index.built) return "never built";
  std::vector<std::string> wanted = configured_roots;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<std::string> had = index.roots;
  std::sort(had.begin(), had.end());
  if (wanted != had) {
    std::vector<std::string> added, removed;
    std::set_difference(wanted.begin(), wanted.end(), had.begin(), had.end(),
                        std::back_inserter(added));
    std::set_difference(had.begin(), had.end(), wanted.begin(), wanted.end(),
                        std::back_inserter(removed));
    auto list = [&](const std::vector<std::string>& paths) {
      std::string out;
      for (const auto& p : paths) {
        if (!out.empty()) out += ", ";
        out += tilde_path(p, home);
      }
      return out;
    };
    std::string reason = "roots changed:";
    if (!added.empty()) reason += " added " + list(added);
    if (!added.empty() && !removed.empty()) reason += ";";
    if (!removed.empty()) reason += " removed " + list(removed);
    return reason;
  }
  // A clock that went back (age < 0) is not an expiry.
  if (ttl_seconds > 0 && now - index.last_updated > ttl_seconds)
    return "older than the " + duration_text(ttl_seconds) + " TTL";
  return {};
}

void apply_query(std::vector<project>& projects, const project_query& query) {
  filter_projects(projects, query.search);
  if (!query.similar.empty()) {
    rank_by_similarity(projects, query.similar);
  } else {
    // The index hands rows over in path order already; only sort what is not.
    auto by_path = [](const project& a, const project& b) { return a.path < b.path; };
    if (!std::is_sorted(projects.begin(), projects.end(), by_path))
      std::sort(projects.begin(), projects.end(), by_path);
  }
  if (query.limit >= 0 && static_cast<uint64_t>(query.limit) < projects.size())
    projects.resize(static_cast<std::size_t>(query.limit));
}

}  // namespace gum
