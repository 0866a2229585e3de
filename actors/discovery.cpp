// actors/discovery.cpp: the parallel file-system walk that finds Git projects (SPEC §4).
//
// Why it is built this way:
// - One shared LIFO stack of directories feeds `threads` workers, so a single root with ten
//   thousand repositories uses every core, and several roots share the same workers. A worker
//   keeps one child directory for itself (depth-first, warm caches, one lock fewer per folder)
//   and pushes the others for whoever is idle. A pending counter (queued + in progress) under
//   the same mutex tells the workers when everything is done and each root when it finished.
// - Directories are opened by absolute path with O_NOFOLLOW below a root and listed with
//   getdents64 into a per-worker buffer (fdopendir/readdir cost an fstat, two fcntl and a 32 KiB
//   allocation per folder, measurable over 10 000 repositories). Entry types come from d_type,
//   falling back to fstatat(AT_SYMLINK_NOFOLLOW) for DT_UNKNOWN. Symlinks are never
//   followed below a root, so symlink loops cannot hang the walk. `.git` is never entered.
// - Branch and remote are read from HEAD and config with open/read into a reused buffer and
//   parsed by hand: no git process, no per-file stream objects. Names are opaque bytes.
// - Nothing throws out of the public functions: failures become counts or null fields.
#include "actors/discovery.hpp"
#include "storage/text.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

