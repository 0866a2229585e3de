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

// Replaces every `@CMD@` of a script template with the jump command's name.
std::string with_cmd(std::string text, const std::string& cmd) {
  const std::string mark = "@CMD@";
  for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + cmd.size()))
    text.replace(at, mark.size(), cmd);
  return text;
}

// The message of `j` and `ji` when nothing matches (a printf format for "$*").
std::string no_match_line() { return "\\builtin printf " + posix_quote("gum: no match for '%s'\\n") + " \"$*\" >&2\n"; }

// The resident engine (`gum engine --stdio`), the part bash and zsh share. The shell writes
// requests in the NUL-terminated framing of core/engine_framing.hpp with `printf '%s\0'` and
// reads replies with `read -r -d ''`: built-ins only, so a visit forks nothing.
// - A write that fails (the engine died: EPIPE, a closed descriptor) returns 1 and the caller
//   uses the process hook for that call; SIGPIPE does not end an interactive shell.
// - Every 64th visit first pings the engine (1 s at most): it proves the engine still reads,
//   so at most 64 visits (under 256 KiB) are ever unread, and the engine widened its pipe to
//   1 MiB: a write never waits on a full pipe.
// - A reply that does not come in time drops the engine (SIGTERM: it flushes and exits), as a
//   late reply would answer the next request.
// - A dead engine is restarted on the next use, at most once per $__gum_engine_restart_interval
//   seconds (60).
constexpr const char* engine_common_functions = R"(# The resident engine: __gum_engine_w/_r are its stdin/stdout, __gum_engine_pid its process.
__gum_engine_restart_interval=60
__gum_engine_next_start=0
__gum_engine_visits=0
__gum_engine_pid=

# Starts the engine unless it was started less than a restart interval ago.
__gum_engine_ready() {
  __gum_engine_alive && \builtin return 0
  (( SECONDS >= __gum_engine_next_start )) || \builtin return 1
  __gum_engine_next_start=$(( SECONDS + __gum_engine_restart_interval ))
  __gum_engine_start
}

# Forgets the engine; with an argument, also asks it to flush and exit (it did not answer).
__gum_engine_drop() {
  if [[ $# -gt 0 && -n "$__gum_engine_pid" ]]; then
    \builtin kill -TERM "$__gum_engine_pid" 2>/dev/null
  fi
  __gum_engine_pid=
}

# Sends one request: VERB FIELD... (1 when the engine is gone).
__gum_engine_send() {
  \builtin local __gum_verb=$1
  \builtin shift
  \builtin printf '%s\0' "$__gum_verb" "$#" "$@" 2>/dev/null >&"$__gum_engine_w" && \builtin return 0
  __gum_engine_drop
  \builtin return 1
}

# Reads one reply: __gum_reply_status (ok or error), __gum_reply_count fields, the first in
# __gum_reply_first. 1 (and the engine dropped) when no whole reply came in time.
__gum_engine_receive() {
  \builtin local __gum_n __gum_f __gum_i=0 __gum_t=${1:-2}
  __gum_reply_first=
  __gum_reply_count=0
  if IFS= \builtin read -r -d '' -t "$__gum_t" -u "$__gum_engine_r" __gum_reply_status &&
    IFS= \builtin read -r -d '' -t "$__gum_t" -u "$__gum_engine_r" __gum_n &&
    [[ "$__gum_n" =~ ^[0-9]+$ ]]; then
    while [[ $__gum_i -lt $__gum_n ]]; do
      IFS= \builtin read -r -d '' -t "$__gum_t" -u "$__gum_engine_r" __gum_f || \builtin break
      [[ $__gum_i -eq 0 ]] && __gum_reply_first=$__gum_f
      __gum_i=$(( __gum_i + 1 ))
    done
    if [[ $__gum_i -eq $__gum_n ]]; then
      __gum_reply_count=$__gum_n
      \builtin return 0
    fi
  fi
  __gum_engine_drop kill
  \builtin return 1
}

# Records one visit through the engine (1: it is not there, use the process hook).
__gum_engine_visit() {
  __gum_engine_ready || \builtin return 1
  __gum_engine_visits=$(( __gum_engine_visits + 1 ))
  if [[ $(( __gum_engine_visits % 64 )) -eq 0 ]]; then
    __gum_engine_send ping && __gum_engine_receive 1 || \builtin return 1
  fi
  __gum_engine_send visit "$1"
}

)";

// bash: a coprocess. bash closes its descriptors (close-on-exec, and in subshells) and unsets
// __gum_engine when it reaps it, so a dead engine is seen without a write. `disown` keeps it
// out of the job table: no "Done" line, and no SIGHUP from bash (the engine ends on EOF).
constexpr const char* bash_engine_functions = R"(# Whether the engine runs (bash unsets the coprocess's variables when it reaps it).
__gum_engine_alive() {
  [[ -n "$__gum_engine_pid" && "${__gum_engine_PID-}" == "$__gum_engine_pid" &&
    -n "${__gum_engine[1]-}" ]]
}

__gum_engine_start() {
  { coproc __gum_engine { \builtin exec "$__gum_bin" engine --stdio 2>/dev/null; }; } 2>/dev/null
  [[ -n "${__gum_engine_PID-}" && -n "${__gum_engine[1]-}" ]] || \builtin return 1
  \builtin disown "$__gum_engine_PID" 2>/dev/null
  __gum_engine_pid=$__gum_engine_PID
  __gum_engine_w=${__gum_engine[1]}
  __gum_engine_r=${__gum_engine[0]}
}

)";

