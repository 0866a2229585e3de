// cli/app.cpp: the command line: global options, every command's subcommand, parse, run the
// chosen command and report its outcome (cli/invocation.hpp).
//
// Only the chosen command's parser is built. A gum process runs one command, and building all
// fifteen CLI11 subcommands with their hundred options cost more than the parse itself (issue
// 14). The table below knows every command by name, alias and one-line description, which is
// all `gum --help`, `gum help`, the completions' command list and "did you mean" need: those
// are added as empty subcommands, and the chosen one (found by a first look at argv, skipping
// the global options and their values) is registered in full. `gum completion` and
// `--help-all` need every option of every command and register them all.
//
// Every parse error is rewritten here into gum's form (SPEC §3): one `gum: …` line saying
// what was wrong, in order, and one `gum: …` line naming `gum COMMAND --help`; exit 2.
#include "cli/app.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/invocation.hpp"
#include "cli/suggest.hpp"

namespace gum::cli {

namespace {

using register_function = void (*)(CLI::App&, std::vector<command>&);

// One command as `gum --help` lists it. The description must be the one its register
// function gives CLI11 (a test compares `gum --help` with every `gum COMMAND --help`).
struct command_entry {
  const char* name;
  const char* alias;  // "" when none
  const char* description;
  register_function add;  // nullptr: handled here (help)
};

// In the order `gum --help` lists them.
const command_entry command_table[] = {
    {"projects", "projects-v2", "List the Git projects under your project roots",
     register_projects},
    {"add", "", "Record a visit to each directory (the shell hook)", register_add},
    {"dirs", "", "List frecent directories, best first", register_dirs},
    {"jump", "", "Print the best frecent match (not the current one)", register_jump},
    {"init", "", "Print the shell hook: eval \"$(gum init bash)\"", register_init},
    {"import", "", "Import another tool's directory database", register_import},
    {"sync", "update", "Update the local copy of your GitHub repositories", register_sync},
    {"github", "", "List your synced GitHub repositories (offline)", register_github},
    {"integrity", "", "Check (and with --repair fix) the database", register_integrity},
    {"clone", "", "Clone a repository into your project root and index it", register_clone},
    {"doctor", "", "Check the config, database, index, token, shell hook and fzf, with fixes",
     register_doctor},
    {"migrate", "", "Import the Go gum's caches, or back up or restore the database",
     register_migrate},
    {"crontab", "", "Print crontab lines that keep the index fresh", register_crontab},
    {"engine", "", "Run a resident engine for a shell hook (see gum init)", register_engine},
    {"completion", "", "Print a shell completion script", register_completion},
    {"stress", "", "Run many gum processes against one scratch database and check nothing breaks",
     register_stress},
    {"version", "", "Print the version of gum and of its libraries", register_version},
    {"help", "", "Show the help of gum or of one command: gum help [COMMAND]", nullptr},
};

const command_entry* find_command(const std::string& word) {
  for (const auto& c : command_table)
    if (word == c.name || (*c.alias && word == c.alias)) return &c;
  return nullptr;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : command_table) {
    names.push_back(c.name);
    if (*c.alias) names.push_back(c.alias);
  }
  return names;
}

// The words of argv that are not options or the values of the root's value-taking options:
// the command and what follows it. A global option that takes a value (--db, --config, and
// any added later) is recognised from the root app itself.
std::vector<std::string> positional_words(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) words.push_back(argv[i]);
      break;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      if (words.empty() && arg.find('=') == std::string::npos) {
        const CLI::Option* o = app.get_option_no_throw(arg);
        if (o && o->get_type_size_max() > 0 && o->get_items_expected_max() > 0) ++i;
      }
      continue;
    }
    words.push_back(arg);
  }
  return words;
}

bool has_argument(int argc, char** argv, const char* wanted) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], wanted) == 0) return true;
  }
  return false;
}

// "gum projects" for a subcommand, "gum" for the root.
std::string command_line_name(const CLI::App* sub) {
  return sub ? "gum " + sub->get_name() : std::string("gum");
}

std::string usage_hint(const CLI::App* sub) {
  return "run `" + command_line_name(sub) + " --help` for usage";
}

status usage_error(const std::string& what, const CLI::App* sub, const std::string& hint = {}) {
  return status::fail(status_code::usage, what, hint.empty() ? usage_hint(sub) : hint);
}

// Every long and short option name of `app` ("--format", "-f"), for suggestions.
void option_names(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* o : app.get_options()) {
    for (auto& l : o->get_lnames()) out.push_back("--" + l);
    for (auto& s : o->get_snames()) out.push_back("-" + s);
  }
}

