// storage/github_store.cpp: placeholder until the GitHub sync lands (issue: GitHub sync).
#include "storage/github_store.hpp"

#include "storage/database.hpp"

namespace gum::storage {

namespace {
[[noreturn]] void not_available() {
  throw storage_error(status::fail(status_code::failure, "GitHub sync is not available yet"));
}
}  // namespace

sync_result apply_github_changes(database&, const github_changes&, int64_t) { not_available(); }
sync_result diff_github_changes(database&, const github_changes&) { not_available(); }
int64_t record_failed_sync(database&, const sync_failure&, int64_t) { not_available(); }
github_snapshot read_github_snapshot(database&) { not_available(); }
std::vector<github_repo> query_github(database&, const github_query&) { not_available(); }

}  // namespace gum::storage
