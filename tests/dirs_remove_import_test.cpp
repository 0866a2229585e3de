// tests/dirs_remove_import_test.cpp: `gum dirs remove PATH...` (all or none, through the
// writer) and the sources of `gum import`: each tool's default database in the test's own
// HOME, `-` for standard input, zoxide's binary db.zo read through zoxide, and the errors when
// a source or zoxide is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/process.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::lines_of;
using gum::testing::run_result;
using gum::testing::test_env;
namespace fs = std::filesystem;

std::string mkdir_in(const std::string& parent, const std::string& name) {
  fs::create_directories(parent + "/" + name);
  return parent + "/" + name;
}

std::vector<std::string> recorded(const test_env& env) {
  auto lines = lines_of(env.gum({"dirs", "-f", "simple"}).out);
  std::sort(lines.begin(), lines.end());
  return lines;
}

run_result gum_in(const test_env& env, const std::string& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh",
                                   dir, GUM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return gum::testing::run_process(argv, env.environment());
}

// ---- gum dirs remove ------------------------------------------------------------------------

TEST(dirs_remove, removes_exactly_the_named_paths_and_keeps_the_books) {
  test_env env;
  const std::string h = env.home();
  std::string a = mkdir_in(h, "a"), b = mkdir_in(h, "b"), c = mkdir_in(h, "c");
  ASSERT_EQ(env.gum({"add", a, b, c}).exit_code, 0);
  run_result r = gum_in(env, h, {"dirs", "remove", a, "b/", "./b"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "silent on success, as zoxide remove";
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(recorded(env), std::vector<std::string>{c}) << "relative paths are normalised";
  // A directory that no longer exists can still be removed.
  ASSERT_EQ(env.gum({"add", a}).exit_code, 0);
  fs::remove(a);
  EXPECT_EQ(env.gum({"dirs", "remove", a}).exit_code, 0);
  EXPECT_EQ(env.gum({"integrity", "--quick"}).exit_code, 0) << "total and item count kept";
}

TEST(dirs_remove, a_path_not_in_the_history_fails_and_removes_nothing) {
  test_env env;
  const std::string h = env.home();
  std::string a = mkdir_in(h, "a"), b = mkdir_in(h, "b");
  ASSERT_EQ(env.gum({"add", a, b}).exit_code, 0);
  run_result r = env.gum({"dirs", "remove", a, h + "/never", h + "/nor-this"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "gum: not in the directory history: " + h + "/never (and 1 more)");
  EXPECT_EQ(lines[1].rfind("gum: nothing was removed", 0), 0u) << lines[1];
  EXPECT_EQ(recorded(env), (std::vector<std::string>{a, b})) << "all or none";
  EXPECT_EQ(env.gum({"dirs", "remove"}).exit_code, 2) << "a path is required";
  EXPECT_EQ(env.gum({"dirs", "remove", ""}).exit_code, 2);
}

// ---- gum import: where the text comes from --------------------------------------------------

TEST(import_sources, z_and_autojump_read_their_default_files_in_home) {
  test_env env;
  const std::string h = env.home();
  std::string a = mkdir_in(h, "src/a"), b = mkdir_in(h, "src/b");
  env.write_file(h + "/.z", a + "|12|1700000000\n" + b + "|3|1700000100\n");
  run_result r = env.gum({"import", "--from", "z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Imported 2 ", 0), 0u) << r.out;
  EXPECT_EQ(recorded(env), (std::vector<std::string>{a, b}));

  test_env aj;
  std::string c = mkdir_in(aj.home(), "work/c");
  fs::create_directories(aj.home() + "/.local/share/autojump");
  aj.write_file(aj.home() + "/.local/share/autojump/autojump.txt", "22.5\t" + c + "\n");
  r = aj.gum({"import", "--from", "autojump"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(recorded(aj), std::vector<std::string>{c});
  // $XDG_DATA_HOME moves autojump's file, $_Z_DATA moves z's.
  std::string d = mkdir_in(aj.home(), "work/d");
  fs::create_directories(aj.root() + "/data/autojump");
  aj.write_file(aj.root() + "/data/autojump/autojump.txt", "5\t" + d + "\n");
  aj.vars["XDG_DATA_HOME"] = aj.root() + "/data";
  std::string e = mkdir_in(aj.home(), "work/e");
  aj.write_file(aj.root() + "/zdata", e + "|4|1700000000\n");
  aj.vars["_Z_DATA"] = aj.root() + "/zdata";
  ASSERT_EQ(aj.gum({"import", "--from", "autojump"}).exit_code, 0);
  ASSERT_EQ(aj.gum({"import", "--from", "z"}).exit_code, 0);
  EXPECT_EQ(recorded(aj), (std::vector<std::string>{c, d, e}));
}

TEST(import_sources, a_missing_default_file_says_which_it_looked_for) {
  test_env env;
  run_result r = env.gum({"import", "--from", "z"});
  EXPECT_EQ(r.exit_code, 2);
  auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_NE(lines[0].find(env.home() + "/.z"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("z's default database"), std::string::npos) << lines[0];
  EXPECT_FALSE(fs::exists(env.db_path())) << "nothing read, nothing written";
}

TEST(import_sources, dash_reads_standard_input_in_every_format) {
  test_env env;
  const std::string h = env.home();
  std::string a = mkdir_in(h, "a"), b = mkdir_in(h, "b"), c = mkdir_in(h, "c");
  run_result r = env.gum({"import", "--from", "z", "-"}, a + "|2|1700000000\nbad line\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gum: stdin: line 2:"), std::string::npos) << r.err;
  r = env.gum({"import", "--from", "autojump", "-"}, "3\t" + b + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = env.gum({"import", "--from", "zoxide", "-"}, "  12.5 " + c + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(recorded(env), (std::vector<std::string>{a, b, c}));
  EXPECT_FALSE(fs::exists(h + "/-")) << "'-' is not a file name";
}

bool have_zoxide() { return !find_program("zoxide", "/usr/local/bin:/usr/bin:/bin").empty(); }

// Records visits with the real zoxide, in the test's HOME (its default database).
void zoxide_add(const test_env& env, const std::string& dir) {
  auto r = gum::testing::run_process({find_program("zoxide", "/usr/bin:/bin:/usr/local/bin"),
                                      "add", dir},
                                     env.environment());
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(import_sources, zoxide_is_read_through_zoxide_from_its_default_database_or_a_db_zo) {
  ASSERT_TRUE(have_zoxide()) << "zoxide is missing: `make test` installs it";
  test_env env;
  const std::string h = env.home();
  std::string a = mkdir_in(h, "a"), b = mkdir_in(h, "b");
  zoxide_add(env, a);
  zoxide_add(env, a);
  zoxide_add(env, b);
  run_result r = env.gum({"import", "--from", "zoxide"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Imported 2 ", 0), 0u) << r.out;
  EXPECT_EQ(recorded(env), (std::vector<std::string>{a, b}));

  // zoxide's binary file, named: read through zoxide from a copy; the file is left as it was.
  const std::string db = h + "/.local/share/zoxide/db.zo";
  ASSERT_TRUE(fs::exists(db));
  test_env other;
  std::string before = test_env::read_file(db);
  r = other.gum({"import", "--from", "zoxide", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(recorded(other), (std::vector<std::string>{a, b}));
  EXPECT_EQ(test_env::read_file(db), before);
  // ... and on standard input.
  test_env third;
  r = third.gum({"import", "--from", "zoxide", "-"}, before);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(recorded(third), (std::vector<std::string>{a, b}));
}

TEST(import_sources, zoxide_without_zoxide_on_path_is_a_clear_error) {
  test_env env;
  fs::create_directories(env.root() + "/empty-bin");
  env.vars["PATH"] = env.root() + "/empty-bin";
  run_result r = env.gum({"import", "--from", "zoxide"});
  EXPECT_EQ(r.exit_code, 2);
  auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "gum: --from zoxide without a FILE needs zoxide, which is not on PATH");
  EXPECT_NE(lines[1].find("zoxide query --list --score"), std::string::npos) << lines[1];
  // The text of `zoxide query --list --score` needs no zoxide.
  std::string a = mkdir_in(env.home(), "a");
  r = env.gum({"import", "--from", "zoxide", "-"}, "   4 " + a + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace gum
