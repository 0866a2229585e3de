// tests/support/temp_dir.hpp: a throw-away directory under /tmp and whole-file read/write, for
// the tests that build small trees of their own (proc_cwds_test, shell_hooks_test).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

namespace gum::test_support {

namespace fs = std::filesystem;

// A fresh directory under /tmp (its real path), removed with everything in it at the end.
class temp_dir {
 public:
  temp_dir() {
    char pattern[] = "/tmp/gum_core_test.XXXXXX";
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

/// Replaces the file at `path` with `text`.
inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// The whole file at `path` (empty when unreadable).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace gum::test_support
