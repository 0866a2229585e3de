// tests/doctor_test.cpp: `gum doctor` on a healthy set-up and on broken ones.
//
// Each test builds its world in a test_env: a project root with one repository, a config, an
// index built by `gum projects`, a ~/.bashrc that runs `gum init`, a visit recorded by
// `gum add`, a token in GH_TOKEN, and an fzf on PATH (a stand-in script, so that the test does
// not depend on fzf being installed). Then it breaks one part at a time and checks that the
// matching line turns to ✗ with a fix, the others stay ✓, and the exit is 1. --online talks to
// the loopback fixture server only. The unit tests at the end cover core/doctor_checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "core/doctor_checks.hpp"
#include "core/process.hpp"
#include "support/test_env.hpp"
#include "tests/support/fixture_process.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::lines_of;
using gum::testing::run_result;
using gum::testing::test_env;

const std::string check_mark = "\u2713";
const std::string cross_mark = "\u2717";

class doctor_env {
 public:
  doctor_env() {
    fs::create_directories(projects());
    test_env::make_repo(projects() + "/hello", "https://github.com/octo/hello.git");
    env.write_config("projects: [" + projects() + "]\ngithub: {token_command: \"false\"}\n");
    env.vars["GH_TOKEN"] = token;
    fs::create_directories(bin());
    test_env::write_file(bin() + "/fzf", "#!/bin/sh\nexit 0\n");
    fs::permissions(bin() + "/fzf", fs::perms::owner_all);
    env.vars["PATH"] = bin() + ":/usr/bin:/bin";
    test_env::write_file(env.home() + "/.bashrc", "# mine\neval \"$(gum init bash)\"\n");
  }

