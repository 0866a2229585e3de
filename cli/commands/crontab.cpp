// cli/commands/crontab.cpp: `gum crontab` (also `gum --crontab`) and `gum completion
// bash|zsh|fish` (SPEC §3.6). Neither reads the config or the database.
//
// crontab: the lines name this binary by its absolute path (/proc/self/exe), so cron, whose
// PATH is minimal, runs the same gum. `crontab -l` is read with posix_spawnp and an argument
// vector; a missing crontab binary or "no crontab for USER" is an empty crontab. A line is
// skipped when its command part (everything after the schedule) is already there, whatever
// its schedule: the user may have changed when it runs.
//
// completion: the scripts are generated from the CLI11 definition at run time (every
// subcommand, alias and option name of the app that parsed this very command line), so they
// cannot drift from the commands. Descriptions are reduced to characters that need no quoting
// in any of the three shells.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <sstream>

#include "cli/context.hpp"

extern char** environ;

namespace gum::cli {

namespace {

// ---- gum crontab ---------------------------------------------------------------------------

/// One line gum proposes: when, and what.
struct cron_entry {
  const char* schedule;
  std::string command;
};

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "gum";
  return std::string(buf, static_cast<size_t>(n));
}

// Quotes a word for the shell cron runs (sh), and escapes '%' (a newline to cron).
std::string cron_word(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ',' || c == ':' ||
              c == '=';
    plain = plain && ok;
  }
  std::string out;
  if (!plain) out += '\'';
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '%')
      out += "\\%";
    else
      out += c;
  }
  if (!plain) out += '\'';
  return out;
}

// Collapses runs of blanks, so that spacing differences do not hide an existing entry.
std::string squeeze(const std::string& s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// The command part of a crontab line, or "" for comments, blanks and variable settings.
std::string command_part(const std::string& raw) {
  std::string line = squeeze(raw);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty() || line[0] == '#') return "";
  size_t fields = line[0] == '@' ? 1 : 5;
  size_t pos = 0;
  for (size_t i = 0; i < fields; ++i) {
    pos = line.find(' ', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  return line.substr(pos);
}

/// What `crontab -l` printed, or why it could not be read.
struct crontab_listing {
  std::string text;
  std::string warning;
};

// Runs `crontab -l`, capturing stdout and stderr.
crontab_listing read_crontab() {
  crontab_listing listing;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return listing;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return listing;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  char arg0[] = "crontab", arg1[] = "-l";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "crontab", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::string err;
  if (rc == 0) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          fds[i].fd = -1;
          --open_fds;
        } else {
          (i == 0 ? listing.text : err).append(buf, static_cast<size_t>(n));
        }
      }
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (rc != 0) return listing;  // no crontab binary: nothing is installed
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return listing;
  listing.text.clear();
  if (err.find("no crontab for") == std::string::npos) {
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    listing.warning = "`crontab -l` failed" + (err.empty() ? std::string() : ": " + err) +
                      "; showing every line";
  }
  return listing;
}

status run_crontab(context& ctx) {
  const auto& g = ctx.globals();
  std::string prefix = cron_word(self_path());
  // Global options the user gave are kept, so cron uses the same database and config.
  if (!g.db.empty()) prefix += " --db " + cron_word(ctx.database_path());
  if (!g.config.empty()) prefix += " --config " + cron_word(g.config);
  prefix += " -q";
  const std::vector<cron_entry> entries = {
      {"*/15 * * * *", prefix + " dirs --refresh >/dev/null"},
      {"7 * * * *", prefix + " projects --refresh >/dev/null"},
      {"23 * * * *", prefix + " sync --type incremental >/dev/null"},
      {"41 3 * * 0", prefix + " integrity >/dev/null"},
  };
  auto listing = read_crontab();
  if (!listing.warning.empty()) ctx.warn(listing.warning);
  std::vector<std::string> present;
  std::istringstream in(listing.text);
  std::string line;
  while (std::getline(in, line)) {
    auto cmd = command_part(line);
    if (!cmd.empty()) present.push_back(cmd);
  }
  std::ostringstream out;
  int64_t printed = 0;
  for (auto& e : entries) {
    bool found = false;
    for (auto& p : present) found = found || p == squeeze(e.command);
    if (found) continue;
    if (printed == 0)
      out << "# gum: keep the index fresh (add with `crontab -e`, or `(crontab -l; gum crontab) | "
             "crontab -`)\n";
    out << e.schedule << ' ' << e.command << '\n';
    ++printed;
  }
  std::cout << out.str();
  if (printed == 0 && !g.quiet) std::cerr << "gum: every gum entry is already in your crontab\n";
  return status::success();
}

