// core/shell_hooks.hpp: the shell integration scripts of `gum init` (SPEC §3.2).
//
// Pure and thread-safe; failures come back as gum::status.
#pragma once

#include <string>

#include "gum/messages.hpp"

namespace gum {

/// What `gum init` was asked for.
struct shell_hook_options {
  std::string shell;         ///< bash, zsh or fish
  std::string cmd = "j";     ///< the jump function; the interactive one is cmd + "i" (ji)
  bool no_cmd = false;       ///< --no-cmd: define neither function
  std::string hook = "pwd";  ///< when to record: pwd (on a change), prompt (every prompt), none
  /// --engine: bash and zsh talk to one resident `gum engine --stdio` per shell (a coprocess)
  /// with built-ins only; fish keeps the process hook and its script says so.
  bool engine = false;
  std::string gum_path;      ///< the absolute binary path ("gum" when empty)
};

/// The shell hook for `gum init`. Fails with status_code::usage for an unknown shell, an
/// invalid command name or an unknown --hook.
status shell_init_script(const shell_hook_options& options, std::string& out);

/// The shell hook for `gum init SHELL --cmd NAME` with the defaults above.
status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out);

}  // namespace gum
