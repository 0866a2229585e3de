// core/github_token.cpp: where gum finds the GitHub token (SPEC §3.3).
//
// GH_TOKEN, then GITHUB_TOKEN, then the configured command (`gh auth token` by default), run
// through core/process.hpp without a shell. The token is never logged; anything that does not
// look like a token is ignored rather than sent.
#include "core/github_token.hpp"

#include <cctype>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <vector>

#include "core/process.hpp"
#include "core/text.hpp"

namespace gum {

std::string resolve_github_token(const environment& env, const std::string& token_command) {
  try {
    for (const char* var : {"GH_TOKEN", "GITHUB_TOKEN"}) {
      const std::string v = env.variable(var);
      if (!trim(v).empty()) return std::string(trim(v));
    }
    std::vector<std::string> args;
    std::string_view cmd = token_command;
    size_t i = 0;
    while (i < cmd.size()) {
      while (i < cmd.size() && std::isspace(static_cast<unsigned char>(cmd[i]))) ++i;
      size_t start = i;
      while (i < cmd.size() && !std::isspace(static_cast<unsigned char>(cmd[i]))) ++i;
      if (i > start) args.emplace_back(cmd.substr(start, i - start));
    }
    if (args.empty()) return {};
    auto output = run_capture(args);
    if (!output) return {};
    auto token = std::string(trim(*output));
    // A token never holds whitespace or control characters: anything else is not a token.
    for (char c : token)
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return {};
    return token;
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace gum
