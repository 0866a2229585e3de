// tests/output_test.cpp: every output format of cli/output, with hostile names.
//
// Line formats must keep one record on one line whatever the names hold; JSON must parse back
// (with boost::json::parse) to the values that went in, with null for unknowns and U+FFFD for
// invalid UTF-8. Tables must align by code points, not bytes.
#include "cli/output.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <limits>
#include <sstream>
#include <streambuf>

namespace gum::cli {
namespace {

const std::string fffd = "\xEF\xBF\xBD";

project make_project(std::string path, std::optional<std::string> remote,
                     std::optional<std::string> branch) {
  project p;
  p.path = std::move(path);
  p.name = p.path.substr(p.path.rfind('/') + 1);
  p.root = "/src";
  p.remote_url = std::move(remote);
  p.branch = std::move(branch);
  return p;
}

// The three shapes: a remote, only a branch, neither.
std::vector<project> three_projects() {
  return {make_project("/src/alpha", "git@github.com:o/alpha.git", "main"),
          make_project("/src/beta", std::nullopt, "dev"),
          make_project("/src/gamma", std::nullopt, std::nullopt)};
}

// The format called `name`, as `--format name` gives it.
template <class Format, class Parse>
Format format_named(const std::string& name, Parse parse) {
  Format format{};
  const status st = parse(name, format);
  EXPECT_TRUE(st.ok()) << name << ": " << st.message;
  return format;
}

std::string projects_as(const std::vector<project>& ps, const std::string& format) {
  std::ostringstream out;
  print_projects(out, ps, format_named<projects_format>(format, parse_projects_format));
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// ---- escaping and UTF-8 --------------------------------------------------------------------

TEST(output, escape_line_field_escapes_only_tab_newline_and_cr) {
  EXPECT_EQ(escape_line_field("a\tb\nc\rd"), "a\\tb\\nc\\rd");
  EXPECT_EQ(escape_line_field("back\\slash \x01 \xff"), "back\\slash \x01 \xff");
  EXPECT_EQ(escape_line_field(""), "");
}

TEST(output, sanitize_utf8_keeps_valid_text) {
  const std::string text = "plain é 日本 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(sanitize_utf8(text), text);
  EXPECT_EQ(sanitize_utf8(std::string("nul\0inside", 10)), std::string("nul\0inside", 10));
}

TEST(output, sanitize_utf8_replaces_maximal_subparts) {
  // Lone continuation bytes and bytes that never start a sequence: one U+FFFD each.
  EXPECT_EQ(sanitize_utf8("a\x80\xBF"
                          "b"),
            "a" + fffd + fffd + "b");
  EXPECT_EQ(sanitize_utf8("\xC0\xC1\xF5\xFF"), fffd + fffd + fffd + fffd);
  // Overlongs: C0 80 is two errors; E0 80 80 is three (E0 does not accept 80).
  EXPECT_EQ(sanitize_utf8("\xC0\x80"), fffd + fffd);
  EXPECT_EQ(sanitize_utf8("\xE0\x80\x80"), fffd + fffd + fffd);
  EXPECT_EQ(sanitize_utf8("\xF0\x80\x80\x80"), fffd + fffd + fffd + fffd);
  // Surrogates (ED A0 80) and code points above U+10FFFF (F4 90 80 80).
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), fffd + fffd + fffd);
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
  // A truncated sequence is one U+FFFD, and decoding resumes at the byte that broke it.
  EXPECT_EQ(sanitize_utf8("\xE6\x97"
                          "x"),
            fffd + "x");
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x98"), fffd);
  EXPECT_EQ(sanitize_utf8("\xE6\xE6\x97\xA5"), fffd + "\xE6\x97\xA5");
  EXPECT_EQ(sanitize_utf8("\xC3"), fffd);
}

TEST(output, display_width_counts_terminal_columns) {
  EXPECT_EQ(display_width("abc"), 3u);
  // é takes one column, 日 and the emoji two each (East Asian wide), a combining acute none.
  EXPECT_EQ(display_width("é日\xF0\x9F\x98\x80"), 5u);
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("\xFF"), 1u);  // an invalid byte still takes a column
}

