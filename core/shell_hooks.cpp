// core/shell_hooks.cpp: the scripts `gum init SHELL` prints (SPEC §3.2).
//
// Each hook records the new working directory with a background `gum add` that the shell never
// reports on, and defines the jump command. Quoting is done here, once, for every shell.
#include "core/shell_hooks.hpp"

#include <algorithm>
#include <exception>

#include "core/text.hpp"

namespace gum {

namespace {

bool is_valid_command_name(const std::string& name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '-';
  });
}

// POSIX single quotes: nothing is special inside them, so ' itself is closed, escaped, reopened.
std::string posix_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

// fish single quotes: only \' and \\ are escapes inside them.
std::string fish_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// The line a hook prints after the first `gum add` that failed with a configuration error
// (exit 2): the hook sends gum's stderr nowhere, so without it a broken config.yaml would turn
// recording off silently. Shown once per shell, never again.
constexpr const char* hook_warning_tail =
    "gum: the shell hook records no directories until this is fixed (shown once per shell)";

// Where a hook's background `gum add` leaves a configuration error for the prompt: a file per
// shell in gum's own 0700 cache folder (never a predictable name in a shared /tmp).
std::string warning_file_line(const std::string& assign) {
  return assign + "\"${XDG_CACHE_HOME:-$HOME/.cache}/gum/hook-warning.$$\"\n";
}

// fish's recorder, run by sh: $1 gum, $2 the directory, $3 the warning file, $4 1 when the
// warning was shown already.
constexpr const char* fish_record_script =
    "err=$(\"$1\" add -- \"$2\" 2>&1 >/dev/null); "
    "if [ $? -eq 2 ] && [ \"$4\" = 0 ]; then mkdir -p -m 700 -- \"${3%/*}\" && "
    "printf '%s\\n' \"$err\" >\"$3\"; fi";

// __gum_record and __gum_warn, the same text for bash and zsh. __gum_record runs one
// `gum add` (in the background); a configuration error (exit 2) leaves its message in
// $__gum_warn_file. __gum_warn, called before a prompt, shows that message once per shell with
// built-ins only (one `rm` the only time it shows it).
std::string record_and_warn_functions() {
  std::string s;
  s += "# Records one directory (run in the background). A configuration error (exit 2) leaves\n";
  s += "# its message in $__gum_warn_file, for __gum_warn to show once.\n";
  s += "__gum_record() {\n";
  s += "  \\builtin local __gum_err\n";
  s += "  __gum_err=\"$(\"$__gum_bin\" add -- \"$1\" 2>&1 >/dev/null </dev/null)\"\n";
  s += "  if [[ $? -eq 2 && -z \"${__gum_warned-}\" ]]; then\n";
  s += "    command mkdir -p -m 700 -- \"${__gum_warn_file%/*}\" 2>/dev/null\n";
  s += "    \\builtin printf '%s\\n' \"$__gum_err\" >|\"$__gum_warn_file\" 2>/dev/null\n";
  s += "  fi\n";
  s += "}\n";
  s += "\n";
  s += "# Shows a recording failure once per shell, before a prompt (built-ins only).\n";
  s += "__gum_warn() {\n";
  s += "  [[ -z \"${__gum_warned-}\" && -s \"$__gum_warn_file\" ]] || \\builtin return 0\n";
  s += "  typeset -g __gum_warned=1\n";
  s += "  \\builtin local __gum_line\n";
  s += "  while IFS= \\builtin read -r __gum_line; do\n";
  s += "    \\builtin printf '%s\\n' \"$__gum_line\" >&2\n";
  s += "  done <\"$__gum_warn_file\"\n";
  s += "  \\builtin printf '%s\\n' " + posix_quote(hook_warning_tail) + " >&2\n";
  s += "  command rm -f -- \"$__gum_warn_file\"\n";
  s += "}\n";
  s += "\n";
  return s;
}

// The jump command, the same text for bash and zsh. `function NAME()` keeps zsh from expanding
// an alias of the same name in the definition.
std::string jump_function(const std::string& cmd) {
  std::string s;
  s += "# " + cmd + " [KEYWORD...]: cd to the best frecent match (no arguments: home; a directory or\n";
  s += "# '-': straight there).\n";
  s += "function " + cmd + "() {\n";
  s += "  if [[ $# -eq 0 ]]; then\n";
  s += "    \\builtin cd -- \"$HOME\"\n";
  s += "  elif [[ $# -eq 1 && \"$1\" == - ]]; then\n";
  s += "    \\builtin cd -\n";
  s += "  elif [[ $# -eq 1 && -d \"$1\" ]]; then\n";
  s += "    \\builtin cd -- \"$1\"\n";
  s += "  else\n";
  s += "    \\builtin local __gum_dir\n";
  s += "    __gum_dir=\"$(\"$__gum_bin\" jump -- \"$@\")\" && \\builtin cd -- \"$__gum_dir\"\n";
  s += "  fi\n";
  s += "}\n";
  return s;
}

