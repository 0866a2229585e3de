// tests/project_query_test.cpp (core/project_query.hpp): --search (smartcase, all terms), --similar ranking and --limit.
#include "core/project_query.hpp"

#include <gtest/gtest.h>

namespace gum {
namespace {

project make(std::string path) {
  project p;
  p.path = std::move(path);
  p.name = p.path.substr(p.path.rfind('/') + 1);
  p.root = "/src";
  return p;
}

std::vector<std::string> paths_of(const std::vector<project>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.path);
  return out;
}

std::vector<std::string> names_of(const std::vector<project>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.name);
  return out;
}

TEST(project_query, empty_or_blank_search_matches_everything) {
  EXPECT_TRUE(project_matches(make("/src/a"), ""));
  EXPECT_TRUE(project_matches(make("/src/a"), " \t\n "));
  std::vector<project> ps = {make("/src/b"), make("/src/a")};
  filter_projects(ps, "   ");
  EXPECT_EQ(paths_of(ps), (std::vector<std::string>{"/src/b", "/src/a"}));
}

TEST(project_query, lower_case_term_matches_any_case) {
  EXPECT_TRUE(project_matches(make("/src/MyProject"), "myproject"));
  EXPECT_TRUE(project_matches(make("/Work/thing"), "work"));  // in the path, not the name
}

TEST(project_query, term_with_upper_case_matches_only_exact_case) {
  EXPECT_TRUE(project_matches(make("/src/MyProject"), "MyP"));
  EXPECT_FALSE(project_matches(make("/src/myproject"), "MyP"));
  EXPECT_FALSE(project_matches(make("/src/MYPROJECT"), "MyP"));
}

TEST(project_query, smartcase_is_decided_per_term) {
  // "gum" is insensitive, "API" is sensitive: both must hold.
  EXPECT_TRUE(project_matches(make("/src/GUM-API"), "gum API"));
  EXPECT_FALSE(project_matches(make("/src/GUM-api"), "gum API"));
}

TEST(project_query, smartcase_folds_every_letter_not_only_ascii) {
  // A lower-case term matches whatever the case of the name, accents and all.
  EXPECT_TRUE(project_matches(make("/src/École"), "école"));
  EXPECT_TRUE(project_matches(make("/src/ÜBER-tool"), "über"));
  // An upper-case letter anywhere in the term makes it exact, as for ASCII.
  EXPECT_TRUE(project_matches(make("/src/École"), "École"));
  EXPECT_FALSE(project_matches(make("/src/école"), "École"));
  // --similar compares the folded names: ÉCOLE is the exact match of école, before the
  // prefix match école-2 (with ASCII folding only it came after it, at edit distance 1).
  std::vector<project> ps = {make("/src/école-2"), make("/src/ÉCOLE")};
  std::vector<const project*> view = {&ps[0], &ps[1]};
  auto order = similarity_order(view, "école");
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(ps[order.front()].name, "ÉCOLE");
}

TEST(project_query, every_term_is_required) {
  const project p = make("/home/bob/src/gum-engine");
  EXPECT_TRUE(project_matches(p, "gum engine"));
  EXPECT_TRUE(project_matches(p, "  bob\tengine\n"));
  EXPECT_FALSE(project_matches(p, "gum missing"));
  std::vector<project> ps = {make("/src/gum-engine"), make("/src/gum-cli"), make("/src/engine")};
  filter_projects(ps, "gum engine");
  EXPECT_EQ(paths_of(ps), (std::vector<std::string>{"/src/gum-engine"}));
}

project under(std::string root, std::string rel) {
  project p;
  p.path = root + "/" + rel;
  p.name = p.path.substr(p.path.rfind('/') + 1);
  p.root = std::move(root);
  return p;
}

// Issue 13, item 3: `-s home` matched every project under $HOME/projects.
TEST(project_query, terms_match_the_name_or_the_path_below_the_root_only) {
  const project flat = under("/home/bob/projects", "libfoo");
  EXPECT_FALSE(project_matches(flat, "home"));
  EXPECT_FALSE(project_matches(flat, "bob"));
  EXPECT_FALSE(project_matches(flat, "projects"));
  EXPECT_FALSE(project_matches(flat, "/"));
  EXPECT_TRUE(project_matches(flat, "libfoo"));
  EXPECT_TRUE(project_matches(flat, "foo"));
  const project deep = under("/home/bob/projects", "work/Tools/libfoo");
  EXPECT_TRUE(project_matches(deep, "work"));
  EXPECT_TRUE(project_matches(deep, "tools libfoo"));
  EXPECT_TRUE(project_matches(deep, "Tools"));
  EXPECT_FALSE(project_matches(deep, "TOOLS"));  // smartcase still holds below the root
  EXPECT_TRUE(project_matches(deep, "work/tools"));
  EXPECT_FALSE(project_matches(deep, "projects/work"));  // crosses into the root
  EXPECT_FALSE(project_matches(deep, "home"));
  // The root "/" leaves the whole path to match.
  project top = under("", "srv/app");
  top.root = "/";
  EXPECT_TRUE(project_matches(top, "srv"));
  // A root that is only a string prefix of the path is not its root: the whole path counts.
  project odd = under("/home/bob/projects", "x");
  odd.root = "/home/bob/proj";
  EXPECT_TRUE(project_matches(odd, "bob"));
  std::vector<project> ps = {flat, deep, under("/home/bob/projects", "home-lab")};
  filter_projects(ps, "home");
  EXPECT_EQ(names_of(ps), (std::vector<std::string>{"home-lab"}));
}