// An argument the parser did not take: an unknown option, or a word no command expects.
status unexpected_argument(const std::string& arg, CLI::App& root, const CLI::App* sub) {
  const std::string where = command_line_name(sub);
  if (arg.size() > 1 && arg[0] == '-') {
    std::string name = arg.substr(0, arg.find('='));
    std::vector<std::string> names;
    if (sub) option_names(*sub, names);
    option_names(root, names);
    std::string best = closest_match(name, names);
    return usage_error("unknown option '" + name + "' for `" + where + "`", sub,
                       best.empty() ? std::string()
                                    : "did you mean " + best + "? run `" + where +
                                          " --help` for usage");
  }
  if (!sub) {
    std::string best = closest_match(arg, command_names());
    return usage_error("unknown command '" + arg + "'", nullptr,
                       best.empty() ? std::string("run `gum --help` for the list of commands")
                                    : "did you mean `gum " + best + "`? run `gum --help` for "
                                      "the list of commands");
  }
  return usage_error("unexpected argument '" + arg + "' for `" + where + "`", sub);
}

std::string after(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
}

// The option (or positional) of `sub` or the root called `name`, or nullptr.
const CLI::Option* find_option(const CLI::App& root, const CLI::App* sub, const std::string& name) {
  if (sub)
    if (auto* o = sub->get_option_no_throw(name)) return o;
  return root.get_option_no_throw(name);
}

std::string expected_type(const CLI::Option* o) {
  if (!o) return "a valid value";
  const std::string type = o->get_type_name();
  if (type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0) return "a whole number";
  if (type.rfind("FLOAT", 0) == 0) return "a number";
  return "a valid " + (type.empty() ? std::string("value") : type);
}

// A CLI11 parse error in gum's words (the order of CLI11's own messages kept where it was
// right, fixed where it was not).
status rewrite_parse_error(const CLI::ParseError& e, CLI::App& root, const CLI::App* sub) {
  const std::string kind = e.get_name();
  const std::string what = e.what();
  if (kind == "ConversionError") {
    // "Could not convert: --limit = abc"
    std::string rest = after(what, "Could not convert: ");
    std::size_t eq = rest.find(" = ");
    if (eq != std::string::npos) {
      std::string name = rest.substr(0, eq), value = rest.substr(eq + 3);
      return usage_error("invalid value '" + value + "' for " + name + ": expected " +
                             expected_type(find_option(root, sub, name)),
                         sub);
    }
  } else if (kind == "ValidationError") {
    // "--format: unknown format 'x' (expected ...)": accept_only()'s message is gum's own.
    std::size_t colon = what.find(": ");
    if (colon != std::string::npos) {
      std::string name = what.substr(0, colon), message = what.substr(colon + 2);
      // accept_only()'s "unknown …", and messages that already name their option ("--jq: …").
      if (message.rfind("unknown ", 0) == 0 || message.rfind(name + ": ", 0) == 0)
        return usage_error(message, sub);
      return usage_error("invalid value for " + name + ": " + message, sub);
    }
  } else if (kind == "RequiredError") {
    std::string name = what;
    std::size_t at = name.rfind(" is required");
    if (at != std::string::npos) {
      name = name.substr(0, at);
      if (!name.empty() && name[0] == '-')
        return usage_error("`" + command_line_name(sub) + "` needs " + name, sub);
      const CLI::Option* o = find_option(root, sub, name);
      std::string shown = o && !o->get_type_name().empty() && o->get_type_name() != "TEXT"
                              ? o->get_type_name()
                              : name;
      for (auto& c : shown) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return usage_error("`" + command_line_name(sub) + "` needs " + shown, sub);
    }
  } else if (kind == "ArgumentMismatch") {
    std::size_t colon = what.find(": ");
    std::string name = colon == std::string::npos ? what : what.substr(0, colon);
    if (what.find("At Most") != std::string::npos || what.find("at most") != std::string::npos)
      return usage_error(name + " was given more than once", sub);
    return usage_error(name + " needs a value", sub);
  } else if (kind == "ExcludesError") {
    std::size_t at = what.find(" excludes ");
    if (at != std::string::npos)
      return usage_error(what.substr(0, at) + " and " + what.substr(at + 10) +
                             " cannot be used together",
                         sub);
  } else if (kind == "RequiresError") {
    std::size_t at = what.find(" requires ");
    if (at != std::string::npos)
      return usage_error(what.substr(0, at) + " needs " + what.substr(at + 10), sub);
  }
  std::string message = what;
  if (!message.empty())
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  return usage_error(message, sub);
}

