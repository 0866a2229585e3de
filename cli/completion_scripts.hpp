// cli/completion_scripts.hpp: the bash, zsh and fish completion scripts of `gum completion`,
// generated from a plain description of the commands and their options (cli/commands/
// completion.cpp builds it from the CLI11 definition). Descriptions are plain text: each
// generator quotes them for its shell (so "another tool's" keeps its apostrophe), and an option
// with declared values (cli/option_values.hpp) completes exactly those values.
#pragma once

#include <string>
#include <vector>

namespace gum::cli {

/// One option as the scripts need it.
struct option_info {
  std::vector<std::string> shorts;  ///< without "-"
  std::vector<std::string> longs;   ///< without "--"
  bool takes_value = false;
  std::string description;
  std::vector<std::string> values;  ///< the values it accepts; empty: any (files are offered)
};

/// One subcommand: its names (name first, then aliases) and options.
struct command_info {
  std::vector<std::string> names;
  std::string description;
  std::vector<option_info> options;
  std::vector<std::string> argument_values;  ///< values of its first positional, if declared
};
/// The bash script: `complete -F _gum gum`.
std::string bash_script(const std::vector<option_info>& globals,
                        const std::vector<command_info>& commands);

/// The zsh script: `#compdef gum`, with _arguments specs.
std::string zsh_script(const std::vector<option_info>& globals,
                       const std::vector<command_info>& commands);

/// The fish script: `complete -c gum` lines.
std::string fish_script(const std::vector<option_info>& globals,
                        const std::vector<command_info>& commands);

}  // namespace gum::cli
