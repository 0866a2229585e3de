// core/proc_cwds.cpp: the working directories of running processes, read from /proc.
//
// The proc_sampler actor turns what this finds into directory visits. The walk races with
// exiting processes, so whatever cannot be read is skipped: nothing here fails or throws.
#include "core/proc_cwds.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "core/paths.hpp"

namespace gum {

namespace {

bool is_all_digits(const char* name) {
  if (*name == '\0') return false;
  for (; *name != '\0'; ++name)
    if (*name < '0' || *name > '9') return false;
  return true;
}

// readlink(2) into a string; false on any error (vanished process, EACCES, not a link).
bool read_link(const std::string& link, std::string& target) {
  std::string buffer(256, '\0');
  for (;;) {
    ssize_t n = ::readlink(link.c_str(), buffer.data(), buffer.size());
    if (n < 0) return false;
    if (static_cast<size_t>(n) < buffer.size()) {
      buffer.resize(static_cast<size_t>(n));
      target = std::move(buffer);
      return true;
    }
    if (buffer.size() >= (size_t{1} << 20)) return false;
    buffer.resize(buffer.size() * 2);
  }
}

}  // namespace

std::vector<std::string> sample_process_cwds(const std::string& home,
                                             const std::string& proc_root) {
  return sample_process_cwds(home, proc_root, ::getuid());
}

std::vector<std::string> sample_process_cwds(const std::string& home, const std::string& proc_root,
                                             uid_t owner) {
  std::vector<std::string> found;
  if (home.empty()) return found;
  const std::string home_norm = normalize_path(home, home, "/");
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) return found;
  while (const dirent* entry = ::readdir(dir)) {
    if (!is_all_digits(entry->d_name)) continue;
    const std::string pid_dir = proc_root + "/" + entry->d_name;
    struct stat pid_stat {};
    if (::stat(pid_dir.c_str(), &pid_stat) != 0 || pid_stat.st_uid != owner) continue;
    const std::string cwd_link = pid_dir + "/cwd";
    std::string target;
    if (!read_link(cwd_link, target) || target.empty() || target.front() != '/') continue;
    std::string path = normalize_path(target, home_norm, "/");
    if (!path_is_under(path, home_norm)) continue;
    // A deleted cwd reads as "PATH (deleted)", or as a path that is gone or now names another
    // directory: keep the path only if it still exists and is the very directory the process
    // sits in (same device and inode).
    struct stat by_path {}, by_link {};
    if (!is_directory(path, by_path)) continue;
    if (::stat(cwd_link.c_str(), &by_link) != 0) continue;
    if (by_path.st_dev != by_link.st_dev || by_path.st_ino != by_link.st_ino) continue;
    found.push_back(std::move(path));
  }
  ::closedir(dir);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace gum
