// tests/frecency_test.cpp: the pure parts of frecent directories (core/frecency, core/proc_cwds,
// core/shell_hooks, core/dir_importers).
//
// Scores are checked on both sides of every boundary, keyword matching against a table of
// zoxide's rules, the /proc sampler against a fake proc tree built in a temp dir (plus one look
// at the real /proc), the shell hooks by running bash on them with a fake `gum` that logs its
// arguments, and the importers with well-formed and hostile files.
#include "core/dir_importers.hpp"
#include "core/frecency.hpp"
#include "core/proc_cwds.hpp"
#include "core/shell_hooks.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace {

// A fresh directory under /tmp (its real path), removed with everything in it at the end.
class temp_dir {
 public:
  temp_dir() {
    char pattern[] = "/tmp/gum_frecency_test.XXXXXX";
    const char* made = ::mkdtemp(pattern);
    path_ = made ? fs::canonical(made).string() : std::string();
  }
  ~temp_dir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool has_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `command` through /bin/sh and returns its exit status (-1 if it did not exit).
int run(const std::string& command) {
  int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

std::string init_or_die(const std::string& shell, const std::string& cmd, const std::string& gum) {
  std::string script;
  gum::status st = gum::shell_init_script(shell, cmd, gum, script);
  EXPECT_TRUE(st.ok()) << st.message;
  return script;
}

// Polls until `path` contains `needle` (the hook's `gum add` runs in the background).
bool eventually_contains(const std::string& path, const std::string& needle) {
  for (int i = 0; i < 200; ++i) {
    if (read_file(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

// ---- frecency_score ----------------------------------------------------------------------

TEST(frecency_score, multiplies_rank_by_age_bracket_on_both_sides_of_each_boundary) {
  const int64_t now = 1'700'000'000;
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now, now), 40);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 3599, now), 40);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 3600, now), 20);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 86399, now), 20);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 86400, now), 5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 604799, now), 5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, now - 604800, now), 2.5);
  EXPECT_DOUBLE_EQ(gum::frecency_score(10, 0, now), 2.5);
}

TEST(frecency_score, treats_a_visit_in_the_future_as_just_now) {
  const int64_t now = 1'700'000'000;
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, now + 1'000'000, now), 12);
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, std::numeric_limits<int64_t>::max(), now), 12);
  EXPECT_DOUBLE_EQ(gum::frecency_score(3, std::numeric_limits<int64_t>::min() + 1, 0), 0.75);
}

// ---- keywords_match ----------------------------------------------------------------------

TEST(keywords_match, follows_zoxide_rules) {
  struct row {
    const char* path;
    std::vector<std::string> keywords;
    bool expected;
  };
  const std::vector<row> table = {
      // No keywords, or only empty ones, match everything.
      {"/home/bob/src/gum", {}, true},
      {"/", {}, true},
      {"/home/bob/src/gum", {""}, true},
      {"/home/bob/src/gum", {"gum", ""}, true},
      // The last keyword must lie in the last component.
      {"/home/bob/src/gum", {"gum"}, true},
      {"/home/bob/src/gum", {"src"}, false},
      {"/home/bob/src/gum", {"um"}, true},
      {"/home/bob/gum/src", {"gum"}, false},
      // Keywords appear in order.
      {"/home/bob/src/gum", {"src", "gum"}, true},
      {"/home/bob/src/gum", {"gum", "src"}, false},
      {"/home/bob/src/gum", {"bob", "src", "gum"}, true},
      {"/home/bob/src/gum", {"src", "bob", "gum"}, false},
      // Matches do not overlap: each search starts where the previous match ended.
      {"/a/foo", {"foo", "foo"}, false},
      {"/a/foo/foo", {"foo", "foo"}, true},
      {"/a/foofoo", {"foo", "foo"}, true},
      {"/a/foo", {"fo", "oo"}, false},
      // An earlier keyword may match in the last component too, before the last keyword.
      {"/a/foobar", {"foo", "bar"}, true},
      {"/a/barfoo", {"foo", "bar"}, false},
      // The last keyword's rightmost occurrence counts, not its first.
      {"/gum/x/gum", {"gum"}, true},
      {"/gum/x/gum", {"x", "gum"}, true},
      // Case-insensitive on both sides.
      {"/home/Bob/Projects/GUM", {"gum"}, true},
      {"/home/bob/projects/gum", {"PROJ", "GuM"}, true},
      // Non-ASCII bytes are compared as they are.
      {"/home/bob/Café", {"café"}, true},
      {"/home/bob/CAFÉ", {"café"}, false},
      {"/home/bob/über", {"über"}, true},
      // A '/' in a keyword matches across components.
      {"/home/bob/src/gum", {"src/gum"}, true},
      {"/home/bob/src/gum", {"bob/src", "gum"}, true},
      {"/home/bob/src/gum", {"/gum"}, true},
      {"/home/bob/src/gum", {"src/"}, true},  // ends in the last component, as in zoxide
      {"/home/bob/src/gum/x", {"src/"}, false},
      {"/home/bob/src/gum", {"bob/src"}, false},
      // Not present at all.
      {"/home/bob/src/gum", {"zzz"}, false},
      {"/home/bob/src/gum", {"zzz", "gum"}, false},
      {"/", {"a"}, false},
      {"", {"a"}, false},
  };
  for (const auto& r : table) {
    std::string joined;
    for (const auto& k : r.keywords) joined += "'" + k + "' ";
    EXPECT_EQ(gum::keywords_match(r.path, r.keywords), r.expected)
        << "path " << r.path << " keywords " << joined;
  }
}

