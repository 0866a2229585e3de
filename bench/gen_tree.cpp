// bench/gen_tree.cpp: generates a realistic tree of Git projects for the discovery benchmark.
//
// `gen_tree DIR N [--seed S]` creates N projects (repositories plus a handful of worktrees) under
// DIR, inside nested group folders 1 to 4 levels deep, so every project sits at depth 2 to 5.
// Each repository has .git/HEAD (a branch, or a detached sha for some), .git/config (an https or
// ssh origin for most, another remote for a few, none for some), .git/refs and .git/objects, and
// a small work tree (README.md, src/, sometimes docs/ and a submodule whose gitdir is
// ../.git/modules/NAME). Group folders also hold non-project folders, some named node_modules.
// No project hides under node_modules, so a scanner with or without an exclude list finds N.
//
// The output is a pure function of N and the seed: a splitmix64 generator (bench_support.hpp) drives every
// choice (std::uniform_*_distribution differs between standard libraries). Files are written
// with open/write/close, which makes 10 000 repositories take a few seconds.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"

namespace {

using gum::bench::splitmix64;

const char* const words[] = {
    "alpha", "beta",   "gamma", "delta", "core",   "web",    "api",    "cli",   "tools", "data",
    "infra", "mobile", "docs",  "site",  "engine", "parser", "server", "agent", "kit",   "lab",
    "cloud", "edge",   "graph", "query", "store",  "cache",  "sync",   "auth",  "ui",    "ops"};
constexpr size_t word_count = sizeof(words) / sizeof(words[0]);

const char* const owners[] = {"acme", "octo-org", "torvalds", "rust-lang", "nodejs",
                              "me",   "work-co",  "oss-lab",  "infra-team"};
constexpr size_t owner_count = sizeof(owners) / sizeof(owners[0]);

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "gen_tree: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

void make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + path);
}

void write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) die("open " + path);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("write " + path);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

std::string hex_sha(splitmix64& rng) {
  static const char digits[] = "0123456789abcdef";
  std::string sha;
  for (int i = 0; i < 40; ++i) sha.push_back(digits[rng.below(16)]);
  return sha;
}

std::string pick_word(splitmix64& rng) { return words[rng.below(word_count)]; }

std::string head_text(splitmix64& rng) {
  if (rng.chance(8)) return hex_sha(rng) + "\n";
  static const char* const branches[] = {"main", "main", "main", "master", "develop",
                                         "feature/login", "fix/issue-42"};
  return std::string("ref: refs/heads/") + branches[rng.below(7)] + "\n";
}

std::string config_text(splitmix64& rng, const std::string& repo_name) {
  std::string text =
      "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"
      "\tlogallrefupdates = true\n";
  int r = static_cast<int>(rng.below(100));
  if (r < 10) return text;  // no remote
  std::string owner = owners[rng.below(owner_count)];
  bool ssh = rng.chance(40);
  std::string url = ssh ? "git@github.com:" + owner + "/" + repo_name + ".git"
                        : "https://github.com/" + owner + "/" + repo_name + ".git";
  if (r < 15) {  // a fork: upstream first, then origin
    text += "[remote \"upstream\"]\n\turl = https://github.com/upstream/" + repo_name +
            ".git\n\tfetch = +refs/heads/*:refs/remotes/upstream/*\n";
  }
  std::string remote = r < 18 ? "backup" : "origin";  // a few have no origin at all
  text += "[remote \"" + remote + "\"]\n\turl = " + url + "\n\tfetch = +refs/heads/*:refs/remotes/" +
          remote + "/*\n[branch \"main\"]\n\tremote = " + remote + "\n\tmerge = refs/heads/main\n";
  return text;
}

