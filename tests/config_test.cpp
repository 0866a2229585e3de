// tests/config_test.cpp: proves how gum finds and reads its configuration (SPEC §4).
//
// Each test builds its own throw-away HOME under /tmp and passes a hand-made gum::environment,
// so nothing reads or writes the real home folder and tests never depend on one another. Only
// the one test of environment::from_process touches process environment variables, and it
// restores them. Failure paths get as much attention as the happy path: a config that does not
// parse must name file, line and column; a bad value must name its key; nothing may throw.
#include <dirent.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_env.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/paths.hpp"
#include "gum/options.hpp"

namespace {

using gum::config;
using gum::environment;
using gum::load_config;
using gum::status;
using gum::status_code;
using strings = std::vector<std::string>;

// A temporary HOME with helpers to populate it; removed (permissions restored) at the end.
class config_test : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gum_config_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    home_ = root_ + "/home";
    make_dir(home_);
    env_.home = home_;
    env_.xdg_config_home = home_ + "/.config";
    env_.xdg_cache_home = home_ + "/.cache";
    env_.cwd = home_;
  }

  void TearDown() override {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      ::chmod(it->path().c_str(), 0700);
    ::chmod(root_.c_str(), 0700);
    std::filesystem::remove_all(root_, ec);
  }

  void make_dir(const std::string& path) { std::filesystem::create_directories(path); }

  void write(const std::string& path, const std::string& content) {
    make_dir(std::filesystem::path(path).parent_path().string());
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << content;
  }

  std::string config_file() const { return env_.xdg_config_home + "/gum/config.yaml"; }

  // Writes config.yaml at the default place and loads it.
  status load_yaml(const std::string& yaml, config& out) {
    write(config_file(), yaml);
    return load_config(env_, std::nullopt, out);
  }

  std::string root_;
  std::string home_;
  environment env_;
};

TEST_F(config_test, defaults_are_only_the_default_roots_that_exist) {
  make_dir(home_ + "/projects");
  make_dir(home_ + "/dev");
  make_dir(home_ + "/projects-foo");
  make_dir(home_ + "/projects-bar");
  make_dir(root_ + "/elsewhere");
  ASSERT_EQ(::symlink((root_ + "/elsewhere").c_str(), (home_ + "/code").c_str()), 0);
  write(home_ + "/work", "a file, not a folder");
  write(home_ + "/projects-file", "not a folder either");
  ASSERT_EQ(::symlink((root_ + "/missing").c_str(), (home_ + "/src").c_str()), 0);  // dangling
  make_dir(home_ + "/my-projects-x");

  config cfg;
  status st = load_config(env_, std::nullopt, cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots_source, "defaults");
  EXPECT_EQ(cfg.roots, (strings{home_ + "/projects", home_ + "/code", home_ + "/dev",
                                home_ + "/projects-bar", home_ + "/projects-foo"}));
  EXPECT_EQ(cfg.config_path, "");
  EXPECT_TRUE(cfg.warnings.empty());
}

TEST_F(config_test, no_roots_at_all_when_nothing_exists) {
  config cfg;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg).ok());
  EXPECT_EQ(cfg.roots_source, "defaults");
  EXPECT_TRUE(cfg.roots.empty());
}

TEST_F(config_test, built_in_defaults_apply_without_a_config_file) {
  config cfg;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg).ok());
  EXPECT_EQ(cfg.discovery.max_depth, 6);
  EXPECT_EQ(cfg.discovery.exclude, (strings{"node_modules", ".cache", "vendor", "target"}));
  EXPECT_FALSE(cfg.discovery.nested);
  EXPECT_EQ(cfg.cache_ttl_seconds, 3600);
  EXPECT_EQ(cfg.github_api_url, "https://api.github.com");
  EXPECT_EQ(cfg.github_token_command, "gh auth token");
  EXPECT_EQ(cfg.github_timeout_seconds, 30);
  EXPECT_EQ(cfg.clone_root, "");
  EXPECT_EQ(cfg.clone_protocol, "https");
  EXPECT_FALSE(cfg.synchronous_full);
  EXPECT_EQ(cfg.busy_timeout_ms, 5000);
  EXPECT_EQ(cfg.dirs_exclude, strings{home_});
}

