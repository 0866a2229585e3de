// fuzz/link_header.cpp: the Link header parser (net/link_header.cpp).
#include <cstdint>
#include <string_view>

#include "net/link_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  if (auto next = gum::parse_next_link(header))
    if (next->size() > header.size()) __builtin_trap();  // a link is a part of its header
  return 0;
}