// ---- sample_process_cwds -----------------------------------------------------------------

// A fake proc tree: numeric directories with `cwd` symlinks, as /proc has.
class fake_proc : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(root.path().empty());
    home = root / "home/bob";
    for (const char* d : {"home/bob/proj", "home/bob/src/gum", "home/bob2/proj", "elsewhere",
                          "home/bob/gone", "proc"})
      fs::create_directories(root / d);
    write_file(root / "home/bob/notes.txt", "not a directory");
  }

  // Adds process `pid` whose cwd symlink points at `target`.
  void add_process(const std::string& pid, const std::string& target) {
    fs::create_directories(root / ("proc/" + pid));
    fs::create_symlink(target, root / ("proc/" + pid + "/cwd"));
  }

  temp_dir root;
  std::string home;
};

TEST_F(fake_proc, keeps_only_existing_directories_really_under_home_once_each_sorted) {
  add_process("100", root / "home/bob/src/gum");
  add_process("101", root / "home/bob/proj");
  add_process("102", root / "home/bob/proj");        // a duplicate
  add_process("103", root / "home/bob2/proj");       // a sibling sharing home's prefix
  add_process("104", root / "home/bob2");
  add_process("105", root / "elsewhere");
  add_process("106", root / "home/bob");             // home itself counts
  add_process("107", root / "home/bob/gone");        // deleted below
  add_process("108", root / "home/bob/proj (deleted)");  // how /proc shows a deleted cwd
  add_process("109", root / "home/bob/notes.txt");   // not a directory
  add_process("110", "home/bob/proj");               // relative: not a real cwd
  add_process("111", root / "home/bob/../bob/./src/gum/");  // unnormalised but fine
  add_process("112", root / "home/bob/nowhere");     // never existed
  add_process("self", root / "home/bob/proj/x");     // not a pid
  add_process("12a", root / "home/bob/proj/y");      // not a pid
  fs::create_directories(root / "proc/113");         // a process that vanished: no cwd
  write_file(root / "proc/114", "a file, not a process directory");
  fs::remove(root / "home/bob/gone");

  const std::vector<std::string> expected = {home, home + "/proj", home + "/src/gum"};
  EXPECT_EQ(gum::sample_process_cwds(home, root / "proc"), expected);
  EXPECT_EQ(gum::sample_process_cwds(home + "/", root / "proc"), expected);
}