namespace gum {
namespace {

using storage::ascii_lower;

using steady = std::chrono::steady_clock;

/// How many unreadable folder paths a scan reports.
constexpr size_t max_reported_unreadable = 10;
/// How many unreadable paths one worker remembers before the merge picks the first few.
constexpr size_t max_kept_unreadable = 1024;
/// HEAD, config, commondir and gitdir files larger than this are read only up to this size.
constexpr size_t max_git_file_bytes = 1 << 20;
/// The buffer one getdents64 call fills (glibc's readdir uses the same size).
constexpr size_t dents_buffer_bytes = 32 * 1024;

/// One folder waiting to be listed.
struct dir_task {
  std::string path;
  int depth = 0;
  int root = 0;
};

/// A project and the index of the root it was found under (for dedupe by root order).
struct found_project {
  project info;
  int root = 0;
};

/// What one worker found; merged after all workers have stopped.
struct worker_output {
  std::vector<found_project> projects;
  std::vector<std::string> unreadable_paths;
  std::vector<int64_t> unreadable_per_root;
  int64_t unreadable_count = 0;
};

/// The state all workers of one scan share. Everything mutable is guarded by `mu`.
struct scan_context {
  const std::vector<std::string>* roots = nullptr;       // as requested (for project.root)
  const discovery_options* options = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<dir_task> stack;
  int64_t pending = 0;                  // queued + in progress, all roots
  std::vector<int64_t> root_pending;    // the same, per root
  std::vector<steady::time_point> root_done;
  int waiting = 0;                      // workers blocked in pop
};

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

/// Joins a folder and a relative name with exactly one slash.
std::string join_path(std::string_view dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

/// The last component of an absolute path ("/" for the file-system root).
std::string last_component(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return path;
  if (pos + 1 == path.size()) return path.size() == 1 ? path : last_component(path.substr(0, pos));
  return path.substr(pos + 1);
}

/// Reads a small file (relative to `dirfd`, or absolute) into `buf`, which only ever grows so
/// that a worker reuses it without clearing; `text` views what was read. False if unreadable.
bool read_small_file(int dirfd, const char* path, std::string& buf, std::string_view& text) {
  int fd = ::openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
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

  /// origin's url if any remote named origin has one, else the first remote url in file order.
  std::optional<std::string> remote_url() {
    std::optional<std::string> first;
    bool in_remote = false;
    bool in_origin = false;
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
        std::string section, subsection;
        if (!parse_header(section, subsection)) {
          in_remote = in_origin = false;
          skip_line();
          continue;
        }
        in_remote = iequals(section, "remote") && !subsection.empty();
        in_origin = in_remote && subsection == "origin";
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
      if (!in_remote || !iequals(key, "url") || value.empty()) continue;
      if (in_origin) return value;
      if (!first) first = std::move(value);
    }
    return first;
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

/// The remote url a config file names, or null.
std::optional<std::string> remote_from_config(std::string_view text) {
  return config_parser(text).remote_url();
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

/// Reads the metadata of the project whose folder is open as `dfd` (path `dir_path`).
git_metadata read_metadata_at(int dfd, const std::string& dir_path, bool git_is_dir,
                              std::string& buf) {
  git_metadata meta;
  std::string_view text;
  if (git_is_dir) {
    if (read_small_file(dfd, ".git/HEAD", buf, text)) meta.branch = branch_from_head(text);
    if (read_small_file(dfd, ".git/config", buf, text))
      meta.remote_url = remote_from_config(text);
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
    meta.remote_url = remote_from_config(text);
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

/// Closes a plain fd on every path out of a scope.
struct fd_closer {
  int fd = -1;
  ~fd_closer() {
    if (fd >= 0) ::close(fd);
  }
};

bool is_excluded(std::string_view name, const std::vector<std::string>& exclude) {
  for (const auto& e : exclude)
    if (name == e) return true;
  return false;
}

/// One worker: lists folders, records projects and hands out subfolders until none are left.
class scan_worker {
public:
  scan_worker(scan_context& ctx, worker_output& out) : ctx_(ctx), out_(out) {
    out_.unreadable_per_root.assign(ctx.roots->size(), 0);
  }

  void run() {
    dir_task task;
    bool have_task = false;
    std::vector<dir_task> children;
    for (;;) {
      if (!have_task && !pop(task)) return;
      have_task = false;
      children.clear();
      try {
        list_folder(task, children);
      } catch (...) {
        children.clear();  // out of memory: drop this folder, keep the accounting right
      }
      finish(task.root, children, task, have_task);
    }
  }

private:
  bool pop(dir_task& task) {
    std::unique_lock<std::mutex> lock(ctx_.mu);
    while (ctx_.stack.empty() && ctx_.pending > 0) {
      ++ctx_.waiting;
      ctx_.cv.wait(lock);
      --ctx_.waiting;
    }
    if (ctx_.stack.empty()) return false;
    task = std::move(ctx_.stack.back());
    ctx_.stack.pop_back();
    return true;
  }

  // Marks the folder of `root` finished and queues all children but the last, which the caller
  // continues with (`have_next`). Out of memory while queueing drops children, never counts.
  void finish(int root, std::vector<dir_task>& children, dir_task& next, bool& have_next) {
    size_t n = children.size();
    std::lock_guard<std::mutex> lock(ctx_.mu);
    size_t pushed = 0;
    try {
      for (; pushed + 1 < n; ++pushed) ctx_.stack.push_back(std::move(children[pushed]));
    } catch (...) {
    }
    have_next = n > 0;
    if (have_next) next = std::move(children[n - 1]);
    int64_t delta = static_cast<int64_t>(pushed) + (have_next ? 1 : 0) - 1;
    ctx_.pending += delta;
    ctx_.root_pending[root] += delta;
    if (ctx_.root_pending[root] == 0) ctx_.root_done[root] = steady::now();
    if (ctx_.pending == 0) {
      ctx_.cv.notify_all();
    } else if (pushed > 0 && ctx_.waiting > 0) {
      if (pushed >= static_cast<size_t>(ctx_.waiting))
        ctx_.cv.notify_all();
      else
        for (size_t i = 0; i < pushed; ++i) ctx_.cv.notify_one();
    }
  }

  void note_unreadable(const dir_task& task) {
    ++out_.unreadable_count;
    ++out_.unreadable_per_root[task.root];
    if (out_.unreadable_paths.size() < max_kept_unreadable)
      out_.unreadable_paths.push_back(task.path);
  }

  // Lists one folder: records it if it is a project, and collects the subfolders to visit.
  void list_folder(const dir_task& task, std::vector<dir_task>& children) {
    const discovery_options& opt = *ctx_.options;
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY;
    if (task.depth > 0) flags |= O_NOFOLLOW;  // a root may be a symlink, nothing below it
    int fd = ::open(task.path.c_str(), flags);
    if (fd < 0) {
      // Gone, or replaced by a file or a symlink since it was listed: not an error.
      if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) note_unreadable(task);
      return;
    }
    fd_closer closer{fd};
    bool want_children = task.depth < opt.max_depth;
    bool is_project = false;
    bool git_is_dir = false;
    names_.clear();
    offsets_.clear();
    if (dents_.empty()) dents_.resize(dents_buffer_bytes);
    bool done = false;
    while (!done) {
      ssize_t n = ::getdents64(fd, dents_.data(), dents_.size());
      if (n <= 0) {
        if (n < 0) note_unreadable(task);
        break;
      }
      for (ssize_t off = 0; off < n;) {
        const auto* ent = reinterpret_cast<const struct dirent64*>(dents_.data() + off);
        off += ent->d_reclen;
        const char* name = ent->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        if (std::strcmp(name, ".git") == 0) {
          if (!is_project && git_entry_kind(fd, ent->d_type, git_is_dir)) {
            is_project = true;
            if (!opt.nested || !want_children) {  // nothing else in here matters
              done = true;
              break;
            }
          }
          continue;  // never descend into .git
        }
        if (!want_children) continue;
        unsigned char type = ent->d_type;
        if (type == DT_UNKNOWN) {
          struct stat st;
          if (::fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
            continue;
        } else if (type != DT_DIR) {
          continue;  // files, and symlinks, which are never followed
        }
        std::string_view name_view(name);
        if (is_excluded(name_view, opt.exclude)) continue;
        offsets_.push_back(names_.size());
        names_.append(name_view);
        names_.push_back('\0');
      }
    }
    if (is_project) {
      found_project found;
      git_metadata meta = read_metadata_at(fd, task.path, git_is_dir, buf_);
      found.info.path = task.path;
      found.info.name = last_component(task.path);
      found.info.root = (*ctx_.roots)[task.root];
      found.info.kind = std::move(meta.kind);
      found.info.remote_url = std::move(meta.remote_url);
      found.info.branch = std::move(meta.branch);
      found.root = task.root;
      out_.projects.push_back(std::move(found));
    }
    if (is_project && !opt.nested) return;
    children.reserve(offsets_.size());
    for (size_t off : offsets_) {
      dir_task child;
      child.path = join_path(task.path, std::string_view(names_.data() + off));
      child.depth = task.depth + 1;
      child.root = task.root;
      children.push_back(std::move(child));
    }
  }

  scan_context& ctx_;
  worker_output& out_;
  std::string names_;            // child names of the folder being listed, NUL-separated
  std::vector<size_t> offsets_;  // where each name starts in names_
  std::string buf_;              // file contents (HEAD, config, ...)
  std::vector<char> dents_;      // raw getdents64 records
};

int64_t ms_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

scan_result scan_roots_impl(const std::vector<std::string>& roots,
                            const discovery_options& options) {
  auto start = steady::now();
  scan_result result;
  scan_context ctx;
  ctx.roots = &roots;
  ctx.options = &options;
  ctx.root_pending.assign(roots.size(), 0);
  ctx.root_done.assign(roots.size(), start);
  result.roots.resize(roots.size());

  for (size_t i = 0; i < roots.size(); ++i) {
    root_scan& rs = result.roots[i];
    rs.path = roots[i];
    struct stat st;
    if (roots[i].empty() || options.max_depth < 0) {
      rs.exists = !roots[i].empty() && ::stat(roots[i].c_str(), &st) == 0;
      continue;
    }
    if (::stat(roots[i].c_str(), &st) != 0) {
      rs.exists = !(errno == ENOENT || errno == ENOTDIR || errno == ELOOP);
      if (!rs.exists) continue;
    } else if (!S_ISDIR(st.st_mode)) {
      rs.exists = false;  // a file is not a root that can hold projects
      continue;
    }
    dir_task task;
    task.path = roots[i];
    while (task.path.size() > 1 && task.path.back() == '/') task.path.pop_back();
    task.depth = 0;
    task.root = static_cast<int>(i);
    ctx.stack.push_back(std::move(task));
    ++ctx.pending;
    ++ctx.root_pending[i];
  }
  // Roots pop from the back: reverse so the first root starts first.
  std::reverse(ctx.stack.begin(), ctx.stack.end());

  unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                         : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  std::vector<worker_output> outputs(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back([&ctx, &outputs, t] { scan_worker(ctx, outputs[t]).run(); });
    } catch (...) {
      break;  // cannot start more threads: the ones we have will do
    }
  }
  scan_worker(ctx, outputs[0]).run();
  for (auto& th : pool) th.join();

  std::vector<found_project> all;
  for (auto& out : outputs) {
    result.unreadable_count += out.unreadable_count;
    for (size_t i = 0; i < out.unreadable_per_root.size(); ++i)
      result.roots[i].unreadable += out.unreadable_per_root[i];
    for (auto& p : out.unreadable_paths) result.unreadable_paths.push_back(std::move(p));
    if (all.empty())
      all = std::move(out.projects);
    else
      for (auto& p : out.projects) all.push_back(std::move(p));
  }
  std::sort(result.unreadable_paths.begin(), result.unreadable_paths.end());
  if (result.unreadable_paths.size() > max_reported_unreadable)
    result.unreadable_paths.resize(max_reported_unreadable);

  // Bytewise by path; among duplicates (overlapping roots) the first root wins.
  std::sort(all.begin(), all.end(), [](const found_project& a, const found_project& b) {
    int c = a.info.path.compare(b.info.path);
    return c != 0 ? c < 0 : a.root < b.root;
  });
  result.projects.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    if (!result.projects.empty() && all[i].info.path == result.projects.back().path) continue;
    ++result.roots[all[i].root].repo_count;
    result.projects.push_back(std::move(all[i].info));
  }
  for (size_t i = 0; i < roots.size(); ++i)
    if (result.roots[i].exists) result.roots[i].scan_ms = ms_between(start, ctx.root_done[i]);
  result.duration_ms = ms_between(start, steady::now());
  return result;
}

}  // namespace

git_metadata read_git_metadata(const std::string& project_dir) {
  try {
    git_metadata meta;
    int fd = ::open(project_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return meta;
    fd_closer closer{fd};
    bool git_is_dir = false;
    std::string buf;
    if (git_entry_kind(fd, DT_UNKNOWN, git_is_dir)) {
      std::string dir = project_dir;
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      meta = read_metadata_at(fd, dir, git_is_dir, buf);
    }
    return meta;
  } catch (...) {
    return git_metadata{};
  }
}

scan_result scan_roots(const std::vector<std::string>& roots, const discovery_options& options) {
  try {
    return scan_roots_impl(roots, options);
  } catch (...) {
    // Only allocation failures can get here; report every root as unreadable rather than throw.
    scan_result result;
    for (const auto& r : roots) {
      root_scan rs;
      rs.path = r;
      rs.unreadable = 1;
      result.roots.push_back(std::move(rs));
      ++result.unreadable_count;
    }
    return result;
  }
}

}  // namespace gum
