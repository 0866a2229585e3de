// fuzz/legacy_cache.cpp: the Go gum's legacy cache parsers (core/legacy_cache.cpp):
// projects.json, project-dirs.json, cwds and projects-dirs.list. The first byte picks one.
// A file that does not parse leaves the output as it was (never half of it).
#include <cstdint>
#include <string>
#include <vector>

#include "core/legacy_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const gum::environment env = [] {
    gum::environment e;
    e.home = "/home/fuzz";
    e.xdg_config_home = "/home/fuzz/.config";
    e.xdg_cache_home = "/home/fuzz/.cache";
    e.cwd = "/home/fuzz";
    return e;
  }();
  static const gum::config cfg = [] {
    gum::config c;
    c.dirs_exclude = {"/home/fuzz"};
    return c;
  }();
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  gum::legacy_file file;
  switch (data[0] % 4) {
    case 0: {
      gum::legacy_import out;
      gum::parse_projects_json(text, env, file, out);
      break;
    }
    case 1: {
      std::vector<gum::legacy_root> roots;
      gum::parse_project_dirs_json(text, env, file, roots);
      if (!file.error.empty() && !roots.empty()) __builtin_trap();
      break;
    }
    case 2: {
      std::vector<gum::dir_entry> dirs;
      gum::parse_cwds(text, 1700000000, env, cfg, file, dirs);
      if (!file.error.empty() && !dirs.empty()) __builtin_trap();
      for (const auto& d : dirs)
        if (d.path.empty() || d.path.front() != '/') __builtin_trap();
      break;
    }
    default: {
      std::vector<gum::legacy_root> roots;
      gum::parse_dirs_list(text, env, file, roots);
    }
  }
  return 0;
}