// Only processes whose /proc/PID directory the user owns count. The fake directories are all
// this test's own, so asking for them as another user must find nothing (no root needed to
// make a directory that belongs to someone else).
TEST_F(fake_proc, skips_processes_of_other_users) {
  add_process("300", root / "home/bob/proj");
  add_process("301", root / "home/bob/src/gum");
  const std::vector<std::string> both = {home + "/proj", home + "/src/gum"};
  EXPECT_EQ(gum::sample_process_cwds(home, root / "proc", ::getuid()), both);
  EXPECT_EQ(gum::sample_process_cwds(home, root / "proc"), both);  // the current user
  EXPECT_TRUE(gum::sample_process_cwds(home, root / "proc", ::getuid() + 4242).empty());
}

TEST_F(fake_proc, returns_nothing_for_a_missing_proc_root_or_empty_home) {
  add_process("400", root / "home/bob/proj");
  EXPECT_TRUE(gum::sample_process_cwds(home, root / "no-such-proc").empty());
  EXPECT_TRUE(gum::sample_process_cwds("", root / "proc").empty());
  EXPECT_TRUE(gum::sample_process_cwds(root / "home/bo", root / "proc").empty());
}

TEST(sample_process_cwds, finds_this_test_process_in_the_real_proc) {
  ASSERT_TRUE(fs::is_directory("/proc/self")) << "gum dirs --refresh needs /proc";
  temp_dir home;
  fs::create_directories(home / "work");
  const fs::path before = fs::current_path();
  ASSERT_EQ(::chdir((home / "work").c_str()), 0);
  auto found = gum::sample_process_cwds(home.path());
  ASSERT_EQ(::chdir(before.c_str()), 0);
  EXPECT_EQ(found, std::vector<std::string>{home / "work"});
}

TEST(sample_process_cwds, skips_a_deleted_cwd_even_when_its_shown_name_exists) {
  ASSERT_TRUE(fs::is_directory("/proc/self")) << "gum dirs --refresh needs /proc";
  temp_dir home;
  fs::create_directories(home / "gone");
  const fs::path before = fs::current_path();
  ASSERT_EQ(::chdir((home / "gone").c_str()), 0);
  fs::remove(home / "gone");
  // /proc now shows ".../gone (deleted)"; make that name a real, different directory.
  fs::create_directories(home / "gone (deleted)");
  auto found = gum::sample_process_cwds(home.path());
  ASSERT_EQ(::chdir(before.c_str()), 0);
  EXPECT_TRUE(found.empty()) << found.front();
}

// ---- shell_init_script -------------------------------------------------------------------

TEST(shell_init_script, rejects_unknown_shells) {
  for (const std::string shell : {"powershell", "", "Bash", "bash ", "sh", "zsh\n"}) {
    std::string out = "untouched";
    gum::status st = gum::shell_init_script(shell, "j", "/usr/bin/gum", out);
    EXPECT_EQ(st.code, gum::status_code::usage) << shell;
    EXPECT_NE(st.message.find("unknown shell"), std::string::npos) << st.message;
    EXPECT_NE(st.message.find("(expected bash, zsh or fish)"), std::string::npos) << st.message;
    EXPECT_EQ(out, "untouched");
  }
  std::string out;
  EXPECT_EQ(gum::shell_init_script("tcsh", "j", "/g", out).message,
            "unknown shell 'tcsh' (expected bash, zsh or fish)");
}

TEST(shell_init_script, rejects_command_names_that_are_not_plain_identifiers) {
  for (const std::string& cmd : std::vector<std::string>{"", "1j", "-j", "j k", "j;rm -rf /", "j$(touch x)", "j'", "j\"", "j\n", "j/x", "ü",
        std::string("j\0k", 3), "j.k", "`j`"}) {
    std::string out;
    gum::status st = gum::shell_init_script("bash", cmd, "/usr/bin/gum", out);
    EXPECT_EQ(st.code, gum::status_code::usage) << "cmd " << cmd;
    EXPECT_TRUE(out.empty());
  }
  for (const std::string cmd : {"j", "z", "_j", "go-to", "J2", "cd"}) {
    std::string out;
    EXPECT_TRUE(gum::shell_init_script("zsh", cmd, "/usr/bin/gum", out).ok()) << cmd;
  }
}

