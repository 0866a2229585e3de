// cli/commands/import.cpp: `gum import --from zoxide|z|autojump [FILE|-]` (SPEC §3.2): another
// tool's directory database, as one transaction through the writer.
//
// Where the text comes from (docs/dirs.md, "Importing"):
// - FILE, or `-` for standard input;
// - no FILE: the tool's own default database: z's $_Z_DATA or ~/.z, autojump's
//   $XDG_DATA_HOME/autojump/autojump.txt, and for zoxide what `zoxide query --list --score`
//   prints (zoxide must be on PATH: its db.zo is a binary format only zoxide reads);
// - a FILE (or stdin) that is zoxide's binary db.zo is read the same way, through a copy in a
//   temporary folder, so zoxide never touches the original.
// Everything is read and parsed before the engine starts: a bad source writes nothing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/dir_importers.hpp"
#include "core/paths.hpp"
#include "core/process.hpp"
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

// Standard input, whole (at most 256 MiB).
status read_stdin(std::string& out) {
  constexpr std::size_t max_bytes = 256u * 1024 * 1024;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return status::fail(status_code::failure,
                          std::string("cannot read standard input: ") + std::strerror(errno));
    if (n == 0) return status::success();
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes)
      return status::fail(status_code::usage, "standard input is larger than 256 MiB");
  }
}

// zoxide on PATH, or the error that says why it is needed.
status find_zoxide(const environment& env, const std::string& why, std::string& zoxide) {
  const std::string path =
      env.variables.count("PATH") ? env.variable("PATH") : "/usr/local/bin:/usr/bin:/bin";
  zoxide = find_program("zoxide", path);
  if (!zoxide.empty()) return status::success();
  return status::fail(status_code::usage, why + " needs zoxide, which is not on PATH",
                      "install zoxide, or pass what `zoxide query --list --score` prints as "
                      "FILE (or on stdin, `-`)");
}

// zoxide's binary database `db`, read by zoxide itself from a copy in a private temporary
// folder (zoxide may rewrite the database it reads; the user's file stays as it was).
status read_zoxide_binary(const environment& env, const std::string& zoxide,
                          const std::string& db, std::string& text) {
  std::string tmp = env.variable("TMPDIR");
  if (tmp.empty() || tmp.front() != '/') tmp = "/tmp";
  std::string dir = tmp + "/gum-import-XXXXXX";
  if (!::mkdtemp(dir.data()))
    return status::fail(status_code::failure,
                        "cannot make a temporary folder in " + tmp + ": " + std::strerror(errno));
  status st;
  {
    std::string copy = dir + "/db.zo";
    int fd = ::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool written = fd >= 0 && ::write(fd, db.data(), db.size()) == static_cast<ssize_t>(db.size());
    if (fd >= 0) written = ::close(fd) == 0 && written;
    st = written ? run_zoxide_query(zoxide, dir, text)
                 : status::fail(status_code::failure, "cannot copy zoxide's database to " + dir);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return st;
}

status run_import(invocation& inv, const import_args& args) {
  if (args.from != "zoxide" && args.from != "z" && args.from != "autojump")
    return status::fail(status_code::usage,
                        "unknown --from '" + args.from + "' (expected zoxide, z or autojump)");
  const auto& env = inv.env();
  std::string file;  // what messages call the source
  std::string text;
  if (args.file == "-") {
    file = "stdin";
    if (auto st = read_stdin(text); !st.ok()) return st;
  } else if (!args.file.empty()) {
    file = normalize_path(args.file, env.home, env.cwd);
    if (auto st = read_import_file(file, text); !st.ok()) return st;
  } else if (args.from == "zoxide") {
    file = "zoxide query --list --score";
    std::string zoxide;
    if (auto st = find_zoxide(env, "--from zoxide without a FILE", zoxide); !st.ok()) return st;
    if (auto st = run_zoxide_query(zoxide, "", text); !st.ok()) return st;
  } else {
    file = default_import_file(args.from, env);
    if (auto st = read_import_file(file, text); !st.ok()) {
      st.message += " (" + args.from + "'s default database)";
      st.hint = "pass the database file to import, or `-` for standard input";
      return st;
    }
  }
  if (args.from == "zoxide" && is_zoxide_binary_database(text)) {
    std::string zoxide;
    if (auto st = find_zoxide(env, "reading zoxide's binary database " + file, zoxide); !st.ok())
      return st;
    std::string db = std::move(text);
    text.clear();
    if (auto st = read_zoxide_binary(env, zoxide, db, text); !st.ok()) return st;
  }
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
                  "The file to import, or - for stdin (default: z: ~/.z; autojump: "
                  "~/.local/share/autojump/autojump.txt; zoxide: `zoxide query --list --score`)");
  commands.push_back({sub, [args](invocation& inv) { return run_import(inv, *args); }});
}

}  // namespace gum::cli