// ---- gum completion ------------------------------------------------------------------------

/// One option as the scripts need it.
struct option_info {
  std::vector<std::string> shorts;  ///< without "-"
  std::vector<std::string> longs;   ///< without "--"
  bool takes_value = false;
  std::string description;
};

/// One subcommand: its names (name first, then aliases) and options.
struct command_info {
  std::vector<std::string> names;
  std::string description;
  std::vector<option_info> options;
};

// Keeps letters, digits and a few safe punctuation marks; everything else becomes a space.
std::string plain_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ' ' || c == ',' || c == '.' || c == '-' || c == '_' || c == '/' || c == '+' ||
              c == '=' || c == '(' || c == ')';
    out += ok ? c : ' ';
  }
  return squeeze(out);
}

std::vector<option_info> options_of(const CLI::App& app) {
  std::vector<option_info> out;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_lnames().empty() && o->get_snames().empty()) continue;  // positionals
    option_info info;
    info.shorts = o->get_snames();
    info.longs = o->get_lnames();
    info.takes_value = o->get_type_size_max() > 0 && o->get_items_expected_max() > 0;
    info.description = plain_text(o->get_description());
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<command_info> commands_of(CLI::App& root) {
  std::vector<command_info> out;
  for (CLI::App* sub : root.get_subcommands({})) {
    command_info info;
    info.names.push_back(sub->get_name());
    for (auto& a : sub->get_aliases()) info.names.push_back(a);
    info.description = plain_text(sub->get_description());
    info.options = options_of(*sub);
    out.push_back(std::move(info));
  }
  return out;
}