// Checks every script for `shell` with `shell -n`, with a gum path full of shell syntax.
void expect_scripts_parse(const std::string& shell) {
  temp_dir dir;
  const std::string hostile_gum = "/opt/it's a \"gum\" $(touch pwned) `x` \\ dir/gum";
  for (const std::string cmd : {"j", "go-to", "cd"}) {
    const std::string script = init_or_die(shell, cmd, hostile_gum);
    EXPECT_NE(script.find("add --"), std::string::npos);
    EXPECT_NE(script.find("jump --"), std::string::npos);
    const std::string file = dir / (shell + "-" + cmd + ".sh");
    write_file(file, script);
    EXPECT_EQ(run("cd '" + dir.path() + "' && " + shell + " -n " + file + " 2>" + file + ".err"),
              0)
        << shell << " --cmd " << cmd << ":\n" << read_file(file + ".err") << script;
  }
  EXPECT_FALSE(fs::exists(dir / "pwned"));
}

TEST(shell_init_script, bash_scripts_parse) {
  ASSERT_TRUE(has_program("bash")) << "bash is missing: `make test` installs it";
  expect_scripts_parse("bash");
}

TEST(shell_init_script, zsh_scripts_parse) {
  ASSERT_TRUE(has_program("zsh")) << "zsh is missing: `make test` installs it";
  expect_scripts_parse("zsh");
}

TEST(shell_init_script, fish_scripts_parse) {
  ASSERT_TRUE(has_program("fish")) << "fish is missing: `make test` installs it";
  expect_scripts_parse("fish");
}

TEST(shell_init_script, quotes_the_gum_path_for_fish) {
  const std::string script = init_or_die("fish", "j", "/opt/it's\\gum/gum");
  EXPECT_NE(script.find("set -g __gum_bin '/opt/it\\'s\\\\gum/gum'\n"), std::string::npos)
      << script;
  EXPECT_NE(script.find("--on-variable PWD"), std::string::npos);
  EXPECT_NE(script.find("disown"), std::string::npos);
}

TEST(shell_init_script, zsh_hook_uses_chpwd_and_disowns) {
  const std::string script = init_or_die("zsh", "j", "/usr/bin/gum");
  EXPECT_NE(script.find("add-zsh-hook chpwd __gum_hook"), std::string::npos);
  EXPECT_NE(script.find("&!"), std::string::npos);
  EXPECT_NE(script.find("typeset -g __gum_bin='/usr/bin/gum'"), std::string::npos);
}

// Sources the bash hook with a fake gum that logs its arguments, and drives it.
class bash_hook : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(has_program("bash")) << "bash is missing: `make test` installs it";
    for (const char* d : {"home", "work dir", "target", "bin/it's $(touch pwned) gum"})
      fs::create_directories(root / d);
    gum_bin = root / "bin/it's $(touch pwned) gum/gum";
    write_file(gum_bin,
               "#!/bin/sh\n"
               "printf '%s\\n' \"$*\" >> \"$GUM_LOG\"\n"
               "if [ \"$1\" = jump ]; then\n"
               "  [ -n \"$GUM_TARGET\" ] || exit 1\n"
               "  printf '%s\\n' \"$GUM_TARGET\"\n"
               "fi\n");
    fs::permissions(gum_bin, fs::perms::owner_all);
    write_file(root / "init.bash", init_or_die("bash", "j", gum_bin));
  }

  // Runs `body` in bash after sourcing the hook; returns the exit status, output in `out`.
  int drive(const std::string& body, const std::string& target, std::string& out) {
    write_file(root / "driver.bash", "set -u\nsource \"$ROOT/init.bash\"\n" + body);
    const std::string cmd = "cd '" + root.path() + "' && env -i PATH=/usr/bin:/bin HOME='" +
                            (root / "home") + "' ROOT='" + root.path() + "' GUM_LOG='" +
                            (root / "log") + "' GUM_TARGET='" + target +
                            "' bash --norc --noprofile driver.bash >out.txt 2>&1";
    int rc = run(cmd);
    out = read_file(root / "out.txt");
    return rc;
  }

  temp_dir root;
  std::string gum_bin;
};

