// core/git_metadata.cpp: what a project's .git says about it (kind, origin remote, branch),
// read without running git (SPEC §4 "Discovery").
//
// Why it is built this way: the discovery walk reads HEAD and config of thousands of projects,
// so the files are read with open/read into one reused buffer and parsed by hand: no git
// process, no per-file stream objects. Names are opaque bytes. Nothing throws out of
// read_git_metadata: an unreadable file becomes a null field.
//
// The remote is shown as git shows it (`git remote get-url`): rewritten by the longest matching
// `url.<base>.insteadOf` prefix of the user's global config and the repository's own. The
// global files are read once per scan by the caller (read_url_rewrites) and passed in as a
// value, so thousands of repositories cost no extra file reads.
#include "core/git_metadata.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "core/paths.hpp"
#include "core/text.hpp"

namespace gum {
namespace {

/// HEAD, config, commondir and gitdir files larger than this are read only up to this size.
constexpr size_t max_git_file_bytes = 1 << 20;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }


bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/// Removes trailing CR/LF (and, when `spaces`, any whitespace) from the end of `s`.
std::string_view trim_end(std::string_view s, bool spaces) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || (spaces && is_space(s.back()))))
    s.remove_suffix(1);
  return s;
}

/// Reads a small file (relative to `dirfd`, or absolute) into `buf`, which only ever grows so
/// that a worker reuses it without clearing; `text` views what was read. False if unreadable or
/// not a regular file: a named pipe at .git/HEAD (an extracted archive, a fixture) used to block
/// the refresh forever, so the file is opened O_NONBLOCK and checked with fstat before reading.
bool read_small_file(int dirfd, const char* path, std::string& buf, std::string_view& text) {
  int fd = ::openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    text = std::string_view();
    return false;
  }
  if (buf.size() < 4096) buf.resize(4096);
  size_t used = 0;
  bool ok = true;
  for (;;) {
    if (used == buf.size()) {
      if (buf.size() >= max_git_file_bytes) break;
      buf.resize(buf.size() * 2);
    }
    ssize_t n = ::read(fd, &buf[used], buf.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
    // A short read of a regular file is its end: skip the extra read() that would return 0.
    if (used < buf.size()) break;
  }
  ::close(fd);
  text = std::string_view(buf.data(), used);
  return ok;
}

/// The branch named by a HEAD file: "ref: refs/heads/X" gives X; a detached sha gives null.
std::optional<std::string> branch_from_head(std::string_view head) {
  head = trim_end(head, true);
  constexpr std::string_view ref_prefix = "ref:";
  constexpr std::string_view heads_prefix = "refs/heads/";
  if (head.substr(0, ref_prefix.size()) != ref_prefix) return std::nullopt;
  head.remove_prefix(ref_prefix.size());
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t')) head.remove_prefix(1);
  if (head.substr(0, heads_prefix.size()) != heads_prefix) return std::nullopt;
  head.remove_prefix(heads_prefix.size());
  if (head.empty()) return std::nullopt;
  return std::string(head);
}

/// A cursor over a git config file that finds the origin (or first) remote's url.
///
/// Follows git's syntax closely enough for real files: case-insensitive section and key names,
/// `[remote "name"]` and the old `[remote.name]`, a key on the header's line, `#`/`;` comments,
/// double quotes with backslash escapes, and backslash-newline continuations.
class config_parser {
public:
  explicit config_parser(std::string_view text) : text_(text) {}

  /// Calls `f(section, subsection, key, value)` for every `key = value` entry, in file order.
  /// Section and key names are as written (compare them case-insensitively).
  template <class F>
  void for_each_entry(F&& f) {
    std::string section, subsection;
    while (pos_ < text_.size()) {
      skip_blanks();
      if (pos_ >= text_.size()) break;
      char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        continue;
      }
      if (c == '#' || c == ';') {
        skip_line();
        continue;
      }
      if (c == '[') {
        section.clear();
        subsection.clear();
        if (!parse_header(section, subsection)) {
          section.clear();
          subsection.clear();
          skip_line();
        }
        continue;  // a key may follow on the same line
      }
      std::string_view key = parse_key();
      if (key.empty()) {
        skip_line();
        continue;
      }
      skip_blanks();
      if (pos_ >= text_.size() || text_[pos_] != '=') {
        skip_line();  // a boolean key without a value, or garbage
        continue;
      }
      ++pos_;
      std::string value = parse_value();
      if (!section.empty()) f(std::string_view(section), std::string_view(subsection), key, value);
    }
  }

