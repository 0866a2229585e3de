// tests/crontab_test.cpp: `gum crontab` / `gum --crontab`, and `gum completion bash|zsh|fish`.
//
// A fake `crontab` script first in PATH plays the user's crontab (empty, "no crontab for",
// with some of gum's lines, or missing altogether). Completion scripts are checked by the
// shells themselves (`bash -n`, `zsh -n`, `fish -n`), and the bash one is also run: COMP_WORDS
// is filled as bash would and _gum must offer the right commands and flags.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_env.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::lines_of;
using gum::testing::run_process;
using gum::testing::run_result;
using gum::testing::test_env;

// A test_env whose PATH starts with a folder holding a fake `crontab` that prints `listing`
// for `crontab -l` (or fails like cron does when the user has none).
class cron_env {
 public:
  cron_env() {
    fs::create_directories(bin());
    env.vars["PATH"] = bin() + ":/usr/bin:/bin";
  }
  std::string bin() const { return env.root() + "/bin"; }
  void set_listing(const std::string& listing) {
    test_env::write_file(env.root() + "/listing", listing);
    install("#!/bin/sh\n[ \"$1\" = -l ] || exit 9\ncat '" + env.root() + "/listing'\n");
  }
  void set_no_crontab() {
    install("#!/bin/sh\necho \"no crontab for tester\" >&2\nexit 1\n");
  }
  void install(const std::string& script) {
    test_env::write_file(bin() + "/crontab", script);
    fs::permissions(bin() + "/crontab", fs::perms::owner_all);
  }
  test_env env;
};

std::string self() { return fs::canonical(GUM_BINARY).string(); }

// The command part (after five schedule fields) of each non-comment line.
std::vector<std::string> commands_of(const std::string& out) {
  std::vector<std::string> cmds;
  for (auto& line : lines_of(out)) {
    if (line.empty() || line[0] == '#') continue;
    size_t pos = 0;
    for (int i = 0; i < 5; ++i) pos = line.find(' ', pos) + 1;
    cmds.push_back(line.substr(pos));
  }
  return cmds;
}

