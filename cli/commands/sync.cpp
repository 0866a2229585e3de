// cli/commands/sync.cpp: `gum sync` (alias `gum update`), SPEC §3.3.
//
// Parse, then run: the flags become one sync_options (with the token and API URL resolved
// here, so the engine never reads the environment), the engine runs the sync, and this file
// prints the +/- lines and the summary.
//
// SIGINT/SIGTERM (cli/signals.hpp) set the engine's cancel flag, so the run stops promptly with
// nothing applied and the command exits 130 or 143 with `gum: interrupted`.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"
#include "cli/signals.hpp"
#include "core/github_token.hpp"

namespace gum::cli {

namespace {

struct sync_args {
  std::string type = "incremental";
  bool dry_run = false;
  int jobs = 4;
  int64_t max_wait = 60;
};

// The summary; on a terminal its first words are green (bold for a dry run).
std::string summary_line(const sync_result& r, bool dry_run, const output_style& style = {}) {
  std::ostringstream s;
  s << (dry_run ? paint(style, paint_kind::heading, "Sync dry run")
                : paint(style, paint_kind::good, "Sync completed"))
    << " (" << r.type << "): " << count_of(r.total, "repository", "repositories") << ", ";
  if (r.type == "metadata") {
    s << r.updated << " updated; " << count_of(r.requests, "request", "requests") << ", "
      << r.not_modified << " not modified";
  } else {
    s << r.added << " new, " << r.updated << " updated, " << r.removed << " removed; "
      << count_of(r.pages, "page", "pages") << ", " << r.not_modified << " not modified";
  }
  if (dry_run) s << "; nothing was written";
  return s.str();
}

status run_sync(invocation& inv, const sync_args& args) {
  if (args.jobs < 1 || args.jobs > 64)
    return status::fail(status_code::usage, "--jobs must be between 1 and 64");
  if (args.max_wait < 0) return status::fail(status_code::usage, "--max-wait must be 0 or more");
  if (auto st = inv.load_config(); !st.ok()) return st;

  sync_options opts;
  opts.type = args.type;
  opts.dry_run = args.dry_run;
  opts.jobs = args.jobs;
  opts.max_wait_seconds = args.max_wait;
  opts.api_url = inv.github_api_url();
  // Under --remote the server syncs with its own token: the client's is never read or sent.
  if (!inv.remote()) opts.token = resolve_github_token(inv.env(), inv.cfg().github_token_command);
  if (opts.token.empty() && !inv.remote())
    return status::fail(status_code::usage, "no GitHub token",
                        "set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login` (config "
                        "github.token_command)");
  opts.debug = inv.globals().debug;
  opts.progress = !inv.globals().quiet && isatty(STDERR_FILENO) == 1;
  inv.debug("sync: " + opts.type + (opts.dry_run ? " (dry run)" : "") + " against " +
            opts.api_url);

  signal_watcher signals;  // before the engine: its threads inherit the blocked signals
  inv.set_cancel_flag(signals.flag());
  status st = inv.start_engine();
  sync_result result;
  if (st.ok()) st = inv.engine().call(result, sync_atom::value, opts);
  if (auto stop = inv.stop_engine(); st.ok()) st = stop;  // while signals are still watched
  if (!st.ok()) return signals.exit_status(st);
  const output_style style = inv.style();
  for (const auto& line : result.changes) {
    // "+ owner/repo" green, "- owner/repo" red, "~ owner/repo" yellow, on a terminal.
    const char mark = line.empty() ? ' ' : line[0];
    const paint_kind kind = mark == '+'   ? paint_kind::good
                            : mark == '-' ? paint_kind::bad
                                          : paint_kind::changed;
    std::cout << paint(style, kind, escape_line_field(line)) << '\n';
  }
  for (const auto& line : result.warnings) inv.warn(escape_line_field(line));
  std::cout << summary_line(result, opts.dry_run, style) << '\n';
  std::fflush(stdout);
  return status::success();
}

}  // namespace

void register_sync(CLI::App& app, std::vector<command>& commands) {
  auto sargs = std::make_shared<sync_args>();
  auto* sync = app.add_subcommand("sync", "Update the local copy of your GitHub repositories");
  sync->alias("update");
  accept_only(sync->add_option("-t,--type", sargs->type, "full, incremental (default) or metadata"),
              "sync type", {"full", "incremental", "metadata"});
  sync->add_flag("-n,--dry-run", sargs->dry_run, "Fetch, print what would change, write nothing");
  sync->add_option("-j,--jobs", sargs->jobs, "Metadata requests in flight (default 4)");
  sync->add_option("--max-wait", sargs->max_wait,
                   "Seconds a run may wait for rate limits (default 60)");
  commands.push_back({sync, [sargs](invocation& inv) { return run_sync(inv, *sargs); }});
}

}  // namespace gum::cli
