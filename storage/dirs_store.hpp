// storage/dirs_store.hpp: frecent directories (dir_frecency, its scale factor dir_scale, the
// view dir_usage of real ranks, and the one-row total, dir_stats).
//
// A visit and the aging it may trigger happen in the caller's one transaction (SPEC §3.2), so
// concurrent shells never lose a visit: each `gum add` is a BEGIN IMMEDIATE read-modify-write.
// `gum add` runs on every `cd`, so a visit costs a handful of indexed row operations and never a
// scan of dir_usage:
// - the total rank is kept in dir_stats next to the rows it sums, so deciding whether to age
//   costs one row read;
// - cache_metadata's item_count for "dirs" is adjusted by the rows added or removed instead of
//   being recounted.
// - aging (once per ~1 000 visits once the total has reached 10 000) multiplies one scale
//   factor and deletes through an index the rows that fall below 1: it costs what it drops.
//
// Every function takes `now` (unix seconds) instead of reading the clock, so tests can age.
// Errors are thrown as storage_error, like the rest of storage/.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/dir_importers.hpp"
#include "gum/messages.hpp"

namespace gum::storage {

class database;

inline constexpr double aging_threshold = 10000.0;  ///< total rank that triggers aging
inline constexpr double aging_target = 9000.0;      ///< total rank after aging

/// Adds 1 to the rank of each path (first_seen = last_seen = now for new ones), then ages when
/// the total rank passes aging_threshold. Returns the number of visits recorded.
int64_t record_visits(database& db, const std::vector<std::string>& paths, int64_t now,
                      bool* aged = nullptr);

/// Adds imported entries (ranks added to existing ones, last_seen the later of the two; 0 means
/// now), then ages. Returns the number of entries applied.
int64_t import_dirs(database& db, const std::vector<imported_dir>& entries, int64_t now);

/// The directories whose path contains every keyword in order, case-insensitively (all of them
/// when there are no keywords). This is a prefilter done by SQLite: callers still apply
/// keywords_match for the last-component rule. Scores are the caller's: they depend on `now`.
std::vector<dir_entry> load_dirs(database& db, const std::vector<std::string>& keywords = {});

/// As load_dirs, but hands each row to `visit` as it is read (no list is built); `visit`
/// returns false to stop. Ranks are real (SPEC §3.2). Returns the rows read. A keyword query
/// reads the index of last components and fetches only the rows whose last component holds
/// the last keyword.
int64_t for_each_dir(database& db, const std::vector<std::string>& keywords,
                     const std::function<bool(dir_entry&&)>& visit);

/// The scale factor of the stored ranks (dir_scale; 1 until the first aging). For tests and
/// integrity: readers get real ranks from load_dirs and the dir_usage view.
double rank_scale(database& db);

/// The paths last seen before `cutoff` (unix seconds), candidates for forgetting when they no
/// longer exist.
std::vector<std::string> dirs_seen_before(database& db, int64_t cutoff);

/// Removes the given paths (directories that no longer exist, unseen for long). Returns the
/// rows removed.
int64_t forget_dirs(database& db, const std::vector<std::string>& paths);

/// Removes exactly the given paths (`gum dirs remove`). All or nothing: when one of them is
/// not in dir_usage, throws storage_error (status_code::failure) naming it and deletes none.
/// Returns the rows removed.
int64_t remove_dirs(database& db, const std::vector<std::string>& paths);

/// Empties dir_usage. Returns the rows removed.
int64_t clear_dirs(database& db);

/// The total rank as dir_stats keeps it (summed when dir_stats has no row).
double total_rank(database& db);

}  // namespace gum::storage