  // Builds the index and records a visit: what a working set-up has.
  void use() {
    auto built = env.gum({"projects"});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    auto added = env.gum({"add", projects() + "/hello"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }

  std::string projects() const { return env.home() + "/projects"; }
  std::string bin() const { return env.root() + "/bin"; }

  test_env env;
  const std::string token = "doctor-secret-token-4711";
};

// The line of check `name`, or "" (the name follows the mark and a space).
std::string line_of(const run_result& r, const std::string& name) {
  for (auto& line : lines_of(r.out)) {
    auto space = line.find(' ');
    if (space == std::string::npos) continue;
    if (line.compare(space + 1, name.size(), name) == 0 &&
        (line.size() == space + 1 + name.size() || line[space + 1 + name.size()] == ' '))
      return line;
  }
  return "";
}

bool passed(const run_result& r, const std::string& name) {
  return line_of(r, name).rfind(check_mark, 0) == 0;
}
bool failed_with_fix(const run_result& r, const std::string& name) {
  auto line = line_of(r, name);
  return line.rfind(cross_mark, 0) == 0 && line.find("(fix: ") != std::string::npos;
}

const std::vector<std::string> all_checks = {"config", "roots", "database", "integrity",
                                             "schema, WAL", "index", "shell hook",
                                             "github token", "github api", "fzf"};

TEST(doctor, a_healthy_set_up_passes_every_check_and_never_prints_the_token) {
  doctor_env d;
  d.use();
  gum::testing::fixture_process server({"--repos", "3"});
  ASSERT_GT(server.port(), 0);
  d.env.vars["GUM_GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(server.port());
  auto r = d.env.gum({"doctor", "--online"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(lines_of(r.out).size(), all_checks.size()) << r.out;
  for (auto& name : all_checks) EXPECT_TRUE(passed(r, name)) << name << "\n" << r.out;
  EXPECT_NE(line_of(r, "index").find("1 project"), std::string::npos) << r.out;
  EXPECT_NE(line_of(r, "shell hook").find("~/.bashrc"), std::string::npos) << r.out;
  EXPECT_NE(line_of(r, "shell hook").find("last visit"), std::string::npos) << r.out;
  EXPECT_NE(line_of(r, "github token").find("GH_TOKEN"), std::string::npos) << r.out;
  EXPECT_NE(line_of(r, "github api").find("3 repositories"), std::string::npos) << r.out;
  EXPECT_NE(line_of(r, "fzf").find(d.bin() + "/fzf"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(d.token), std::string::npos);
  EXPECT_EQ(r.err.find(d.token), std::string::npos);
  // Without --online the API is not asked, and that is not a failure.
  auto offline = d.env.gum({"doctor"});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;
  EXPECT_EQ(line_of(offline, "github api").rfind("- ", 0), 0u) << offline.out;
  // --online wrote nothing: no sync run was recorded.
  auto github = d.env.gum({"github", "-f", "simple"});
  EXPECT_EQ(github.out, "");
}

TEST(doctor, a_bad_config_a_missing_root_and_a_stale_index_fail_with_fixes) {
  doctor_env d;
  d.use();
  // An unknown key and a root that does not exist; the index was built from other roots.
  d.env.write_config("projects: [" + d.projects() + ", ~/gone]\nprojecs: [~/typo]\n"
                     "github: {token_command: \"false\"}\n");
  auto r = d.env.gum({"doctor"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "config")) << r.out;
  EXPECT_NE(line_of(r, "config").find("projecs"), std::string::npos) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "roots")) << r.out;
  EXPECT_NE(line_of(r, "roots").find("~/gone does not exist"), std::string::npos) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "index")) << r.out;
  EXPECT_NE(line_of(r, "index").find("roots changed"), std::string::npos) << r.out;
  EXPECT_TRUE(passed(r, "database")) << r.out;
  EXPECT_TRUE(passed(r, "integrity")) << r.out;
  EXPECT_NE(r.err.find("gum: 3 checks failed"), std::string::npos) << r.err;

  // A config that does not parse: reported (exit 1, not 2), and what needs it is skipped.
  d.env.write_config("projects: [" + d.projects() + "\n");
  r = d.env.gum({"doctor"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(failed_with_fix(r, "config")) << r.out;
  EXPECT_NE(line_of(r, "config").find("config.yaml:"), std::string::npos) << r.out;
  EXPECT_EQ(line_of(r, "database").rfind("- ", 0), 0u) << r.out;
  EXPECT_EQ(lines_of(r.out).size(), all_checks.size()) << r.out;
}

TEST(doctor, a_missing_or_damaged_database_is_reported_and_left_alone) {
  doctor_env d;
  auto r = d.env.gum({"doctor"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(failed_with_fix(r, "database")) << r.out;
  EXPECT_NE(line_of(r, "database").find("does not exist"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(d.env.db_path())) << "doctor must not create the database";
  EXPECT_EQ(line_of(r, "index").rfind("- ", 0), 0u) << r.out;

  fs::create_directories(fs::path(d.env.db_path()).parent_path());
  const std::string garbage(8192, 'x');
  test_env::write_file(d.env.db_path(), garbage);
  r = d.env.gum({"doctor"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(failed_with_fix(r, "database")) << r.out;
  EXPECT_EQ(test_env::read_file(d.env.db_path()), garbage);
}

TEST(doctor, no_token_no_hook_no_visit_no_fzf_and_a_rejected_token_fail) {
  doctor_env d;
  d.use();
  gum::testing::fixture_process server({"--repos", "2", "--token", "the-right-one"});
  ASSERT_GT(server.port(), 0);
  d.env.vars["GUM_GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(server.port());
  // The server wants another token: 401.
  auto r = d.env.gum({"doctor", "--online"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(passed(r, "github token")) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "github api")) << r.out;
  EXPECT_EQ(r.out.find(d.token), std::string::npos);

  // No token at all (GH_TOKEN unset, token_command fails); no hook; no fzf on PATH.
  d.env.vars.erase("GH_TOKEN");
  d.env.vars["PATH"] = "/usr/bin/nonexistent-gum-test";
  test_env::write_file(d.env.home() + "/.bashrc", "# eval \"$(gum init bash)\" (commented out)\n");
  r = d.env.gum({"doctor", "--online"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(failed_with_fix(r, "github token")) << r.out;
  EXPECT_EQ(line_of(r, "github api").rfind("- ", 0), 0u) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "shell hook")) << r.out;
  EXPECT_NE(line_of(r, "shell hook").find("last visit"), std::string::npos) << r.out;
  EXPECT_TRUE(failed_with_fix(r, "fzf")) << r.out;
  EXPECT_TRUE(passed(r, "index")) << r.out;

  // A hook that is installed but has recorded nothing.
  doctor_env silent;
  test_env::write_file(silent.env.home() + "/.zshrc", "eval \"$(/usr/bin/gum init zsh --cmd j)\"\n");
  fs::remove(silent.env.home() + "/.bashrc");
  ASSERT_EQ(silent.env.gum({"projects"}).exit_code, 0);
  r = silent.env.gum({"doctor"});
  EXPECT_TRUE(failed_with_fix(r, "shell hook")) << r.out;
  EXPECT_NE(line_of(r, "shell hook").find("installed in ~/.zshrc, but no visit"), std::string::npos)
      << r.out;
}

TEST(doctor_checks, recognises_gum_init_lines_and_not_comments) {
  EXPECT_TRUE(gum::runs_gum_init("eval \"$(gum init bash)\"\n"));
  EXPECT_TRUE(gum::runs_gum_init("x=1\n  gum init fish | source\n"));
  EXPECT_TRUE(gum::runs_gum_init("eval \"$(/usr/local/bin/gum init zsh --cmd j)\""));
  EXPECT_FALSE(gum::runs_gum_init("# eval \"$(gum init bash)\"\n"));
  EXPECT_FALSE(gum::runs_gum_init("eval \"$(zoxide init bash)\"\n"));
  EXPECT_FALSE(gum::runs_gum_init("alias gumbo='gum initialize'\n"));
  EXPECT_FALSE(gum::runs_gum_init("eval \"$(chewinggum init bash)\"\n"));
}

TEST(doctor_checks, formats_one_aligned_line_per_check) {
  gum::doctor_check ok{"fzf", gum::doctor_check::state::ok, "/usr/bin/fzf", "ignored"};
  EXPECT_EQ(gum::format_doctor_check(ok), check_mark + " fzf          /usr/bin/fzf");
  gum::doctor_check bad{"roots", gum::doctor_check::state::failed, "~/x\ndoes not exist", "mkdir"};
  EXPECT_EQ(gum::format_doctor_check(bad), cross_mark + " roots        ~/x does not exist (fix: mkdir)");
  EXPECT_EQ(gum::age_phrase(3), "just now");
  EXPECT_EQ(gum::age_phrase(125), "2 min ago");
  EXPECT_EQ(gum::age_phrase(7200), "2 h ago");
  EXPECT_EQ(gum::age_phrase(-1), "in the future");
  EXPECT_EQ(gum::find_program("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(gum::find_program("no-such-program-gum", "/bin:/usr/bin"), "");
}

}  // namespace
