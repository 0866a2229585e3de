// fuzz/github_pages.cpp: the GitHub reply parsers (net/github_pages.cpp): a page of
// /user/repos, languages, topics and an error body. The first byte picks the parser.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/github_pages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      std::vector<gum::github_repo> repos;
      gum::status st = gum::parse_repo_page(body, repos);
      if (!st.ok() && st.message.find('\n') != std::string::npos) __builtin_trap();
      break;
    }
    case 1: {
      std::map<std::string, int64_t> languages;
      (void)gum::parse_languages(body, languages);
      break;
    }
    case 2: {
      std::vector<std::string> topics;
      (void)gum::parse_topics(body, topics);
      break;
    }
    default: {
      std::string message = gum::github_error_message(std::string(body));
      if (message.find('\n') != std::string::npos) __builtin_trap();
    }
  }
  return 0;
}