TEST(project_query, bytes_that_are_not_utf8_compare_exactly) {
  EXPECT_TRUE(project_matches(make("/src/Über"), "über"));  // Ü folds (core/case_fold.hpp)
  EXPECT_FALSE(project_matches(make("/src/über"), "Über"));  // and is upper case: exact
  EXPECT_FALSE(project_matches(make("/src/abc"), std::string("\xFF")));
  EXPECT_TRUE(project_matches(make("/src/A\xFF" "B"), std::string("a\xFF" "b")));
  EXPECT_FALSE(project_matches(make("/src/a\xFE" "b"), std::string("a\xFF" "b")));
}

TEST(project_query, filter_keeps_input_order) {
  std::vector<project> ps = {make("/src/z-tool"), make("/src/other"), make("/src/a-tool")};
  filter_projects(ps, "tool");
  EXPECT_EQ(paths_of(ps), (std::vector<std::string>{"/src/z-tool", "/src/a-tool"}));
}

TEST(project_query, similar_orders_exact_then_prefix_then_substring_then_edit_distance) {
  std::vector<project> ps = {make("/src/xgumx"), make("/src/gim"),       make("/src/gumbo"),
                             make("/src/GUM"),   make("/src/unrelated"), make("/src/gum-cli")};
  rank_by_similarity(ps, "gum");
  EXPECT_EQ(names_of(ps), (std::vector<std::string>{"GUM", "gumbo", "gum-cli", "xgumx", "gim"}));
}

TEST(project_query, similar_breaks_ties_by_shorter_name_then_path) {
  std::vector<project> ps = {make("/b/gumtree"), make("/a/gumtree"), make("/z/gum-x"),
                             make("/c/gum"), make("/a/gum")};
  rank_by_similarity(ps, "gum");
  EXPECT_EQ(paths_of(ps),
            (std::vector<std::string>{"/a/gum", "/c/gum", "/z/gum-x", "/a/gumtree", "/b/gumtree"}));
}

TEST(project_query, similar_orders_edit_distance_by_distance_then_path) {
  std::vector<project> ps = {make("/b/abxdef"), make("/a/abxdef"), make("/c/abxyef"),
                             make("/d/abcdeg")};
  rank_by_similarity(ps, "abcdef");
  EXPECT_EQ(paths_of(ps),
            (std::vector<std::string>{"/a/abxdef", "/b/abxdef", "/d/abcdeg", "/c/abxyef"}));
}

TEST(project_query, similar_drops_names_that_are_too_far) {
  // "gum": the threshold is max(2, 3/2) = 2.
  std::vector<project> ps = {make("/src/gxx"), make("/src/xyz"), make("/src/g")};
  rank_by_similarity(ps, "gum");
  EXPECT_EQ(names_of(ps), (std::vector<std::string>{"g", "gxx"}));
  // Long text: "projectile" (10) allows distance 5; a long name containing it always stays.
  std::vector<project> long_ps = {make("/src/my-projectile-with-a-very-long-suffix"),
                                  make("/src/prjctl"), make("/src/completely")};
  rank_by_similarity(long_ps, "projectile");
  EXPECT_EQ(names_of(long_ps),
            (std::vector<std::string>{"my-projectile-with-a-very-long-suffix", "prjctl"}));
}

TEST(project_query, similar_is_case_insensitive) {
  std::vector<project> ps = {make("/src/readme"), make("/src/ReadMe-Tool")};
  rank_by_similarity(ps, "README");
  EXPECT_EQ(names_of(ps), (std::vector<std::string>{"readme", "ReadMe-Tool"}));
}

TEST(project_query, apply_query_sorts_by_path_bytewise_without_similar) {
  std::vector<project> ps = {make("/src/b"), make("/src/a"), make("/src/B"), make("/src/a-b")};
  apply_query(ps, project_query{});
  EXPECT_EQ(paths_of(ps), (std::vector<std::string>{"/src/B", "/src/a", "/src/a-b", "/src/b"}));
}

