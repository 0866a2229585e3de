// One clear line for every hostile case of issue 17, items 5-7: broken config links, control
// characters in echoed text, a 0-byte database, a leftover read-only -shm, a read-only folder,
// a damaged file under --repair, a root that is a symlink loop, and an API URL whose "host" is
// an option. Each test runs the built gum binary in its own HOME (tests/support/test_env.hpp);
// the permission cases run as nobody when the suite runs as root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/remote_url.hpp"
#include "core/text.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using testing::fs::create_directories;
using testing::run_result;
using testing::test_env;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every line of `err` is a `gum: ` line and there are `lines` of them.
void expect_gum_lines(const std::string& err, size_t lines) {
  auto all = testing::lines_of(err);
  EXPECT_EQ(all.size(), lines) << err;
  for (auto& l : all) EXPECT_EQ(l.rfind("gum: ", 0), 0u) << err;
}

std::string config_file(const test_env& env) { return env.config_home() + "/gum/config.yaml"; }

TEST(hostile_messages, a_config_yaml_that_is_a_dangling_symlink_is_an_error_not_the_defaults) {
  test_env env;
  create_directories(env.config_home() + "/gum");
  ASSERT_EQ(::symlink("/nonexistent/gum.yaml", config_file(env).c_str()), 0);
  auto r = env.gum({"projects"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "a dangling symbolic link (to /nonexistent/gum.yaml)")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(hostile_messages, a_config_yaml_that_is_a_symlink_loop_is_an_error) {
  test_env env;
  create_directories(env.config_home() + "/gum");
  ASSERT_EQ(::symlink("config.yaml", config_file(env).c_str()), 0);
  auto r = env.gum({"projects"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "a symbolic link loop")) << r.err;
  r = env.gum({"--config", config_file(env), "projects"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "a symbolic link loop")) << r.err;
}

TEST(hostile_messages, unknown_config_keys_reach_the_terminal_escaped) {
  test_env env;
  create_directories(env.home() + "/projects");
  env.write_config("projects: [" + env.home() + "/projects]\n"
                   "\"evil\\e]0;pwned\\a\\nfake line\": 1\n");
  auto r = env.gum({"projects"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\a'), std::string::npos) << r.err;
  EXPECT_TRUE(contains(r.err, "unknown config key 'evil\\e]0;pwned\\x07\\nfake line'")) << r.err;
  expect_gum_lines(r.err, 1);
}

TEST(hostile_messages, a_bad_config_value_is_quoted_escaped_on_one_line) {
  test_env env;
  env.write_config("cache: {ttl: \"1h\\e[2J\\nboom\"}\n");
  auto r = env.gum({"projects"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_TRUE(contains(r.err, "1h\\e[2J\\nboom")) << r.err;
  expect_gum_lines(r.err, 1);
}

TEST(hostile_messages, a_root_that_is_a_symlink_loop_is_called_a_loop) {
  test_env env;
  std::string loop = env.home() + "/loop", nl = env.home() + "/bad\nroot";
  ASSERT_EQ(::symlink("loop", loop.c_str()), 0);
  env.write_config("projects: [" + loop + ", \"" + env.home() + "/bad\\nroot\"]\n");
  auto r = env.gum({"projects", "--refresh"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "project root " + loop + " is a symbolic link loop")) << r.err;
  EXPECT_TRUE(contains(r.err, "project root " + env.home() + "/bad\\nroot does not exist")) << r.err;
  expect_gum_lines(r.err, 2);
}

TEST(hostile_messages, a_zero_byte_database_is_called_empty_not_an_old_schema) {
  test_env env;
  create_directories(env.cache_home() + "/gum");
  test_env::write_file(env.db_path(), "");
  auto r = env.gum({"integrity"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "is empty (0 bytes)")) << r.err;
  EXPECT_FALSE(contains(r.err, "old schema")) << r.err;
  // A writing command creates it properly.
  create_directories(env.home() + "/w");
  r = env.gum({"add", env.home() + "/w"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = env.gum({"integrity", "--quick"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(hostile_messages, integrity_repair_of_a_damaged_file_says_so_on_one_line) {
  test_env env;
  create_directories(env.home() + "/projects");
  ASSERT_EQ(env.gum({"add", env.home() + "/projects"}).exit_code, 0);
  std::string db = env.db_path();
  // Garbage over the root page of dir_frecency (the table behind the dir_usage view):
  // integrity_check then reports several problems.
  {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  int64_t page = std::atoll(testing::sqlite_text(
      db, "SELECT rootpage FROM sqlite_schema WHERE name = 'dir_frecency'").c_str());
  ASSERT_GT(page, 1);
  std::string garbage(4096, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7919 + 13) % 251);
  int fd = ::open(db.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), (page - 1) * 4096), 4096);
  ::close(fd);
  auto r = env.gum({"integrity", "--repair"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "the database file is damaged (")) << r.err;
  expect_gum_lines(r.err, 2);  // the message and its hint
}

TEST(hostile_messages, a_leftover_read_only_shm_is_named_when_a_write_fails) {
  test_env env;
  create_directories(env.home() + "/w/x");
  ASSERT_EQ(env.gum({"add", env.home() + "/w"}).exit_code, 0);
  std::string shm = env.db_path() + "-shm";
  test_env::write_file(shm, std::string(32768, '\0'));
  if (geteuid() == 0) {
    for (auto& p : {env.cache_home(), env.cache_home() + "/gum", env.db_path(), shm}) {
      ASSERT_EQ(::chown(p.c_str(), 65534, 65534), 0) << p;
    }
  }
  ASSERT_EQ(::chmod(shm.c_str(), 0400), 0);
  create_directories(env.root() + "/out");
  testing::fs::permissions(env.root() + "/out", testing::fs::perms::all);
  std::string out = env.root() + "/out/err";
  int code = testing::as_unprivileged(env.root(), [&] {
    auto r = env.gum({"add", env.home() + "/w/x"});
    test_env::write_file(out, r.err);
    return r.exit_code;
  });
  std::string err = test_env::read_file(out);
  EXPECT_EQ(code, 4) << err;
  EXPECT_TRUE(contains(err, shm + " is not writable (mode 0400)")) << err;
  expect_gum_lines(err, 1);
}

TEST(hostile_messages, a_read_only_folder_is_named_when_a_write_fails) {
  test_env env;
  create_directories(env.home() + "/w/x");
  ASSERT_EQ(env.gum({"add", env.home() + "/w"}).exit_code, 0);
  {
    // Checkpointed and closed: no -wal or -shm is left that SQLite could go on using.
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(env.db_path().c_str(), &h), SQLITE_OK);
    sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  ASSERT_FALSE(testing::fs::exists(env.db_path() + "-shm"));
  std::string dir = env.cache_home() + "/gum";
  if (geteuid() == 0) {
    for (auto& p : {env.cache_home(), dir, env.db_path()}) {
      ASSERT_EQ(::chown(p.c_str(), 65534, 65534), 0) << p;
    }
  }
  ASSERT_EQ(::chmod(dir.c_str(), 0500), 0);
  create_directories(env.root() + "/out");
  testing::fs::permissions(env.root() + "/out", testing::fs::perms::all);
  std::string out = env.root() + "/out/err";
  int code = testing::as_unprivileged(env.root(), [&] {
    auto r = env.gum({"add", env.home() + "/w/x"});
    test_env::write_file(out, r.err);
    return r.exit_code;
  });
  ::chmod(dir.c_str(), 0700);
  std::string err = test_env::read_file(out);
  EXPECT_EQ(code, 4) << err;
  EXPECT_TRUE(contains(err, "the folder " + dir + " is not writable")) << err;
  EXPECT_FALSE(contains(err, "attempt to write a readonly database")) << err;
  expect_gum_lines(err, 1);
}

TEST(hostile_messages, an_api_url_whose_host_is_an_option_is_refused) {
  test_env env;
  env.write_config("github: {api_url: \"https://-oProxyCommand=touch${IFS}x/api/v3\"}\n");
  auto r = env.gum({"github"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "expected a URL with a valid host name")) << r.err;
  EXPECT_EQ(git_host_for_api("https://-oProxyCommand=x/api/v3"), "");
  EXPECT_EQ(web_base_for_api("https://a b/api/v3"), "");
  EXPECT_EQ(git_host_for_api("https://ghe.example.com:8443/api/v3"), "ghe.example.com");
  EXPECT_EQ(git_host_for_api("http://[::1]:8080"), "[::1]");
  EXPECT_TRUE(valid_host_name("github.com"));
  EXPECT_TRUE(valid_host_name("127.0.0.1"));
  EXPECT_FALSE(valid_host_name("-oproxycommand=x"));
  EXPECT_FALSE(valid_host_name("a..b"));
  EXPECT_FALSE(valid_host_name(std::string(64, 'a') + ".com"));
}

TEST(hostile_messages, escape_control_escapes_c0_del_and_c1_but_keeps_utf8) {
  EXPECT_EQ(escape_control("a\nb\tc\x1b]0;t\x07"), "a\\nb\\tc\\e]0;t\\x07");
  EXPECT_EQ(escape_control("\x7f"), "\\x7f");
  EXPECT_EQ(escape_control("\xc2\x9b" "2J"), "\\u009b2J");  // U+009B, CSI
  EXPECT_EQ(escape_control("\x9b" "2J"), "\\x9b2J");        // a lone C1 byte
  EXPECT_EQ(escape_control("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // é € 😀 kept
}

}  // namespace
}  // namespace gum