TEST(output, truncate_to_width_cuts_whole_characters_and_ends_in_an_ellipsis) {
  EXPECT_EQ(truncate_to_width("abcdef", 6), "abcdef");
  EXPECT_EQ(truncate_to_width("abcdef", 4), "abc\xE2\x80\xA6");
  // 日本語 is 6 columns: in 4 there is room for one wide character and the ellipsis.
  EXPECT_EQ(truncate_to_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4), "\xE6\x97\xA5\xE2\x80\xA6");
  EXPECT_EQ(display_width(truncate_to_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4)), 3u);
  EXPECT_EQ(truncate_to_width("abc", 0), "");
}

// ---- projects ------------------------------------------------------------------------------

TEST(output, projects_formats_are_validated) {
  projects_format format{};
  for (const char* f : {"default", "simple", "json", "table", "fzf"})
    EXPECT_TRUE(parse_projects_format(f, format).ok());
  for (const char* f : {"", "JSON", "text", "csv", "json "})
    EXPECT_FALSE(parse_projects_format(f, format).ok());
}

TEST(output, projects_default_shows_remote_else_branch_else_path) {
  EXPECT_EQ(projects_as(three_projects(), "default"),
            "/src/alpha (git@github.com:o/alpha.git)\n/src/beta [dev]\n/src/gamma\n");
}

TEST(output, projects_simple_shows_only_paths) {
  EXPECT_EQ(projects_as(three_projects(), "simple"), "/src/alpha\n/src/beta\n/src/gamma\n");
}

TEST(output, projects_fzf_has_two_tab_separated_fields_even_when_second_is_empty) {
  EXPECT_EQ(projects_as(three_projects(), "fzf"),
            "/src/alpha\tgit@github.com:o/alpha.git\n/src/beta\t[dev]\n/src/gamma\t\n");
}

TEST(output, projects_table_aligns_columns_with_dash_for_null) {
  const std::string expected =
      "NAME   BRANCH  REMOTE                      PATH\n"
      "alpha  main    git@github.com:o/alpha.git  /src/alpha\n"
      "beta   dev     -                           /src/beta\n"
      "gamma  -       -                           /src/gamma\n";
  EXPECT_EQ(projects_as(three_projects(), "table"), expected);
}

TEST(output, projects_table_aligns_multibyte_names_by_display_width) {
  std::vector<project> ps = {make_project("/src/日本語", std::nullopt, "main"),
                             make_project("/src/abcdef", std::nullopt, "é")};
  const auto lines = lines_of(projects_as(ps, "table"));
  ASSERT_EQ(lines.size(), 3u);
  // The PATH column starts at the same display column on every line.
  std::vector<std::size_t> starts;
  for (const auto& line : lines) {
    const auto at = line.find(line == lines[0] ? "PATH" : "/src/");
    ASSERT_NE(at, std::string::npos);
    starts.push_back(display_width(line.substr(0, at)));
  }
  EXPECT_EQ(starts[0], starts[1]);
  EXPECT_EQ(starts[1], starts[2]);
  // 日本語 takes six columns, as many as "abcdef": two spaces follow it, not five.
  EXPECT_EQ(lines[1], "日本語  main    -       /src/日本語");
  for (const auto& line : lines) EXPECT_NE(line.back(), ' ') << "trailing padding: " << line;
}

TEST(output, projects_empty_list_prints_nothing_in_line_formats_and_empty_array_in_json) {
  for (const char* f : {"default", "simple", "fzf", "table"})
    EXPECT_EQ(projects_as({}, f), "") << f;
  EXPECT_EQ(projects_as({}, "json"), "[]\n");
}