TEST_F(bash_hook, records_a_changed_directory_in_the_background_once) {
  std::string out;
  ASSERT_EQ(drive("cd \"$ROOT/work dir\"\n"
                  "eval \"$PROMPT_COMMAND\"\n"
                  "eval \"$PROMPT_COMMAND\"\n"  // no change: no second add
                  "false; __gum_hook; echo \"status=$?\"\n",
                  "", out),
            0)
      << out;
  EXPECT_EQ(out, "status=1\n") << "the hook is silent and keeps $?";
  const std::string log = root / "log";
  ASSERT_TRUE(eventually_contains(log, "add -- " + (root / "work dir") + "\n")) << read_file(log);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(read_file(log), "add -- " + (root / "work dir") + "\n");
}

TEST_F(bash_hook, does_not_record_the_starting_directory) {
  std::string out;
  ASSERT_EQ(drive("eval \"$PROMPT_COMMAND\"\n", "", out), 0) << out;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(fs::exists(root / "log")) << read_file(root / "log");
}

TEST_F(bash_hook, keeps_an_existing_prompt_command_and_installs_once) {
  std::string out;
  ASSERT_EQ(drive("PROMPT_COMMAND='echo mine'\n"
                  "source \"$ROOT/init.bash\"\n"
                  "source \"$ROOT/init.bash\"\n"
                  "echo \"$PROMPT_COMMAND\"\n"
                  "eval \"$PROMPT_COMMAND\"\n",
                  "", out),
            0)
      << out;
  EXPECT_EQ(out, "__gum_hook;echo mine\nmine\n");
}

TEST_F(bash_hook, jump_command_cds_to_what_gum_jump_prints) {
  std::string out;
  ASSERT_EQ(drive("j some kw\necho \"pwd=$PWD\"\n", root / "target", out), 0) << out;
  EXPECT_EQ(out, "pwd=" + (root / "target") + "\n");
  EXPECT_EQ(read_file(root / "log"), "jump -- some kw\n");
  EXPECT_FALSE(fs::exists(root / "pwned")) << "the gum path is quoted";
}

TEST_F(bash_hook, jump_command_stays_put_and_fails_when_nothing_matches) {
  std::string out;
  ASSERT_EQ(drive("j nothing; echo \"rc=$? pwd=$PWD\"\n", "", out), 0) << out;
  EXPECT_EQ(out, "rc=1 pwd=" + root.path() + "\n");
}

TEST_F(bash_hook, jump_command_goes_home_to_a_directory_or_back_without_asking_gum) {
  std::string out;
  ASSERT_EQ(drive("j; echo \"$PWD\"\n"
                  "j \"$ROOT/work dir\"; echo \"$PWD\"\n"
                  "j - >/dev/null; echo \"$PWD\"\n",
                  "", out),
            0)
      << out;
  EXPECT_EQ(out, (root / "home") + "\n" + (root / "work dir") + "\n" + (root / "home") + "\n");
  EXPECT_FALSE(fs::exists(root / "log")) << "gum jump was not needed";
}

// Sources the zsh or fish hook with a fake gum, changes directory and jumps.
void expect_hook_records_and_jumps(const std::string& shell) {
  temp_dir root;
  for (const char* d : {"home/.config", "work", "target", "bin"}) fs::create_directories(root / d);
  const std::string gum_bin = root / "bin/gum";
  write_file(gum_bin,
             "#!/bin/sh\n"
             "printf '%s\\n' \"$*\" >> \"$GUM_LOG\"\n"
             "[ \"$1\" = jump ] && printf '%s\\n' \"$GUM_TARGET\"\n"
             "exit 0\n");
  fs::permissions(gum_bin, fs::perms::owner_all);
  write_file(root / "init", init_or_die(shell, "j", gum_bin));
  // zsh -f reads no rc file; fish gets a temp config dir (--no-config would turn on private
  // mode, in which the hook deliberately records nothing).
  const std::string body = "source '" + (root / "init") + "'; cd '" + (root / "work") +
                           "'; j some kw; echo \"pwd=$PWD\"";
  const std::string cmd = "env -i PATH=/usr/bin:/bin HOME='" + (root / "home") +
                          "' XDG_CONFIG_HOME='" + (root / "home/.config") + "' XDG_DATA_HOME='" +
                          (root / "home/.config") + "' GUM_LOG='" + (root / "log") +
                          "' GUM_TARGET='" + (root / "target") + "' " + shell +
                          (shell == "zsh" ? " -f" : "") + " -c '" + body + "' >'" +
                          (root / "out") + "' 2>&1";
  ASSERT_EQ(run(cmd), 0) << read_file(root / "out");
  EXPECT_EQ(read_file(root / "out"), "pwd=" + (root / "target") + "\n");
  EXPECT_TRUE(eventually_contains(root / "log", "add -- " + (root / "work") + "\n"))
      << read_file(root / "log");
  EXPECT_TRUE(eventually_contains(root / "log", "jump -- some kw\n")) << read_file(root / "log");
}

