// tests/hostile_files_test.cpp: files that are not what they claim never hang gum (SPEC §5).
//
// A named pipe where a file should be (an extracted archive, a test fixture, a prank) used to
// block gum forever: open() of a FIFO waits for a writer. Every case here would hang without
// the non-blocking, regular-files-only reader (core/regular_file.hpp); each run has a time
// limit after which it is killed, so a hang fails the test (exit 137) instead of blocking it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "core/regular_file.hpp"
#include "support/test_env.hpp"

namespace {

using gum::testing::test_env;
namespace fs = std::filesystem;

constexpr int time_limit_s = 30;

TEST(hostile_files, a_fifo_config_is_a_config_error_not_a_hang) {
  test_env env;
  fs::create_directories(env.config_home() + "/gum");
  ASSERT_EQ(::mkfifo((env.config_home() + "/gum/config.yaml").c_str(), 0600), 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"projects"}, {"dirs"}, {"add", env.home()}}) {
    auto r = env.gum(args, {}, time_limit_s);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  }
}

TEST(hostile_files, a_fifo_import_file_is_refused) {
  test_env env;
  const std::string fifo = env.root() + "/z.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = env.gum({"import", "--from", "z", fifo}, {}, time_limit_s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "gum: " + fifo + " is not a regular file to import\n");
}

TEST(hostile_files, a_fifo_legacy_cache_is_reported_and_the_rest_imported) {
  test_env env;
  const std::string from = env.root() + "/legacy";
  fs::create_directories(from);
  ASSERT_EQ(::mkfifo((from + "/projects.json").c_str(), 0600), 0);
  fs::create_directories(env.home() + "/work");
  test_env::write_file(from + "/cwds", "12 " + env.home() + "/work\n");
  auto r = env.gum({"migrate", "--from", from}, {}, time_limit_s);
  EXPECT_NE(r.exit_code, 137) << "it hung";
  EXPECT_NE((r.out + r.err).find("not a regular file"), std::string::npos) << r.out << r.err;
}

TEST(regular_file, refuses_fifos_directories_and_oversized_files_and_reads_the_rest) {
  test_env env;
  std::string out;
  const std::string fifo = env.root() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(gum::read_regular_file(fifo, 100, out).what, gum::file_read::failure::not_regular);
  EXPECT_EQ(gum::read_regular_file(env.root(), 100, out).what,
            gum::file_read::failure::not_regular);
  EXPECT_EQ(gum::read_regular_file(env.root() + "/none", 100, out).what,
            gum::file_read::failure::missing);
  test_env::write_file(env.root() + "/big", std::string(101, 'x'));
  EXPECT_EQ(gum::read_regular_file(env.root() + "/big", 100, out).what,
            gum::file_read::failure::too_large);
  EXPECT_TRUE(out.empty());
  test_env::write_file(env.root() + "/ok", "hello\n");
  EXPECT_TRUE(gum::read_regular_file(env.root() + "/ok", 100, out).ok());
  EXPECT_EQ(out, "hello\n");
  EXPECT_EQ(gum::read_regular_file(env.root() + "/big", 101, out).what,
            gum::file_read::failure::none);
}

}  // namespace

namespace {

TEST(hostile_files, fifos_at_git_head_and_config_do_not_hang_a_refresh) {
  test_env env;
  const std::string root = env.home() + "/projects";
  test_env::make_repo(root + "/good", "https://github.com/acme/good");
  fs::create_directories(root + "/piped/.git");
  ASSERT_EQ(::mkfifo((root + "/piped/.git/HEAD").c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo((root + "/piped/.git/config").c_str(), 0600), 0);
  auto r = env.gum({"projects", "--refresh"}, {}, time_limit_s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The pipes are never opened for a writer that never comes: the project is listed with no
  // branch and no remote, like one whose HEAD cannot be read.
  EXPECT_EQ(r.out, root + "/good (https://github.com/acme/good)\n" + root + "/piped\n");
}

}  // namespace