TEST(output, projects_names_with_control_characters_stay_on_one_line) {
  project p = make_project("/src/we\tird\nna\rme", "https://h/o/r\n", "br\tanch");
  p.name = "we\tird\nna\rme";
  for (const char* f : {"default", "simple", "fzf", "table"}) {
    const std::string out = projects_as({p, make_project("/src/x", std::nullopt, std::nullopt)}, f);
    const auto lines = lines_of(out);
    const std::size_t header = std::string(f) == "table" ? 1 : 0;
    ASSERT_EQ(lines.size(), 2u + header) << f << ": " << out;
    EXPECT_EQ(out.find('\r'), std::string::npos) << f;
    EXPECT_NE(lines[header].find("we\\tird\\nna\\rme"), std::string::npos) << f;
  }
  // fzf: exactly one real tab, separating the two fields.
  const auto fzf = lines_of(projects_as({p}, "fzf"));
  ASSERT_EQ(fzf.size(), 1u);
  EXPECT_EQ(fzf[0], "/src/we\\tird\\nna\\rme\thttps://h/o/r\\n");
  EXPECT_EQ(lines_of(projects_as({p}, "table"))[1],
            "we\\tird\\nna\\rme  br\\tanch  https://h/o/r\\n  /src/we\\tird\\nna\\rme");
}

TEST(output, projects_json_has_keys_in_order_and_null_for_unknowns) {
  auto ps = three_projects();
  ps[0].kind = "worktree";
  const std::string out = projects_as(ps, "json");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  const auto value = boost::json::parse(out);
  const auto& array = value.as_array();
  ASSERT_EQ(array.size(), 3u);

  const auto& a = array[0].as_object();
  std::vector<std::string> keys;
  for (const auto& kv : a) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "path", "root", "kind", "remote", "branch",
                                            "github"}));
  EXPECT_EQ(a.at("name").as_string(), "alpha");
  EXPECT_EQ(a.at("path").as_string(), "/src/alpha");
  EXPECT_EQ(a.at("root").as_string(), "/src");
  EXPECT_EQ(a.at("kind").as_string(), "worktree");
  EXPECT_EQ(a.at("remote").as_string(), "git@github.com:o/alpha.git");
  EXPECT_EQ(a.at("branch").as_string(), "main");
  EXPECT_TRUE(a.at("github").is_null());

  const auto& b = array[1].as_object();
  EXPECT_TRUE(b.at("remote").is_null());
  EXPECT_EQ(b.at("branch").as_string(), "dev");
  const auto& c = array[2].as_object();
  EXPECT_TRUE(c.at("remote").is_null());
  EXPECT_TRUE(c.at("branch").is_null());
  EXPECT_EQ(c.at("kind").as_string(), "repo");
}

TEST(output, projects_json_includes_github_link_when_set) {
  auto ps = three_projects();
  github_link link;
  link.full_name = "o/alpha";
  link.stars = 42;
  link.language = "C++";
  link.topics = {"cli", "sqlite"};
  link.archived = true;
  ps[0].github = link;
  ps[1].github = github_link{};  // linked, with unknown language and pushed_at
  const auto value = boost::json::parse(projects_as(ps, "json"));
  const auto& g = value.as_array()[0].as_object().at("github").as_object();
  std::vector<std::string> keys;
  for (const auto& kv : g) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"full_name", "stars", "language", "topics", "archived",
                                            "pushed_at"}));
  EXPECT_EQ(g.at("full_name").as_string(), "o/alpha");
  EXPECT_EQ(g.at("stars").as_int64(), 42);
  EXPECT_EQ(g.at("language").as_string(), "C++");
  ASSERT_EQ(g.at("topics").as_array().size(), 2u);
  EXPECT_EQ(g.at("topics").as_array()[1].as_string(), "sqlite");
  EXPECT_TRUE(g.at("archived").as_bool());
  EXPECT_TRUE(g.at("pushed_at").is_null());
  const auto& g2 = value.as_array()[1].as_object().at("github").as_object();
  EXPECT_TRUE(g2.at("language").is_null());
  EXPECT_TRUE(g2.at("topics").as_array().empty());
  EXPECT_TRUE(value.as_array()[2].as_object().at("github").is_null());
}

