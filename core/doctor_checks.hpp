// core/doctor_checks.hpp: the plain parts of `gum doctor` (cli/commands/doctor.cpp): how one
// check is printed, where a shell hook would be installed and how to recognise it, how old a
// timestamp reads, and where a program is on PATH. The checks themselves that need the
// database go through the engine; these need no CAF and no SQLite. Pure and thread-safe
// (shell_hook_files and find_program only read the file system).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gum {

/// The outcome of one `gum doctor` check.
struct doctor_check {
  enum class state { ok, failed, skipped };
  std::string name;    ///< short: config, roots, database, ...
  state result = state::ok;
  std::string detail;  ///< what was found; never a secret
  std::string fix;     ///< what to do, for a failed check
};

/// One line: "✓ NAME  DETAIL", "✗ NAME  DETAIL (fix: FIX)" or "- NAME  DETAIL", the name
/// padded so that the details line up. Newlines in the parts become spaces.
std::string format_doctor_check(const doctor_check& check);

/// The shell start-up files a hook from `gum init` would be in, in the order they are
/// reported: ~/.bashrc, ~/.bash_profile, ~/.profile, $ZDOTDIR-less ~/.zshrc,
/// XDG_CONFIG_HOME/fish/config.fish and XDG_CONFIG_HOME/fish/conf.d/gum.fish.
std::vector<std::string> shell_hook_files(const std::string& home,
                                          const std::string& xdg_config_home);

/// True when a start-up file's text runs `gum init` on a line that is not a comment
/// (`eval "$(gum init bash)"`, `gum init fish | source`, `/usr/bin/gum init zsh --cmd j`).
bool runs_gum_init(std::string_view text);

/// "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "in the future" below 0.
std::string age_phrase(int64_t seconds);

}  // namespace gum
