// cli/commands/completion.cpp: `gum completion bash|zsh|fish` (SPEC §3.6). It reads neither
// the config nor the database.
//
// The scripts are generated from the CLI11 definition at run time (every subcommand, alias and
// option name of the app that parsed this very command line), so they cannot drift from the
// commands. Options and positionals whose values were declared with accept_only()
// (cli/option_values.hpp) complete those values; the same declaration drives --help and the
// parse. Descriptions keep their text (each generator quotes it for its shell); only control
// characters become spaces. cli/completion_scripts.cpp writes the scripts.
#include <iostream>

#include "cli/command.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/option_values.hpp"
#include "cli/squeeze.hpp"

namespace gum::cli {

namespace {

// The description on one line: control characters (a newline) become spaces.
std::string plain_text(const std::string& s) {
  std::string out;
  for (char c : s) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  return squeeze(out);
}

std::vector<option_info> options_of(const CLI::App& app) {
  std::vector<option_info> out;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_lnames().empty() && o->get_snames().empty()) continue;  // positionals
    option_info info;
    info.shorts = o->get_snames();
    info.longs = o->get_lnames();
    info.takes_value = o->get_type_size_max() > 0 && o->get_items_expected_max() > 0;
    info.description = plain_text(o->get_description());
    info.values = accepted_values(*o);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<command_info> commands_of(CLI::App& root) {
  std::vector<command_info> out;
  for (CLI::App* sub : root.get_subcommands({})) {
    command_info info;
    info.names.push_back(sub->get_name());
    for (auto& a : sub->get_aliases()) info.names.push_back(a);
    info.description = plain_text(sub->get_description());
    info.options = options_of(*sub);
    for (const CLI::Option* o : sub->get_options()) {
      if (!o->get_lnames().empty() || !o->get_snames().empty()) continue;
      info.argument_values = accepted_values(*o);  // the first positional's
      break;
    }
    out.push_back(std::move(info));
  }
  return out;
}

status run_completion(CLI::App& root, const std::string& shell) {
  auto globals = options_of(root);
  auto commands = commands_of(root);
  if (shell == "bash")
    std::cout << bash_script(globals, commands);
  else if (shell == "zsh")
    std::cout << zsh_script(globals, commands);
  else if (shell == "fish")
    std::cout << fish_script(globals, commands);
  else
    return status::fail(status_code::usage,
                        "unknown shell '" + shell + "' (expected bash, zsh or fish)");
  return status::success();
}

}  // namespace

void register_completion(CLI::App& app, std::vector<command>& commands) {
  auto shell = std::make_shared<std::string>();
  auto* completion = app.add_subcommand("completion", "Print a shell completion script");
  accept_only(completion->add_option("shell", *shell, "bash, zsh or fish")->required(), "shell",
              {"bash", "zsh", "fish"})
      ->type_name("SHELL");
  // `app` is the root of the CLI and outlives every command's run: the script is generated
  // from the whole definition as it stands when the command runs.
  CLI::App* root = &app;
  commands.push_back({completion, [root, shell](invocation&) { return run_completion(*root, *shell); }});
}

}  // namespace gum::cli