TEST(shell_init_script, zsh_hook_records_directory_changes_and_jumps) {
  ASSERT_TRUE(has_program("zsh")) << "zsh is missing: `make test` installs it";
  expect_hook_records_and_jumps("zsh");
}

TEST(shell_init_script, fish_hook_records_directory_changes_and_jumps) {
  ASSERT_TRUE(has_program("fish")) << "fish is missing: `make test` installs it";
  expect_hook_records_and_jumps("fish");
}

// ---- parse_dir_import --------------------------------------------------------------------

TEST(parse_dir_import, rejects_unknown_formats) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  gum::status st = gum::parse_dir_import("fasd", "/a|1|2\n", out, skipped);
  EXPECT_EQ(st.code, gum::status_code::usage);
  EXPECT_EQ(st.message, "unknown import format 'fasd' (expected zoxide, z or autojump)");
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(gum::parse_dir_import("", "", out, skipped).code, gum::status_code::usage);
  EXPECT_EQ(gum::parse_dir_import("Z", "", out, skipped).code, gum::status_code::usage);
}

TEST(parse_dir_import, reads_z_lines_and_skips_malformed_ones) {
  const std::string text =
      "/home/bob/src|12.5|1700000000\n"
      "\n"
      "/home/bob/a|b|3|1700000001\n"    // a '|' in the path
      "relative/path|1|1700000000\n"
      "/home/bob/x|0|1700000000\n"
      "/home/bob/x|-2|1700000000\n"
      "/home/bob/x|nan|1700000000\n"
      "/home/bob/x|inf|1700000000\n"
      "/home/bob/x|1e999|1700000000\n"
      "/home/bob/x|12abc|1700000000\n"
      "/home/bob/x|1|17.5\n"
      "/home/bob/x|1|\n"
      "/home/bob/x|1|-5\n"
      "/home/bob/x|1\n"
      "just garbage\n"
      "   \t  \n"
      "/home/bob/last|1|5";  // no final newline
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].path, "/home/bob/src");
  EXPECT_DOUBLE_EQ(out[0].rank, 12.5);
  EXPECT_EQ(out[0].last_seen, 1700000000);
  EXPECT_EQ(out[1].path, "/home/bob/a|b");
  EXPECT_DOUBLE_EQ(out[1].rank, 3);
  EXPECT_EQ(out[2].path, "/home/bob/last");
  EXPECT_EQ(out[2].last_seen, 5);
  const std::vector<std::string> expected = {
      "line 4: not an absolute path",
      "line 5: bad rank '0'",
      "line 6: bad rank '-2'",
      "line 7: bad rank 'nan'",
      "line 8: bad rank 'inf'",
      "line 9: bad rank '1e999'",
      "line 10: bad rank '12abc'",
      "line 11: bad time '17.5'",
      "line 12: bad time ''",
      "line 13: bad time '-5'",
      "line 14: expected path|rank|time",
      "line 15: expected path|rank|time",
  };
  EXPECT_EQ(skipped, expected);
}

TEST(parse_dir_import, reads_autojump_lines) {
  const std::string text =
      "22.360679775\t/home/bob/src/gum\n"
      "10\t/home/bob/with\ttab\n"
      "10 /home/bob/no-tab\n"
      "x\t/home/bob/bad\n"
      "5\trelative\n"
      "\t/home/bob/empty-weight\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("autojump", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/src/gum");
  EXPECT_NEAR(out[0].rank, 22.360679775, 1e-12);
  EXPECT_EQ(out[0].last_seen, 0);
  EXPECT_EQ(out[1].path, "/home/bob/with\ttab");
  EXPECT_EQ(skipped, (std::vector<std::string>{"line 3: expected weight<TAB>path",
                                               "line 4: bad rank 'x'",
                                               "line 5: not an absolute path",
                                               "line 6: bad rank ''"}));
}