TEST(output, projects_json_replaces_invalid_utf8_and_still_parses) {
  project p = make_project("/src/bad\xFF\xC0name", "https://h/\xED\xA0\x80", "b\xE6\x97");
  p.name = "bad\xFF\xC0name\t\"quoted\"\\";
  p.root = "/src\x80";
  const std::string out = projects_as({p}, "json");
  boost::json::error_code ec;
  const auto value = boost::json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  const auto& o = value.as_array()[0].as_object();
  EXPECT_EQ(o.at("name").as_string(), "bad" + fffd + fffd + "name\t\"quoted\"\\");
  EXPECT_EQ(o.at("path").as_string(), "/src/bad" + fffd + fffd + "name");
  EXPECT_EQ(o.at("root").as_string(), "/src" + fffd);
  EXPECT_EQ(o.at("remote").as_string(), "https://h/" + fffd + fffd + fffd);
  EXPECT_EQ(o.at("branch").as_string(), "b" + fffd);
  // JSON is one record per output: control characters are escaped, not raw.
  EXPECT_EQ(lines_of(out).size(), 1u);
}

TEST(output, projects_unknown_format_is_a_usage_error_naming_the_formats) {
  projects_format format = projects_format::json;
  const status st = parse_projects_format("nonsense", format);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_EQ(st.message, "unknown format 'nonsense' (expected default, simple, json, table or fzf)");
  EXPECT_EQ(format, projects_format::json);  // left as it was
  EXPECT_EQ(format_named<projects_format>("default", parse_projects_format),
            projects_format::standard);
}

// ---- dirs ----------------------------------------------------------------------------------

std::vector<dir_entry> two_dirs() {
  dir_entry a;
  a.path = "/home/bob/src/gum";
  a.score = 48;
  a.rank = 12;
  a.last_seen = 1795701780;
  dir_entry b;
  b.path = "/home/bob2/notes";  // not under /home/bob: stays absolute
  b.score = 0.3;
  b.rank = 1;
  b.last_seen = 0;
  return {a, b};
}

std::string dirs_as(const std::vector<dir_entry>& ds, const std::string& format, bool verbose) {
  std::ostringstream out;
  print_dirs(out, ds, format_named<dirs_format>(format, parse_dirs_format), "/home/bob", verbose);
  return out.str();
}

TEST(output, dirs_formats_are_validated) {
  dirs_format format{};
  for (const char* f : {"default", "simple", "json", "table", "fzf"})
    EXPECT_TRUE(parse_dirs_format(f, format).ok());
  for (const char* f : {"xml", "", "text"}) EXPECT_FALSE(parse_dirs_format(f, format).ok());
  EXPECT_EQ(parse_dirs_format("xml", format).message,
            "unknown format 'xml' (expected default, simple, json, table or fzf)");
  EXPECT_EQ(parse_dirs_format("xml", format).code, status_code::usage);
}

// `~` is for people (default); simple and fzf feed `cd`, which does not expand it (issue 13).
TEST(output, dirs_default_prints_tilde_paths_simple_and_fzf_absolute_ones) {
  EXPECT_EQ(dirs_as(two_dirs(), "default", false), "~/src/gum\n/home/bob2/notes\n");
  for (const char* f : {"simple", "fzf"})
    EXPECT_EQ(dirs_as(two_dirs(), f, false), "/home/bob/src/gum\n/home/bob2/notes\n") << f;
  EXPECT_EQ(dirs_as(two_dirs(), "simple", true), "  48.0\t/home/bob/src/gum\n   0.3\t/home/bob2/notes\n");
}

TEST(output, dirs_verbose_prints_score_tab_path) {
  EXPECT_EQ(dirs_as(two_dirs(), "default", true), "  48.0\t~/src/gum\n   0.3\t/home/bob2/notes\n");
}

TEST(output, dirs_escape_control_characters_in_paths) {
  auto ds = two_dirs();
  ds[0].path = "/home/bob/a\nb";
  EXPECT_EQ(lines_of(dirs_as(ds, "default", true)).size(), 2u);
  EXPECT_EQ(lines_of(dirs_as(ds, "default", false))[0], "~/a\\nb");
  EXPECT_EQ(lines_of(dirs_as(ds, "fzf", false))[0], "/home/bob/a\\nb");
}

