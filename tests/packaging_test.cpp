// tests/packaging_test.cpp: the man page against the CLI, the generated completion files, and
// the Debian package.
//
// The man page is written by hand, so these tests are what keeps it honest: every subcommand and
// alias `gum --help` lists must have its section, and every long option of `gum COMMAND --help`
// must appear in that command's section (global options in GLOBAL OPTIONS). A new flag without
// documentation fails the build.
//
// packaging_deb.* builds the .deb with cpack from the finished build folder, unpacks it with
// `dpkg -x` into a temporary root and runs the gum inside. It is skipped under AddressSanitizer
// (an instrumented binary is not what ships) and can be excluded with ctest -E packaging_deb.
// It also checks the copyright file, the changelog, the maintainer and the multiarch library
// folder, and runs lintian on the package (no error allowed).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "support/test_env.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::lines_of;
using gum::testing::run_process;
using gum::testing::test_env;

// The man page as plain text: font escapes dropped, \- and the few named characters replaced.
std::string man_text() {
  std::string roff = test_env::read_file(std::string(GUM_SOURCE_DIR) + "/man/gum.1");
  std::string out;
  for (size_t i = 0; i < roff.size(); ++i) {
    if (roff[i] != '\\' || i + 1 >= roff.size()) {
      out += roff[i];
      continue;
    }
    char next = roff[i + 1];
    if (next == '-') {
      out += '-';
      ++i;
    } else if (next == 'f' && i + 2 < roff.size()) {
      i += 2;  // \fB, \fI, \fR, \fP
    } else if (next == '(' && i + 3 < roff.size()) {
      out += ' ';
      i += 3;  // \(mu, \(dq
    } else {
      out += next;
      ++i;
    }
  }
  return out;
}

// True when `word` occurs in `text` as a whole option name (not as part of a longer one).
bool has_option(const std::string& text, const std::string& word) {
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  for (size_t pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
    bool left = pos == 0 || !is_name_char(text[pos - 1]);
    bool right = pos + word.size() >= text.size() || !is_name_char(text[pos + word.size()]);
    if (left && right) return true;
  }
  return false;
}

// Long options (--name) printed in a help text, except the help flags every command has.
std::set<std::string> long_options(const std::string& help) {
  std::set<std::string> out;
  std::regex option("--[a-z][a-z0-9-]*");
  for (auto it = std::sregex_iterator(help.begin(), help.end(), option);
       it != std::sregex_iterator(); ++it) {
    std::string o = it->str();
    if (o != "--help" && o != "--help-all") out.insert(o);
  }
  return out;
}

// Subcommands with their aliases, as `gum --help` lists them ("sync, update").
std::vector<std::vector<std::string>> subcommands(const test_env& env) {
  std::vector<std::vector<std::string>> out;
  bool in_list = false;
  for (auto& line : lines_of(env.gum({"--help"}).out)) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_list = true;
      continue;
    }
    if (!in_list || line.size() < 3 || line[0] != ' ') continue;
    std::vector<std::string> names;
    size_t pos = line.find_first_not_of(' ');
    while (pos != std::string::npos && pos < line.size() && line[pos] != ' ') {
      size_t end = line.find_first_of(", ", pos);
      names.push_back(line.substr(pos, end - pos));
      if (end == std::string::npos || line[end] != ',') break;
      pos = end + 2;
    }
    out.push_back(names);
  }
  return out;
}

