// cli/commands/dirs.cpp: `gum add`, `gum dirs`, `gum jump`, `gum init` and `gum import`
// (SPEC §3.2): frecent directories.
//
// Parse, then run, as in projects.cpp: the flags become a dir_query or a list of visits, the
// engine answers, output.cpp prints. Two commands are on a shell's hot path and are kept lean:
// - `gum add` runs on every `cd`. It filters its arguments (not a directory, excluded) before
//   anything else, so a visit that will be ignored never starts the actor system, and it starts
//   the engine with only the writer (engine_options::writer_only): one process, one
//   transaction, no readers, scanners or fetchers that it would never use.
// - `gum init` prints a script and never reads the config or the database.
// `gum jump` needs only the cache, and asks it for one entry: existence is checked best first.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "core/dir_importers.hpp"
#include "core/frecency.hpp"
#include "core/paths.hpp"
#include "core/shell_hooks.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct add_args {
  std::vector<std::string> paths;
};

struct dirs_args {
  std::vector<std::string> keywords;
  std::string format = "default";
  bool verbose = false;
  int64_t limit = -1;
  bool refresh = false;
  bool clear_cache = false;
  bool demo = false;
};

struct jump_args {
  std::vector<std::string> keywords;
};

struct init_args {
  std::string shell;
  std::string cmd = "j";
};

struct import_args {
  std::string from;
  std::string file;
};

