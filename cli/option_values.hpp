// cli/option_values.hpp: the values an option (or a positional) accepts, declared once.
//
// accept_only() attaches a CLI11 validator that holds the list. Three readers use that one
// declaration: `--help` (CLI11 prints the validator's description, `{default,simple,...}`),
// the parser (an unknown value is a usage error, exit 2, naming the valid ones in gum's own
// words) and the completion generators (cli/commands/completion.cpp reads accepted_values()),
// so the three can never disagree.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gum::cli {

/// Restricts `option` to `values`; `noun` names the value in the error ("format", "shell").
/// An unknown value fails the parse with "unknown NOUN 'X' (expected A, B or C)".
CLI::Option* accept_only(CLI::Option* option, const std::string& noun,
                         const std::vector<std::string>& values);

/// The values accept_only() declared for `option`; empty when it takes any value.
std::vector<std::string> accepted_values(const CLI::Option& option);

/// "a, b or c": a list of choices as gum's messages write it.
std::string or_list(const std::vector<std::string>& values);

}  // namespace gum::cli
