// cli/app.cpp: the command line: global options, every command's subcommand, parse, run the
// chosen command and report its outcome (cli/invocation.hpp).
#include "cli/app.hpp"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/invocation.hpp"

namespace gum::cli {

int run(int argc, char** argv) {
  CLI::App app{"gum: an always-consistent index of your Git projects, directories and GitHub "
               "repositories",
               "gum"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.require_subcommand(0, 1);
  global_options globals;
  app.add_option("--db", globals.db, "Database file (also GUM_DB)");
  app.add_option("--config", globals.config, "Config file (also GUM_CONFIG)");
  app.add_flag("-q,--quiet", globals.quiet, "Print no warnings");
  app.add_flag("--no-color", globals.no_color, "No colours (also NO_COLOR)");
  app.add_flag("--debug", globals.debug, "Debug log on stderr (also GUM_DEBUG=1)");
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  bool show_crontab = false;
  app.add_flag("--crontab", show_crontab, "Print crontab lines (as `gum crontab`) and exit");
  std::vector<command> commands;
  register_projects(app, commands);
  register_add(app, commands);
  register_dirs(app, commands);
  register_jump(app, commands);
  register_init(app, commands);
  register_import(app, commands);
  register_sync(app, commands);
  register_github(app, commands);
  register_integrity(app, commands);
  register_clone(app, commands);
  register_migrate(app, commands);
  register_crontab(app, commands);
  register_completion(app, commands);
  register_stress(app, commands);
  register_version(app, commands);
  register_engine(app, commands);
  for (auto* sub : app.get_subcommands({})) sub->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    return report(status::fail(status_code::usage, what, "run `gum --help` for usage"));
  }
  auto env = environment::from_process();
  if (env.variable("GUM_DEBUG") == "1") globals.debug = true;
  if (!env.variable("NO_COLOR").empty()) globals.no_color = true;

  invocation inv(globals, std::move(env));
  for (auto& c : commands) {
    if (c.app->parsed()) {
      auto st = c.run(inv);
      auto stop = inv.stop_engine();
      if (st.ok()) st = stop;
      return report(st);
    }
  }
  if (show_crontab) {
    for (auto& c : commands)
      if (c.app->get_name() == "crontab") return report(c.run(inv));
  }
  if (show_version) {
    for (auto& c : commands)
      if (c.app->get_name() == "version") return report(c.run(inv));
  }
  std::cout << app.help();
  return 0;
}

}  // namespace gum::cli
