// cli/commands/projects.cpp: `gum projects` (alias `gum projects-v2`), SPEC §3.1.
//
// Parse, then run: the flags become one project_query; the engine answers with one snapshot;
// output.cpp prints it. --verbose statistics go to stderr so that stdout stays the list.
// Every format but table is streamed: the cache hands the rows of its snapshot to a sink in
// chunks as it reads them, and the sink formats them straight into the output buffer, so no
// list of 10 000 projects is built or copied (issue 14). table needs every row for its column
// widths and takes the whole list, as embedders do with projects_atom.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_fields.hpp"
#include "cli/option_values.hpp"
#include "cli/fzf_pick.hpp"
#include "cli/output.hpp"
#include "core/text.hpp"

namespace gum::cli {

namespace {

// Why a configured root was not scanned, in words: "does not exist", "is a symbolic link
// loop", "is a dangling symbolic link", "is not a folder", or strerror.
std::string missing_root_reason(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0)
    return S_ISDIR(st.st_mode) ? "cannot be read" : "is not a folder";
  int err = errno;
  if (err == ELOOP) return "is a symbolic link loop";
  struct stat lst;
  if (err == ENOENT && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
    return "is a dangling symbolic link";
  if (err == ENOENT || err == ENOTDIR) return "does not exist";
  return std::string("cannot be read: ") + std::strerror(err);
}

// The CLI's sink: each chunk is formatted and written as it arrives (on the cache's thread,
// while run_projects waits for the reply).
class stdout_sink : public project_sink {
 public:
  explicit stdout_sink(projects_format format) : format_(format), printer_(format) {}
  bool write(const project* rows, std::size_t count) override {
    for (std::size_t i = 0; i < count; ++i)
      if (!printer_.add(rows[i])) return false;
    return true;
  }
  bool paths_only() const override { return format_ == projects_format::simple; }
  projects_stream_printer& printer() { return printer_; }