// The bash hook: a PROMPT_COMMAND entry that records $PWD only when it changed since the last
// prompt. The `( ... & )` subshell keeps the background job out of the shell's job table, so
// no "[1] 1234" / "Done" lines appear. $? is preserved for prompts that show it.
std::string bash_script(const std::string& cmd, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for bash. Add this to ~/.bashrc:\n";
  s += "#   eval \"$(gum init bash --cmd " + cmd + ")\"\n";
  s += "__gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += warning_file_line("__gum_warn_file=");
  s += "\n";
  s += record_and_warn_functions();
  s += "# Records the current directory in the background when it changed since the last prompt,\n";
  s += "# and shows a recording failure once per shell.\n";
  s += "__gum_hook() {\n";
  s += "  \\builtin local __gum_status=$?\n";
  s += "  if [[ \"${__gum_oldpwd-}\" != \"$PWD\" ]]; then\n";
  s += "    __gum_oldpwd=$PWD\n";
  s += "    ( __gum_record \"$PWD\" & )\n";
  s += "  fi\n";
  s += "  __gum_warn\n";
  s += "  \\builtin return \"$__gum_status\"\n";
  s += "}\n";
  s += "\n";
  s += "__gum_oldpwd=$PWD\n";
  s += "if [[ \"${PROMPT_COMMAND-}\" != *__gum_hook* ]]; then\n";
  s += "  PROMPT_COMMAND=\"__gum_hook${PROMPT_COMMAND:+;${PROMPT_COMMAND#;}}\"\n";
  s += "fi\n";
  s += "\n";
  s += jump_function(cmd);
  return s;
}

// The zsh hook: a chpwd function (add-zsh-hook never adds one twice); `&!` disowns the job at
// once so zsh prints nothing about it.
std::string zsh_script(const std::string& cmd, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for zsh. Add this to ~/.zshrc:\n";
  s += "#   eval \"$(gum init zsh --cmd " + cmd + ")\"\n";
  s += "typeset -g __gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += warning_file_line("typeset -g __gum_warn_file=");
  s += "\n";
  s += record_and_warn_functions();
  s += "# Records the new directory in the background after every directory change.\n";
  s += "__gum_hook() {\n";
  s += "  __gum_record \"$PWD\" &!\n";
  s += "}\n";
  s += "\n";
  s += "autoload -Uz add-zsh-hook\n";
  s += "add-zsh-hook chpwd __gum_hook\n";
  s += "add-zsh-hook precmd __gum_warn\n";
  s += "\n";
  s += jump_function(cmd);
  return s;
}

// The fish hook: a PWD variable handler; the job is disowned so fish never reports it ended.
// `cd` is fish's wrapper function (it keeps `cd -` and dirprev working) unless the user named
// the jump command `cd`, where calling it would recurse.
std::string fish_script(const std::string& cmd, const std::string& gum) {
  const std::string cd = cmd == "cd" ? "builtin cd" : "cd";
  std::string s;
  s += "# gum: frecent directories for fish. Add this to ~/.config/fish/config.fish:\n";
  s += "#   gum init fish --cmd " + cmd + " | source\n";
  s += "set -g __gum_bin " + fish_quote(gum) + "\n";
  s += "\n";
  s += "set -g __gum_warn_file (string join '' -- (set -q XDG_CACHE_HOME; and echo $XDG_CACHE_HOME; "
       "or echo $HOME/.cache) /gum/hook-warning. $fish_pid)\n";
  s += "\n";
  s += "# fish cannot background a function: a small sh records the directory and, on a\n";
  s += "# configuration error (exit 2), leaves the message for the next change to show once.\n";
  s += "function __gum_hook --on-variable PWD --description 'gum: record the new directory'\n";
  s += "    test -z \"$fish_private_mode\"; or return\n";
  s += "    if not set -q __gum_warned; and test -s $__gum_warn_file\n";
  s += "        set -g __gum_warned 1\n";
  s += "        cat $__gum_warn_file >&2\n";
  s += "        printf '%s\\n' " + fish_quote(hook_warning_tail) + " >&2\n";
  s += "        command rm -f -- $__gum_warn_file\n";
  s += "    end\n";
  s += "    set -q __gum_warned; and set -l __gum_quiet 1; or set -l __gum_quiet 0\n";
  s += "    command sh -c " + fish_quote(fish_record_script) +
       " gum $__gum_bin $PWD $__gum_warn_file $__gum_quiet </dev/null &>/dev/null &\n";
  s += "    disown $last_pid 2>/dev/null\n";
  s += "end\n";
  s += "\n";
  s += "function " + cmd + " --description 'gum: cd to the best frecent match'\n";
  s += "    set -l argc (count $argv)\n";
  s += "    if test $argc -eq 0\n";
  s += "        " + cd + " ~\n";
  s += "    else if test $argc -eq 1; and test \"$argv[1]\" = -\n";
  s += "        " + cd + " -\n";
  s += "    else if test $argc -eq 1; and test -d \"$argv[1]\"\n";
  s += "        " + cd + " $argv[1]\n";
  s += "    else\n";
  s += "        set -l __gum_dir (command $__gum_bin jump -- $argv); and " + cd + " $__gum_dir\n";
  s += "    end\n";
  s += "end\n";
  return s;
}

}  // namespace

status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out) {
  if (shell != "bash" && shell != "zsh" && shell != "fish")
    return status::fail(status_code::usage,
                        "unknown shell '" + excerpt(shell) + "' (expected bash, zsh or fish)");
  if (!is_valid_command_name(cmd_name))
    return status::fail(status_code::usage, "invalid command name '" + excerpt(cmd_name) + "'",
                        "use letters, digits, '_' and '-', starting with a letter or '_'");
  if (gum_path.find('\0') != std::string::npos)
    return status::fail(status_code::usage, "the gum path contains a NUL byte");
  try {
    const std::string gum = gum_path.empty() ? std::string("gum") : gum_path;
    if (shell == "bash")
      out = bash_script(cmd_name, gum);
    else if (shell == "zsh")
      out = zsh_script(cmd_name, gum);
    else
      out = fish_script(cmd_name, gum);
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, e.what());
  }
  return status::success();
}

}  // namespace gum