// zsh: a coprocess too, without job control (no "[1] 1234" line) and disowned. Its `p`
// descriptors are copied to close-on-exec ones (zsh/system's sysopen), the write end also
// non-blocking: `exec {fd}>&p` alone would leak them into every command, and a command that
// outlives the shell would keep the engine from seeing the end of its input.
constexpr const char* zsh_engine_functions = R"(typeset -g __gum_engine_w= __gum_engine_r=

__gum_engine_alive() {
  [[ -n "$__gum_engine_pid" ]] && \builtin kill -0 "$__gum_engine_pid" 2>/dev/null
}

__gum_engine_start() {
  \builtin zmodload zsh/system 2>/dev/null || \builtin return 1
  \builtin setopt local_options no_monitor no_notify
  \builtin local __gum_w __gum_r
  [[ -n "$__gum_engine_w" ]] && \builtin exec {__gum_engine_w}>&- 2>/dev/null
  [[ -n "$__gum_engine_r" ]] && \builtin exec {__gum_engine_r}<&- 2>/dev/null
  __gum_engine_w= __gum_engine_r=
  coproc "$__gum_bin" engine --stdio 2>/dev/null
  typeset -g __gum_engine_pid=$!
  \builtin disown %+ 2>/dev/null
  \builtin exec {__gum_w}>&p {__gum_r}<&p
  \builtin sysopen -w -o cloexec,nonblock -u __gum_engine_w /proc/self/fd/$__gum_w 2>/dev/null
  \builtin sysopen -r -o cloexec -u __gum_engine_r /proc/self/fd/$__gum_r 2>/dev/null
  \builtin exec {__gum_w}>&- {__gum_r}<&-
  if [[ -z "$__gum_engine_w" || -z "$__gum_engine_r" ]]; then
    __gum_engine_drop kill
    \builtin return 1
  fi
}

)";

// The jump command, the same text for bash and zsh. `function NAME()` keeps zsh from expanding
// an alias of the same name in the definition. With the engine, a jump is one request and one
// reply; when the engine is not there, `gum jump` answers.
std::string jump_function(const shell_hook_options& o) {
  std::string s;
  s += "# @CMD@ [KEYWORD...]: cd to the best frecent match (no arguments: home; a directory or\n";
  s += "# '-': straight there). Nothing matches: a message and status 1.\n";
  s += "function @CMD@() {\n";
  s += "  if [[ $# -eq 0 ]]; then\n";
  s += "    \\builtin cd -- \"$HOME\"\n";
  s += "  elif [[ $# -eq 1 && \"$1\" == - ]]; then\n";
  s += "    \\builtin cd -\n";
  s += "  elif [[ $# -eq 1 && -d \"$1\" ]]; then\n";
  s += "    \\builtin cd -- \"$1\"\n";
  s += "  else\n";
  if (o.engine) {
    s += "    if __gum_engine_ready && __gum_engine_send jump \"$PWD\" \"$@\" && __gum_engine_receive &&\n";
    s += "      [[ $__gum_reply_status == ok ]]; then\n";
    s += "      if [[ $__gum_reply_count -gt 0 ]]; then\n";
    s += "        \\builtin cd -- \"$__gum_reply_first\"\n";
    s += "        \\builtin return\n";
    s += "      fi\n";
    s += "      " + no_match_line();
    s += "      \\builtin return 1\n";
    s += "    fi\n";
  }
  s += "    \\builtin local __gum_dir __gum_rc\n";
  s += "    __gum_dir=\"$(\"$__gum_bin\" jump -- \"$@\")\"\n";
  s += "    __gum_rc=$?\n";
  s += "    if [[ $__gum_rc -eq 0 && -n \"$__gum_dir\" ]]; then\n";
  s += "      \\builtin cd -- \"$__gum_dir\"\n";
  s += "    else\n";
  s += "      [[ $__gum_rc -eq 1 ]] && " + no_match_line();
  s += "      \\builtin return 1\n";
  s += "    fi\n";
  s += "  fi\n";
  s += "}\n";
  s += "\n";
  s += "# @CMD@i [KEYWORD...]: pick among the matches with fzf (`gum dirs -i`) and cd there.\n";
  s += "function @CMD@i() {\n";
  s += "  \\builtin local __gum_dir __gum_rc\n";
  s += "  __gum_dir=\"$(\"$__gum_bin\" dirs -i -- \"$@\")\"\n";
  s += "  __gum_rc=$?\n";
  s += "  if [[ $__gum_rc -eq 0 && -n \"$__gum_dir\" ]]; then\n";
  s += "    \\builtin cd -- \"$__gum_dir\"\n";
  s += "  else\n";
  s += "    [[ $__gum_rc -eq 1 && $# -gt 0 ]] && " + no_match_line();
  s += "    \\builtin return 1\n";
  s += "  fi\n";
  s += "}\n";
  return with_cmd(s, o.cmd);
}