std::string join(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::vector<std::string> option_words(const std::vector<option_info>& options) {
  std::vector<std::string> words;
  for (auto& o : options) {
    for (auto& l : o.longs) words.push_back("--" + l);
    for (auto& s : o.shorts) words.push_back("-" + s);
  }
  return words;
}

std::vector<std::string> value_options(const std::vector<option_info>& options) {
  std::vector<std::string> words;
  for (auto& o : options) {
    if (!o.takes_value) continue;
    for (auto& l : o.longs) words.push_back("--" + l);
    for (auto& s : o.shorts) words.push_back("-" + s);
  }
  return words;
}

std::string bash_script(const std::vector<option_info>& globals,
                        const std::vector<command_info>& commands) {
  std::ostringstream s;
  std::vector<std::string> names;
  for (auto& c : commands)
    for (auto& n : c.names) names.push_back(n);
  s << "# bash completion for gum (generated by `gum completion bash`)\n"
       "_gum() {\n"
       "  local cur prev cmd i skip=0\n"
       "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
       "  prev=\"\"\n"
       "  if [ \"$COMP_CWORD\" -gt 0 ]; then prev=\"${COMP_WORDS[COMP_CWORD-1]}\"; fi\n"
       "  cmd=\"\"\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    if [ \"$skip\" = 1 ]; then skip=0; continue; fi\n"
       "    case \"${COMP_WORDS[i]}\" in\n";
  auto global_values = value_options(globals);
  if (!global_values.empty()) s << "      " << join(global_values, "|") << ") skip=1 ;;\n";
  s << "      -*) ;;\n"
       "      *) cmd=\"${COMP_WORDS[i]}\"; break ;;\n"
       "    esac\n"
       "  done\n"
       "  local opts=\"" << join(option_words(globals), " ") << "\" values=\""
    << join(global_values, " ") << "\"\n"
       "  case \"$cmd\" in\n";
  for (auto& c : commands) {
    s << "    " << join(c.names, "|") << ")\n"
      << "      opts=\"" << join(option_words(c.options), " ") << "\"\n"
      << "      values=\"" << join(value_options(c.options), " ") << "\" ;;\n";
  }
  s << "  esac\n"
       "  local v\n"
       "  for v in $values; do\n"
       "    if [ \"$prev\" = \"$v\" ]; then\n"
       "      COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "      return 0\n"
       "    fi\n"
       "  done\n"
       "  if [[ \"$cur\" == -* ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
       "  elif [ -z \"$cmd\" ]; then\n"
       "    COMPREPLY=($(compgen -W \"" << join(names, " ") << "\" -- \"$cur\"))\n"
       "  else\n"
       "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "  fi\n"
       "  return 0\n"
       "}\n"
       "complete -o default -F _gum gum\n";
  return s.str();
}

// One _arguments spec per option name, e.g. '--format[Output format]:value:_default'.
void zsh_specs(std::ostringstream& s, const std::vector<option_info>& options,
               const std::string& indent) {
  for (auto& o : options) {
    std::vector<std::string> names;
    for (auto& sh : o.shorts) names.push_back("-" + sh);
    for (auto& l : o.longs) names.push_back("--" + l);
    for (auto& n : names) {
      s << " \\\n" << indent << "'" << n << "[" << o.description << "]";
      if (o.takes_value) s << ":value:_default";
      s << "'";
    }
  }
}

std::string zsh_script(const std::vector<option_info>& globals,
                       const std::vector<command_info>& commands) {
  std::ostringstream s;
  s << "#compdef gum\n"
       "# zsh completion for gum (generated by `gum completion zsh`)\n"
       "_gum() {\n"
       "  local curcontext=\"$curcontext\" state line ret=1\n"
       "  typeset -A opt_args\n"
       "  local -a commands\n"
       "  commands=(\n";
  for (auto& c : commands)
    for (auto& n : c.names) s << "    '" << n << ":" << c.description << "'\n";
  s << "  )\n"
       "  _arguments -C";
  zsh_specs(s, globals, "    ");
  s << " \\\n    '1: :->command' \\\n    '*:: :->arguments' && ret=0\n"
       "  case $state in\n"
       "    command)\n"
       "      _describe -t commands 'gum command' commands && ret=0\n"
       "      ;;\n"
       "    arguments)\n"
       "      case $words[1] in\n";
  for (auto& c : commands) {
    s << "        " << join(c.names, "|") << ")\n"
      << "          _arguments";
    zsh_specs(s, c.options, "            ");
    s << " \\\n            '*:argument:_default' && ret=0\n"
      << "          ;;\n";
  }
  s << "      esac\n"
       "      ;;\n"
       "  esac\n"
       "  return ret\n"
       "}\n"
       "if [ \"$funcstack[1]\" = \"_gum\" ]; then\n"
       "  _gum \"$@\"\n"
       "else\n"
       "  compdef _gum gum\n"
       "fi\n";
  return s.str();
}

void fish_options(std::ostringstream& s, const std::vector<option_info>& options,
                  const std::string& condition) {
  for (auto& o : options) {
    s << "complete -c gum";
    if (!condition.empty()) s << " -n '" << condition << "'";
    for (auto& sh : o.shorts) s << " -s " << sh;
    for (auto& l : o.longs) s << " -l " << l;
    if (o.takes_value) s << " -r";
    s << " -d '" << o.description << "'\n";
  }
}

std::string fish_script(const std::vector<option_info>& globals,
                        const std::vector<command_info>& commands) {
  std::ostringstream s;
  std::vector<std::string> names;
  for (auto& c : commands)
    for (auto& n : c.names) names.push_back(n);
  s << "# fish completion for gum (generated by `gum completion fish`)\n"
       "complete -c gum -e\n";
  fish_options(s, globals, "");
  for (auto& c : commands)
    for (auto& n : c.names)
      s << "complete -c gum -f -n 'not __fish_seen_subcommand_from " << join(names, " ")
        << "' -a " << n << " -d '" << c.description << "'\n";
  for (auto& c : commands) fish_options(s, c.options, "__fish_seen_subcommand_from " + join(c.names, " "));
  return s.str();
}

status run_completion(CLI::App& root, const std::string& shell) {
  auto globals = options_of(root);
  auto commands = commands_of(root);
  if (shell == "bash")
    std::cout << bash_script(globals, commands);
  else if (shell == "zsh")
    std::cout << zsh_script(globals, commands);
  else if (shell == "fish")
    std::cout << fish_script(globals, commands);
  else
    return status::fail(status_code::usage,
                        "unknown shell '" + shell + "' (expected bash, zsh or fish)");
  return status::success();
}

}  // namespace

void register_crontab(CLI::App& app, std::vector<command>& commands) {
  auto* cron = app.add_subcommand("crontab", "Print crontab lines that keep the index fresh");
  commands.push_back({cron, [](context& ctx) { return run_crontab(ctx); }});

  auto shell = std::make_shared<std::string>();
  auto* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", *shell, "bash, zsh or fish")->required()->type_name("SHELL");
  // `app` is the root of the CLI and outlives every command's run: the script is generated
  // from the whole definition as it stands when the command runs.
  CLI::App* root = &app;
  commands.push_back({completion, [root, shell](context&) { return run_completion(*root, *shell); }});
}

}  // namespace gum::cli