TEST_F(config_test, legacy_list_skips_comments_blank_lines_and_trims_whitespace) {
  make_dir(home_ + "/projects");  // a default root that must NOT be used
  write(home_ + "/.config/projects-dirs.list",
        "# my roots\n"
        "\n"
        "   ~/a  \n"
        "\t# an indented comment\n"
        "/abs/b/\n"
        "rel/../c\r\n"
        "~/a\n"
        "/with # hash\n"
        "   \n");
  env_.cwd = "/some/cwd";
  config cfg;
  status st = load_config(env_, std::nullopt, cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots_source, "legacy-list");
  EXPECT_EQ(cfg.roots, (strings{home_ + "/a", "/abs/b", "/some/cwd/c", "/with # hash"}));
  EXPECT_EQ(cfg.config_path, "");
}

TEST_F(config_test, legacy_list_is_read_from_home_even_when_xdg_config_home_differs) {
  env_.xdg_config_home = root_ + "/xdg";
  write(home_ + "/.config/projects-dirs.list", "/legacy\n");
  config cfg;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg).ok());
  EXPECT_EQ(cfg.roots_source, "legacy-list");
  EXPECT_EQ(cfg.roots, strings{"/legacy"});
}

TEST_F(config_test, empty_legacy_list_means_no_roots) {
  make_dir(home_ + "/projects");
  write(home_ + "/.config/projects-dirs.list", "# nothing yet\n");
  config cfg;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg).ok());
  EXPECT_EQ(cfg.roots_source, "legacy-list");
  EXPECT_TRUE(cfg.roots.empty());
}

TEST_F(config_test, config_projects_win_over_legacy_list) {
  write(home_ + "/.config/projects-dirs.list", "/legacy\n");
  config cfg;
  status st = load_yaml("projects: [/from/config]\n", cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots_source, "config");
  EXPECT_EQ(cfg.roots, strings{"/from/config"});
  EXPECT_EQ(cfg.config_path, config_file());
}

TEST_F(config_test, config_without_projects_takes_roots_from_legacy_list_then_defaults) {
  write(home_ + "/.config/projects-dirs.list", "/legacy\n");
  config cfg;
  ASSERT_TRUE(load_yaml("cache: {ttl: 5m}\n", cfg).ok());
  EXPECT_EQ(cfg.roots_source, "legacy-list");
  EXPECT_EQ(cfg.roots, strings{"/legacy"});
  EXPECT_EQ(cfg.cache_ttl_seconds, 300);
  EXPECT_EQ(cfg.config_path, config_file());

  std::filesystem::remove(home_ + "/.config/projects-dirs.list");
  make_dir(home_ + "/code");
  config cfg2;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg2).ok());
  EXPECT_EQ(cfg2.roots_source, "defaults");
  EXPECT_EQ(cfg2.roots, strings{home_ + "/code"});
}

TEST_F(config_test, explicit_empty_projects_list_means_no_roots) {
  make_dir(home_ + "/projects");
  config cfg;
  ASSERT_TRUE(load_yaml("projects: []\n", cfg).ok());
  EXPECT_EQ(cfg.roots_source, "config");
  EXPECT_TRUE(cfg.roots.empty());
}

