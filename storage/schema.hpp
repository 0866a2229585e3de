// storage/schema.hpp: the versioned schema (PRAGMA user_version) and its migrations.
//
// Migrations run in one BEGIN IMMEDIATE transaction, and re-read the version inside it, so two
// processes that open a fresh database at the same moment migrate it exactly once. A database
// whose version is above schema_version was written by a newer gum and is refused untouched
// (database::open checks that before calling migrate).
#pragma once

#include <cstdint>
#include <string>

namespace gum::storage {

class database;

/// The schema version this gum writes.
inline constexpr int64_t schema_version = 5;

/// Brings `db` from its user_version up to schema_version in one transaction.
void migrate(database& db);

/// The datasets that may appear in cache_metadata (anything else is an orphan).
inline constexpr const char* known_datasets[] = {"projects", "dirs", "github", "github_metadata"};

/// The SQL expression for dir_frecency.name of the path `path_expr` (a column or a parameter):
/// the ASCII-lower-cased bytes after the path's last '/'. The migration's triggers use the
/// same text, so every writer computes the same name.
std::string dir_name_sql(const std::string& path_expr);

/// dir_name_suffix holds the suffixes of a name that start at every name_suffix_stride-th
/// character (the 1st, 3rd, 5th...): a keyword of at least that many characters that occurs
/// in a name starts one of them, or its tail without its first character does. Half the rows
/// of every suffix, so aging that empties the table reads half the cells.
inline constexpr int name_suffix_stride = 2;

/// A SELECT of one column `v`: the suffixes of the text `text_expr` that dir_name_suffix keeps
/// (in characters), none for ''. The v5 triggers use the same text.
std::string name_suffixes_sql(const std::string& text_expr);

/// A DELETE of the suffixes of the name `name_expr` when no row of dir_frecency has that name
/// any more (the v5 triggers, and aging, which runs with triggers off).
std::string drop_unused_name_suffixes_sql(const std::string& name_expr);

/// A SELECT of (suffix, name): the rows dir_name_suffix should hold, from dir_frecency's names.
std::string all_name_suffixes_sql();

/// Empties dir_name_suffix and fills it again from dir_frecency's names (the migration, aging's
/// rebuild, and the integrity repair).
void rebuild_dir_name_suffixes(database& db);

/// The version of the SQLite library gum runs with ("3.45.1").
std::string sqlite_version();

}  // namespace gum::storage
