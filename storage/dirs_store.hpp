// storage/dirs_store.hpp: frecent directories (dir_usage and its one-row total, dir_stats).
//
// A visit and the aging it may trigger happen in the caller's one transaction (SPEC §3.2), so
// concurrent shells never lose a visit: each `gum add` is a BEGIN IMMEDIATE read-modify-write.
// The total rank is kept in dir_stats next to the rows it sums, so deciding whether to age
// costs one row read, not a scan.
#pragma once

#include <string>
#include <vector>

#include "actors/frecency.hpp"
#include "gum/messages.hpp"

namespace gum::storage {

class database;

inline constexpr double aging_threshold = 10000.0;  ///< total rank that triggers aging
inline constexpr double aging_target = 9000.0;      ///< total rank after aging

/// Adds 1 to the rank of each path (first_seen = now for new ones), then ages when the total
/// rank passes aging_threshold. Returns the number of visits recorded.
int64_t record_visits(database& db, const std::vector<std::string>& paths, int64_t now);

/// Adds imported entries (ranks added to existing ones), then ages. Returns rows touched.
int64_t import_dirs(database& db, const std::vector<imported_dir>& entries, int64_t now);

/// Every directory with its rank and times (scores are the caller's: they depend on `now`).
std::vector<dir_entry> load_dirs(database& db);

/// Removes the given paths (directories that no longer exist, unseen for long).
int64_t forget_dirs(database& db, const std::vector<std::string>& paths);

/// Empties dir_usage. Returns the rows removed.
int64_t clear_dirs(database& db);

}  // namespace gum::storage
