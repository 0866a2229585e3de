// fuzz/fuzz_input.hpp: what the fuzz targets share: a scratch folder per process, files
// written into it, and the input split into parts.
//
// Why: several parsers read files (load_config, read_git_metadata), so a target writes its
// input to files in a folder of its own (made once, under $TMPDIR) and calls the reader on
// them, as gum meets them. Not a gum source: nothing in the product includes it.
#pragma once
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace gum_fuzz {

/// The process's scratch folder (absolute, no trailing slash), made on first use.
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp == '/' ? tmp : "/tmp") + "/gum-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    return pattern;
  }();
  return dir;
}

/// Creates the folder `path` (its parent must exist); an existing one is fine.
inline void make_dir(const std::string& path) { ::mkdir(path.c_str(), 0700); }

/// Replaces the file at `path` with `content` (a symlink or folder there is removed first).
inline void write_file(const std::string& path, std::string_view content) {
  ::unlink(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) std::abort();
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

/// The input split at each NUL byte into at most `max_parts` parts (the last keeps the rest).
inline std::vector<std::string_view> split_parts(const uint8_t* data, size_t size,
                                                 size_t max_parts) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    size_t nul = in.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(in.substr(0, nul));
    in.remove_prefix(nul + 1);
  }
  parts.push_back(in);
  parts.resize(max_parts);
  return parts;
}

}  // namespace gum_fuzz