private:
  void skip_blanks() {
    while (pos_ < text_.size() && text_[pos_] != '\n' && is_space(text_[pos_])) ++pos_;
  }

  void skip_line() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }

  // Parses "[section]", "[section "sub"]" or "[section.sub]"; leaves pos_ after ']'.
  bool parse_header(std::string& section, std::string& subsection) {
    ++pos_;  // '['
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ']') {
        ++pos_;
        auto dot = section.find('.');
        if (dot != std::string::npos && subsection.empty()) {
          subsection = section.substr(dot + 1);
          section.resize(dot);
        }
        return !section.empty();
      }
      if (c == '\n') return false;
      if (is_space(c)) {
        while (pos_ < text_.size() && text_[pos_] != '\n' && is_space(text_[pos_])) ++pos_;
        if (pos_ >= text_.size() || text_[pos_] != '"') return false;
        ++pos_;
        while (pos_ < text_.size() && text_[pos_] != '"') {
          if (text_[pos_] == '\n') return false;
          if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
          subsection.push_back(text_[pos_++]);
        }
        if (pos_ >= text_.size()) return false;
        ++pos_;  // closing quote
        skip_blanks();
        if (pos_ >= text_.size() || text_[pos_] != ']') return false;
        continue;
      }
      section.push_back(c);
      ++pos_;
    }
    return false;
  }

  std::string_view parse_key() {
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_';
      if (!ok) break;
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // Parses a value up to the end of its (possibly continued) line, as git does.
  std::string parse_value() {
    std::string out;
    size_t pending_spaces = 0;
    bool quoted = false;
    skip_blanks();
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\n') {
        if (quoted) out.clear();  // unterminated quote: git rejects the value
        return out;
      }
      if (!quoted && (c == '#' || c == ';')) {
        skip_line();
        return out;
      }
      if (!quoted && is_space(c)) {
        if (!out.empty()) ++pending_spaces;
        continue;
      }
      out.append(pending_spaces, ' ');
      pending_spaces = 0;
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        char e = text_[pos_++];
        switch (e) {
          case '\n': continue;  // line continuation
          case '\r':
            if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
            continue;
          case 'n': out.push_back('\n'); break;
          case 't': out.push_back('\t'); break;
          case 'b': if (!out.empty()) out.pop_back(); break;
          default: out.push_back(e); break;  // \" and \\ (and anything else, leniently)
        }
        continue;
      }
      out.push_back(c);
    }
    if (quoted) out.clear();
    return out;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

/// What a repository's config says: the remote url (origin's if any remote named origin has
/// one, else the first remote url in file order) and its own insteadOf rules.
struct repo_config {
  std::optional<std::string> remote_url;
  url_rewrites rewrites;
};

/// Adds one `[url "base"] insteadOf = prefix` entry to `r` (any other entry is ignored).
void add_rewrite(url_rewrites& r, std::string_view section, std::string_view base,
                 std::string_view key, std::string& value) {
  if (!iequals(section, "url") || base.empty() || !iequals(key, "insteadof") || value.empty())
    return;
  for (auto& rule : r.rules)
    if (rule.base == base) {
      rule.instead_of.push_back(std::move(value));
      return;
    }
  r.rules.push_back({std::string(base), {std::move(value)}});
}

repo_config read_repo_config(std::string_view text) {
  repo_config out;
  std::optional<std::string> origin;
  config_parser(text).for_each_entry([&](std::string_view section, std::string_view sub,
                                         std::string_view key, std::string& value) {
    if (iequals(section, "remote") && !sub.empty() && iequals(key, "url") && !value.empty()) {
      if (sub == "origin") {
        if (!origin) origin = value;
      } else if (!out.remote_url) {
        out.remote_url = value;
      }
      return;
    }
    add_rewrite(out.rewrites, section, sub, key, value);
  });
  if (origin) out.remote_url = std::move(origin);
  return out;
}

/// The remote url a config file names, rewritten by `global` and then the file's own rules.
std::optional<std::string> remote_from_config(std::string_view text, const url_rewrites& global) {
  repo_config cfg = read_repo_config(text);
  if (!cfg.remote_url) return std::nullopt;
  if (cfg.rewrites.empty()) {
    if (global.empty()) return cfg.remote_url;
    return global.apply(*cfg.remote_url);
  }
  url_rewrites all = global;
  for (auto& rule : cfg.rewrites.rules)
    for (auto& prefix : rule.instead_of) {
      std::string v = prefix;
      add_rewrite(all, "url", rule.base, "insteadof", v);
    }
  return all.apply(*cfg.remote_url);
}

/// The path a `.git` file points to ("gitdir: PATH"), or empty if it is not a gitdir file.
std::string gitdir_from_file(std::string_view text) {
  constexpr std::string_view prefix = "gitdir:";
  if (text.substr(0, prefix.size()) != prefix) return {};
  text.remove_prefix(prefix.size());
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  auto nl = text.find('\n');
  if (nl != std::string_view::npos) text = text.substr(0, nl);
  return std::string(trim_end(text, false));
}

