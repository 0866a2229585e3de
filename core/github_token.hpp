// core/github_token.hpp: resolving the GitHub token. Thread-safe; runs a program.
#pragma once

#include <string>

#include "gum/options.hpp"

namespace gum {

/// The token: GH_TOKEN, then GITHUB_TOKEN (from `env`), then the output of `token_command` (run
/// without a shell, split on spaces, via posix_spawn). Empty when none is found. Runs a program.
std::string resolve_github_token(const environment& env, const std::string& token_command);

}  // namespace gum
