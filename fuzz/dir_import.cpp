// fuzz/dir_import.cpp: the `gum import` parsers (core/dir_importers.cpp) for z, autojump and
// zoxide. The first byte picks the format. Every directory kept is an absolute path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dir_importers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const formats[] = {"z", "autojump", "zoxide"};
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<gum::imported_dir> dirs;
  std::vector<std::string> skipped;
  gum::status st = gum::parse_dir_import(formats[data[0] % 3], text, dirs, skipped);
  if (!st.ok()) __builtin_trap();  // a known format never fails as a whole
  for (const auto& d : dirs)
    if (d.path.empty() || d.path.front() != '/') __builtin_trap();
  return 0;
}