/// worktree when the gitdir lies under …/worktrees/…, submodule under …/modules/…, else repo.
std::string kind_of_gitdir(const std::string& gitdir) {
  auto wt = gitdir.rfind("/worktrees/");
  auto md = gitdir.rfind("/modules/");
  bool has_wt = wt != std::string::npos && wt + 11 < gitdir.size();
  bool has_md = md != std::string::npos && md + 9 < gitdir.size();
  if (has_wt && (!has_md || wt > md)) return "worktree";
  if (has_md) return "submodule";
  return "repo";
}

}  // namespace

void url_rewrites::add_config(std::string_view config_text) {
  config_parser(config_text).for_each_entry(
      [&](std::string_view section, std::string_view sub, std::string_view key,
          std::string& value) { add_rewrite(*this, section, sub, key, value); });
}

std::string url_rewrites::apply(std::string_view url) const {
  const rule* best = nullptr;
  size_t best_len = 0;
  for (const auto& r : rules)
    for (const auto& prefix : r.instead_of)
      if (prefix.size() > best_len && url.substr(0, prefix.size()) == prefix) {
        best = &r;
        best_len = prefix.size();
      }
  if (!best) return std::string(url);
  std::string out = best->base;
  out.append(url.substr(best_len));
  return out;
}

std::vector<std::string> global_git_config_files(const environment& env) {
  if (env.git_config_global) {
    if (env.git_config_global->empty()) return {};
    return {*env.git_config_global};
  }
  return {join_path(env.xdg_config_home, "git/config"), join_path(env.home, ".gitconfig")};
}

url_rewrites read_url_rewrites(const std::vector<std::string>& files) {
  url_rewrites out;
  try {
    std::string buf;
    std::string_view text;
    for (const auto& f : files)
      if (read_small_file(AT_FDCWD, f.c_str(), buf, text)) out.add_config(text);
  } catch (...) {
    // Out of memory: no rules rather than a throw out of a scan.
  }
  return out;
}

/// Reads the metadata of the project whose folder is open as `dfd` (path `dir_path`).
git_metadata read_git_metadata_at(int dfd, const std::string& dir_path, bool git_is_dir,
                                   std::string& buf, const url_rewrites& global) {
  git_metadata meta;
  std::string_view text;
  if (git_is_dir) {
    if (read_small_file(dfd, ".git/HEAD", buf, text)) meta.branch = branch_from_head(text);
    if (read_small_file(dfd, ".git/config", buf, text))
      meta.remote_url = remote_from_config(text, global);
    return meta;
  }
  if (!read_small_file(dfd, ".git", buf, text)) return meta;
  std::string gitdir = gitdir_from_file(text);
  if (gitdir.empty()) return meta;
  if (gitdir.front() != '/') gitdir = join_path(dir_path, gitdir);
  meta.kind = kind_of_gitdir(gitdir);
  if (read_small_file(AT_FDCWD, join_path(gitdir, "HEAD").c_str(), buf, text))
    meta.branch = branch_from_head(text);
  std::string config_dir = gitdir;
  if (read_small_file(AT_FDCWD, join_path(gitdir, "commondir").c_str(), buf, text)) {
    std::string_view common = trim_end(text, false);
    if (!common.empty())
      config_dir = common.front() == '/' ? std::string(common) : join_path(gitdir, common);
  }
  if (read_small_file(AT_FDCWD, join_path(config_dir, "config").c_str(), buf, text))
    meta.remote_url = remote_from_config(text, global);
  return meta;
}

/// Whether the `.git` entry of the folder open as `dfd` makes it a project (dir or file), and
/// which of the two it is. Symlinks named `.git` count when they point to either.
bool git_entry_kind(int dfd, unsigned char d_type, bool& is_dir) {
  if (d_type == DT_DIR) return is_dir = true;
  if (d_type == DT_REG) {
    is_dir = false;
    return true;
  }
  struct stat st;
  if (::fstatat(dfd, ".git", &st, 0) != 0) return false;
  is_dir = S_ISDIR(st.st_mode);
  return is_dir || S_ISREG(st.st_mode);
}

git_metadata read_git_metadata(const std::string& project_dir, const url_rewrites& global) {
  try {
    git_metadata meta;
    int fd = ::open(project_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return meta;
    bool git_is_dir = false;
    std::string buf;
    struct fd_closer {
      int fd;
      ~fd_closer() { ::close(fd); }
    } closer{fd};
    if (git_entry_kind(fd, DT_UNKNOWN, git_is_dir)) {
      std::string dir = project_dir;
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      meta = read_git_metadata_at(fd, dir, git_is_dir, buf, global);
    }
    return meta;
  } catch (...) {
    return git_metadata{};
  }
}

}  // namespace gum
