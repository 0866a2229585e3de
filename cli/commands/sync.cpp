// cli/commands/sync.cpp: `gum sync` (alias `gum update`) and `gum github`, SPEC §3.3.
//
// Parse, then run: the flags become one sync_options (with the token and API URL resolved
// here, so the engine never reads the environment), the engine runs the sync, and this file
// prints the +/- lines and the summary.
//
// SIGINT/SIGTERM (cli/signals.hpp) set the engine's cancel flag, so the run stops promptly with
// nothing applied and the command exits 130 or 143 with `gum: interrupted`.
//
// `gum github` is offline: it reads github_repos through the cache and never calls the network.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/context.hpp"
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

struct github_args {
  std::string format = "default";
  std::string search;
  std::string language;
  std::string topic;
  bool archived = false;
  bool no_archived = false;
  std::string sort = "name";
  int64_t limit = -1;
};

std::string summary_line(const sync_result& r, bool dry_run) {
  std::ostringstream s;
  s << (dry_run ? "Sync dry run (" : "Sync completed (") << r.type << "): " << r.total
    << " repositories, ";
  if (r.type == "metadata") {
    s << r.updated << " updated; " << r.requests << " requests, " << r.not_modified
      << " not modified";
  } else {
    s << r.added << " new, " << r.updated << " updated, " << r.removed << " removed; " << r.pages
      << " pages, " << r.not_modified << " not modified";
  }
  if (dry_run) s << "; nothing was written";
  return s.str();
}

status run_sync(context& ctx, const sync_args& args) {
  if (args.type != "full" && args.type != "incremental" && args.type != "metadata")
    return status::fail(status_code::usage, "unknown sync type '" + args.type +
                                                "' (expected full, incremental or metadata)");
  if (args.jobs < 1 || args.jobs > 64)
    return status::fail(status_code::usage, "--jobs must be between 1 and 64");
  if (args.max_wait < 0) return status::fail(status_code::usage, "--max-wait must be 0 or more");
  if (auto st = ctx.load_config(); !st.ok()) return st;

  sync_options opts;
  opts.type = args.type;
  opts.dry_run = args.dry_run;
  opts.jobs = args.jobs;
  opts.max_wait_seconds = args.max_wait;
  const char* api = std::getenv("GUM_GITHUB_API_URL");
  opts.api_url = api && *api ? std::string(api) : ctx.cfg().github_api_url;
  while (!opts.api_url.empty() && opts.api_url.back() == '/') opts.api_url.pop_back();
  opts.token = resolve_github_token(ctx.cfg().github_token_command);
  if (opts.token.empty())
    return status::fail(status_code::usage, "no GitHub token",
                        "set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login` (config "
                        "github.token_command)");
  opts.debug = ctx.globals().debug;
  opts.progress = !ctx.globals().quiet && isatty(STDERR_FILENO) == 1;
  ctx.debug("sync: " + opts.type + (opts.dry_run ? " (dry run)" : "") + " against " +
            opts.api_url);

  signal_watcher signals;  // before the engine: its threads inherit the blocked signals
  ctx.set_cancel_flag(signals.flag());
  status st = ctx.start_engine();
  sync_result result;
  if (st.ok()) st = ctx.engine().call(result, sync_atom::value, opts);
  if (auto stop = ctx.stop_engine(); st.ok()) st = stop;  // while signals are still watched
  if (!st.ok()) return signals.exit_status(st);
  for (const auto& line : result.changes) std::cout << escape_line_field(line) << '\n';
  std::cout << summary_line(result, opts.dry_run) << '\n';
  std::fflush(stdout);
  return status::success();
}

status run_github(context& ctx, const github_args& args) {
  if (!is_github_format(args.format))
    return status::fail(status_code::usage, "unknown format '" + args.format +
                                                "' (expected default, simple, json or table)");
  if (args.sort != "name" && args.sort != "stars" && args.sort != "pushed")
    return status::fail(status_code::usage,
                        "unknown sort '" + args.sort + "' (expected name, stars or pushed)");
  if (args.limit < -1) return status::fail(status_code::usage, "--limit must be 0 or more");
  if (args.archived && args.no_archived)
    return status::fail(status_code::usage, "--archived and --no-archived exclude each other");
  if (auto st = ctx.start_engine(); !st.ok()) return st;
  github_query query;
  query.search = args.search;
  query.language = args.language;
  query.topic = args.topic;
  query.archived = args.archived ? 1 : args.no_archived ? 0 : -1;
  query.sort = args.sort;
  query.limit = args.limit;
  std::vector<github_repo> repos;
  if (auto st = ctx.engine().call(repos, github_atom::value, query); !st.ok()) return st;
  if (repos.empty()) {
    cache_stats stats;
    if (auto st = ctx.engine().call(stats, stats_atom::value); !st.ok()) return st;
    bool synced = false;
    for (const auto& d : stats.datasets) synced = synced || d.key == "github";
    if (!synced) {
      std::cerr << "gum: no GitHub data yet; run `gum sync`\n";
      return status::success();
    }
  }
  print_github(std::cout, repos, args.format);
  std::cout.flush();
  return status::success();
}

}  // namespace

void register_sync(CLI::App& app, std::vector<command>& commands) {
  auto sargs = std::make_shared<sync_args>();
  auto* sync = app.add_subcommand("sync", "Update the local copy of your GitHub repositories");
  sync->alias("update");
  sync->add_option("-t,--type", sargs->type, "full, incremental (default) or metadata");
  sync->add_flag("-n,--dry-run", sargs->dry_run, "Fetch, print what would change, write nothing");
  sync->add_option("-j,--jobs", sargs->jobs, "Metadata requests in flight (default 4)");
  sync->add_option("--max-wait", sargs->max_wait,
                   "Seconds a run may wait for rate limits (default 60)");
  commands.push_back({sync, [sargs](context& ctx) { return run_sync(ctx, *sargs); }});

  auto gargs = std::make_shared<github_args>();
  auto* github = app.add_subcommand("github", "List your synced GitHub repositories (offline)");
  github->add_option("-f,--format", gargs->format, "default, simple, json or table");
  github->add_option("-s,--search", gargs->search, "Only repositories whose name or description "
                                                   "has every term");
  github->add_option("--language", gargs->language, "Only repositories in this language");
  github->add_option("--topic", gargs->topic, "Only repositories with this topic");
  github->add_flag("--archived", gargs->archived, "Only archived repositories");
  github->add_flag("--no-archived", gargs->no_archived, "Only repositories not archived");
  github->add_option("--sort", gargs->sort, "name (default), stars or pushed");
  github->add_option("-n,--limit", gargs->limit, "Print at most N repositories");
  commands.push_back({github, [gargs](context& ctx) { return run_github(ctx, *gargs); }});
}

}  // namespace gum::cli
