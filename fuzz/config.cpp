// fuzz/config.cpp: load_config over a config.yaml that holds the input (core/config.cpp,
// core/yaml_document.cpp). Whatever the file holds, loading returns a status and never
// crashes, hangs or leaks.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "gum/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& dir = gum_fuzz::scratch_dir();
  static const gum::environment env = [&] {
    gum::environment e;
    e.home = dir + "/home";
    e.xdg_config_home = dir + "/home/.config";
    e.xdg_cache_home = dir + "/home/.cache";
    e.cwd = dir;
    gum_fuzz::make_dir(e.home);
    return e;
  }();
  std::string path = dir + "/config.yaml";
  gum_fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  gum::config cfg;
  gum::status st = gum::load_config(env, path, cfg);
  if (st.ok() && cfg.config_path.empty()) __builtin_trap();  // a loaded file names itself
  return 0;
}
