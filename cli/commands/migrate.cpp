// cli/commands/migrate.cpp: `gum migrate [--from DIR] [--backup PATH] [--restore PATH]`
// (SPEC §3.6).
//
// Import: the Go gum's legacy caches are read and parsed (core/legacy_cache.hpp) completely,
// before anything is written. A file that does not parse is reported and left out as a whole
// (never half of it); everything that did parse goes to the writer as ONE migrate_atom message,
// so the import is one transaction. The rules that make a re-run change nothing are in storage/legacy_store.hpp.
// The files (keys of JSON objects are matched case-insensitively: the Go gum wrote "Path" and
// read "path"):
//   $DIR/projects.json       {"data": [{"Path", "Remote", "Branch"}], "timestamp", "ttl"}
//   $DIR/project-dirs.json   {"data": [{"path", "last_scanned", "git_count"}]}
//   $DIR/cwds                lines "<score> <path>"
//   ~/.config/projects-dirs.list   one root per line, # comments
// A file that is malformed makes the command exit 1 after the others were imported.
//
// --backup and --restore do not start the engine: they are one storage call each (the online
// backup API, storage/backup.hpp), which must not run inside the writer's transaction.
#include <sys/stat.h>

#include <iostream>
#include <sstream>

#include "core/paths.hpp"
#include "gum/backup.hpp"
#include "cli/command.hpp"
#include "core/legacy_cache.hpp"

namespace gum::cli {

namespace {

struct migrate_args {
  std::string from;
  std::string backup;
  std::string restore;
};

status run_import(invocation& inv, const migrate_args& args) {
  if (auto st = inv.load_config(); !st.ok()) return st;
  const auto& env = inv.env();
  std::string dir = args.from.empty() ? normalize_path(env.xdg_cache_home, env.home, env.cwd) + "/gum"
                                      : normalize_path(args.from, env.home, env.cwd);
  if (!args.from.empty()) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return status::fail(status_code::usage, "--from " + args.from + ": no such folder");
  }

  legacy_import legacy;
  legacy.known_roots = inv.cfg().roots;
  std::vector<legacy_file> files(4);
  std::string text;
  int64_t mtime = 0;
  // Roots first, so that projects find them.
  files[0].path = dir + "/project-dirs.json";
  if (read_legacy_file(files[0].path, files[0], text, nullptr))
    parse_project_dirs_json(text, env, files[0], legacy.roots);
  files[1].path = normalize_path(".config/projects-dirs.list", env.home, env.home);
  if (read_legacy_file(files[1].path, files[1], text, nullptr))
    parse_dirs_list(text, env, files[1], legacy.roots);
  files[2].path = dir + "/projects.json";
  if (read_legacy_file(files[2].path, files[2], text, nullptr))
    parse_projects_json(text, env, files[2], legacy);
  files[3].path = dir + "/cwds";
  if (read_legacy_file(files[3].path, files[3], text, &mtime))
    parse_cwds(text, mtime, env, inv.cfg(), files[3], legacy.dirs);

  int64_t skipped = 0, found = 0;
  for (auto& f : files) {
    if (!f.found) {
      inv.debug("migrate: no " + f.path);
      continue;
    }
    ++found;
    if (!f.error.empty()) {
      ++skipped;
      std::cerr << "gum: skipped " << f.path << ": " << f.error << '\n';
    }
  }
  if (found == 0) {
    std::cout << "Nothing to migrate: no legacy gum caches in " << dir << '\n';
    return status::success();
  }
  for (auto& r : legacy.roots) {
    bool configured = false;
    for (auto& c : inv.cfg().roots) configured = configured || c == r.path;
    if (!configured)
      inv.warn("legacy root " + r.path + " is not a configured project root; " +
               "`gum projects --refresh` will drop it (add it to projects: in config.yaml)");
  }

  legacy_import_result result;
  if (!legacy.roots.empty() || !legacy.projects.empty() || !legacy.dirs.empty()) {
    if (auto st = inv.start_engine(invocation::engine_kind::writer_only); !st.ok()) return st;
    if (auto st = inv.engine().call(result, migrate_atom::value, std::move(legacy)); !st.ok())
      return st;
  }
  std::ostringstream out;
  out << "Migrated from " << dir << ":\n";
  const char* units[] = {"roots", "roots", "projects", "directories"};
  for (size_t i = 0; i < files.size(); ++i) {
    if (!files[i].found) continue;
    out << "  " << files[i].path << ": ";
    if (files[i].error.empty())
      out << files[i].items << ' ' << units[i] << '\n';
    else
      out << "skipped (" << files[i].error << ")\n";
  }
  out << "Added " << result.roots_added << " roots, " << result.projects_added << " projects";
  if (result.projects_new_roots > 0)
    out << " (" << result.projects_new_roots << " under their parent folder as a new root)";
  out << ", " << result.dirs_added << " directories; raised " << result.dirs_raised
      << " directory ranks\n";
  std::cout << out.str();
  if (skipped > 0)
    return status::fail(status_code::failure,
                        std::to_string(skipped) + (skipped == 1 ? " legacy file was" : " legacy files were") +
                            " skipped; everything else was imported",
                        "fix or remove the file and run `gum migrate` again (it is safe to repeat)");
  return status::success();
}

status run_backup(invocation& inv, const migrate_args& args) {
  if (auto st = inv.load_config(); !st.ok()) return st;
  const auto& env = inv.env();
  std::string target = normalize_path(args.backup, env.home, env.cwd);
  backup_info info;
  if (auto st = backup_database(inv.database_path(), inv.cfg().busy_timeout_ms, target, info);
      !st.ok())
    return st;
  std::cout << "Backed up " << inv.database_path() << " to " << target << " (" << info.pages
            << " pages, " << info.bytes << " bytes)\n";
  return status::success();
}

status run_restore(invocation& inv, const migrate_args& args) {
  if (auto st = inv.load_config(); !st.ok()) return st;
  const auto& env = inv.env();
  std::string source = normalize_path(args.restore, env.home, env.cwd);
  backup_info info;
  if (auto st = restore_database(inv.database_path(), inv.cfg().busy_timeout_ms,
                                 inv.cfg().synchronous_full, source, info);
      !st.ok())
    return st;
  std::cout << "Restored " << inv.database_path() << " from " << source << " (" << info.pages
            << " pages, schema version " << info.schema_version << ")\n";
  return status::success();
}

}  // namespace

void register_migrate(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<migrate_args>();
  auto* sub = app.add_subcommand(
      "migrate", "Import the Go gum's caches, or back up or restore the database");
  auto* from = sub->add_option("--from", args->from,
                               "Folder of the legacy caches (default $XDG_CACHE_HOME/gum)")
                   ->type_name("DIR");
  auto* backup = sub->add_option("--backup", args->backup,
                                 "Copy the database to PATH (consistent while others write)")
                     ->type_name("PATH");
  auto* restore = sub->add_option("--restore", args->restore,
                                  "Check the backup at PATH, then replace the database with it")
                      ->type_name("PATH");
  backup->excludes(restore);
  from->excludes(backup);
  from->excludes(restore);
  commands.push_back({sub, [args](invocation& inv) {
                        if (!args->backup.empty()) return run_backup(inv, *args);
                        if (!args->restore.empty()) return run_restore(inv, *args);
                        return run_import(inv, *args);
                      }});
}

}  // namespace gum::cli
