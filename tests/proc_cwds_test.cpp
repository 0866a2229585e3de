// tests/proc_cwds_test.cpp: core/proc_cwds.hpp, the /proc sampler, against a fake proc tree
// built in a temp dir, plus one look at the real /proc.
#include "core/proc_cwds.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using gum::test_support::read_file;
using gum::test_support::temp_dir;
using gum::test_support::write_file;

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
