// fuzz/git_metadata.cpp: the .git readers (core/git_metadata.cpp) over files that hold the
// input: HEAD and config of a .git folder, a `gitdir:` file with the HEAD, commondir and
// config it leads to, and the insteadOf rules of a config's text.
//
// Input: a mode byte, then up to four NUL-separated parts.
//   mode even: project/.git/HEAD = part 0, project/.git/config = part 1
//   mode odd:  project/.git = part 0 (a gitdir: file; "gd" is the folder below), gd/HEAD =
//              part 1, gd/commondir = part 2, common/config = part 3
// Every mode also applies the insteadOf rules of part 1 to part 0.
#include <cstdint>
#include <string>

#include "core/git_metadata.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string& dir = gum_fuzz::scratch_dir();
  const std::string project = dir + "/project", git = project + "/.git", gd = dir + "/gd",
                    common = dir + "/common";
  static bool made = [&] {
    for (const auto& d : {project, gd, common}) gum_fuzz::make_dir(d);
    return true;
  }();
  (void)made;
  auto parts = gum_fuzz::split_parts(data + 1, size - 1, 4);
  if (data[0] % 2 == 0) {
    ::unlink(git.c_str());
    gum_fuzz::make_dir(git);
    gum_fuzz::write_file(git + "/HEAD", parts[0]);
    gum_fuzz::write_file(git + "/config", parts[1]);
  } else {
    ::unlink((git + "/HEAD").c_str());
    ::unlink((git + "/config").c_str());
    ::rmdir(git.c_str());
    gum_fuzz::write_file(git, parts[0]);
    gum_fuzz::write_file(gd + "/HEAD", parts[1]);
    gum_fuzz::write_file(gd + "/commondir", parts[2]);
    gum_fuzz::write_file(common + "/config", parts[3]);
  }
  gum::url_rewrites global;
  global.add_config(parts[1]);
  std::string rewritten = global.apply(parts[0]);
  (void)rewritten;
  gum::git_metadata meta = gum::read_git_metadata(project, global);
  if (meta.kind != "repo" && meta.kind != "worktree" && meta.kind != "submodule") __builtin_trap();
  return 0;
}