void write_stdout(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

bool is_excluded(const config& cfg, const std::string& path) {
  return std::find(cfg.dirs_exclude.begin(), cfg.dirs_exclude.end(), path) !=
         cfg.dirs_exclude.end();
}

// ---- gum add -------------------------------------------------------------------------------

status run_add(context& ctx, const add_args& args) {
  if (auto st = ctx.load_config(); !st.ok()) return st;
  const auto& env = ctx.env();
  std::vector<std::string> visits;
  for (const auto& raw : args.paths) {
    if (raw.empty()) continue;
    std::string path = normalize_path(raw, env.home, env.cwd);
    // A shell hook must stay quiet: what is not a directory, or excluded, is simply not kept.
    if (!is_directory(path) || is_excluded(ctx.cfg(), path)) {
      ctx.debug("add: ignoring " + path);
      continue;
    }
    if (std::find(visits.begin(), visits.end(), path) == visits.end())
      visits.push_back(std::move(path));
  }
  if (visits.empty()) return status::success();
  if (auto st = ctx.start_engine(context::engine_kind::writer_only); !st.ok()) return st;
  int64_t recorded = 0;
  return ctx.engine().call(recorded, visit_atom::value, std::move(visits));
}

// ---- gum dirs ------------------------------------------------------------------------------

// `gum dirs --demo`: what a score is, as a small table of example ranks and ages.
void print_demo() {
  struct age {
    const char* label;
    int64_t seconds;
  };
  const age ages[] = {{"10 min ago", 600},
                      {"5 hours ago", 5 * 3600},
                      {"3 days ago", 3 * 86400},
                      {"1 month ago", 30 * 86400}};
  const double ranks[] = {1, 5, 20, 100};
  std::ostringstream out;
  out << "score = rank x 4 (last visit under 1 hour ago), x 2 (under 1 day), x 0.5 (under 1 "
         "week), x 0.25 (older)\n";
  char cell[64];
  std::snprintf(cell, sizeof cell, "%6s", "rank");
  out << cell;
  for (const auto& a : ages) {
    std::snprintf(cell, sizeof cell, "  %12s", a.label);
    out << cell;
  }
  out << '\n';
  const int64_t now = 1700000000;
  for (double rank : ranks) {
    std::snprintf(cell, sizeof cell, "%6g", rank);
    out << cell;
    for (const auto& a : ages) {
      std::snprintf(cell, sizeof cell, "  %12g", frecency_score(rank, now - a.seconds, now));
      out << cell;
    }
    out << '\n';
  }
  out << "a visit adds 1 to the rank; when all ranks add up to more than 10000 they are scaled "
         "to 9000 and ranks below 1 are dropped\n";
  write_stdout(out.str());
}

status run_dirs(context& ctx, const dirs_args& args) {
  if (!is_dirs_format(args.format))
    return status::fail(status_code::usage, "unknown format '" + args.format +
                                                "' (expected default, simple, json or fzf)");
  if (args.limit < -1) return status::fail(status_code::usage, "--limit must be 0 or more");
  if (args.demo) {
    print_demo();
    return status::success();
  }
  if (auto st = ctx.start_engine(); !st.ok()) return st;
  auto& eng = ctx.engine();
  if (args.clear_cache) {
    int64_t removed = 0;
    if (auto st = eng.call(removed, clear_atom::value, std::string("dirs")); !st.ok()) return st;
    write_stdout("Directories cache cleared (" + std::to_string(removed) + " entries)\n");
    return status::success();
  }
  if (args.refresh) {
    int64_t sampled = 0;
    if (auto st = eng.call(sampled, sample_atom::value); !st.ok()) return st;
    ctx.debug("refresh: recorded " + std::to_string(sampled) + " process directories");
  }
  dir_query query;
  query.keywords = args.keywords;
  query.limit = args.limit;
  std::vector<dir_entry> dirs;
  if (auto st = eng.call(dirs, dirs_atom::value, query); !st.ok()) return st;
  std::ostringstream out;
  print_dirs(out, dirs, args.format, ctx.env().home, args.verbose);
  write_stdout(out.str());
  return status::success();
}

// ---- gum jump ------------------------------------------------------------------------------

status run_jump(context& ctx, const jump_args& args) {
  // No database yet means no visit yet: nothing to jump to (and a reader does not create one).
  struct stat st_db;
  if (::stat(ctx.database_path().c_str(), &st_db) != 0 && errno == ENOENT)
    return status::fail(status_code::failure, "");
  if (auto st = ctx.start_engine(context::engine_kind::reader_only); !st.ok()) return st;
  dir_query query;
  query.keywords = args.keywords;
  query.limit = 2;
  query.exclude_path = ctx.env().cwd;
  std::vector<dir_entry> dirs;
  if (auto st = ctx.engine().call(dirs, dirs_atom::value, query); !st.ok()) return st;
  ctx.debug("query answered: " + std::to_string(dirs.size()) + " candidates");
  // The shell hook records $PWD, which may name the current directory through a symlink
  // while the working directory is its real path: compare the directories themselves too.
  struct stat here;
  bool know_here = ::stat(".", &here) == 0;
  for (const auto& d : dirs) {
    struct stat there;
    if (know_here && ::stat(d.path.c_str(), &there) == 0 && there.st_dev == here.st_dev &&
        there.st_ino == here.st_ino)
      continue;
    write_stdout(d.path + "\n");
    return status::success();
  }
  return status::fail(status_code::failure, "");  // exit 1, no output
}

// ---- gum init ------------------------------------------------------------------------------

std::string running_binary() {
  std::string buffer(4096, '\0');
  ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return "gum";
  buffer.resize(static_cast<size_t>(n));
  return buffer;
}

status run_init(const init_args& args) {
  std::string script;
  if (auto st = shell_init_script(args.shell, args.cmd, running_binary(), script); !st.ok())
    return st;
  write_stdout(script);
  return status::success();
}

// ---- gum import ----------------------------------------------------------------------------

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
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    auto code = errno == EACCES || errno == EPERM ? status_code::permission : status_code::failure;
    return status::fail(code, "cannot read " + path + ": " + std::strerror(errno));
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return status::fail(status_code::failure, "cannot read " + path + ": " + std::strerror(e));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return status::success();
}