 private:
  projects_format format_;
  projects_stream_printer printer_;
};

struct projects_args {
  bool refresh = false;
  std::string format = "default";
  std::string search;
  std::string similar;
  int64_t limit = -1;
  bool with_github = false;
  bool clear_cache = false;
  bool verbose = false;
  bool cached = false;
  json_selection json;  // --json FIELDS, --jq EXPR
  bool interactive = false;  // -i: pick one with fzf (cli/fzf_pick.hpp)
};

std::string age_text(const std::optional<int64_t>& seconds) {
  if (!seconds) return "never";
  int64_t s = *seconds;
  if (s < 120) return std::to_string(s) + "s ago";
  if (s < 7200) return std::to_string(s / 60) + "m ago";
  if (s < 172800) return std::to_string(s / 3600) + "h ago";
  return std::to_string(s / 86400) + "d ago";
}

// The `cache:` line of --verbose: which freshness case applied (SPEC §3.1).
std::string cache_line(const projects_reply& reply, bool refreshed, bool cached) {
  if (refreshed) return "refreshed (rescanned every root)";
  if (reply.stale_reason.empty()) return "hit (served from the index)";
  if (!cached) return "miss (" + reply.stale_reason + ")";
  // --cached answered from the index as it is.
  if (reply.hit)
    return "hit (served from the index; --cached, not rebuilt: " + reply.stale_reason + ")";
  return "miss (" + reply.stale_reason + "; --cached, not built)";
}

// With no root at all there is nothing to list; say once where roots are configured (SPEC §3.1).
void hint_when_no_roots(const invocation& inv) {
  const auto& cfg = inv.cfg();
  if (!cfg.roots.empty() || inv.globals().quiet) return;
  std::string file = inv.env().xdg_config_home + "/gum/config.yaml";
  std::string line = "gum: no project roots: ";
  if (cfg.roots_source == "defaults")
    line += "none of ~/projects, ~/code, ~/dev, ~/src, ~/work or ~/projects-* exists; ";
  else
    line += "none listed in " + (cfg.config_path.empty() ? file : cfg.config_path) + "; ";
  line += "list yours in " + file + ", e.g. `projects: [~/git]`";
  std::cerr << line << '\n';
}

void print_verbose(invocation& inv, const projects_reply& reply, const refresh_result* refreshed,
                   bool cached) {
  cache_stats stats;
  auto st = inv.engine().call(stats, stats_atom::value);
  if (!st.ok()) {
    inv.warn("cannot read cache statistics: " + st.message);
    return;
  }
  std::ostringstream err;
  err << "cache: " << cache_line(reply, refreshed != nullptr, cached) << '\n';
  err << "tables:";
  for (auto& [table, count] : stats.table_counts) err << ' ' << table << '=' << count;
  err << '\n';
  for (auto& d : stats.datasets) {
    err << "dataset " << d.key << ": " << d.item_count << " items, updated "
        << age_text(d.age_seconds);
    if (d.last_duration_ms) err << ", last refresh took " << *d.last_duration_ms << " ms";
    err << '\n';
  }
  if (refreshed) {
    for (auto& r : refreshed->roots) {
      err << "root " << escape_control(r.path) << ": ";
      if (!r.exists)
        err << missing_root_reason(r.path);
      else
        err << r.repo_count << " projects in " << r.scan_ms << " ms";
      if (r.unreadable > 0) err << ", " << r.unreadable << " unreadable folders";
      err << '\n';
    }
    for (auto& p : refreshed->unreadable_paths) err << "unreadable: " << escape_line_field(p) << '\n';
  }
  std::cerr << err.str();
}

status run_projects(invocation& inv, const projects_args& args) {
  projects_format format{};
  if (auto st = parse_projects_format(args.format, format); !st.ok()) return st;
  if (args.json.active()) format = projects_format::json;
  if (args.limit < -1) return status::fail(status_code::usage, "--limit must be 0 or more");
  // --cached never rebuilds, so it only reads: the cache alone, when the database is current.
  const bool reads_only = args.cached && !args.clear_cache && !args.refresh;
  if (auto st = reads_only ? inv.start_reader_engine() : inv.start_engine(); !st.ok()) return st;
  auto& eng = inv.engine();
  if (args.clear_cache) {
    int64_t removed = 0;
    if (auto st = eng.call(removed, clear_atom::value, std::string("projects")); !st.ok()) return st;
    std::cout << "Projects cache cleared\n";
    return status::success();
  }
  refresh_result refreshed;
  if (args.refresh) {
    if (auto st = eng.call(refreshed, refresh_atom::value); !st.ok()) return st;
    inv.debug("refresh committed: scan took " + std::to_string(refreshed.duration_ms) + " ms, " +
              std::to_string(refreshed.added) + " added, " + std::to_string(refreshed.removed) +
              " removed");
    for (auto& r : refreshed.roots)
      if (!r.exists) inv.warn("project root " + r.path + " " + missing_root_reason(r.path));
  }
  project_query query;
  query.search = args.search;
  query.similar = args.similar;
  query.limit = args.limit;
  query.with_github = args.with_github;
  query.build_if_missing = !args.cached;
  // Data flows one way (SPEC §1): a refresh answers with counts, and the list is what the cache
  // reads after the refresh committed.
  projects_reply reply;
  if (args.interactive) {
    if (auto st = eng.call(reply, projects_atom::value, query); !st.ok()) return st;
    inv.debug("query answered: " + std::to_string(reply.projects.size()) + " projects");
    return pick_project(inv.env(), reply.projects);
  }
  // Streamed unless the format or the selection needs the whole list, or the engine is a
  // server's (gum --remote): the sink is a pointer into this process.
  if (format != projects_format::table && !args.json.active() && !inv.remote()) {
    auto sink = std::make_shared<stdout_sink>(format);
    std::cout.flush();  // anything printed before goes first
    auto st = eng.call(reply, stream_projects_atom::value, query, project_sink_ptr(sink));
    // The reply came after the last chunk: the cache's thread is done with the sink. A failed
    // read prints nothing more (not even the JSON array's end).
    if (!st.ok()) return st;
    const bool written = sink->printer().finish();
    inv.debug("query answered: " + std::to_string(sink->printer().count()) + " projects streamed");
    if (!written) return status::fail(status_code::failure, "cannot write the list to stdout");
  } else {
    // table needs every row for its widths; --json FIELDS and --jq select from the whole array.
    if (auto st = eng.call(reply, projects_atom::value, query); !st.ok()) return st;
    inv.debug("query answered: " + std::to_string(reply.projects.size()) + " projects");
    if (args.json.active()) {
      std::ostringstream json;
      print_projects(json, reply.projects, format);
      if (auto st = write_selected_json(std::cout, json.str(), args.json); !st.ok()) return st;
    } else {
      print_projects(std::cout, reply.projects, format, inv.style());
    }
    std::cout.flush();
    if (!std::cout) return status::fail(status_code::failure, "cannot write the list to stdout");
  }
  inv.debug("printed");
  hint_when_no_roots(inv);
  if (args.verbose) print_verbose(inv, reply, args.refresh ? &refreshed : nullptr, args.cached);
  keep_until_exit(std::move(reply.projects));
  return status::success();
}

}  // namespace

void register_projects(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<projects_args>();
  auto* sub = app.add_subcommand("projects", "List the Git projects under your project roots");
  sub->alias("projects-v2");
  auto* refresh = sub->add_flag("-r,--refresh", args->refresh, "Rescan every configured root first");
  accept_only(sub->add_option("-f,--format", args->format, "Output format"), "format",
              list_format_names());
  add_json_options(sub, args->json, project_json_fields());
  sub->add_option("-s,--search", args->search, "Only projects whose name or path has every term");
  sub->add_option("--similar", args->similar, "Rank by name similarity to TEXT");
  sub->add_option("-n,--limit", args->limit, "Print at most N projects");
  sub->add_flag("-g,--with-github", args->with_github, "Add GitHub metadata (json)");
  sub->add_flag("--cached", args->cached,
                "Read the index as it is: never rebuild it, even when stale or never built")
      ->excludes(refresh);
  sub->add_flag("--clear-cache", args->clear_cache, "Empty the projects index");
  sub->add_flag("-v,--verbose", args->verbose, "Cache statistics on stderr");
  sub->add_flag("-i,--interactive", args->interactive, "Pick one with fzf and print its path");
  commands.push_back({sub, [args](invocation& inv) { return run_projects(inv, *args); }});
}

}  // namespace gum::cli
