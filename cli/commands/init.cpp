// cli/commands/init.cpp: `gum init bash|zsh|fish [--cmd j]` (SPEC §3.2): prints the shell
// hook. It never reads the config or the database.
#include <unistd.h>

#include "core/shell_hooks.hpp"
#include "cli/command.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct init_args {
  std::string shell;
  std::string cmd = "j";
};

std::string running_binary() {
  std::string buffer(4096, '\0');
  ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return "gum";
  buffer.resize(static_cast<size_t>(n));
  return buffer;
}

status run_init(const init_args& args) {
  std::string script;
  if (auto st = shell_init_script(args.shell, args.cmd, running_binary(), script); !st.ok())
    return st;
  write_stdout(script);
  return status::success();
}

}  // namespace

void register_init(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<init_args>();
  auto* sub = app.add_subcommand("init", "Print the shell hook: eval \"$(gum init bash)\"");
  accept_only(sub->add_option("shell", args->shell, "bash, zsh or fish")->required(), "shell",
              {"bash", "zsh", "fish"});
  sub->add_option("--cmd", args->cmd, "Name of the jump function (default j)");
  commands.push_back({sub, [args](invocation&) { return run_init(*args); }});
}

}  // namespace gum::cli
