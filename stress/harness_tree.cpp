// stress/harness_tree.cpp: the generator of the stress tree (see harness_tree.hpp).
//
// Everything below is a function of the repository index i, so two runs with the same --repos
// build the same tree. Only HEAD, config and (for worktrees) the gitdir/commondir files are
// written: that is all gum's discovery reads (SPEC §4), so a tree of a thousand repositories
// takes well under a second to make.
#include "stress/harness_tree.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gum::stress {

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

std::string padded(int i) {
  std::string s = std::to_string(i);
  return std::string(s.size() < 4 ? 4 - s.size() : 0, '0') + s;
}

// The git config of a repository with `remote` as origin (none when empty).
std::string git_config(const std::string& remote) {
  std::string c = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n";
  if (!remote.empty()) c += "[remote \"origin\"]\n\turl = " + remote + "\n";
  return c;
}

// The remote of repository i: a fixture repository (linkable by sync), another GitHub owner,
// a loopback mirror, or none.
std::string remote_for(int i, const std::vector<std::string>& github_names) {
  switch (i % 4) {
    case 0:
      if (!github_names.empty())
        return "https://github.com/" +
               github_names[static_cast<size_t>(i / 4) % github_names.size()] + ".git";
      return "https://github.com/fixture-user/repo-" + padded(i) + ".git";
    case 1:
      return "git@github.com:other-org/repo-" + padded(i) + ".git";
    case 2:
      return "https://127.0.0.1/mirror/repo-" + padded(i) + ".git";
    default:
      return {};
  }
}

}  // namespace

tree_truth generate_tree(const std::string& root, const std::string& gitdirs, int repos,
                         const std::vector<std::string>& github_names) {
  tree_truth truth;
  const fs::path base(root);
  for (int i = 0; i < repos; ++i) {
    std::string name = "repo-" + padded(i);
    if (i % 13 == 5) name = "my repo " + padded(i);      // a space
    if (i % 17 == 8) name = "caf\xc3\xa9-" + padded(i);  // UTF-8
    const std::string area = "area-" + std::to_string(i % 8);
    fs::path dir;
    switch (i % 3) {
      case 0:
        dir = base / area / name;
        break;  // depth 2
      case 1:
        dir = base / area / ("team-" + std::to_string(i % 5)) / name;
        break;  // depth 3
      default:
        dir = base / name;
        break;  // depth 1
    }
    const std::string head = i % 10 == 7
                                 ? "0123456789abcdef0123456789abcdef01234567\n"  // detached
                                 : "ref: refs/heads/" + std::string(i % 2 ? "main" : "dev") + "\n";
    const std::string remote = remote_for(i, github_names);
    if (i % 9 == 4) {
      // A worktree: `.git` is a file naming a gitdir under <common>/worktrees/<name>.
      const fs::path common = fs::path(gitdirs) / (name + ".git");
      const fs::path wt = common / "worktrees" / "wt";
      write_file(common / "HEAD", "ref: refs/heads/main\n");
      write_file(common / "config", git_config(remote));
      write_file(wt / "HEAD", head);
      write_file(wt / "commondir", "../..\n");
      write_file(dir / ".git", "gitdir: " + wt.string() + "\n");
    } else {
      write_file(dir / ".git" / "HEAD", head);
      write_file(dir / ".git" / "config", git_config(remote));
    }
    write_file(dir / "README.md", name + "\n");
    fs::create_directories(dir / "src");
    truth.projects.push_back(dir.string());
    if (i < 48) truth.visit_targets.push_back(i % 2 ? dir.string() : (dir / "src").string());
    // Decoys that gum must not list: a repository nested in a project (discovery stops at a
    // project), and one under an excluded folder.
    if (i % 11 == 3) {
      write_file(dir / "vendor" / "lib" / ".git" / "HEAD", "ref: refs/heads/main\n");
      write_file(dir / "vendor" / "lib" / ".git" / "config", git_config({}));
    }
  }
  write_file(base / "area-0" / "node_modules" / "dep" / ".git" / "HEAD", "ref: refs/heads/main\n");
  write_file(base / "notes" / "todo.txt", "not a project\n");
  truth.visit_targets.push_back((base / "notes").string());
  std::sort(truth.projects.begin(), truth.projects.end());
  return truth;
}

std::string expected_listing(const tree_truth& truth) {
  std::string text;
  for (auto& p : truth.projects) text += p + "\n";
  return text;
}

}  // namespace gum::stress
