// cli/commands/version.cpp: `gum version [-v]` and `gum --version`.
#include <sqlite3.h>

#include <boost/version.hpp>
#include <iostream>
#include <thread>

#include "actors/curl_loader.hpp"
#include "cli/context.hpp"
#include "gum/build_info.hpp"

namespace gum::cli {

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

void register_version(CLI::App& app, std::vector<command>& commands) {
  auto verbose = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("version", "Print the version of gum and of its libraries");
  sub->add_flag("-v,--verbose", *verbose, "Add the CPU count and scheduler threads");
  commands.push_back({sub, [verbose](context&) {
                        std::cout << "gum " << GUM_VERSION << " (commit " << GUM_GIT_COMMIT
                                  << ", built " << GUM_BUILD_DATE << ")\n"
                                  << "compiler: " << compiler() << '\n'
                                  << "CAF: " << CAF_MAJOR_VERSION << '.' << CAF_MINOR_VERSION
                                  << '.' << CAF_PATCH_VERSION << '\n'
                                  << "SQLite: " << sqlite3_libversion() << '\n'
                                  << "libcurl: " << curl_version() << '\n'
                                  << "Boost: " << BOOST_VERSION / 100000 << '.'
                                  << BOOST_VERSION / 100 % 1000 << '.' << BOOST_VERSION % 100
                                  << '\n';
                        if (*verbose)
                          std::cout << "cpus: " << std::thread::hardware_concurrency() << '\n'
                                    << "scheduler threads: 1 (blocking actors run detached)\n";
                        return status::success();
                      }});
}

}  // namespace gum::cli
