// core/jump_target.cpp: see jump_target.hpp.
#include "core/jump_target.hpp"

#include <sys/stat.h>

namespace gum {

dir_query jump_query(std::vector<std::string> keywords, const std::string& cwd) {
  dir_query query;
  query.keywords = std::move(keywords);
  query.limit = 2;  // the best one may be the current directory through a symlink
  query.exclude_path = cwd;
  return query;
}

std::optional<std::string> pick_jump_target(const std::vector<dir_entry>& candidates,
                                            const std::string& here) {
  struct stat here_st;
  const bool know_here = ::stat(here.c_str(), &here_st) == 0;
  for (const auto& d : candidates) {
    struct stat there;
    if (know_here && ::stat(d.path.c_str(), &there) == 0 && there.st_dev == here_st.st_dev &&
        there.st_ino == here_st.st_ino)
      continue;
    return d.path;
  }
  return std::nullopt;
}

}  // namespace gum