// How a hook records $PWD: through the engine when there is one, else in the background.
std::string record_call(const shell_hook_options& o, const std::string& background) {
  if (!o.engine) return background;
  return "__gum_engine_visit \"$PWD\" || { " + background + "; }";
}

// The bash hook: a PROMPT_COMMAND entry that records $PWD only when it changed since the last
// prompt (--hook pwd) or at every prompt (--hook prompt). The `( ... & )` subshell keeps the
// background job out of the shell's job table, so no "[1] 1234" / "Done" lines appear. $? is
// preserved for prompts that show it.
std::string bash_script(const shell_hook_options& o, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for bash. Add this to ~/.bashrc:\n";
  s += "#   eval \"$(gum init bash --cmd " + o.cmd + (o.engine ? " --engine" : "") + ")\"\n";
  s += "__gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += warning_file_line("__gum_warn_file=");
  s += "\n";
  s += record_and_warn_functions();
  if (o.engine) {
    s += engine_common_functions;
    s += bash_engine_functions;
  }
  if (o.hook != "none") {
    const std::string record = record_call(o, "( __gum_record \"$PWD\" & )");
    s += "# Records the current directory when it changed since the last prompt (--hook pwd) or at\n";
    s += "# every prompt (--hook prompt), and shows a recording failure once per shell.\n";
    s += "__gum_hook() {\n";
    s += "  \\builtin local __gum_status=$?\n";
    if (o.hook == "prompt") {
      s += "  " + record + "\n";
    } else {
      s += "  if [[ \"${__gum_oldpwd-}\" != \"$PWD\" ]]; then\n";
      s += "    __gum_oldpwd=$PWD\n";
      s += "    " + record + "\n";
      s += "  fi\n";
    }
    s += "  __gum_warn\n";
    s += "  \\builtin return \"$__gum_status\"\n";
    s += "}\n";
    s += "\n";
    s += "__gum_oldpwd=$PWD\n";
    s += "if [[ \"${PROMPT_COMMAND-}\" != *__gum_hook* ]]; then\n";
    s += "  PROMPT_COMMAND=\"__gum_hook${PROMPT_COMMAND:+;${PROMPT_COMMAND#;}}\"\n";
    s += "fi\n";
    s += "\n";
  }
  if (!o.no_cmd) s += jump_function(o);
  return s;
}

// The zsh hook: a chpwd function (--hook pwd) or a precmd one (--hook prompt); add-zsh-hook
// never adds one twice; `&!` disowns the job at once so zsh prints nothing about it.
std::string zsh_script(const shell_hook_options& o, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for zsh. Add this to ~/.zshrc:\n";
  s += "#   eval \"$(gum init zsh --cmd " + o.cmd + (o.engine ? " --engine" : "") + ")\"\n";
  s += "typeset -g __gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += warning_file_line("typeset -g __gum_warn_file=");
  s += "\n";
  s += record_and_warn_functions();
  if (o.engine) {
    s += engine_common_functions;
    s += zsh_engine_functions;
  }
  s += "autoload -Uz add-zsh-hook\n";
  if (o.hook != "none") {
    s += "# Records the directory in the background after every directory change (--hook pwd) or\n";
    s += "# before every prompt (--hook prompt).\n";
    s += "__gum_hook() {\n";
    s += "  " + record_call(o, "__gum_record \"$PWD\" &!") + "\n";
    s += "}\n";
    s += "\n";
    s += std::string("add-zsh-hook ") + (o.hook == "prompt" ? "precmd" : "chpwd") + " __gum_hook\n";
  }
  s += "add-zsh-hook precmd __gum_warn\n";
  s += "\n";
  if (!o.no_cmd) s += jump_function(o);
  return s;
}