// The subcommand CLI11 chose, or nullptr.
CLI::App* chosen_subcommand(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({}))
    if (sub->parsed()) return sub;
  return nullptr;
}

// `gum help [COMMAND]`: the root's help, or the command's (registered in full for it).
int run_help(CLI::App& app, const std::vector<std::string>& words) {
  if (words.size() < 2) {
    std::cout << app.help();
    return 0;
  }
  const command_entry* entry = find_command(words[1]);
  if (!entry) return report(unexpected_argument(words[1], app, nullptr));
  std::cout << app.get_subcommand(entry->name)->help("gum");
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"gum: an always-consistent index of your Git projects, directories and GitHub "
               "repositories",
               "gum"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.require_subcommand(0, 1);
  app.allow_extras();  // unknown words and options are reported below, in gum's words
  global_options globals;
  app.add_option("--db", globals.db, "Database file (also GUM_DB)");
  app.add_option("--config", globals.config, "Config file (also GUM_CONFIG)");
  app.add_flag("-q,--quiet", globals.quiet, "Print no warnings");
  app.add_flag("--no-color", globals.no_color, "No colours (also NO_COLOR)");
  app.add_flag("--debug", globals.debug, "Debug log on stderr (also GUM_DEBUG=1)");
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  bool show_crontab = false;
  app.add_flag("--crontab", show_crontab, "Print crontab lines (as `gum crontab`) and exit");

  // Which command runs: the first word that is not an option (or an option's value).
  const std::vector<std::string> words = positional_words(app, argc, argv);
  std::string chosen;
  if (!words.empty()) {
    chosen = words[0];
    if (chosen == "help" && words.size() > 1) chosen = words[1];
    if (const command_entry* c = find_command(chosen)) chosen = c->name;
  } else if (has_argument(argc, argv, "--crontab")) {
    chosen = "crontab";
  } else if (has_argument(argc, argv, "--version")) {
    chosen = "version";
  }
  const bool register_all = chosen == "completion" || has_argument(argc, argv, "--help-all");
  // The other commands are stubs (a name and a line of help) only where a list of commands can
  // be printed: the root's help, `gum help`, no command or an unknown one. A command that runs
  // needs none: a CLI::App per stub was a tenth of `gum jump`'s instructions outside the loader.
  const command_entry* first = words.empty() ? nullptr : find_command(words[0]);
  const bool stubs = register_all || !first || !first->add;

  std::vector<command> commands;
  for (const auto& c : command_table) {
    if (c.add && (register_all || chosen == c.name)) {
      c.add(app, commands);
      continue;
    }
    if (!stubs) continue;
    CLI::App* stub = app.add_subcommand(c.name, c.description);
    if (*c.alias) stub->alias(c.alias);
  }
  for (auto& c : commands) c.app->fallthrough()->allow_extras();

  if (!words.empty() && words[0] == "help") {
    if (has_argument(argc, argv, "--help") || has_argument(argc, argv, "-h")) {
      std::cout << app.get_subcommand("help")->help("gum");
      return 0;
    }
    return run_help(app, words);
  }
  if (!words.empty() && !find_command(words[0]))
    return report(unexpected_argument(words[0], app, nullptr));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report(rewrite_parse_error(e, app, chosen_subcommand(app)));
  }
  CLI::App* sub = chosen_subcommand(app);
  // What no option or positional took, in the order it was given.
  {
    std::vector<std::string> extra;
    if (sub) extra = sub->remaining();
    for (auto& r : app.remaining()) extra.push_back(r);
    // With allow_extras, CLI11 hands back the `--` that ends the options (the hooks' `gum jump
    // -- KW`): it is the separator, not an unknown argument.
    extra.erase(std::remove(extra.begin(), extra.end(), "--"), extra.end());
    if (!extra.empty()) return report(unexpected_argument(extra.front(), app, sub));
  }

  auto env = environment::from_process();
  if (env.variable("GUM_DEBUG") == "1") globals.debug = true;
  if (!env.variable("NO_COLOR").empty()) globals.no_color = true;

  invocation inv(globals, std::move(env));
  for (auto& c : commands) {
    if (c.app->parsed()) {
      auto st = c.run(inv);
      auto stop = inv.stop_engine();
      if (st.ok()) st = stop;
      return report(st);
    }
  }
  if (show_crontab || show_version) {
    const char* name = show_crontab ? "crontab" : "version";
    for (auto& c : commands)
      if (c.app->get_name() == name) return report(c.run(inv));
  }
  std::cout << app.help();
  return 0;
}

}  // namespace gum::cli