TEST(output, dirs_json_has_absolute_path_score_rank_and_rfc3339_last_seen) {
  auto ds = two_dirs();
  ds[1].path = "/home/bob2/\xFFx";
  const std::string out = dirs_as(ds, "json", true);
  const auto value = boost::json::parse(out);
  const auto& array = value.as_array();
  ASSERT_EQ(array.size(), 2u);
  const auto& a = array[0].as_object();
  EXPECT_EQ(a.at("path").as_string(), "/home/bob/src/gum");
  EXPECT_DOUBLE_EQ(a.at("score").to_number<double>(), 48.0);
  EXPECT_DOUBLE_EQ(a.at("rank").to_number<double>(), 12.0);
  EXPECT_EQ(a.at("last_seen").as_string(), "2026-11-26T14:03:00Z");
  EXPECT_EQ(array[1].as_object().at("path").as_string(), "/home/bob2/" + fffd + "x");
  EXPECT_DOUBLE_EQ(array[1].as_object().at("score").to_number<double>(), 0.3);
  EXPECT_EQ(dirs_as({}, "json", false), "[]\n");
  EXPECT_EQ(dirs_as({}, "default", true), "");
}

TEST(output, dirs_json_writes_null_for_non_finite_scores) {
  auto ds = two_dirs();
  ds[0].score = std::numeric_limits<double>::infinity();
  ds[0].rank = std::numeric_limits<double>::quiet_NaN();
  const auto value = boost::json::parse(dirs_as(ds, "json", false));
  EXPECT_TRUE(value.as_array()[0].as_object().at("score").is_null());
  EXPECT_TRUE(value.as_array()[0].as_object().at("rank").is_null());
}

// ---- github --------------------------------------------------------------------------------

std::vector<github_repo> two_repos() {
  github_repo a;
  a.full_name = "octo/gum";
  a.owner = "octo";
  a.name = "gum";
  a.description = "an index";
  a.language = "C++";
  a.topics = {"cli"};
  a.stars = 1234;
  a.forks = 5;
  a.pushed_at = "2026-11-26T14:03:00Z";
  a.html_url = "https://github.com/octo/gum";
  a.local_path = "/src/gum";
  github_repo b;
  b.full_name = "octo/old";
  b.owner = "octo";
  b.name = "old";
  b.archived = true;
  b.is_private = true;
  b.fork = true;
  return {a, b};
}

std::string github_as(const std::vector<github_repo>& rs, const std::string& format) {
  std::ostringstream out;
  print_github(out, rs, format_named<github_format>(format, parse_github_format));
  return out.str();
}

TEST(output, github_formats_are_validated) {
  github_format format{};
  for (const char* f : {"default", "simple", "json", "table", "fzf"})
    EXPECT_TRUE(parse_github_format(f, format).ok());
  for (const char* f : {"xml", "", "text"}) EXPECT_FALSE(parse_github_format(f, format).ok());
  EXPECT_EQ(parse_github_format("xml", format).message,
            "unknown format 'xml' (expected default, simple, json, table or fzf)");
  EXPECT_EQ(parse_github_format("xml", format).code, status_code::usage);
}

TEST(output, github_default_shows_stars_language_archived_and_local_path) {
  EXPECT_EQ(github_as(two_repos(), "default"),
            "octo/gum  \xE2\x98\x85"
            "1234  C++  -> /src/gum\n"
            "octo/old  \xE2\x98\x85"
            "0  [archived]\n");
}

TEST(output, github_simple_shows_full_names) {
  EXPECT_EQ(github_as(two_repos(), "simple"), "octo/gum\nocto/old\n");
}

TEST(output, github_table_right_aligns_stars_and_shows_dates) {
  EXPECT_EQ(github_as(two_repos(), "table"),
            "FULL_NAME  STARS  LANGUAGE  PUSHED      LOCAL_PATH\n"
            "octo/gum    1234  C++       2026-11-26  /src/gum\n"
            "octo/old       0  -         -           -\n");
  EXPECT_EQ(github_as({}, "table"), "");
}

