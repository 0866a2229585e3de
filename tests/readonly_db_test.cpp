// tests/readonly_db_test.cpp: a database that cannot be written still serves every read
// (SPEC §5). A backup restored read-only, or a shared copy, used to make `gum projects`,
// `gum dirs` and `gum github` exit 4 ("cannot write …") although they only read.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/test_env.hpp"

namespace {

using gum::testing::run_result;
using gum::testing::test_env;
namespace fs = std::filesystem;

// Builds an index (two projects, two visited folders) as the owner, then makes the database
// file read-only for the user who runs the checks (nobody, when the tests run as root).
struct readonly_world {
  test_env env;
  std::string a, b, visited;
  readonly_world() {
    a = env.home() + "/projects/alpha";
    b = env.home() + "/projects/beta";
    test_env::make_repo(a, "https://github.com/acme/alpha");
    test_env::make_repo(b);
    visited = env.home() + "/work";
    fs::create_directories(visited);
    EXPECT_EQ(env.gum({"projects", "--refresh", "-f", "simple"}).exit_code, 0);
    EXPECT_EQ(env.gum({"add", visited}).exit_code, 0);
    if (geteuid() == 0) {
      // The folder, -wal and -shm stay the reader's own (SQLite's read-only connections still
      // use them); only the database file is not writable.
      for (auto& path : {env.cache_home(), env.cache_home() + "/gum", env.db_path(),
                         env.db_path() + "-wal", env.db_path() + "-shm"})
        if (fs::exists(path)) {
          EXPECT_EQ(::chown(path.c_str(), 65534, 65534), 0) << path;
        }
    }
    fs::create_directories(env.root() + "/reader");
    fs::permissions(env.root() + "/reader", fs::perms::all);
    EXPECT_EQ(::chmod(env.db_path().c_str(), 0400), 0);
  }
  // Runs gum as the unprivileged reader; returns exit code and output through `out`.
  int gum_as_reader(const std::vector<std::string>& args, run_result& out) {
    const std::string file = env.root() + "/reader/out";
    int code = gum::testing::as_unprivileged(env.root(), [&] {
      auto r = env.gum(args);
      test_env::write_file(file, r.out + "\x1f" + r.err);
      return r.exit_code;
    });
    auto text = test_env::read_file(file);
    auto sep = text.find('\x1f');
    out.exit_code = code;
    out.out = text.substr(0, sep);
    out.err = sep == std::string::npos ? "" : text.substr(sep + 1);
    return code;
  }
};

TEST(readonly_database, serves_projects_dirs_jump_and_github) {
  readonly_world w;
  run_result r;
  EXPECT_EQ(w.gum_as_reader({"projects", "-f", "simple"}, r), 0) << r.err;
  EXPECT_EQ(r.out, w.a + "\n" + w.b + "\n");
  EXPECT_EQ(w.gum_as_reader({"dirs", "-f", "json"}, r), 0) << r.err;
  EXPECT_NE(r.out.find("\"" + w.visited + "\""), std::string::npos) << r.out;
  EXPECT_EQ(w.gum_as_reader({"jump", "work"}, r), 0) << r.err;
  EXPECT_EQ(r.out, w.visited + "\n");
  EXPECT_EQ(w.gum_as_reader({"github", "-f", "json"}, r), 0) << r.err;
  EXPECT_EQ(r.out, "") << "nothing synced yet: an empty list, with a hint on stderr";
  EXPECT_EQ(w.gum_as_reader({"integrity", "--quick"}, r), 0) << r.out << r.err;
}

TEST(readonly_database, an_expired_index_is_served_as_it_is_when_it_cannot_be_rebuilt) {
  readonly_world w;
  // Far past cache.ttl: a writable database would be rebuilt first; this one cannot be.
  w.env.vars["GUM_TEST_NOW"] = "4000000000";
  run_result r;
  EXPECT_EQ(w.gum_as_reader({"projects", "-f", "simple"}, r), 0) << r.err;
  EXPECT_EQ(r.out, w.a + "\n" + w.b + "\n");
}

TEST(readonly_database, writes_exit_4_naming_the_file_and_change_nothing) {
  readonly_world w;
  const std::string before = test_env::read_file(w.env.db_path());
  run_result r;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"add", w.visited}, {"projects", "--refresh"},
        {"dirs", "--clear-cache"}}) {
    EXPECT_EQ(w.gum_as_reader(args, r), 4) << args[0] << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("gum: cannot write " + w.env.db_path()), std::string::npos)
        << args[0] << ": " << r.err;
  }
  EXPECT_EQ(test_env::read_file(w.env.db_path()), before);
}

}  // namespace