// The fish hook: a PWD variable handler (--hook pwd) or a fish_prompt event one (--hook
// prompt); the job is disowned so fish never reports it ended. `cd` is fish's wrapper
// function (it keeps `cd -` and dirprev working) unless the user named the jump command `cd`,
// where calling it would recurse. fish has no coprocess: --engine keeps this process hook.
std::string fish_script(const shell_hook_options& o, const std::string& gum) {
  const std::string& cmd = o.cmd;
  const std::string cd = cmd == "cd" ? "builtin cd" : "cd";
  std::string s;
  s += "# gum: frecent directories for fish. Add this to ~/.config/fish/config.fish:\n";
  s += "#   gum init fish --cmd " + cmd + " | source\n";
  if (o.engine)
    s += "# gum: --engine applies to bash and zsh only: fish has no coprocess, so this is the\n"
         "# process hook (one background `gum add` per directory change).\n";
  s += "set -g __gum_bin " + fish_quote(gum) + "\n";
  s += "\n";
  s += "set -g __gum_warn_file (string join '' -- (set -q XDG_CACHE_HOME; and echo $XDG_CACHE_HOME; "
       "or echo $HOME/.cache) /gum/hook-warning. $fish_pid)\n";
  s += "\n";
  if (o.hook != "none") {
    s += "# fish cannot background a function: a small sh records the directory and, on a\n";
    s += "# configuration error (exit 2), leaves the message for the next change to show once.\n";
    s += std::string("function __gum_hook ") +
         (o.hook == "prompt" ? "--on-event fish_prompt" : "--on-variable PWD") +
         " --description 'gum: record the directory'\n";
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
  }
  if (o.no_cmd) return s;
  const std::string no_match =
      "printf " + fish_quote("gum: no match for '%s'\\n") + " \"$argv\" >&2";
  s += "function " + cmd + " --description 'gum: cd to the best frecent match'\n";
  s += "    set -l argc (count $argv)\n";
  s += "    if test $argc -eq 0\n";
  s += "        " + cd + " ~\n";
  s += "    else if test $argc -eq 1; and test \"$argv[1]\" = -\n";
  s += "        " + cd + " -\n";
  s += "    else if test $argc -eq 1; and test -d \"$argv[1]\"\n";
  s += "        " + cd + " $argv[1]\n";
  s += "    else\n";
  s += "        set -l __gum_dir (command $__gum_bin jump -- $argv)\n";
  s += "        set -l __gum_rc $status\n";
  s += "        if test $__gum_rc -eq 0; and test -n \"$__gum_dir\"\n";
  s += "            " + cd + " $__gum_dir\n";
  s += "        else\n";
  s += "            test $__gum_rc -eq 1; and " + no_match + "\n";
  s += "            return 1\n";
  s += "        end\n";
  s += "    end\n";
  s += "end\n";
  s += "\n";
  s += "function " + cmd + "i --description 'gum: pick a frecent directory with fzf'\n";
  s += "    set -l __gum_dir (command $__gum_bin dirs -i -- $argv)\n";
  s += "    set -l __gum_rc $status\n";
  s += "    if test $__gum_rc -eq 0; and test -n \"$__gum_dir\"\n";
  s += "        " + cd + " $__gum_dir\n";
  s += "    else\n";
  s += "        test $__gum_rc -eq 1; and test (count $argv) -gt 0; and " + no_match + "\n";
  s += "        return 1\n";
  s += "    end\n";
  s += "end\n";
  return s;
}

}  // namespace

status shell_init_script(const shell_hook_options& o, std::string& out) {
  if (o.shell != "bash" && o.shell != "zsh" && o.shell != "fish")
    return status::fail(status_code::usage,
                        "unknown shell '" + excerpt(o.shell) + "' (expected bash, zsh or fish)");
  if (!is_valid_command_name(o.cmd))
    return status::fail(status_code::usage, "invalid command name '" + excerpt(o.cmd) + "'",
                        "use letters, digits, '_' and '-', starting with a letter or '_'");
  if (o.hook != "pwd" && o.hook != "prompt" && o.hook != "none")
    return status::fail(status_code::usage,
                        "unknown hook '" + excerpt(o.hook) + "' (expected prompt, pwd or none)");
  if (o.gum_path.find('\0') != std::string::npos)
    return status::fail(status_code::usage, "the gum path contains a NUL byte");
  try {
    const std::string gum = o.gum_path.empty() ? std::string("gum") : o.gum_path;
    if (o.shell == "bash")
      out = bash_script(o, gum);
    else if (o.shell == "zsh")
      out = zsh_script(o, gum);
    else
      out = fish_script(o, gum);
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, e.what());
  }
  return status::success();
}

status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out) {
  shell_hook_options o;
  o.shell = shell;
  o.cmd = cmd_name;
  o.gum_path = gum_path;
  return shell_init_script(o, out);
}

}  // namespace gum