/// Creates a repository with a small work tree at `path`.
void make_repo(splitmix64& rng, const std::string& path, const std::string& name) {
  make_dir(path);
  std::string git = path + "/.git";
  make_dir(git);
  write_file(git + "/HEAD", head_text(rng));
  write_file(git + "/config", config_text(rng, name));
  write_file(git + "/description", "Unnamed repository.\n");
  make_dir(git + "/refs");
  make_dir(git + "/refs/heads");
  make_dir(git + "/objects");
  write_file(path + "/README.md", "# " + name + "\n");
  make_dir(path + "/src");
  write_file(path + "/src/main.c", "int main(void) { return 0; }\n");
  if (rng.chance(30)) {
    make_dir(path + "/docs");
    write_file(path + "/docs/index.md", "docs\n");
  }
  if (rng.chance(3)) {  // a submodule: its gitdir lives in the superproject's .git/modules
    std::string sub = "lib-" + pick_word(rng);
    make_dir(git + "/modules");
    make_dir(git + "/modules/" + sub);
    write_file(git + "/modules/" + sub + "/HEAD", hex_sha(rng) + "\n");
    write_file(git + "/modules/" + sub + "/config",
               "[core]\n\tworktree = ../../../" + sub + "\n[remote \"origin\"]\n\turl = "
               "https://github.com/deps/" + sub + ".git\n");
    make_dir(path + "/" + sub);
    write_file(path + "/" + sub + "/.git", "gitdir: ../.git/modules/" + sub + "\n");
    write_file(path + "/" + sub + "/lib.c", "\n");
  }
}

/// Creates a linked worktree of the repository at `main_repo` at `path`.
void make_worktree(splitmix64& rng, const std::string& main_repo, const std::string& path,
                   const std::string& name) {
  std::string admin = main_repo + "/.git/worktrees";
  make_dir(admin);
  admin += "/" + name;
  make_dir(admin);
  write_file(admin + "/HEAD", "ref: refs/heads/wt-" + name + "\n");
  write_file(admin + "/commondir", "../..\n");
  write_file(admin + "/gitdir", path + "/.git\n");
  make_dir(path);
  write_file(path + "/.git", "gitdir: " + admin + "\n");
  write_file(path + "/README.md", "# worktree\n");
  make_dir(path + "/src");
}

/// Creates a folder that is not a project (node_modules or similar) with a few levels inside.
void make_plain_folder(splitmix64& rng, const std::string& path) {
  make_dir(path);
  int packages = 2 + static_cast<int>(rng.below(6));
  for (int i = 0; i < packages; ++i) {
    std::string pkg = path + "/" + pick_word(rng) + "-" + std::to_string(i);
    make_dir(pkg);
    write_file(pkg + "/index.js", "module.exports = {};\n");
    if (rng.chance(50)) make_dir(pkg + "/lib");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  long long n = -1;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (dir.empty()) {
      dir = arg;
    } else if (n < 0) {
      n = std::atoll(arg.c_str());
    } else {
      n = -1;
      break;
    }
  }
  if (dir.empty() || n < 0) {
    std::fprintf(stderr, "usage: gen_tree DIR N [--seed S]\n");
    return 2;
  }
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  make_dir(dir);
  if (dir[0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd) == nullptr) die("getcwd");
    dir = std::string(cwd) + "/" + dir;  // worktree gitdirs are absolute
  }

  splitmix64 rng{seed};
  long long made = 0, repos = 0, worktrees = 0;
  std::vector<std::string> repo_paths;  // candidates for worktrees
  for (long long group = 0; made < n; ++group) {
    // A group path 1 to 4 levels deep; each holds a batch of projects and maybe plain folders.
    int depth = 1 + static_cast<int>(rng.below(4));
    std::string group_path = dir;
    for (int level = 0; level < depth; ++level) {
      group_path += "/" + pick_word(rng) + (level == 0 ? "-" + std::to_string(group) : "");
      make_dir(group_path);
    }
    if (rng.chance(20)) make_plain_folder(rng, group_path + "/node_modules");
    if (rng.chance(15)) make_plain_folder(rng, group_path + "/notes");
    int batch = 5 + static_cast<int>(rng.below(40));
    for (int b = 0; b < batch && made < n; ++b) {
      std::string name = pick_word(rng) + "-" + pick_word(rng) + "-" + std::to_string(made);
      std::string path = group_path + "/" + name;
      if (!repo_paths.empty() && rng.chance(2)) {
        make_worktree(rng, repo_paths[rng.below(repo_paths.size())], path, name);
        ++worktrees;
      } else {
        make_repo(rng, path, name);
        repo_paths.push_back(path);
        ++repos;
      }
      ++made;
    }
  }
  std::printf("%lld projects (%lld repos, %lld worktrees) under %s\n", made, repos, worktrees,
              dir.c_str());
  return 0;
}