TEST(project_query, apply_query_limits_after_filtering) {
  std::vector<project> ps;
  for (const char* n : {"x1", "tool-c", "x2", "tool-a", "x3", "tool-b"})
    ps.push_back(make(std::string("/src/") + n));
  project_query q;
  q.search = "tool";
  q.limit = 2;
  auto limited = ps;
  apply_query(limited, q);
  EXPECT_EQ(paths_of(limited), (std::vector<std::string>{"/src/tool-a", "/src/tool-b"}));

  q.limit = 0;
  auto none = ps;
  apply_query(none, q);
  EXPECT_TRUE(none.empty());

  q.limit = -1;
  auto all = ps;
  apply_query(all, q);
  EXPECT_EQ(all.size(), 3u);

  q.limit = 100;
  auto more = ps;
  apply_query(more, q);
  EXPECT_EQ(more.size(), 3u);
}

TEST(project_query, apply_query_ranks_by_similarity_then_limits) {
  std::vector<project> ps = {make("/src/gum-cli"), make("/src/gum"), make("/src/other"),
                             make("/src/gumbo")};
  project_query q;
  q.similar = "gum";
  q.limit = 2;
  apply_query(ps, q);
  EXPECT_EQ(names_of(ps), (std::vector<std::string>{"gum", "gumbo"}));
}

TEST(project_query, apply_query_search_and_similar_combine) {
  std::vector<project> ps = {make("/work/gum"), make("/play/gum"), make("/work/gumbo")};
  project_query q;
  q.search = "work";
  q.similar = "gum";
  apply_query(ps, q);
  EXPECT_EQ(paths_of(ps), (std::vector<std::string>{"/work/gum", "/work/gumbo"}));
}

TEST(project_query, hostile_names_do_not_break_matching) {
  project p = make("/src/a\tb\nc");
  EXPECT_TRUE(project_matches(p, "a"));
  EXPECT_TRUE(project_matches(p, "b c"));  // terms split on whitespace, each found
  std::vector<project> ps = {p, make("/src/" + std::string(1000, 'z'))};
  rank_by_similarity(ps, std::string(500, 'q'));
  EXPECT_TRUE(ps.empty());
  std::vector<project> empty;
  apply_query(empty, project_query{"x", "y", 3});
  EXPECT_TRUE(empty.empty());
}

// Issue 13, item 1: the freshness rules, first match wins.
TEST(project_query, index_staleness_names_never_built_roots_changed_and_ttl) {
  index_state never;
  EXPECT_EQ(index_staleness(never, {"/h/projects"}, 3600, 5000, "/h"), "never built");
  index_state built;
  built.built = true;
  built.last_updated = 1000;
  built.roots = {"/h/projects"};
  EXPECT_EQ(index_staleness(built, {"/h/projects"}, 3600, 1000 + 3600, "/h"), "");
  EXPECT_EQ(index_staleness(built, {"/h/projects"}, 3600, 1000 + 3601, "/h"),
            "older than the 1h TTL");
  EXPECT_EQ(index_staleness(built, {"/h/projects"}, 90, 2000, "/h"), "older than the 90s TTL");
  EXPECT_EQ(index_staleness(built, {"/h/projects"}, 0, 1000 + 100 * 86400, "/h"), "")
      << "ttl 0: never expires";
  EXPECT_EQ(index_staleness(built, {"/h/projects"}, 3600, 10, "/h"), "") << "clock went back";
  EXPECT_EQ(index_staleness(built, {"/h/code", "/h/projects"}, 3600, 1000, "/h"),
            "roots changed: added ~/code");
  EXPECT_EQ(index_staleness(built, {}, 3600, 1000, "/h"), "roots changed: removed ~/projects");
  EXPECT_EQ(index_staleness(built, {"/srv/x", "/h/a"}, 3600, 1000, "/h"),
            "roots changed: added ~/a, /srv/x; removed ~/projects");
  // Order and duplicates of the configured roots do not matter; roots win over the TTL.
  built.roots = {"/h/a", "/h/b"};
  EXPECT_EQ(index_staleness(built, {"/h/b", "/h/a", "/h/b"}, 3600, 1000, "/h"), "");
  EXPECT_EQ(index_staleness(built, {"/h/b"}, 3600, 999999, "/h"), "roots changed: removed ~/a");
  EXPECT_EQ(duration_text(3600), "1h");
  EXPECT_EQ(duration_text(5400), "90m");
  EXPECT_EQ(duration_text(86400 * 2), "2d");
  EXPECT_EQ(duration_text(1), "1s");
}

}  // namespace
}  // namespace gum