TEST_F(config_test, every_key_is_parsed) {
  config cfg;
  status st = load_yaml(
      "projects: [~/p1, /abs/p2]\n"
      "discovery:\n"
      "  max_depth: 3\n"
      "  exclude: [node_modules, build]\n"
      "  nested: true\n"
      "  threads: 4\n"
      "cache: {ttl: 15m}\n"
      "github:\n"
      "  api_url: http://127.0.0.1:8080/api/\n"
      "  token_command: cat ~/.token\n"
      "  timeout: 10s\n"
      "clone: {root: ~/clones/, protocol: ssh}\n"
      "storage: {synchronous: full, busy_timeout_ms: 250}\n"
      "dirs: {exclude: [\"~\", /tmp/]}\n",
      cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots, (strings{home_ + "/p1", "/abs/p2"}));
  EXPECT_EQ(cfg.roots_source, "config");
  EXPECT_EQ(cfg.discovery.max_depth, 3);
  EXPECT_EQ(cfg.discovery.exclude, (strings{"node_modules", "build"}));
  EXPECT_TRUE(cfg.discovery.nested);
  EXPECT_EQ(cfg.discovery.threads, 4);
  EXPECT_EQ(cfg.cache_ttl_seconds, 900);
  EXPECT_EQ(cfg.github_api_url, "http://127.0.0.1:8080/api");
  EXPECT_EQ(cfg.github_token_command, "cat ~/.token");
  EXPECT_EQ(cfg.github_timeout_seconds, 10);
  EXPECT_EQ(cfg.clone_root, home_ + "/clones");
  EXPECT_EQ(cfg.clone_protocol, "ssh");
  EXPECT_TRUE(cfg.synchronous_full);
  EXPECT_EQ(cfg.busy_timeout_ms, 250);
  EXPECT_EQ(cfg.dirs_exclude, (strings{home_, "/tmp"}));
  EXPECT_TRUE(cfg.warnings.empty());
}

TEST_F(config_test, dirs_exclude_is_normalised_and_defaults_to_home) {
  config cfg;
  ASSERT_TRUE(load_yaml("dirs: {exclude: [\"~\", /tmp/, ~/secret/../private, /tmp]}\n", cfg).ok());
  EXPECT_EQ(cfg.dirs_exclude, (strings{home_, "/tmp", home_ + "/private"}));

  config empty;
  ASSERT_TRUE(load_yaml("dirs: {exclude: []}\n", empty).ok());
  EXPECT_TRUE(empty.dirs_exclude.empty());

  config absent;
  ASSERT_TRUE(load_yaml("dirs: {}\n", absent).ok());
  EXPECT_EQ(absent.dirs_exclude, strings{home_});
}

TEST_F(config_test, bare_tilde_in_a_path_list_is_an_error_with_a_hint) {
  config cfg;
  status st = load_yaml("projects: [~]\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_NE(st.message.find("projects"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("\"~\""), std::string::npos) << st.message;
}

TEST_F(config_test, roots_are_normalised_and_deduplicated_keeping_first) {
  env_.cwd = "/cwd";
  config cfg;
  status st = load_yaml(
      "projects:\n"
      "  - ~/b\n"
      "  - \"~\"\n"
      "  - ~/a/\n"
      "  - /x/../y//z/.\n"
      "  - rel\n"
      "  - ~/b/./\n"
      "  - /home-not-tilde/../y/z\n"
      "  - ~other\n",
      cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots,
            (strings{home_ + "/b", home_, home_ + "/a", "/y/z", "/cwd/rel", "/cwd/~other"}));
}

TEST_F(config_test, clone_root_is_normalised_and_empty_when_unset) {
  config cfg;
  ASSERT_TRUE(load_yaml("clone: {root: ~/x/../clones//}\n", cfg).ok());
  EXPECT_EQ(cfg.clone_root, home_ + "/clones");
  EXPECT_EQ(cfg.clone_protocol, "https");

  config unset;
  ASSERT_TRUE(load_yaml("clone: {protocol: SSH}\n", unset).ok());
  EXPECT_EQ(unset.clone_root, "");
  EXPECT_EQ(unset.clone_protocol, "ssh");
}

TEST_F(config_test, durations_accept_units_and_plain_seconds) {
  struct row {
    const char* text;
    int64_t seconds;
  };
  for (row r : {row{"30s", 30}, row{"15m", 900}, row{"1h", 3600}, row{"2d", 172800}, row{"90", 90},
                row{"0", 0}, row{"\"45\"", 45}, row{"1h30m", 5400}, row{"1d2h3m4s", 93784}}) {
    config cfg;
    status st = load_yaml(std::string("cache:\n  ttl: ") + r.text + "\n", cfg);
    ASSERT_TRUE(st.ok()) << r.text << ": " << st.message;
    EXPECT_EQ(cfg.cache_ttl_seconds, r.seconds) << r.text;
  }
  config cfg;
  ASSERT_TRUE(load_yaml("github: {timeout: 2m}\n", cfg).ok());
  EXPECT_EQ(cfg.github_timeout_seconds, 120);
}

