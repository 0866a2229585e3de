// cli/commands/dirs.cpp: `gum dirs` (SPEC §3.2): frecent directories, best first.
//
// Parse, then run, as in projects.cpp: the flags become a dir_query, the engine answers,
// output.cpp prints.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/frecency.hpp"
#include "core/paths.hpp"
#include "cli/command.hpp"
#include "cli/json_fields.hpp"
#include "cli/option_values.hpp"
#include "cli/fzf_pick.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct dirs_args {
  std::vector<std::string> keywords;
  std::string format = "default";
  bool verbose = false;
  int64_t limit = -1;
  bool refresh = false;
  bool clear_cache = false;
  bool demo = false;
  json_selection json;  // --json FIELDS, --jq EXPR
  bool interactive = false;  // -i: pick one with fzf (cli/fzf_pick.hpp)
};

// `gum dirs remove PATH...` (zoxide `remove`): all or nothing, exit 1 naming a path that is
// not recorded (docs/dirs.md).
status run_dirs_remove(invocation& inv, const std::vector<std::string>& raw) {
  std::vector<std::string> paths;
  for (const auto& p : raw) {
    if (p.empty()) return status::fail(status_code::usage, "an empty path cannot be removed");
    std::string path = normalize_path(p, inv.env().home, inv.env().cwd);
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  if (auto st = inv.start_engine(invocation::engine_kind::writer_only); !st.ok()) return st;
  int64_t removed = 0;
  return inv.engine().call(removed, remove_dirs_atom::value, std::move(paths));
}

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

status run_dirs(invocation& inv, const dirs_args& args) {
  dirs_format format{};
  if (auto st = parse_dirs_format(args.format, format); !st.ok()) return st;
  if (args.json.active()) format = dirs_format::json;
  if (args.limit < -1) return status::fail(status_code::usage, "--limit must be 0 or more");
  if (args.demo) {
    print_demo();
    return status::success();
  }
  // A plain list only reads: the cache alone (no writer, scanner or fetcher threads).
  const bool writes = args.clear_cache || args.refresh;
  if (auto st = writes ? inv.start_engine() : inv.start_reader_engine(); !st.ok()) return st;
  auto& eng = inv.engine();
  if (args.clear_cache) {
    int64_t removed = 0;
    if (auto st = eng.call(removed, clear_atom::value, std::string("dirs")); !st.ok()) return st;
    write_stdout("Directories cache cleared (" + count_of(removed, "entry", "entries") + ")\n");
    return status::success();
  }
  if (args.refresh) {
    int64_t sampled = 0;
    if (auto st = eng.call(sampled, sample_atom::value); !st.ok()) return st;
    inv.debug("refresh: recorded " + std::to_string(sampled) + " process directories");
  }
  dir_query query;
  query.keywords = args.keywords;
  query.limit = args.limit;
  if (args.interactive) query.exclude_path = inv.env().cwd;  // as `gum jump`: never here
  std::vector<dir_entry> dirs;
  if (auto st = eng.call(dirs, dirs_atom::value, query); !st.ok()) return st;
  if (args.interactive) return pick_dir(inv.env(), dirs);
  std::ostringstream out;
  print_dirs(out, dirs, format, inv.env().home, args.verbose, inv.style());
  if (args.json.active()) return write_selected_json(std::cout, out.str(), args.json);
  write_stdout(out.str());
  return status::success();
}

}  // namespace

void register_dirs(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<dirs_args>();
  auto* sub = app.add_subcommand("dirs", "List frecent directories, best first");
  sub->add_option("keywords", args->keywords, "Keywords, in order; the last one in the last "
                                              "path component");
  accept_only(sub->add_option("-f,--format", args->format, "Output format"), "format",
              list_format_names());
  add_json_options(sub, args->json, dir_json_fields());
  sub->add_flag("-v,--verbose", args->verbose, "Print SCORE<TAB>PATH");
  sub->add_option("-n,--limit", args->limit, "Print at most N directories");
  sub->add_flag("--refresh", args->refresh,
                "First record the working directories of your processes under $HOME");
  sub->add_flag("--clear-cache", args->clear_cache, "Forget every directory");
  sub->add_flag("--demo", args->demo, "Show how scores follow from ranks and ages");
  sub->add_flag("-i,--interactive", args->interactive, "Pick one with fzf and print its path");
  // Before `dirs` in `commands`: the first parsed command runs, and `dirs` is parsed too.
  auto removed = std::make_shared<std::vector<std::string>>();
  auto* remove = sub->add_subcommand("remove", "Forget these directories (all or none)");
  remove->add_option("paths", *removed, "Recorded directories (relative to the current one)")
      ->required();
  remove->fallthrough();
  commands.push_back({remove, [removed](invocation& inv) { return run_dirs_remove(inv, *removed); }});
  commands.push_back({sub, [args](invocation& inv) { return run_dirs(inv, *args); }});
}

}  // namespace gum::cli
