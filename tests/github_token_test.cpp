// tests/github_token_test.cpp: core/github_token.hpp, the token resolution order and the
// token command run through core/process.hpp. The environment is saved and restored, and
// scripts live in a temp dir.
#include "core/github_token.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace gum {
namespace {

// Saves an environment variable and restores it at scope end.
class env_guard {
 public:
  explicit env_guard(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) saved_ = v;
  }
  ~env_guard() {
    if (saved_)
      setenv(name_, saved_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

// A mkdtemp directory removed (with its files) at scope end.
class temp_dir {
 public:
  temp_dir() {
    char tmpl[] = "/tmp/gum-ghc-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~temp_dir() {
    for (const auto& f : files_) unlink(f.c_str());
    rmdir(path_.c_str());
  }
  std::string script(const std::string& name, const std::string& body) {
    auto p = path_ + "/" + name;
    std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
    chmod(p.c_str(), 0700);
    files_.push_back(p);
    return p;
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

TEST(github_token, gh_token_then_github_token_then_the_command) {
  env_guard g1("GH_TOKEN"), g2("GITHUB_TOKEN");
  temp_dir dir;
  auto cmd = dir.script("tok", "echo '  from-command  '");
  setenv("GH_TOKEN", "from-gh", 1);
  setenv("GITHUB_TOKEN", "from-github", 1);
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), cmd), "from-gh");
  setenv("GH_TOKEN", "", 1);
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), cmd), "from-github");
  unsetenv("GH_TOKEN");
  unsetenv("GITHUB_TOKEN");
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), cmd), "from-command");
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), "echo tok"), "tok");  // resolved in PATH, split on spaces
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), ""), "");
}

TEST(github_token, a_missing_or_failing_command_gives_no_token) {
  env_guard g1("GH_TOKEN"), g2("GITHUB_TOKEN");
  unsetenv("GH_TOKEN");
  unsetenv("GITHUB_TOKEN");
  temp_dir dir;
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), dir.script("fails", "echo partial; echo oops >&2; exit 1")), "");
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), dir.script("silent", "exit 0")), "");
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), dir.script("two", "echo 'a b'")), "");  // not a token
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), "/nonexistent/gum-no-such-command auth token"), "");
  EXPECT_EQ(resolve_github_token(gum::environment::from_process(), "gum-no-such-command-in-path"), "");
}

}  // namespace
}  // namespace gum