TEST(output, github_line_formats_escape_control_characters) {
  auto rs = two_repos();
  rs[0].full_name = "octo/g\num";
  rs[0].language = "C\t++";
  for (const char* f : {"default", "simple", "table"})
    EXPECT_EQ(lines_of(github_as(rs, f)).size(), std::string(f) == "table" ? 3u : 2u) << f;
}

TEST(output, github_json_has_every_field_with_nulls) {
  auto rs = two_repos();
  rs[1].description = "bad \xC3(";
  const auto value = boost::json::parse(github_as(rs, "json"));
  const auto& array = value.as_array();
  ASSERT_EQ(array.size(), 2u);
  const auto& a = array[0].as_object();
  std::vector<std::string> keys;
  for (const auto& kv : a) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"full_name", "owner", "name", "description", "language",
                                            "topics", "stars", "forks", "private", "fork",
                                            "archived", "pushed_at", "html_url", "local_path"}));
  EXPECT_EQ(a.at("full_name").as_string(), "octo/gum");
  EXPECT_EQ(a.at("stars").as_int64(), 1234);
  EXPECT_EQ(a.at("forks").as_int64(), 5);
  EXPECT_EQ(a.at("local_path").as_string(), "/src/gum");
  EXPECT_EQ(a.at("topics").as_array()[0].as_string(), "cli");
  EXPECT_FALSE(a.at("private").as_bool());
  const auto& b = array[1].as_object();
  EXPECT_EQ(b.at("description").as_string(), "bad " + fffd + "(");
  EXPECT_TRUE(b.at("language").is_null());
  EXPECT_TRUE(b.at("pushed_at").is_null());
  EXPECT_TRUE(b.at("html_url").is_null());
  EXPECT_TRUE(b.at("local_path").is_null());
  EXPECT_TRUE(b.at("private").as_bool());
  EXPECT_TRUE(b.at("fork").as_bool());
  EXPECT_TRUE(b.at("archived").as_bool());
  EXPECT_EQ(github_as({}, "json"), "[]\n");
}

// ---- integrity -----------------------------------------------------------------------------

integrity_report passing_report() {
  integrity_report r;
  for (const char* name :
       {"file", "foreign_keys", "orphans", "duplicates", "cache_consistency", "concurrency"})
    r.checks.push_back({name, true, "", 0});
  r.checks[0].detail = "integrity_check ok";
  return r;
}

std::string integrity_as(const integrity_report& r, const std::string& format) {
  std::ostringstream out;
  print_integrity(out, r, format_named<integrity_format>(format, parse_integrity_format));
  return out.str();
}

TEST(output, integrity_formats_are_validated) {
  integrity_format format{};
  EXPECT_TRUE(parse_integrity_format("text", format).ok());
  EXPECT_TRUE(parse_integrity_format("json", format).ok());
  EXPECT_FALSE(parse_integrity_format("default", format).ok());
  EXPECT_FALSE(parse_integrity_format("table", format).ok());
  EXPECT_EQ(parse_integrity_format("table", format).message,
            "unknown format 'table' (expected text or json)");
  EXPECT_EQ(parse_integrity_format("table", format).code, status_code::usage);
}

TEST(output, integrity_text_lists_checks_and_an_ok_summary) {
  const auto lines = lines_of(integrity_as(passing_report(), "text"));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "\xE2\x9C\x93 file  integrity_check ok");
  EXPECT_EQ(lines[1], "\xE2\x9C\x93 foreign_keys");
  EXPECT_EQ(lines[6], "integrity: ok (6 checks)");
}

