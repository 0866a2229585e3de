// core/shell_hooks.hpp: the shell integration scripts of `gum init` (SPEC §3.2).
//
// Pure and thread-safe; failures come back as gum::status.
#pragma once

#include <string>

#include "gum/messages.hpp"

namespace gum {

/// The shell hook for `gum init SHELL --cmd NAME`. `gum_path` is the absolute binary path.
/// Fails with status_code::usage for an unknown shell or an invalid command name.
status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out);

}  // namespace gum
