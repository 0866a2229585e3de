// cli/commands/add.cpp: `gum add PATH...` (SPEC §3.2): records a visit to each directory.
//
// It runs on every `cd`, from the shell hook, so it is kept lean: it filters its arguments
// (not a directory, excluded) before anything else, so a visit that will be ignored never
// starts the actor system, and it starts the engine with only the writer
// (engine_options::writer_only): one process, one transaction, no readers, scanners or fetchers
// that it would never use.
#include <sys/stat.h>

#include <algorithm>

#include "core/paths.hpp"
#include "cli/command.hpp"
#include "core/dirs_exclude.hpp"

namespace gum::cli {

namespace {

struct add_args {
  std::vector<std::string> paths;
};

status run_add(invocation& inv, const add_args& args) {
  if (auto st = inv.load_config(); !st.ok()) return st;
  const auto& env = inv.env();
  std::vector<std::string> visits;
  for (const auto& raw : args.paths) {
    if (raw.empty()) continue;
    std::string path = normalize_path(raw, env.home, env.cwd);
    // A shell hook must stay quiet: what is not a directory, or excluded, is simply not kept.
    if (!is_directory(path) || is_excluded(inv.cfg(), path)) {
      inv.debug("add: ignoring " + path);
      continue;
    }
    if (std::find(visits.begin(), visits.end(), path) == visits.end())
      visits.push_back(std::move(path));
  }
  if (visits.empty()) return status::success();
  if (auto st = inv.start_engine(invocation::engine_kind::writer_only); !st.ok()) return st;
  int64_t recorded = 0;
  return inv.engine().call(recorded, visit_atom::value, std::move(visits));
}

}  // namespace

void register_add(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<add_args>();
  auto* sub = app.add_subcommand("add", "Record a visit to each directory (the shell hook)");
  sub->add_option("paths", args->paths, "Directories (relative to the current one)")
      ->required();
  commands.push_back({sub, [args](invocation& inv) { return run_add(inv, *args); }});
}

}  // namespace gum::cli
