// cli/commands/crontab.cpp: `gum crontab` (also `gum --crontab`), SPEC §3.6. It reads neither
// the config nor the database.
//
// crontab: the lines name this binary by its absolute path (/proc/self/exe), so cron, whose
// PATH is minimal, runs the same gum. `crontab -l` is read with posix_spawnp and an argument
// vector; a missing crontab binary or "no crontab for USER" is an empty crontab. A line is
// skipped when its command part (everything after the schedule) is already there, whatever
// its schedule: the user may have changed when it runs.
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

#include "cli/command.hpp"
#include "cli/squeeze.hpp"

extern char** environ;

namespace gum::cli {

namespace {

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

status run_crontab(invocation& inv) {
  const auto& g = inv.globals();
  std::string prefix = cron_word(self_path());
  // Global options the user gave are kept, so cron uses the same database and config.
  if (!g.db.empty()) prefix += " --db " + cron_word(inv.database_path());
  if (!g.config.empty()) prefix += " --config " + cron_word(g.config);
  prefix += " -q";
  const std::vector<cron_entry> entries = {
      {"*/15 * * * *", prefix + " dirs --refresh >/dev/null"},
      {"7 * * * *", prefix + " projects --refresh >/dev/null"},
      {"23 * * * *", prefix + " sync --type incremental >/dev/null"},
      {"41 3 * * 0", prefix + " integrity >/dev/null"},
  };
  auto listing = read_crontab();
  if (!listing.warning.empty()) inv.warn(listing.warning);
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

}  // namespace

void register_crontab(CLI::App& app, std::vector<command>& commands) {
  auto* cron = app.add_subcommand("crontab", "Print crontab lines that keep the index fresh");
  commands.push_back({cron, [](invocation& inv) { return run_crontab(inv); }});
}

}  // namespace gum::cli
