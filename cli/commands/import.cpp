// cli/commands/import.cpp: `gum import --from zoxide|z|autojump FILE` (SPEC §3.2): another
// tool's directory database, as one transaction through the writer.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "core/dir_importers.hpp"
#include "core/paths.hpp"
#include "core/regular_file.hpp"
#include "cli/command.hpp"
#include "cli/option_values.hpp"
#include "core/dirs_exclude.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct import_args {
  std::string from;
  std::string file;
};

// Reads FILE whole. A missing file is a usage error (the user named the wrong file), one that
// exists but cannot be read is a permission error (SPEC §3 exit codes).
status read_import_file(const std::string& path, std::string& out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == EACCES)
      return status::fail(status_code::permission,
                          "cannot read " + path + ": " + std::strerror(errno));
    return status::fail(status_code::usage, "cannot read " + path + ": " + std::strerror(errno),
                        "pass the database file of the tool you import from");
  }
  if (S_ISDIR(st.st_mode))
    return status::fail(status_code::usage, path + " is a directory, not a file to import");
  // Never waits on a FIFO; stops at 256 MiB (a zoxide or z database is a few MB).
  constexpr std::size_t max_bytes = 256u * 1024 * 1024;
  auto r = read_regular_file(path, max_bytes, out);
  if (r.ok()) return status::success();
  if (r.what == file_read::failure::not_regular)
    return status::fail(status_code::usage, path + " is not a regular file to import");
  if (r.what == file_read::failure::too_large)
    return status::fail(status_code::usage, path + " is " + r.reason(max_bytes));
  return status::fail(r.what == file_read::failure::permission ? status_code::permission
                                                               : status_code::failure,
                      "cannot read " + path + ": " + r.reason(max_bytes));
}

status run_import(invocation& inv, const import_args& args) {
  if (args.from != "zoxide" && args.from != "z" && args.from != "autojump")
    return status::fail(status_code::usage,
                        "unknown --from '" + args.from + "' (expected zoxide, z or autojump)");
  const auto& env = inv.env();
  const std::string file = normalize_path(args.file, env.home, env.cwd);
  std::string text;
  if (auto st = read_import_file(file, text); !st.ok()) return st;
  std::vector<imported_dir> parsed;
  std::vector<std::string> skipped;
  if (auto st = parse_dir_import(args.from, text, parsed, skipped); !st.ok()) return st;
  if (auto st = inv.load_config(); !st.ok()) return st;
  std::vector<dir_entry> entries;
  int64_t excluded = 0;
  for (auto& d : parsed) {
    if (is_excluded(inv.cfg(), d.path)) {
      ++excluded;
      continue;
    }
    dir_entry e;
    e.path = std::move(d.path);
    e.rank = d.rank;
    e.last_seen = d.last_seen;
    entries.push_back(std::move(e));
  }
  // Malformed lines are reported (stderr, so stdout stays the summary) and skipped.
  if (!inv.globals().quiet) {
    for (auto& why : skipped) std::cerr << "gum: " << file << ": " << why << " (skipped)\n";
  } else if (!skipped.empty()) {
    std::cerr << "gum: " << file << ": " << skipped.size() << " malformed lines skipped\n";
  }
  int64_t imported = 0;
  if (!entries.empty()) {
    if (auto st = inv.start_engine(invocation::engine_kind::writer_only); !st.ok()) return st;
    if (auto st = inv.engine().call(imported, import_atom::value, std::move(entries)); !st.ok())
      return st;
  }
  std::string summary = "Imported " + count_of(imported, "directory", "directories") + " from " +
                        args.from + " (" +
                        count_of(static_cast<int64_t>(skipped.size()), "line", "lines") + " skipped";
  if (excluded > 0) summary += ", " + std::to_string(excluded) + " excluded";
  write_stdout(summary + ")\n");
  return status::success();
}

}  // namespace

void register_import(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<import_args>();
  auto* sub = app.add_subcommand("import", "Import another tool's directory database");
  accept_only(sub->add_option("--from", args->from, "zoxide, z or autojump")->required(), "source",
              {"zoxide", "z", "autojump"});
  sub->add_option("file", args->file,
                  "z: ~/.z; autojump: ~/.local/share/autojump/autojump.txt; zoxide: the "
                  "output of `zoxide query --list --score`")
      ->required();
  commands.push_back({sub, [args](invocation& inv) { return run_import(inv, *args); }});
}

}  // namespace gum::cli