status run_import(context& ctx, const import_args& args) {
  if (args.from != "zoxide" && args.from != "z" && args.from != "autojump")
    return status::fail(status_code::usage,
                        "unknown --from '" + args.from + "' (expected zoxide, z or autojump)");
  const auto& env = ctx.env();
  const std::string file = normalize_path(args.file, env.home, env.cwd);
  std::string text;
  if (auto st = read_import_file(file, text); !st.ok()) return st;
  std::vector<imported_dir> parsed;
  std::vector<std::string> skipped;
  if (auto st = parse_dir_import(args.from, text, parsed, skipped); !st.ok()) return st;
  if (auto st = ctx.load_config(); !st.ok()) return st;
  std::vector<dir_entry> entries;
  int64_t excluded = 0;
  for (auto& d : parsed) {
    if (is_excluded(ctx.cfg(), d.path)) {
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
  if (!ctx.globals().quiet) {
    for (auto& why : skipped) std::cerr << "gum: " << file << ": " << why << " (skipped)\n";
  } else if (!skipped.empty()) {
    std::cerr << "gum: " << file << ": " << skipped.size() << " malformed lines skipped\n";
  }
  int64_t imported = 0;
  if (!entries.empty()) {
    if (auto st = ctx.start_engine(context::engine_kind::writer_only); !st.ok()) return st;
    if (auto st = ctx.engine().call(imported, import_atom::value, std::move(entries)); !st.ok())
      return st;
  }
  std::string summary = "Imported " + std::to_string(imported) + " directories from " +
                        args.from + " (" + std::to_string(skipped.size()) + " lines skipped";
  if (excluded > 0) summary += ", " + std::to_string(excluded) + " excluded";
  write_stdout(summary + ")\n");
  return status::success();
}

}  // namespace

void register_dirs(CLI::App& app, std::vector<command>& commands) {
  {
    auto args = std::make_shared<add_args>();
    auto* sub = app.add_subcommand("add", "Record a visit to each directory (the shell hook)");
    sub->add_option("paths", args->paths, "Directories (relative to the current one)")
        ->required();
    commands.push_back({sub, [args](context& ctx) { return run_add(ctx, *args); }});
  }
  {
    auto args = std::make_shared<dirs_args>();
    auto* sub = app.add_subcommand("dirs", "List frecent directories, best first");
    sub->add_option("keywords", args->keywords, "Keywords, in order; the last one in the last "
                                                "path component");
    sub->add_option("-f,--format", args->format, "default, simple, json or fzf");
    sub->add_flag("-v,--verbose", args->verbose, "Print SCORE<TAB>PATH");
    sub->add_option("-n,--limit", args->limit, "Print at most N directories");
    sub->add_flag("--refresh", args->refresh,
                  "First record the working directories of your processes under $HOME");
    sub->add_flag("--clear-cache", args->clear_cache, "Forget every directory");
    sub->add_flag("--demo", args->demo, "Show how scores follow from ranks and ages");
    commands.push_back({sub, [args](context& ctx) { return run_dirs(ctx, *args); }});
  }
  {
    auto args = std::make_shared<jump_args>();
    auto* sub = app.add_subcommand("jump", "Print the best frecent match (not the current one)");
    sub->add_option("keywords", args->keywords, "Keywords, as for `gum dirs`");
    commands.push_back({sub, [args](context& ctx) { return run_jump(ctx, *args); }});
  }
  {
    auto args = std::make_shared<init_args>();
    auto* sub = app.add_subcommand("init", "Print the shell hook: eval \"$(gum init bash)\"");
    sub->add_option("shell", args->shell, "bash, zsh or fish")->required();
    sub->add_option("--cmd", args->cmd, "Name of the jump function (default j)");
    commands.push_back({sub, [args](context&) { return run_init(*args); }});
  }
  {
    auto args = std::make_shared<import_args>();
    auto* sub = app.add_subcommand("import", "Import another tool's directory database");
    sub->add_option("--from", args->from, "zoxide, z or autojump")->required();
    sub->add_option("file", args->file,
                    "z: ~/.z; autojump: ~/.local/share/autojump/autojump.txt; zoxide: the "
                    "output of `zoxide query --list --score`")
        ->required();
    commands.push_back({sub, [args](context& ctx) { return run_import(ctx, *args); }});
  }
}

}  // namespace gum::cli
