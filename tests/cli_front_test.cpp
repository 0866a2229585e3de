// tests/cli_front_test.cpp: the command line's front end (issue 16): `gum help`, "did you
// mean", parse errors in gum's words, completions of option values in real shells, tables that
// fit the terminal (under a pty of 60 and 200 columns, with a CJK name), colour on a terminal
// only, singular and plural, and `--json FIELDS` / `--jq EXPR`.
#include <gtest/gtest.h>

#include <pty.h>
#include <termios.h>

#include <boost/json.hpp>

#include "cli/jq_loader.hpp"
#include "cli/output.hpp"
#include "cli/suggest.hpp"
#include "core/display_width.hpp"
#include "support/test_env.hpp"

namespace {

using namespace gum::testing;
using gum::display_width;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs gum with stdout on a pseudo-terminal of `columns` columns (stderr to a pipe is not
// needed: it goes to /dev/null). Returns what the terminal received.
run_result gum_on_pty(const test_env& env, const std::vector<std::string>& args,
                      unsigned short columns, const std::vector<std::string>& extra_env = {}) {
  run_result result;
  int master = -1, slave = -1;
  struct winsize size {};
  size.ws_col = columns;
  size.ws_row = 40;
  if (openpty(&master, &slave, nullptr, nullptr, &size) != 0) {
    result.err = "openpty failed";
    return result;
  }
  struct termios raw {};
  tcgetattr(slave, &raw);
  cfmakeraw(&raw);  // no \n -> \r\n translation: the bytes gum wrote, as they were
  tcsetattr(slave, TCSANOW, &raw);
  std::vector<std::string> argv = {GUM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto envv = env.environment();
  envv.insert(envv.end(), extra_env.begin(), extra_env.end());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, slave, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, master);
  const gum::spawn_args a(argv), e(envv);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, a.get(), e.get());
  posix_spawn_file_actions_destroy(&actions);
  close(slave);
  if (rc != 0) {
    close(master);
    result.err = "posix_spawn failed";
    return result;
  }
  char buf[65536];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 60000) <= 0) break;
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child closed the terminal
    result.out.append(buf, static_cast<size_t>(n));
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// A root with three projects, one of them with a long CJK name, indexed.
struct indexed_projects {
  test_env env;
  std::string root;
  indexed_projects() {
    root = env.home() + "/projects";
    test_env::make_repo(root + "/alpha", "https://github.com/acme/alpha.git");
    test_env::make_repo(root + "/\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE9\x95\xB7\xE3\x81"
                               "\x84\xE5\x90\x8D\xE5\x89\x8D",  // 日本語の長い名前
                        "https://github.com/acme/cjk-project-with-a-very-long-remote-name.git");
    test_env::make_repo(root + "/beta-project-with-quite-a-long-name-indeed",
                        "git@github.com:someone/beta-project-with-quite-a-long-name-indeed.git");
    env.write_config("projects: [" + root + "]\n");
    auto r = env.gum({"projects", "--refresh", "-f", "simple"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
};

// ---- help, suggestions, errors ---------------------------------------------------------------

TEST(cli_front, help_command_prints_the_help_of_gum_or_of_one_command) {
  test_env env;
  auto root = env.gum({"help"});
  EXPECT_EQ(root.exit_code, 0) << root.err;
  EXPECT_EQ(root.out, env.gum({"--help"}).out);
  EXPECT_TRUE(contains(root.out, "help ")) << "gum --help lists `help`";
  auto projects = env.gum({"help", "projects"});
  EXPECT_EQ(projects.exit_code, 0) << projects.err;
  EXPECT_EQ(projects.out, env.gum({"projects", "--help"}).out);
  EXPECT_TRUE(contains(projects.out, "--refresh"));
  EXPECT_EQ(env.gum({"help", "update"}).out, env.gum({"sync", "--help"}).out);
  auto unknown = env.gum({"help", "projcts"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "gum: unknown command 'projcts'\n"
            "gum: did you mean `gum projects`? run `gum --help` for the list of commands\n");
}

TEST(cli_front, every_command_listed_by_help_has_that_description_in_its_own_help) {
  // `gum --help` lists the commands from a table without building their parsers; each line
  // must say what the command's own parser says.
  test_env env;
  bool in_list = false;
  int checked = 0;
  for (auto& line : lines_of(env.gum({"--help"}).out)) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_list = true;
      continue;
    }
    if (!in_list || line.size() < 3 || line[0] != ' ') continue;
    auto start = line.find_first_not_of(' ');
    auto end = line.find_first_of(" ,", start);
    std::string name = line.substr(start, end - start);
    std::string description = line.substr(line.find_first_not_of(' ', line.find("  ", end)));
    auto own = env.gum({name, "--help"});
    EXPECT_EQ(own.exit_code, 0) << name;
    EXPECT_EQ(lines_of(own.out).at(0), description) << name;
    ++checked;
  }
  EXPECT_GE(checked, 16);
}

TEST(cli_front, unknown_command_and_option_get_a_suggestion) {
  test_env env;
  auto r = env.gum({"projcts"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "gum: unknown command 'projcts'\n"
            "gum: did you mean `gum projects`? run `gum --help` for the list of commands\n");
  r = env.gum({"projects", "--frmat", "json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "gum: unknown option '--frmat' for `gum projects`\n"
            "gum: did you mean --format? run `gum projects --help` for usage\n");
  r = env.gum({"--qiuet", "dirs"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "did you mean --quiet?")) << r.err;
  r = env.gum({"xyzzy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "gum: unknown command 'xyzzy'\ngum: run `gum --help` for the list of commands\n");
}

TEST(cli_front, parse_errors_are_gum_lines_in_order_naming_the_commands_help) {
  test_env env;
  auto r = env.gum({"projects", "--limit", "abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "gum: invalid value 'abc' for --limit: expected a whole number\n"
            "gum: run `gum projects --help` for usage\n");
  r = env.gum({"projects", "extra", "words"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "gum: unexpected argument 'extra' for `gum projects`\n"
            "gum: run `gum projects --help` for usage\n");
  r = env.gum({"add"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "gum: `gum add` needs PATHS\ngum: run `gum add --help` for usage\n");
  r = env.gum({"projects", "--cached", "--refresh"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines_of(r.err).at(0), "gum: --refresh and --cached cannot be used together");
  r = env.gum({"projects", "--limit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines_of(r.err).at(0), "gum: --limit needs a value");
  r = env.gum({"github", "--sort", "size"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "gum: unknown sort 'size' (expected name, stars or pushed)\n"
            "gum: run `gum github --help` for usage\n");
  for (auto& line : lines_of(r.err)) EXPECT_EQ(line.rfind("gum: ", 0), 0u) << line;
}

TEST(cli_front, suggestions_use_edit_distance) {
  EXPECT_EQ(gum::cli::edit_distance("projcts", "projects"), 1u);
  EXPECT_EQ(gum::cli::edit_distance("fromat", "format"), 1u);  // a swap costs one
  EXPECT_EQ(gum::cli::closest_match("syn", {"sync", "stress"}), "sync");
  EXPECT_EQ(gum::cli::closest_match("zzzzzz", {"sync", "stress"}), "");
}

// ---- completions -----------------------------------------------------------------------------

std::string script_file(const test_env& env, const std::string& shell) {
  auto r = env.gum({"completion", shell});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string file = env.root() + "/gum." + shell;
  test_env::write_file(file, r.out);
  return file;
}

TEST(cli_front, bash_completes_declared_option_and_argument_values) {
  test_env env;
  std::string file = script_file(env, "bash");
  auto complete = [&](const std::string& words, int cword) {
    std::string program = "source '" + file + "'; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                          std::to_string(cword) + "; _gum; printf '%s\\n' \"${COMPREPLY[@]}\"";
    return run_process({"/bin/bash", "-c", program}, env.environment()).out;
  };
  EXPECT_EQ(complete("gum projects --format j", 3), "json\n");
  EXPECT_EQ(complete("gum dirs -f t", 3), "table\n");
  EXPECT_EQ(complete("gum sync --type ''", 3), "full\nincremental\nmetadata\n");
  EXPECT_EQ(complete("gum github --sort s", 3), "stars\n");
  EXPECT_EQ(complete("gum stress --scenario c", 3), "crash\n");
  EXPECT_EQ(complete("gum import --from a", 3), "autojump\n");
  EXPECT_EQ(complete("gum init z", 2), "zsh\n");
  EXPECT_EQ(complete("gum completion f", 2), "fish\n");
}

TEST(cli_front, fish_completes_values_and_keeps_quotes_in_descriptions) {
  ASSERT_TRUE(fs::exists("/usr/bin/fish"));
  test_env env;
  std::string file = script_file(env, "fish");
  auto complete = [&](const std::string& line) {
    return run_process({"/usr/bin/fish", "--no-config", "-c",
                        "source '" + file + "'; complete -C '" + line + "'"},
                       env.environment())
        .out;
  };
  auto formats = complete("gum projects --format ");
  for (const char* f : {"default", "simple", "json", "table", "fzf"})
    EXPECT_TRUE(contains(formats, std::string(f) + "\n") || contains(formats, std::string(f) + "\t"))
        << formats;
  EXPECT_TRUE(contains(complete("gum init "), "fish"));
  auto commands = complete("gum im");
  EXPECT_TRUE(contains(commands, "Import another tool's directory database")) << commands;
}

TEST(cli_front, zsh_loads_the_script_and_completes_a_value) {
  ASSERT_TRUE(fs::exists("/usr/bin/zsh"));
  test_env env;
  std::string file = script_file(env, "zsh");
  EXPECT_TRUE(contains(test_env::read_file(file), "Import another tool'\\''s directory database"));
  // An interactive zsh on a pty (zsh/zpty) with compinit, the script as the completion of
  // `gum`, and a TAB after `--format j`: the line must become `--format json`.
  // Reads wait for a pattern (the prompt, then the completed word), never for a time; the
  // process's timeout bounds a completion that never comes.
  std::string program =
      "zmodload zsh/zpty\n"
      "zpty -b z 'TERM=xterm zsh -f -i'\n"
      "zpty -w z 'PS1=\"RE\"\"ADY> \"; autoload -Uz compinit; compinit -u -D; "
      "source " + file + "; compdef _gum gum'\n"
      "zpty -r z out '*READY> *'\n"
      "zpty -w -n z $'gum projects --format j\\t'\n"
      "zpty -r z out '*--format json*'\n"
      "zpty -d z\n"
      "print -r -- $out\n";
  auto r = run_process({"/usr/bin/zsh", "-f", "-c", program}, env.environment(), {}, 30);
  EXPECT_TRUE(contains(r.out, "--format json")) << r.out << r.err;
}

// ---- tables, colour, plurals ---------------------------------------------------------------

// The display width of every line of `text`.
std::vector<size_t> widths(const std::string& text) {
  std::vector<size_t> out;
  for (auto& line : lines_of(text)) out.push_back(display_width(line));
  return out;
}

TEST(cli_front, tables_fit_a_terminal_of_60_columns_and_use_all_of_200) {
  indexed_projects p;
  auto narrow = gum_on_pty(p.env, {"--no-color", "projects", "--cached", "-f", "table"}, 60);
  ASSERT_EQ(narrow.exit_code, 0);
  ASSERT_EQ(lines_of(narrow.out).size(), 4u) << narrow.out;
  for (auto w : widths(narrow.out)) EXPECT_LE(w, 60u) << narrow.out;
  EXPECT_TRUE(contains(narrow.out, "\xE2\x80\xA6")) << "the widest column is cut with an ellipsis";

  auto wide = gum_on_pty(p.env, {"--no-color", "projects", "--cached", "-f", "table"}, 200);
  ASSERT_EQ(wide.exit_code, 0);
  EXPECT_FALSE(contains(wide.out, "\xE2\x80\xA6")) << wide.out;
  size_t widest = 0;
  for (auto w : widths(wide.out)) widest = std::max(widest, w);
  EXPECT_GT(widest, 60u);
  EXPECT_LE(widest, 200u);
  // Through a pipe nothing is cut, whatever the terminal's size.
  auto piped = p.env.gum({"projects", "--cached", "-f", "table"});
  EXPECT_EQ(piped.out, wide.out);
}

TEST(cli_front, table_columns_align_on_display_width_with_a_cjk_name) {
  indexed_projects p;
  auto r = p.env.gum({"projects", "--cached", "-f", "table"});
  ASSERT_EQ(r.exit_code, 0);
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u);
  // The BRANCH column starts at the same terminal column on every line.
  std::vector<size_t> starts;
  for (auto& line : lines) {
    size_t at = line.find(lines[0] == line ? "BRANCH" : "main");
    ASSERT_NE(at, std::string::npos) << line;
    starts.push_back(display_width(line.substr(0, at)));
  }
  for (auto s : starts) EXPECT_EQ(s, starts[0]) << r.out;
}

TEST(cli_front, colour_on_a_terminal_only) {
  indexed_projects p;
  auto tty = gum_on_pty(p.env, {"projects", "--cached", "-f", "table"}, 200);
  EXPECT_TRUE(contains(tty.out, "\x1b[1mNAME\x1b[0m")) << tty.out;
  auto integrity = gum_on_pty(p.env, {"integrity"}, 100);
  EXPECT_TRUE(contains(integrity.out, "\x1b[32m\xE2\x9C\x93\x1b[0m")) << integrity.out;
  EXPECT_FALSE(contains(p.env.gum({"projects", "--cached", "-f", "table"}).out, "\x1b"));
  EXPECT_FALSE(contains(p.env.gum({"integrity"}).out, "\x1b"));
  auto no_color = gum_on_pty(p.env, {"projects", "--cached", "-f", "table"}, 200, {"NO_COLOR=1"});
  EXPECT_FALSE(contains(no_color.out, "\x1b")) << no_color.out;
  auto flag = gum_on_pty(p.env, {"--no-color", "integrity"}, 100);
  EXPECT_FALSE(contains(flag.out, "\x1b")) << flag.out;
}

TEST(cli_front, counts_agree_with_their_nouns) {
  EXPECT_EQ(gum::cli::count_of(1, "project", "projects"), "1 project");
  EXPECT_EQ(gum::cli::count_of(0, "project", "projects"), "0 projects");
  EXPECT_EQ(gum::cli::count_of(2, "request", "requests"), "2 requests");
  test_env env;
  const std::string dir = env.home() + "/work";  // $HOME itself is never recorded
  fs::create_directories(dir);
  ASSERT_EQ(env.gum({"add", dir}).exit_code, 0);
  auto r = env.gum({"dirs", "--clear-cache"});
  EXPECT_EQ(r.out, "Directories cache cleared (1 entry)\n");
  test_env::write_file(env.root() + "/z", dir + "|2|1700000000\n");
  r = env.gum({"import", "--from", "z", env.root() + "/z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Imported 1 directory from z (")) << r.out;
}

TEST(cli_front, every_list_command_accepts_the_same_formats) {
  indexed_projects p;
  for (const char* command : {"projects", "dirs", "github"}) {
    for (const char* format : {"default", "simple", "json", "table", "fzf"}) {
      auto r = p.env.gum({command, "-f", format});
      EXPECT_EQ(r.exit_code, 0) << command << " " << format << ": " << r.err;
    }
    auto bad = p.env.gum({command, "-f", "xml"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(lines_of(bad.err).at(0),
              "gum: unknown format 'xml' (expected default, simple, json, table or fzf)");
  }
}

// ---- --json FIELDS and --jq ----------------------------------------------------------------

TEST(cli_front, json_fields_keep_only_the_named_fields) {
  indexed_projects p;
  auto r = p.env.gum({"projects", "--cached", "--json", "name,path"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = boost::json::parse(r.out);
  ASSERT_EQ(doc.as_array().size(), 3u);
  for (auto& v : doc.as_array()) {
    auto& o = v.as_object();
    EXPECT_EQ(o.size(), 2u) << r.out;
    EXPECT_TRUE(o.contains("name") && o.contains("path")) << r.out;
  }
  auto integrity = p.env.gum({"integrity", "--json", "ok"});
  EXPECT_EQ(integrity.out, "{\"ok\":true}\n");
  auto bad = p.env.gum({"projects", "--json", "name,colour"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(lines_of(bad.err).at(0),
            "gum: unknown JSON field 'colour' (expected name, path, root, kind, remote, branch or "
            "github)");
  EXPECT_EQ(p.env.gum({"dirs", "--json", "path,score"}).exit_code, 0);
  EXPECT_EQ(p.env.gum({"github", "--json", "full_name"}).exit_code, 0);
}

TEST(cli_front, jq_filters_the_json_through_libjq) {
  indexed_projects p;
  auto r = p.env.gum({"projects", "--cached", "--jq", ".[] | select(.name == \"alpha\") | .remote"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "https://github.com/acme/alpha.git\n");
  r = p.env.gum({"projects", "--cached", "--json", "name", "--jq", "length"});
  EXPECT_EQ(r.out, "3\n");
  r = p.env.gum({"integrity", "--jq", "[.checks[].name]"});
  EXPECT_TRUE(contains(r.out, "\"file\"")) << r.out;
  auto bad = p.env.gum({"projects", "--cached", "--jq", ".[ | nonsense"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.rfind("gum: --jq: ", 0), 0u) << bad.err;
  EXPECT_EQ(bad.out, "");
}

TEST(cli_front, jq_is_checked_before_any_work_and_a_missing_libjq_is_a_clear_error) {
  test_env env;  // no database: a bad program is refused by the parse, before the engine
  auto r = env.gum({"integrity", "--jq", ".["});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("gum: --jq: ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(env.db_path()));
  std::string out;
  auto st = gum::cli::run_jq(".", "[]", out, "libjq-that-is-not-installed.so.9");
  EXPECT_EQ(st.code, gum::status_code::usage);
  EXPECT_NE(st.message.find("--jq needs libjq: cannot load libjq-that-is-not-installed.so.9"),
            std::string::npos)
      << st.message;
  EXPECT_NE(st.hint.find("libjq1"), std::string::npos);
}

TEST(cli_front, the_binary_needs_neither_libjq_nor_libutf8proc_at_start_up) {
  // libjq is dlopen()ed by --jq and utf8proc linked from its archive: a `gum add` maps neither.
  test_env env;
  ASSERT_TRUE(fs::exists("/usr/bin/readelf"));
  auto r = run_process({"/usr/bin/readelf", "-d", GUM_BINARY}, env.environment());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "(NEEDED)")) << r.out;
  EXPECT_FALSE(contains(r.out, "libjq")) << r.out;
  EXPECT_FALSE(contains(r.out, "libutf8proc")) << r.out;
}

}  // namespace

// The hooks call `gum jump -- KW`: the `--` that ends the options is not an unknown argument
// (the rewritten error path once reported it as `unknown option '--'`, which broke every `j`).
TEST(cli_front, a_double_dash_ends_the_options_and_is_not_an_unknown_argument) {
  test_env env;
  const std::string target = env.home() + "/work/gamma";
  std::filesystem::create_directories(target);
  ASSERT_EQ(env.gum({"add", target}).exit_code, 0);
  auto r = env.gum({"jump", "--", "gamma"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, target + "\n");
  r = env.gum({"dirs", "-f", "simple", "--", "gamma"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, target + "\n");
  // And end to end: the real bash process hook's `j`.
  r = run_process({"/bin/bash", "-c",
                   "eval \"$('" + std::string(GUM_BINARY) + "' init bash)\"; cd /; j gamma && pwd"},
                  env.environment());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, target + "\n") << r.err;
}
