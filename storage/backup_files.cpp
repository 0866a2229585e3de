// storage/backup_files.cpp: gum/backup.hpp, the public face of storage's backup and journal code.
//
// Storage reports errors as exceptions internally; the public API never throws, so each call is
// wrapped here and its exception turned into a gum::status.
#include "gum/backup.hpp"

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/integrity_store.hpp"

namespace gum {

namespace {

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

}  // namespace gum