TEST(parse_dir_import, reads_zoxide_scores_with_spaces_in_paths) {
  const std::string text =
      "  16.0 /home/bob/src/gum\n"
      "   4.0 /home/bob/My Documents/a  b\n"
      "1234.5 /home/bob/big\n"
      "   0.0 /home/bob/zero\n"
      "   2.0  /home/bob/two-spaces\n"
      "   2.0\n"
      "   abc /home/bob/x\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("zoxide", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].path, "/home/bob/src/gum");
  EXPECT_DOUBLE_EQ(out[0].rank, 16);
  EXPECT_EQ(out[1].path, "/home/bob/My Documents/a  b");
  EXPECT_EQ(out[2].path, "/home/bob/big");
  EXPECT_DOUBLE_EQ(out[2].rank, 1234.5);
  for (const auto& d : out) EXPECT_EQ(d.last_seen, 0);
  EXPECT_EQ(skipped, (std::vector<std::string>{"line 4: bad rank '0.0'",
                                               "line 5: not an absolute path",
                                               "line 6: expected SCORE PATH",
                                               "line 7: bad rank 'abc'"}));
}

TEST(parse_dir_import, merges_duplicates_by_summing_ranks_and_keeping_the_latest_visit) {
  const std::string text =
      "/home/bob/a|2|100\n"
      "/home/bob/b|1|50\n"
      "/home/bob/a/|3|300\n"  // the same directory, written differently
      "/home/bob/a|0.5|200\n";
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/a");
  EXPECT_DOUBLE_EQ(out[0].rank, 5.5);
  EXPECT_EQ(out[0].last_seen, 300);
  EXPECT_EQ(out[1].path, "/home/bob/b");
  EXPECT_TRUE(skipped.empty());
}

TEST(parse_dir_import, tolerates_crlf_and_a_byte_order_mark) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  ASSERT_TRUE(gum::parse_dir_import(
                  "z", "\xEF\xBB\xBF/home/bob/a|1|10\r\n\r\n/home/bob/b|2|20\r\n", out, skipped)
                  .ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "/home/bob/a");
  EXPECT_EQ(out[1].path, "/home/bob/b");
  EXPECT_EQ(out[1].last_seen, 20);
  out.clear();
  ASSERT_TRUE(gum::parse_dir_import("zoxide", "  1.0 /home/bob/c d\r\n", out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "/home/bob/c d");
  out.clear();
  ASSERT_TRUE(gum::parse_dir_import("autojump", "1\t/home/bob/e\r\n", out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "/home/bob/e");
  EXPECT_TRUE(skipped.empty());
}

TEST(parse_dir_import, survives_hostile_input) {
  std::vector<gum::imported_dir> out;
  std::vector<std::string> skipped;
  // A NUL inside a path, a huge line, binary noise and control characters.
  std::string text = std::string("/home/bob/a\0b|1|10\n", 19);
  text += "/" + std::string(100000, 'x') + "|1|10\n";
  for (int i = 0; i < 256; ++i) text += static_cast<char>(i);
  text += "\n\x1b[31m|1|2\n";
  ASSERT_TRUE(gum::parse_dir_import("z", text, out, skipped).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path.size(), 100001u);
  ASSERT_GE(skipped.size(), 2u);
  EXPECT_EQ(skipped[0], "line 1: the path contains a NUL byte");
  for (const auto& s : skipped) {
    EXPECT_LT(s.size(), 100u) << "skip messages quote at most a short excerpt";
    for (char c : s) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "no control characters";
  }
  for (const std::string format : {"zoxide", "autojump"}) {
    std::vector<gum::imported_dir> more;
    EXPECT_TRUE(gum::parse_dir_import(format, text, more, skipped).ok());
  }
}
