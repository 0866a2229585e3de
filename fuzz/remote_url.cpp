// fuzz/remote_url.cpp: the remote-URL and API-URL parsers (core/remote_url.cpp).
// A parsed remote has a non-empty host, owner and name, none holding a '/'.
#include <cstdint>
#include <string_view>

#include "core/remote_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto ref = gum::parse_remote_url(in)) {
    if (ref->host.empty() || ref->owner.empty() || ref->name.empty()) __builtin_trap();
    if (ref->owner.find('/') != std::string::npos || ref->name.find('/') != std::string::npos)
      __builtin_trap();
  }
  (void)gum::git_host_for_api(in);
  (void)gum::web_base_for_api(in);
  return 0;
}
