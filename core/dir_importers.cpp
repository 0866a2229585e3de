// core/dir_importers.cpp: reading other tools' directory databases (z, autojump, zoxide).
//
// `gum import` parses the whole file here before anything is written, so a malformed file
// changes nothing; lines that cannot be read are skipped and described, never fatal.
#include "core/dir_importers.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <cmath>
#include <exception>
#include <unordered_map>

#include "core/paths.hpp"
#include "core/process.hpp"
#include "core/text.hpp"

extern char** environ;

namespace gum {

namespace {

bool parse_double(std::string_view text, double& value) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One line split into its fields, or the reason it cannot be.
struct import_fields {
  std::string_view path, rank, time;
  std::string error;
};

import_fields split_z(std::string_view line) {
  // path|rank|time, split from the right so a '|' inside the path survives.
  import_fields f;
  auto last = line.rfind('|');
  auto middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                            : line.rfind('|', last - 1);
  if (middle == std::string_view::npos) {
    f.error = "expected path|rank|time";
    return f;
  }
  f.path = line.substr(0, middle);
  f.rank = trim_blanks(line.substr(middle + 1, last - middle - 1));
  f.time = trim_blanks(line.substr(last + 1));
  return f;
}

import_fields split_autojump(std::string_view line) {
  import_fields f;
  auto tab = line.find('\t');
  if (tab == std::string_view::npos) {
    f.error = "expected weight<TAB>path";
    return f;
  }
  f.rank = trim_blanks(line.substr(0, tab));
  f.path = line.substr(tab + 1);
  return f;
}

import_fields split_zoxide(std::string_view line) {
  // "  SCORE PATH": the score is right-aligned, then one space, then the path to end of line.
  import_fields f;
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  auto space = line.find(' ');
  if (space == std::string_view::npos) {
    f.error = "expected SCORE PATH";
    return f;
  }
  f.rank = line.substr(0, space);
  f.path = line.substr(space + 1);
  return f;
}

}  // namespace

status parse_dir_import(const std::string& format, std::string_view text,
                        std::vector<imported_dir>& out, std::vector<std::string>& skipped) {
  import_fields (*split)(std::string_view);
  if (format == "z")
    split = split_z;
  else if (format == "autojump")
    split = split_autojump;
  else if (format == "zoxide")
    split = split_zoxide;
  else
    return status::fail(status_code::usage, "unknown import format '" + excerpt(format) +
                                                "' (expected zoxide, z or autojump)");
  try {
    std::unordered_map<std::string, size_t> index;  // path -> position in `out`, this file only
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
    size_t line_no = 0;
    while (!text.empty()) {
      ++line_no;
      size_t newline = text.find('\n');
      std::string_view line = text.substr(0, newline);
      text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (trim_blanks(line).empty()) continue;

      const std::string where = "line " + std::to_string(line_no) + ": ";
      import_fields f = split(line);
      if (!f.error.empty()) {
        skipped.push_back(where + f.error);
        continue;
      }
      if (f.path.empty() || f.path.front() != '/') {
        skipped.push_back(where + "not an absolute path");
        continue;
      }
      if (f.path.find('\0') != std::string_view::npos) {
        skipped.push_back(where + "the path contains a NUL byte");
        continue;
      }
      imported_dir d;
      if (!parse_double(f.rank, d.rank) || !std::isfinite(d.rank) || d.rank <= 0) {
        skipped.push_back(where + "bad rank '" + excerpt(f.rank) + "'");
        continue;
      }
      // z writes plain digits: a sign other than '-' was never accepted.
      if (format == "z" && (f.time.substr(0, 1) == "+" || !parse_int64(f.time, d.last_seen) ||
                             d.last_seen < 0)) {
        skipped.push_back(where + "bad time '" + excerpt(f.time) + "'");
        continue;
      }
      d.path = normalize_path(f.path, "", "/");
      auto [it, inserted] = index.emplace(d.path, out.size());
      if (inserted) {
        out.push_back(std::move(d));
      } else {
        imported_dir& known = out[it->second];
        known.rank += d.rank;
        known.last_seen = std::max(known.last_seen, d.last_seen);
      }
    }
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, std::string("import failed: ") + e.what());
  }
  return status::success();
}

std::string default_import_file(const std::string& format, const environment& env) {
  if (format == "z") {
    std::string data = env.variable("_Z_DATA");
    return data.empty() ? env.home + "/.z" : normalize_path(data, env.home, env.cwd);
  }
  if (format == "autojump") {
    std::string data_home = env.variable("XDG_DATA_HOME");
    if (data_home.empty() || data_home.front() != '/') data_home = env.home + "/.local/share";
    return data_home + "/autojump/autojump.txt";
  }
  return {};
}

bool is_zoxide_binary_database(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

status run_zoxide_query(const std::string& zoxide, const std::string& data_dir,
                        std::string& out) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return status::fail(status_code::failure, "cannot run zoxide: " + std::string(std::strerror(errno)));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return status::fail(status_code::failure, "cannot run zoxide: " + std::string(std::strerror(errno)));
  }
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (data_dir.empty() || std::strncmp(*e, "_ZO_DATA_DIR=", 13) != 0) env.emplace_back(*e);
  if (!data_dir.empty()) env.push_back("_ZO_DATA_DIR=" + data_dir);
  const std::vector<std::string> argv = {zoxide, "query", "--list", "--score"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, "/");
  posix_spawnattr_t attr;
  init_default_signals(attr);
  const spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, zoxide.c_str(), &actions, &attr, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return status::fail(status_code::failure, "cannot run " + zoxide + ": " + std::strerror(rc));
  }
  // Both pipes are drained together, so a chatty stderr cannot stall zoxide.
  std::string err;
  constexpr size_t max_bytes = 256u * 1024 * 1024;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& into = i == 0 ? out : err;
      if (into.size() < (i == 0 ? max_bytes : 4096)) into.append(buf, static_cast<size_t>(n));
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  if (timed_out) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return status::fail(status_code::failure, "zoxide query --list --score ran past 30 s");
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    std::string first = err.substr(0, err.find('\n'));
    std::string what = "zoxide query --list --score failed";
    what += WIFEXITED(wstatus) ? " (exit " + std::to_string(WEXITSTATUS(wstatus)) + ")"
                               : " (signal " + std::to_string(WTERMSIG(wstatus)) + ")";
    if (!first.empty()) what += ": " + excerpt(first);
    return status::fail(status_code::failure, what);
  }
  if (out.size() >= max_bytes)
    return status::fail(status_code::failure, "zoxide printed more than 256 MiB");
  return status::success();
}

}  // namespace gum