TEST_F(config_test, bad_durations_are_usage_errors_naming_the_key_and_position) {
  for (const char* bad : {"forever", "-5", "1x", "h", "1.5h", "1h-", "99999999999999999999",
                          "999999999999999999d", "[1h]", "{a: 1}", "\"\"", "1 h"}) {
    config cfg;
    status st = load_yaml(std::string("cache:\n  ttl: ") + bad + "\n", cfg);
    EXPECT_EQ(st.code, status_code::usage) << bad;
    EXPECT_EQ(st.message.rfind("invalid config " + config_file() + ":2:8: cache.ttl: ", 0), 0u)
        << bad << " => " << st.message;
  }
  config cfg;
  status st = load_yaml("github: {timeout: 0}\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_NE(st.message.find("github.timeout"), std::string::npos) << st.message;
}

TEST_F(config_test, syntax_error_names_file_line_and_column) {
  config cfg;
  status st = load_yaml("cache: {ttl: 1h}\ndiscovery:\n  exclude: [a, b\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  // An unclosed flow list is reported where the input ends: after the last newline.
  EXPECT_EQ(st.message, "invalid config " + config_file() + ":4:1: end of sequence flow not found");

  st = load_yaml("a:\n  b: 1\n c: 2\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_EQ(st.message.rfind("invalid config " + config_file() + ":3:", 0), 0u) << st.message;

  st = load_yaml("projects: [a]\nb: *undefined_anchor\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_EQ(st.message,
            "invalid config " + config_file() + ":2:4: the referenced anchor is not defined");
}

TEST_F(config_test, syntax_error_in_explicit_file_names_it_as_given) {
  write(home_ + "/my.yaml", "key: [unclosed\n");
  config cfg;
  status st = load_config(env_, std::string("my.yaml"), cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_EQ(st.message, "invalid config my.yaml:2:1: end of sequence flow not found");
}

TEST_F(config_test, wrong_types_and_bad_values_are_usage_errors_naming_the_key) {
  struct row {
    const char* yaml;
    const char* key;
  };
  for (row r : {row{"discovery: {max_depth: abc}", "discovery.max_depth"},
                row{"discovery: {max_depth: -1}", "discovery.max_depth"},
                row{"discovery: {max_depth: 1.5}", "discovery.max_depth"},
                row{"discovery: {max_depth: 99999999999}", "discovery.max_depth"},
                row{"discovery: {max_depth: [1]}", "discovery.max_depth"},
                row{"discovery: {nested: maybe}", "discovery.nested"},
                row{"discovery: {exclude: node_modules}", "discovery.exclude"},
                row{"discovery: {exclude: [[a]]}", "discovery.exclude"},
                row{"discovery: {threads: many}", "discovery.threads"},
                row{"discovery: 5", "discovery"},
                row{"discovery: [max_depth]", "discovery"},
                row{"projects: ~/code", "projects"},
                row{"projects: {a: b}", "projects"},
                row{"projects: [[nested]]", "projects"},
                row{"projects: [\"\"]", "projects"},
                row{"cache: {ttl: forever}", "cache.ttl"},
                row{"github: {api_url: ftp://example.com}", "github.api_url"},
                row{"github: {api_url: [x]}", "github.api_url"},
                row{"github: {token_command: {a: b}}", "github.token_command"},
                row{"clone: {protocol: ftp}", "clone.protocol"},
                row{"clone: {root: \"\"}", "clone.root"},
                row{"storage: {synchronous: sometimes}", "storage.synchronous"},
                row{"storage: {busy_timeout_ms: -1}", "storage.busy_timeout_ms"},
                row{"storage: {busy_timeout_ms: 5s}", "storage.busy_timeout_ms"},
                row{"dirs: {exclude: /tmp}", "dirs.exclude"},
                row{"dirs: true", "dirs"}}) {
    config cfg;
    status st = load_yaml(std::string(r.yaml) + "\n", cfg);
    EXPECT_EQ(st.code, status_code::usage) << r.yaml;
    std::string prefix = "invalid config " + config_file() + ":1:";
    EXPECT_EQ(st.message.rfind(prefix, 0), 0u) << r.yaml << " => " << st.message;
    EXPECT_NE(st.message.find(std::string(": ") + r.key + ": "), std::string::npos)
        << r.yaml << " => " << st.message;
  }
}

TEST_F(config_test, top_level_scalar_or_list_is_a_usage_error) {
  for (const char* yaml : {"just a string\n", "- a\n- b\n", "42\n"}) {
    config cfg;
    status st = load_yaml(yaml, cfg);
    EXPECT_EQ(st.code, status_code::usage) << yaml;
    EXPECT_EQ(st.message.rfind("invalid config " + config_file(), 0), 0u) << st.message;
  }
}

TEST_F(config_test, empty_or_comment_only_file_is_an_empty_config) {
  for (const char* yaml : {"", "# only a comment\n", "\n\n", "---\n", "~\n"}) {
    config cfg;
    status st = load_yaml(yaml, cfg);
    ASSERT_TRUE(st.ok()) << st.message;
    EXPECT_EQ(cfg.config_path, config_file());
    EXPECT_EQ(cfg.roots_source, "defaults");
    EXPECT_EQ(cfg.discovery.max_depth, 6);
    EXPECT_TRUE(cfg.warnings.empty());
  }
}

TEST_F(config_test, null_values_and_sections_keep_defaults) {
  config cfg;
  status st = load_yaml("projects:\ndiscovery:\ncache: {ttl: ~}\nclone: {root: null}\n", cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots_source, "defaults");
  EXPECT_EQ(cfg.cache_ttl_seconds, 3600);
  EXPECT_EQ(cfg.clone_root, "");
}

TEST_F(config_test, unknown_keys_are_warnings_not_errors) {
  config cfg;
  status st = load_yaml(
      "colour: red\n"
      "discovery: {max_depht: 3, max_depth: 2}\n"
      "github: {extra: {deep: 1}}\n"
      "? [complex, key]\n"
      ": value\n",
      cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.discovery.max_depth, 2);
  const std::string f = config_file();
  EXPECT_EQ(cfg.warnings, (strings{"unknown config key 'colour' in " + f,
                                   "unknown config key 'discovery.max_depht' in " + f,
                                   "unknown config key 'github.extra' in " + f,
                                   "unknown config key '<non-scalar key>' in " + f}));
}

TEST_F(config_test, duplicate_key_warns_and_last_wins) {
  config cfg;
  ASSERT_TRUE(load_yaml("cache: {ttl: 1m}\ncache: {ttl: 2m}\n", cfg).ok());
  EXPECT_EQ(cfg.cache_ttl_seconds, 120);
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("duplicate config key 'cache'"), std::string::npos);
}

TEST_F(config_test, missing_explicit_file_is_a_usage_error) {
  write(config_file(), "projects: [/default]\n");  // must not be used as a fallback
  config cfg;
  cfg.roots = {"/untouched"};
  status st = load_config(env_, std::string("/nowhere/gum.yaml"), cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_EQ(st.message, "config file not found: /nowhere/gum.yaml");
  EXPECT_EQ(cfg.roots, strings{"/untouched"});  // out is left alone on failure

  st = load_config(env_, std::string(""), cfg);
  EXPECT_EQ(st.code, status_code::usage);
}

TEST_F(config_test, explicit_file_replaces_the_default_one_and_resolves_against_cwd) {
  write(config_file(), "projects: [/default]\n");
  write(root_ + "/work/custom.yaml", "projects: [/custom]\n");
  env_.cwd = root_ + "/work";
  config cfg;
  status st = load_config(env_, std::string("./custom.yaml"), cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots, strings{"/custom"});
  EXPECT_EQ(cfg.config_path, root_ + "/work/custom.yaml");
}

TEST_F(config_test, default_file_is_found_under_xdg_config_home) {
  env_.xdg_config_home = root_ + "/xdg/";
  write(root_ + "/xdg/gum/config.yaml", "projects: [/xdg]\n");
  write(home_ + "/.config/gum/config.yaml", "projects: [/wrong]\n");
  config cfg;
  ASSERT_TRUE(load_config(env_, std::nullopt, cfg).ok());
  EXPECT_EQ(cfg.roots, strings{"/xdg"});
  EXPECT_EQ(cfg.config_path, root_ + "/xdg/gum/config.yaml");
}

TEST_F(config_test, unreadable_config_file_is_a_permission_error) {
  write(config_file(), "projects: [/x]\n");
  ASSERT_EQ(::chmod(config_file().c_str(), 0), 0);
  // Exit code 0: both reads failed with the permission error and the exact message.
  int rc = gum::testing::as_unprivileged(root_, [&] {
    config cfg;
    status st = load_config(env_, std::nullopt, cfg);
    if (st.code != status_code::permission) return 1;
    if (st.message != "cannot read config " + config_file() + ": Permission denied") return 2;
    st = load_config(env_, config_file(), cfg);
    return st.code == status_code::permission ? 0 : 3;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(config_test, unreadable_legacy_list_is_a_permission_error) {
  std::string list = home_ + "/.config/projects-dirs.list";
  write(list, "/x\n");
  ASSERT_EQ(::chmod(list.c_str(), 0), 0);
  int rc = gum::testing::as_unprivileged(root_, [&] {
    config cfg;
    status st = load_config(env_, std::nullopt, cfg);
    if (st.code != status_code::permission) return 1;
    return st.message == "cannot read " + list + ": Permission denied" ? 0 : 2;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(config_test, directory_as_config_is_an_error) {
  make_dir(root_ + "/adir");
  config cfg;
  status st = load_config(env_, root_ + "/adir", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_NE(st.message.find("Is a directory"), std::string::npos) << st.message;

  make_dir(config_file());
  st = load_config(env_, std::nullopt, cfg);
  EXPECT_EQ(st.code, status_code::usage);
}

TEST_F(config_test, hostile_files_fail_cleanly_without_throwing) {
  std::vector<std::string> inputs = {
      std::string(100000, '['),                         // deep nesting
      std::string(100000, '{'),                         //
      std::string("projects: [\0\0\0]\n", 17),          // NUL bytes
      std::string("\x01\x02\x00\x03garbage\xff", 12),   // binary
      "projects: &a [*a, *a]\n",                        // self-referencing alias
      "projects: [" + std::string(200000, 'x') + "\n",  // long unterminated line
  };
  for (const auto& input : inputs) {
    config cfg;
    status st = load_yaml(input, cfg);
    EXPECT_NE(st.code, status_code::ok) << input.substr(0, 20);
    EXPECT_EQ(st.message.rfind("invalid config ", 0), 0u) << st.message;
  }
}

TEST_F(config_test, oversized_file_is_refused) {
  config cfg;
  status st = load_yaml("# " + std::string(2 << 20, 'x') + "\n", cfg);
  EXPECT_EQ(st.code, status_code::usage);
  EXPECT_NE(st.message.find("larger than 1 MiB"), std::string::npos) << st.message;
}

TEST_F(config_test, path_names_with_spaces_tabs_and_odd_bytes_survive) {
  config cfg;
  status st = load_yaml("projects: [\"/a b/c\\td\", \"~/\\xe9t\\xe9\"]\n", cfg);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(cfg.roots, (strings{"/a b/c\td", home_ + "/\xc3\xa9t\xc3\xa9"}));
}

// A realistic config: SPEC §4's keys, quoted strings in flow and block context, flow
// sequences and mappings, comments. The roots are one flow sequence, so a cut either ends
// inside it or leaves the roots whole.
const std::string truncation_sample =
    "projects: [~/projects, \"~/code\",   # roots to scan\n"
    "           '~/work/client projects']\n"
    "discovery: {max_depth: 6, exclude: [node_modules, .cache, vendor, target], nested: false}\n"
    "cache: {ttl: 1h}\n"
    "github:\n"
    "  api_url: \"https://api.github.com\"\n"
    "  token_command: 'gh auth token'   # or: cat ~/.token\n"
    "clone: {root: ~/projects, protocol: https}\n"
    "storage: {synchronous: normal, busy_timeout_ms: 5000}\n"
    "dirs:\n"
    "  # never record these\n"
    "  exclude: [\"~\", /tmp, \"/mnt/backup disk\", '/srv/it''s']\n";

// For each prefix length 0..size: does a file cut there end inside a quoted scalar or a flow
// collection? A small scanner that knows just enough YAML for truncation_sample.
std::vector<bool> cut_inside_quote_or_bracket(const std::string& s) {
  std::vector<bool> inside(s.size() + 1, false);
  int depth = 0;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (comment) {
      comment = c != '\n';
    } else if (quote == '"') {
      if (c == '\\')
        inside[++i] = true;
      else if (c == '"')
        quote = 0;
    } else if (quote == '\'') {
      if (c == '\'' && i + 1 < s.size() && s[i + 1] == '\'')
        inside[++i] = true;
      else if (c == '\'')
        quote = 0;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n')) {
      comment = true;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
    inside[i + 1] = quote != 0 || depth > 0;
  }
  return inside;
}

TEST_F(config_test, a_config_cut_at_any_byte_never_loads_a_fragment) {
  config whole;
  status st = load_yaml(truncation_sample, whole);
  ASSERT_TRUE(st.ok()) << st.message;
  ASSERT_EQ(whole.roots,
            (strings{home_ + "/projects", home_ + "/code", home_ + "/work/client projects"}));
  const size_t roots_open = truncation_sample.find('[');
  const auto inside = cut_inside_quote_or_bracket(truncation_sample);
  size_t cuts_inside = 0;
  for (size_t k = 0; k <= truncation_sample.size(); ++k) {
    const std::string cut = truncation_sample.substr(0, k);
    config cfg;
    st = load_yaml(cut, cfg);
    if (inside[k]) {
      ++cuts_inside;
      // Refused, naming file, line and column (and the position is a real one).
      ASSERT_EQ(st.code, status_code::usage) << "cut at " << k << ":\n" << cut;
      const std::string prefix = "invalid config " + config_file() + ":";
      ASSERT_EQ(st.message.rfind(prefix, 0), 0u) << st.message;
      int line = 0, column = 0;
      ASSERT_EQ(std::sscanf(st.message.c_str() + prefix.size(), "%d:%d: ", &line, &column), 2)
          << st.message;
      EXPECT_GE(line, 1);
      EXPECT_GE(column, 1);
    } else if (st.ok() && k > roots_open) {
      EXPECT_EQ(cfg.roots, whole.roots) << "cut at " << k << ":\n" << cut;
    } else if (st.ok()) {
      // Cut before the roots' "[": there is no projects value, so the default roots apply.
      EXPECT_EQ(cfg.roots_source, "defaults") << "cut at " << k << ":\n" << cut;
    } else {
      EXPECT_EQ(st.code, status_code::usage) << st.message;
    }
  }
  EXPECT_GT(cuts_inside, truncation_sample.size() / 2);  // the scanner did see the quotes
}

TEST(config_cli, a_config_cut_inside_a_quoted_string_is_exit_2_with_file_line_and_column) {
  // Partial writes cut just after an opening quote. yaml-cpp read each as an empty string: the
  // first failed for the wrong reason ("projects: empty entry"), the second exited 0.
  for (const std::string cut : {"projects:\n  - \"", "github:\n  token_command: '"}) {
    gum::testing::test_env env;
    env.write_config(cut);
    auto r = env.gum({"projects", "-f", "simple"});
    EXPECT_EQ(r.exit_code, 2) << cut << "\n" << r.out << r.err;
    const std::string column = std::to_string(cut.size() - cut.find('\n'));  // after the quote
    EXPECT_EQ(r.err, "gum: invalid config " + env.config_home() + "/gum/config.yaml:2:" + column +
                         ": the file ends inside a quoted string opened at line 2, column " +
                         std::to_string(cut.size() - cut.find('\n') - 1) + "\n");
    EXPECT_EQ(r.out, "");
  }
}

// Saves an environment variable and restores it (or its absence) on destruction.
class saved_env {
 public:
  explicit saved_env(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) value_ = v;
  }
  ~saved_env() {
    if (value_)
      ::setenv(name_, value_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> value_;
};

TEST(environment, from_process_reads_home_xdg_and_cwd) {
  saved_env home("HOME"), cfg("XDG_CONFIG_HOME"), cache("XDG_CACHE_HOME");
  std::string old_cwd = std::filesystem::current_path().string();
  char tmpl[] = "/tmp/gum_env_test.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = std::filesystem::canonical(tmpl).string();
  std::filesystem::create_directories(dir + "/work");
  ASSERT_EQ(::chdir((dir + "/work").c_str()), 0);

  ::setenv("HOME", (dir + "/h//").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", "relative/config", 1);
  ::setenv("XDG_CACHE_HOME", (dir + "/cache/").c_str(), 1);
  environment env = environment::from_process();
  EXPECT_EQ(env.home, dir + "/h");
  EXPECT_EQ(env.xdg_config_home, dir + "/h/.config");  // relative is ignored
  EXPECT_EQ(env.xdg_cache_home, dir + "/cache");
  EXPECT_EQ(env.cwd, dir + "/work");

  ::setenv("XDG_CONFIG_HOME", "", 1);
  ::unsetenv("XDG_CACHE_HOME");
  env = environment::from_process();
  EXPECT_EQ(env.xdg_config_home, dir + "/h/.config");
  EXPECT_EQ(env.xdg_cache_home, dir + "/h/.cache");

  ::unsetenv("HOME");
  env = environment::from_process();
  if (struct passwd* pw = ::getpwuid(::getuid())) {
    EXPECT_EQ(env.home, gum::normalize_path(pw->pw_dir, "", "/"));
  }
  EXPECT_FALSE(env.home.empty());
  EXPECT_EQ(env.xdg_config_home, gum::normalize_path(".config", env.home, env.home));

  EXPECT_EQ(::chdir(old_cwd.c_str()), 0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST(environment, from_process_falls_back_to_home_when_cwd_is_gone) {
  saved_env home("HOME");
  std::string old_cwd = std::filesystem::current_path().string();
  char tmpl[] = "/tmp/gum_env_test.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  ASSERT_EQ(::chdir(dir.c_str()), 0);
  ASSERT_EQ(::rmdir(dir.c_str()), 0);
  ::setenv("HOME", "/nonexistent-home", 1);
  environment env = environment::from_process();
  EXPECT_EQ(::chdir(old_cwd.c_str()), 0);
  EXPECT_EQ(env.cwd, "/nonexistent-home");
}

}  // namespace

// Every ```yaml block of README.md and docs/*.md, in document order, as (where, text).
std::vector<std::pair<std::string, std::string>> documented_yaml_blocks() {
  std::vector<std::string> files = {std::string(GUM_SOURCE_DIR) + "/README.md"};
  for (const auto& e : std::filesystem::directory_iterator(std::string(GUM_SOURCE_DIR) + "/docs"))
    if (e.path().extension() == ".md") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, std::string>> blocks;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line, block;
    int number = 0, start = 0;
    bool inside = false;
    while (std::getline(in, line)) {
      ++number;
      if (!inside && line.rfind("```yaml", 0) == 0) {
        inside = true;
        start = number;
        block.clear();
      } else if (inside && line.rfind("```", 0) == 0) {
        inside = false;
        blocks.emplace_back(file + ":" + std::to_string(start), block);
      } else if (inside) {
        block += line + "\n";
      }
    }
  }
  return blocks;
}

TEST(documented_config, every_yaml_block_in_the_docs_loads_as_a_config) {
  auto blocks = documented_yaml_blocks();
  ASSERT_GE(blocks.size(), 3u);  // README.md, docs/configuration.md, docs/github-sync.md
  for (const auto& [where, yaml] : blocks) {
    gum::testing::test_env env;  // its own HOME and XDG folders
    env.write_config(yaml);
    auto r = env.gum({"projects", "-f", "simple"});  // reads the config first
    EXPECT_EQ(r.exit_code, 0) << where << ":\n" << yaml << r.err;
    EXPECT_EQ(r.err.find("unknown config key"), std::string::npos) << where << ": " << r.err;
  }
}