TEST(crontab, prints_every_line_with_the_absolute_binary_when_there_is_no_crontab) {
  cron_env c;
  c.set_no_crontab();
  auto r = c.env.gum({"crontab"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto cmds = commands_of(r.out);
  ASSERT_EQ(cmds.size(), 4u) << r.out;
  EXPECT_EQ(cmds[0], self() + " -q dirs --refresh >/dev/null");
  EXPECT_EQ(cmds[1], self() + " -q projects --refresh >/dev/null");
  EXPECT_EQ(cmds[2], self() + " -q sync --type incremental >/dev/null");
  EXPECT_EQ(cmds[3], self() + " -q integrity >/dev/null");
  // A weekly integrity check: day-of-week set, day-of-month not.
  auto lines = lines_of(r.out);
  EXPECT_EQ(lines.back().substr(0, 11), "41 3 * * 0 ");
  // `gum --crontab` is the same command.
  auto alias = c.env.gum({"--crontab"});
  EXPECT_EQ(alias.exit_code, 0);
  EXPECT_EQ(alias.out, r.out);
  // No crontab binary at all is an empty crontab too.
  fs::remove(c.bin() + "/crontab");
  c.env.vars["PATH"] = c.bin();
  auto missing = c.env.gum({"crontab"});
  EXPECT_EQ(missing.exit_code, 0);
  EXPECT_EQ(missing.out, r.out);
}

TEST(crontab, skips_lines_whose_command_is_already_installed) {
  cron_env c;
  c.set_listing("MAILTO=me\n# my jobs\n0 5 * * * /usr/bin/backup\n"
                "*/5 * * * *   " + self() + " -q dirs --refresh  >/dev/null\n"
                "@hourly " + self() + " -q sync --type incremental >/dev/null\n");
  auto r = c.env.gum({"crontab"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto cmds = commands_of(r.out);
  ASSERT_EQ(cmds.size(), 2u) << r.out;
  EXPECT_EQ(cmds[0], self() + " -q projects --refresh >/dev/null");
  EXPECT_EQ(cmds[1], self() + " -q integrity >/dev/null");

  // Everything present: nothing on stdout, a note on stderr (none with -q).
  c.set_listing("1 2 3 4 5 " + self() + " -q dirs --refresh >/dev/null\n"
                "1 2 3 4 5 " + self() + " -q projects --refresh >/dev/null\n"
                "1 2 3 4 5 " + self() + " -q sync --type incremental >/dev/null\n"
                "1 2 3 4 5 " + self() + " -q integrity >/dev/null\n");
  r = c.env.gum({"crontab"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("already in your crontab"), std::string::npos);
  EXPECT_EQ(c.env.gum({"-q", "crontab"}).err, "");
}

TEST(crontab, keeps_the_database_the_user_named) {
  cron_env c;
  c.set_no_crontab();
  auto r = c.env.gum({"--db", "~/my gum.db", "crontab"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto cmds = commands_of(r.out);
  ASSERT_FALSE(cmds.empty());
  EXPECT_EQ(cmds[0], self() + " --db '" + c.env.home() + "/my gum.db' -q dirs --refresh >/dev/null");
  // The line is valid sh.
  auto parsed = run_process({"/bin/sh", "-n", "-c", cmds[0]}, c.env.environment());
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
}

TEST(crontab, a_failing_crontab_is_reported_and_every_line_printed) {
  cron_env c;
  c.install("#!/bin/sh\necho 'crontab: cannot open spool' >&2\nexit 2\n");
  auto r = c.env.gum({"crontab"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(commands_of(r.out).size(), 4u);
  EXPECT_NE(r.err.find("cannot open spool"), std::string::npos) << r.err;
}

// ---- completion ----------------------------------------------------------------------------

// The subcommand names `gum --help` lists.
std::vector<std::string> subcommands() {
  test_env env;
  auto help = env.gum({"--help"});
  std::vector<std::string> names;
  bool in_list = false;
  for (auto& line : lines_of(help.out)) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_list = true;
      continue;
    }
    if (!in_list || line.size() < 3 || line[0] != ' ') continue;
    auto start = line.find_first_not_of(' ');
    auto end = line.find_first_of(" ,", start);
    names.push_back(line.substr(start, end - start));
  }
  return names;
}

TEST(completion, scripts_parse_in_their_shells_and_name_every_command) {
  test_env env;
  auto names = subcommands();
  ASSERT_GE(names.size(), 10u);
  struct shell {
    const char* name;
    std::vector<std::string> check;
  };
  for (const shell& sh : {shell{"bash", {"/bin/bash", "-n"}}, shell{"zsh", {"/usr/bin/zsh", "-n"}},
                          shell{"fish", {"/usr/bin/fish", "-n"}}}) {
    if (!fs::exists(sh.check[0])) {
      ADD_FAILURE() << sh.check[0] << " is not installed";
      continue;
    }
    auto r = env.gum({"completion", sh.name});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string file = env.root() + "/gum." + sh.name;
    test_env::write_file(file, r.out);
    auto argv = sh.check;
    argv.push_back(file);
    auto parsed = run_process(argv, env.environment());
    EXPECT_EQ(parsed.exit_code, 0) << sh.name << ": " << parsed.err << parsed.out;
    for (auto& n : names) EXPECT_NE(r.out.find(n), std::string::npos) << sh.name << " lacks " << n;
    for (auto flag : {"refresh", "with-github", "dry-run", "suggest", "backup", "restore", "db"})
      EXPECT_NE(r.out.find(flag), std::string::npos) << sh.name << " lacks " << flag;
  }
  EXPECT_EQ(env.gum({"completion", "tcsh"}).exit_code, 2);
  EXPECT_EQ(env.gum({"completion"}).exit_code, 2);
}

// Runs the bash script's _gum on a command line and returns COMPREPLY, one per line.
std::string bash_complete(const test_env& env, const std::string& script_file,
                          const std::string& words, int cword) {
  std::string program = "source '" + script_file + "'; COMP_WORDS=(" + words +
                        "); COMP_CWORD=" + std::to_string(cword) +
                        "; _gum; printf '%s\\n' \"${COMPREPLY[@]}\"";
  return run_process({"/bin/bash", "-c", program}, env.environment()).out;
}

TEST(completion, bash_offers_commands_then_their_flags) {
  test_env env;
  auto r = env.gum({"completion", "bash"});
  ASSERT_EQ(r.exit_code, 0);
  std::string file = env.root() + "/gum.bash";
  test_env::write_file(file, r.out);
  EXPECT_EQ(bash_complete(env, file, "gum pro", 1), "projects\nprojects-v2\n");
  EXPECT_EQ(bash_complete(env, file, "gum --db x.db mig", 3), "migrate\n");
  EXPECT_EQ(bash_complete(env, file, "gum projects --ref", 2), "--refresh\n");
  EXPECT_EQ(bash_complete(env, file, "gum clone --sug", 2), "--suggest\n");
  EXPECT_EQ(bash_complete(env, file, "gum --no", 1), "--no-color\n");
  // After an option that takes a value, files are offered.
  fs::create_directories(env.root() + "/comp");
  test_env::write_file(env.root() + "/comp/backup-file", "");
  EXPECT_EQ(bash_complete(env, file, "gum migrate --restore " + env.root() + "/comp/back", 3),
            env.root() + "/comp/backup-file\n");
}

}  // namespace
