// bench/ref_scanner.cpp: the minimal single-threaded scanner that `gum projects --refresh` is
// measured against (SPEC §7).
//
// `ref_scanner ROOT` walks ROOT with readdir and prints how many projects it holds. It is the
// simplest honest scanner: one thread, an explicit stack of paths, d_type with an lstat fallback
// for DT_UNKNOWN, symlinks never followed, and it stops descending at any folder holding `.git`
// (a directory or a file). It skips nothing else (no exclude list, no depth limit) and reads no
// HEAD or config, so it is a lower bound on the work a real scanner does.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ref_scanner ROOT\n");
    return 2;
  }
  std::vector<std::string> stack{argv[1]};
  std::vector<std::string> children;
  long long projects = 0;
  while (!stack.empty()) {
    std::string dir_path = std::move(stack.back());
    stack.pop_back();
    DIR* dir = ::opendir(dir_path.c_str());
    if (dir == nullptr) continue;
    int fd = ::dirfd(dir);
    bool is_project = false;
    children.clear();
    while (struct dirent* ent = ::readdir(dir)) {
      const char* name = ent->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      if (std::strcmp(name, ".git") == 0) {
        is_project = true;
        break;
      }
      bool is_dir = ent->d_type == DT_DIR;
      if (ent->d_type == DT_UNKNOWN) {
        struct stat st;
        is_dir = ::fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
      }
      if (is_dir) children.push_back(dir_path + "/" + name);
    }
    ::closedir(dir);
    if (is_project) {
      ++projects;
      continue;
    }
    for (auto& c : children) stack.push_back(std::move(c));
  }
  std::printf("%lld\n", projects);
  return 0;
}
