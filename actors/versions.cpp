// actors/versions.cpp: gum::library_versions, what `gum version` prints.
#include <sqlite3.h>

#include <boost/version.hpp>
#include <caf/config.hpp>

#include "actors/curl_loader.hpp"
#include "gum/build_info.hpp"
#include "gum/support.hpp"

namespace gum {

namespace {

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "g++ " __VERSION__;
#else
  return "unknown";
#endif
}

// libcurl is loaded on demand (actors/curl_loader.hpp); say so when it cannot be.
std::string curl_version() {
  std::string error;
  const curl_api* api = load_curl(error);
  if (!api) return "not available (" + error + ")";
  return api->version_info(CURLVERSION_NOW)->version;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> library_versions() {
  return {
      {"gum", GUM_VERSION},
      {"commit", GUM_GIT_COMMIT},
      {"built", GUM_BUILD_DATE},
      {"compiler", compiler()},
      {"CAF", std::to_string(CAF_MAJOR_VERSION) + "." + std::to_string(CAF_MINOR_VERSION) + "." +
                  std::to_string(CAF_PATCH_VERSION)},
      {"SQLite", sqlite3_libversion()},
      {"libcurl", curl_version()},
      {"Boost", std::to_string(BOOST_VERSION / 100000) + "." +
                    std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                    std::to_string(BOOST_VERSION % 100)},
  };
}

}  // namespace gum
