// actors/support.cpp: the parts of gum/support.hpp that are not implemented elsewhere:
// library versions, and status-returning wrappers around storage's backup and journal code
// (storage reports errors as exceptions internally; the public API never throws).
#include <sqlite3.h>

#include <boost/version.hpp>
#include <caf/config.hpp>

#include "actors/curl_loader.hpp"
#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/integrity_store.hpp"
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

storage::open_options live_options(const std::string& db_path, int64_t busy_timeout_ms,
                                   bool synchronous_full) {
  storage::open_options o;
  o.path = db_path;
  o.busy_timeout_ms = busy_timeout_ms;
  o.synchronous_full = synchronous_full;
  return o;
}

// Runs `body`, turning storage's exceptions into a status.
template <class F>
status guarded(F&& body) {
  try {
    body();
    return status::success();
  } catch (const storage::storage_error& e) {
    return e.error_status();
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, e.what());
  }
}

backup_info to_public(const storage::backup_info& in) {
  return backup_info{in.pages, in.bytes, in.schema_version};
}

}  // namespace

status backup_database(const std::string& db_path, int64_t busy_timeout_ms,
                       const std::string& target, backup_info& out) {
  return guarded([&] {
    out = to_public(
        storage::backup_database(live_options(db_path, busy_timeout_ms, false), target));
  });
}

status restore_database(const std::string& db_path, int64_t busy_timeout_ms,
                        bool synchronous_full, const std::string& backup, backup_info& out) {
  return guarded([&] {
    out = to_public(storage::restore_database(
        live_options(db_path, busy_timeout_ms, synchronous_full), backup));
  });
}

std::vector<std::string> repairs_done_by_opening(const std::string& db_path) {
  return storage::repairs_done_by_opening(db_path);
}

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