// The text of the man section (.SS or .SH) whose title starts with `title`.
std::string section(const std::string& man, const std::string& title) {
  for (const char* macro : {"\n.SS \"", "\n.SS ", "\n.SH "}) {
    size_t start = man.find(std::string(macro) + title);
    if (start == std::string::npos) continue;
    size_t end = man.find("\n.S", start + 1);
    return man.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return "";
}

TEST(man_page, has_a_section_for_every_command_and_alias) {
  test_env env;
  auto man = man_text();
  auto commands = subcommands(env);
  ASSERT_GE(commands.size(), 15u);
  for (auto& names : commands) {
    std::string sec = section(man, "gum " + names[0]);
    EXPECT_FALSE(sec.empty()) << "no section for gum " << names[0];
    for (size_t i = 1; i < names.size(); ++i)
      EXPECT_NE(sec.find("alias: gum " + names[i]), std::string::npos)
          << "the section of gum " << names[0] << " does not name its alias " << names[i];
  }
}

TEST(man_page, documents_every_long_option_in_its_commands_section) {
  test_env env;
  auto man = man_text();
  auto global_help = env.gum({"--help"});
  ASSERT_EQ(global_help.exit_code, 0);
  std::string globals_text = global_help.out.substr(0, global_help.out.find("Subcommands:"));
  std::string global_section = section(man, "GLOBAL OPTIONS");
  ASSERT_FALSE(global_section.empty());
  for (auto& o : long_options(globals_text))
    EXPECT_TRUE(has_option(global_section, o)) << "GLOBAL OPTIONS lacks " << o;
  EXPECT_TRUE(has_option(global_section, "--help-all"));
  for (auto& names : subcommands(env)) {
    auto help = env.gum({names[0], "--help"});
    EXPECT_EQ(help.exit_code, 0) << names[0];
    std::string sec = section(man, "gum " + names[0]);
    for (auto& o : long_options(help.out))
      EXPECT_TRUE(has_option(sec, o)) << "the section of gum " << names[0] << " lacks " << o;
  }
  // --help-all covers the same ground: nothing it prints is missing anywhere.
  for (auto& o : long_options(env.gum({"--help-all"}).out))
    EXPECT_TRUE(has_option(man, o)) << "the man page lacks " << o;
}

TEST(man_page, documents_every_exit_code_and_environment_variable) {
  auto man = man_text();
  std::string exits = section(man, "EXIT STATUS");
  for (const char* code : {"0", "1", "2", "3", "4", "5", "130", "143"})
    EXPECT_TRUE(exits.find("\n.B " + std::string(code) + "\n") != std::string::npos ||
                exits.find("\n.BR " + std::string(code) + " ") != std::string::npos)
        << code;
  std::string env = section(man, "ENVIRONMENT");
  for (const char* var : {"GUM_DB", "GUM_CONFIG", "GUM_DEBUG", "NO_COLOR", "GH_TOKEN", "GITHUB_TOKEN",
                          "GUM_GITHUB_API_URL", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME"})
    EXPECT_NE(env.find(var), std::string::npos) << var;
  std::string files = section(man, "FILES");
  for (const char* f : {"config.yaml", "gum.db", "projects-dirs.list", "projects.json", "cwds"})
    EXPECT_NE(files.find(f), std::string::npos) << f;
}

TEST(man_page, renders_without_warnings) {
  ASSERT_TRUE(fs::exists("/usr/bin/groff")) << "groff-base is missing: `make test` installs it";
  test_env env;
  auto r = run_process({"/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z",
                        std::string(GUM_SOURCE_DIR) + "/man/gum.1"},
                       env.environment());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

TEST(completion_files, built_scripts_match_the_binary) {
  test_env env;
  const std::string dir = std::string(GUM_BUILD_DIR) + "/share/completions/";
  for (auto [shell, file] : {std::pair<const char*, const char*>{"bash", "gum.bash"},
                             {"zsh", "_gum"},
                             {"fish", "gum.fish"}}) {
    ASSERT_TRUE(fs::exists(dir + file)) << dir + file;
    EXPECT_EQ(test_env::read_file(dir + file), env.gum({"completion", shell}).out) << shell;
  }
  EXPECT_TRUE(fs::exists(std::string(GUM_BUILD_DIR) + "/share/man/gum.1.gz"));
}

TEST(packaging_deb, installs_with_dpkg_x_and_runs) {
  // In the sanitizer build this packages the sanitized binary, which runs just as well.
  for (const char* tool : {"/usr/bin/cpack", "/usr/bin/dpkg-deb", "/usr/bin/dpkg"})
    ASSERT_TRUE(fs::exists(tool)) << tool << " is missing: `make test` installs it";
  test_env env;
  std::string out_dir = env.root() + "/deb";
  fs::create_directories(out_dir);
  auto built = run_process({"/usr/bin/cpack", "-G", "DEB", "-B", out_dir, "--config",
                            std::string(GUM_BUILD_DIR) + "/CPackConfig.cmake"},
                           env.environment(), {}, 240);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  std::string deb;
  for (auto& entry : fs::directory_iterator(out_dir))
    if (entry.path().extension() == ".deb") deb = entry.path().string();
  ASSERT_FALSE(deb.empty()) << built.out;

  auto depends = run_process({"/usr/bin/dpkg-deb", "-f", deb, "Depends"}, env.environment());
  ASSERT_EQ(depends.exit_code, 0) << depends.err;
  for (const char* dep : {"libcurl4", "libcaf-core", "libc6", "libstdc++6"})
    EXPECT_NE(depends.out.find(dep), std::string::npos) << depends.out;
  // SQLite, libyaml and Boost.JSON are linked statically (GUM_STATIC_DEPS): the binary does
  // not load them, so the package must not pull them in either ("libyaml" also catches the
  // yaml-cpp that gum used before).
  for (const char* dep : {"libsqlite3-0", "libyaml", "libboost-json"})
    EXPECT_EQ(depends.out.find(dep), std::string::npos) << depends.out;

  std::string root = env.root() + "/root";
  auto unpacked = run_process({"/usr/bin/dpkg", "-x", deb, root}, env.environment());
  ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;
  for (const char* file :
       {"/usr/bin/gum", "/usr/share/man/man1/gum.1.gz", "/usr/share/bash-completion/completions/gum",
        "/usr/share/zsh/vendor-completions/_gum", "/usr/share/fish/vendor_completions.d/gum.fish",
        "/usr/include/gum/engine.hpp"})
    EXPECT_TRUE(fs::exists(root + file)) << file;

  // Issue 16: the licence and changelog where Debian wants them, the embedding kit in the
  // multiarch folder, a maintainer that is somebody.
  for (const char* file : {"/usr/share/doc/gum/copyright", "/usr/share/doc/gum/changelog.gz",
                           "/usr/share/lintian/overrides/gum"})
    EXPECT_TRUE(fs::exists(root + file)) << file;
  EXPECT_NE(test_env::read_file(root + "/usr/share/doc/gum/copyright").find("License: Expat"),
            std::string::npos);
  auto triplet = run_process({GUM_CXX_COMPILER, "-print-multiarch"}, env.environment());
  ASSERT_EQ(triplet.exit_code, 0) << triplet.err;
  std::string multiarch = triplet.out.substr(0, triplet.out.find('\n'));
  ASSERT_FALSE(multiarch.empty());
  EXPECT_TRUE(fs::exists(root + "/usr/lib/" + multiarch + "/libgum_engine.a")) << multiarch;
  EXPECT_TRUE(fs::exists(root + "/usr/lib/" + multiarch + "/cmake/gum/gumConfig.cmake"));
  EXPECT_FALSE(fs::exists(root + "/usr/lib/libgum_engine.a"));
  auto maintainer = run_process({"/usr/bin/dpkg-deb", "-f", deb, "Maintainer"}, env.environment());
  EXPECT_EQ(maintainer.out.find("localhost"), std::string::npos) << maintainer.out;
  EXPECT_TRUE(std::regex_search(maintainer.out, std::regex("^[^<>]+ <[^<>@ ]+@[^<>@ ]+\\.[a-z]+>")))
      << maintainer.out;
  // lintian finds no error (warnings and notes are allowed; the overrides are explained in
  // cmake/debian/lintian-overrides). --tag-display-limit 0: every tag is shown on failure.
  // Not under the sanitizers: an instrumented binary is not what ships, and lintian costs
  // about 9 s of CPU; the plain build's run is the one that counts.
#if !defined(__SANITIZE_ADDRESS__)
  ASSERT_TRUE(fs::exists("/usr/bin/lintian")) << "lintian is missing: `make test` installs it";
  auto lint = run_process({"/usr/bin/lintian", "--fail-on", "error", "--tag-display-limit", "0",
                           deb},
                          env.environment(), {}, 240);
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out.find("E: "), std::string::npos) << lint.out;
#endif

  auto version = run_process({root + "/usr/bin/gum", "version"}, env.environment());
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out.rfind("gum ", 0), 0u) << version.out;
  // The installed binary works on a fresh HOME.
  auto projects = run_process({root + "/usr/bin/gum", "projects"}, env.environment());
  EXPECT_EQ(projects.exit_code, 0) << projects.err;
}

}  // namespace
