// storage/legacy_store.hpp: SQL for `gum migrate`: the Go gum's legacy caches, imported.
//
// The whole import is one function called inside the writer's one transaction, so a reader
// sees the database before the migration or after it, never half of it. It is built to be
// re-run safely (idempotent):
// - roots are inserted when missing; a known root only gains the legacy last_scanned and
//   repo_count where it had none;
// - projects are inserted when missing; a path already indexed (by a scan, newer than any
//   legacy cache) is left as it is;
// - a directory's rank becomes max(its rank, the legacy score), never the sum, so importing the
//   same cwds twice adds nothing the second time (unless the first import aged the table).
#pragma once

#include <cstdint>

#include "gum/messages.hpp"

namespace gum::storage {

class database;

/// Applies `legacy` (see legacy_import_result for what is counted). Each project goes under
/// the longest root that contains it among the legacy roots, `known_roots` and the roots
/// already stored; a project under none gets its parent folder as its root. Marks the projects
/// index built when it was not (last_updated = the legacy timestamp), so `gum projects` shows
/// the imported list at once. Must run inside a write_transaction.
legacy_import_result apply_legacy_import(database& db, const legacy_import& legacy, int64_t now);

}  // namespace gum::storage
