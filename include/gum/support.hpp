// gum/support.hpp: the functions a front end needs besides the engine.
//
// engine.hpp is the engine; this header holds the rest of what the gum CLI uses, so that the
// CLI is built on the public API alone: the path rules gum stores paths by, the projects query
// semantics (to filter a list a refresh returned), what a .git folder says, remote URLs and the
// GitHub token, frecency scores, shell hooks and other tools' databases, database backups, and
// the versions of the libraries. Every function is thread-safe; those that touch files or run
// programs say so. None throws: failures come back as gum::status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

// ---- paths -------------------------------------------------------------------------------

/// Normalises `path` as gum stores it: `~` expanded with `home`, relative paths made absolute
/// against `cwd`, no `.`, `..`, repeated or trailing slash. Lexical: never touches the disk.
std::string normalize_path(std::string_view path, std::string_view home, std::string_view cwd);

/// True when `path` is `prefix` or lies below it (component-wise: /home/bob2 is not under
/// /home/bob). Both must be normalised.
bool path_is_under(std::string_view path, std::string_view prefix);

/// Replaces a leading `home` with `~` for display.
std::string tilde_path(std::string_view path, std::string_view home);

/// The last component of a normalised path ("/" for "/").
std::string_view path_basename(std::string_view path);

// ---- projects ----------------------------------------------------------------------------

/// Applies a projects query (search, similar or path order, limit) to a list, as the engine
/// does to what it reads.
void apply_query(std::vector<project>& projects, const project_query& query);

/// What a project's .git says about it.
struct git_metadata {
  std::string kind = "repo";              ///< repo, worktree or submodule
  std::optional<std::string> remote_url;  ///< origin, else the first remote
  std::optional<std::string> branch;      ///< null when detached or unreadable
};

/// Reads HEAD and config of the project at `project_dir` (which holds `.git`, a directory or
/// a `gitdir:` file) without running git. For a worktree, HEAD comes from its gitdir and the
/// remote from the common directory named by `commondir`. Reads files.
git_metadata read_git_metadata(const std::string& project_dir);

// ---- GitHub ------------------------------------------------------------------------------

/// owner/name on a host, parsed from a Git remote URL.
struct remote_ref {
  std::string host;   ///< lower-case, e.g. github.com
  std::string owner;  ///< as written
  std::string name;   ///< without .git
};

/// Parses https://host/o/r(.git), http://, git@host:o/r(.git), ssh://[user@]host[:port]/o/r(.git)
/// and git://host/o/r. Exactly two path segments; the host loses user and port. Returns nullopt
/// for anything else (local paths, file://, hostile input included).
std::optional<remote_ref> parse_remote_url(std::string_view url);

/// The host of an API base URL as a Git host: https://api.github.com -> github.com,
/// https://HOST/api/v3 -> HOST. Lower-case and without a port (http://127.0.0.1:8080 ->
/// 127.0.0.1), like remote_ref::host, so the two compare directly.
std::string git_host_for_api(std::string_view api_url);

/// The token: GH_TOKEN, then GITHUB_TOKEN, then the output of `token_command` (run without a
/// shell, split on spaces, via posix_spawn). Empty when none is found. Runs a program.
std::string resolve_github_token(const std::string& token_command);

// ---- frecent directories -----------------------------------------------------------------

/// rank x 4 (last visit under 1 hour ago), x 2 (under 1 day), x 0.5 (under 1 week), else x 0.25.
double frecency_score(double rank, int64_t last_seen, int64_t now);

/// The shell hook for `gum init SHELL --cmd NAME`. `gum_path` is the absolute binary path.
/// Fails with status_code::usage for an unknown shell or an invalid command name.
status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out);

/// One directory imported from another tool.
struct imported_dir {
  std::string path;
  double rank = 0;
  int64_t last_seen = 0;  ///< unix seconds; 0 when the format has none
};

/// Parses another tool's database: "z" (path|rank|time), "autojump" (weight<TAB>path) or
/// "zoxide" (`zoxide query --list --score`: "  SCORE PATH"). Malformed lines are skipped and
/// described in `skipped` ("line N: why"); unknown formats fail with status_code::usage.
status parse_dir_import(const std::string& format, std::string_view text,
                        std::vector<imported_dir>& out, std::vector<std::string>& skipped);

// ---- database files ----------------------------------------------------------------------

/// What a backup or restore copied.
struct backup_info {
  int64_t pages = 0;
  int64_t bytes = 0;
  int64_t schema_version = 0;
};

/// Copies the live database at `db_path` to `target` with SQLite's online backup API: a
/// consistent snapshot even while other processes write. The copy is 0600.
status backup_database(const std::string& db_path, int64_t busy_timeout_ms,
                       const std::string& target, backup_info& out);

/// Checks `backup` (SQLite, integrity_check, schema not newer) and then replaces the live
/// database at `db_path` with it atomically; a bad backup leaves the live database untouched.
status restore_database(const std::string& db_path, int64_t busy_timeout_ms,
                        bool synchronous_full, const std::string& backup, backup_info& out);

/// What SQLite itself will fix when the file at `db_path` is next opened read-write (a hot
/// journal rolled back, journal_mode switched to WAL), phrased as done. Reads the header only.
std::vector<std::string> repairs_done_by_opening(const std::string& db_path);

// ---- versions ----------------------------------------------------------------------------

/// Versions of gum and of the libraries it runs with, as "name: version" pairs in a fixed order
/// (gum, commit, built, compiler, CAF, SQLite, libcurl, Boost). Loads libcurl to ask it.
std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace gum
