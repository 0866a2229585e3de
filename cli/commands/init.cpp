// cli/commands/init.cpp: `gum init bash|zsh|fish [--cmd j] [--no-cmd] [--hook prompt|pwd|none]
// [--engine]` (SPEC §3.2, §3.7): prints the shell hook. It reads the config only for
// `shell.engine` (when --engine is not given), and never the database.
#include <unistd.h>

#include "core/shell_hooks.hpp"
#include "cli/command.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct init_args {
  shell_hook_options hook;
};

std::string running_binary() {
  std::string buffer(4096, '\0');
  ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return "gum";
  buffer.resize(static_cast<size_t>(n));
  return buffer;
}

status run_init(invocation& inv, const init_args& args) {
  shell_hook_options options = args.hook;
  options.gum_path = running_binary();
  if (!options.engine) {
    // `shell: {engine: true}` in config.yaml. A config that does not load must not leave the
    // shell without a hook: its error is shown, and the process hook is printed.
    if (auto st = inv.load_config(); st.ok())
      options.engine = inv.cfg().shell_engine;
    else
      inv.warn(st.message + " (printing the process hook)");
  }
  std::string script;
  if (auto st = shell_init_script(options, script); !st.ok()) return st;
  write_stdout(script);
  return status::success();
}

}  // namespace

void register_init(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<init_args>();
  auto* sub = app.add_subcommand("init", "Print the shell hook: eval \"$(gum init bash)\"");
  accept_only(sub->add_option("shell", args->hook.shell, "bash, zsh or fish")->required(),
              "shell", {"bash", "zsh", "fish"});
  sub->add_option("--cmd", args->hook.cmd,
                  "Name of the jump function (default j; the fzf picker is NAMEi)");
  sub->add_flag("--no-cmd", args->hook.no_cmd, "Define no jump functions (only the hook)");
  accept_only(sub->add_option("--hook", args->hook.hook,
                              "When to record: pwd (on a directory change, default), prompt, none"),
              "hook", {"pwd", "prompt", "none"});
  sub->add_flag("--engine", args->hook.engine,
                "bash, zsh: talk to one resident engine per shell (a cd forks nothing)");
  commands.push_back({sub, [args](invocation& inv) { return run_init(inv, *args); }});
}

}  // namespace gum::cli
