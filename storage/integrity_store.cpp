// storage/integrity_store.cpp: placeholder until `gum integrity` lands (issue: integrity).
#include "storage/integrity_store.hpp"

#include "storage/database.hpp"

namespace gum::storage {

integrity_report run_integrity_checks(database&, const audit_options&, const std::string&) {
  throw storage_error(status::fail(status_code::failure, "integrity checks are not available yet"));
}
std::vector<std::string> repair(database&, int64_t) {
  throw storage_error(status::fail(status_code::failure, "repair is not available yet"));
}

}  // namespace gum::storage