TEST(output, integrity_text_reports_failures_with_counts_and_repairs_first) {
  auto r = passing_report();
  r.ok = false;
  r.checks[2] = {"orphans", false, "dangling github link: /src/a\nb", 3};
  r.checks[3] = {"duplicates", false, "same path twice", 1};
  r.repairs = {"nulled github link of /src/a", "recounted cache_metadata"};
  const auto lines = lines_of(integrity_as(r, "text"));
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "repaired: nulled github link of /src/a");
  EXPECT_EQ(lines[1], "repaired: recounted cache_metadata");
  EXPECT_EQ(lines[4], "\xE2\x9C\x97 orphans  dangling github link: /src/a\\nb (3)");
  EXPECT_EQ(lines[5], "\xE2\x9C\x97 duplicates  same path twice (1)");
  EXPECT_EQ(lines[8], "integrity: FAILED (2 of 6 checks)");
}

TEST(output, integrity_summary_never_says_ok_when_a_check_failed) {
  auto r = passing_report();
  r.checks[5].ok = false;  // report.ok left true by mistake
  EXPECT_EQ(lines_of(integrity_as(r, "text")).back(), "integrity: FAILED (1 of 6 checks)");
  EXPECT_FALSE(boost::json::parse(integrity_as(r, "json")).as_object().at("ok").as_bool());
}

TEST(output, integrity_json_holds_checks_and_repairs) {
  auto r = passing_report();
  r.ok = false;
  r.checks[1] = {"foreign_keys", false, "projects.github_id \xFF", 7};
  r.repairs = {"removed duplicate"};
  const auto value = boost::json::parse(integrity_as(r, "json"));
  const auto& o = value.as_object();
  EXPECT_FALSE(o.at("ok").as_bool());
  const auto& checks = o.at("checks").as_array();
  ASSERT_EQ(checks.size(), 6u);
  const auto& fk = checks[1].as_object();
  EXPECT_EQ(fk.at("name").as_string(), "foreign_keys");
  EXPECT_FALSE(fk.at("ok").as_bool());
  EXPECT_EQ(fk.at("detail").as_string(), "projects.github_id " + fffd);
  EXPECT_EQ(fk.at("count").as_int64(), 7);
  EXPECT_TRUE(checks[0].as_object().at("ok").as_bool());
  ASSERT_EQ(o.at("repairs").as_array().size(), 1u);
  EXPECT_EQ(o.at("repairs").as_array()[0].as_string(), "removed duplicate");
  EXPECT_TRUE(
      boost::json::parse(integrity_as(passing_report(), "json")).as_object().at("ok").as_bool());
}

// ---- failure paths -------------------------------------------------------------------------

// A stream buffer that refuses every write, like a closed pipe.
struct refusing_buffer : std::streambuf {
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST(output, a_failing_stream_with_exceptions_enabled_does_not_throw) {
  refusing_buffer buffer;
  for (int i = 0; i < 5; ++i) {
    std::ostream out(&buffer);
    out.exceptions(std::ios::badbit | std::ios::failbit);  // writes throw unless guarded
    EXPECT_NO_THROW({
      switch (i) {
        case 0:
          print_projects(out, three_projects(), projects_format::json);
          break;
        case 1:
          print_projects(out, three_projects(), projects_format::table);
          break;
        case 2:
          print_dirs(out, two_dirs(), dirs_format::standard, "/home/bob", true);
          break;
        case 3:
          print_github(out, two_repos(), github_format::standard);
          break;
        default:
          print_integrity(out, passing_report(), integrity_format::text);
          break;
      }
    });
    EXPECT_TRUE(out.bad()) << i;
  }
}

}  // namespace
}  // namespace gum::cli

namespace gum::cli {
namespace {

TEST(output_json, doubles_print_in_shortest_form_with_a_fraction) {
  std::string out;
  boost::json::object o;
  o["whole"] = 12.0;
  o["quarter"] = 0.25;
  o["big"] = 1e21;
  o["int"] = 7;
  o["text"] = "a\"b";
  append_json(out, o);
  EXPECT_EQ(out, R"({"whole":12.0,"quarter":0.25,"big":1e+21,"int":7,"text":"a\"b"})");
  EXPECT_NO_THROW(boost::json::parse(out));
}

}  // namespace
}  // namespace gum::cli
