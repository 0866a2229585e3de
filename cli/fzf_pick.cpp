// cli/fzf_pick.cpp: running fzf over a list and reading back the choice (see fzf_pick.hpp).
#include "cli/fzf_pick.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "cli/output.hpp"
#include "core/process.hpp"

extern char** environ;

namespace gum::cli {

namespace {

struct fzf_item {
  const std::string* path;
  std::string detail;
};

struct fzf_look {
  bool keep_order = false;  // the list is ranked (dirs): fzf must not re-sort it
  std::string preview;      // fzf's --preview command; {2} is the path field
};

status fzf_missing() {
  return status::fail(status_code::usage, "-i needs fzf, which is not installed (not on PATH)",
                      "install fzf (Debian/Ubuntu: sudo apt install fzf; macOS: brew install "
                      "fzf), or list without -i");
}

// fzf's environment: this one, with FZF_DEFAULT_OPTS = gum's look, then the user's
// FZF_DEFAULT_OPTS, then GUM_FZF_OPTS (fzf reads later options over earlier ones).
std::vector<std::string> fzf_environment(const environment& gum_env, const fzf_look& look) {
  std::string opts =
      "--height=45% --layout=reverse --info=inline --keep-right --cycle --select-1 --exit-0";
  if (look.keep_order) opts += " --no-sort";
  if (!look.preview.empty()) opts += " --preview='" + look.preview + "'";
  for (const char* name : {"FZF_DEFAULT_OPTS", "GUM_FZF_OPTS"}) {
    opts += ' ';
    opts += gum_env.variable(name);
  }
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "FZF_DEFAULT_OPTS=", 17) != 0) env.emplace_back(*e);
  env.push_back("FZF_DEFAULT_OPTS=" + opts);
  return env;
}

// A memory file holding `text`, positioned at its start, or -1.
int memory_file(const std::string& text) {
  int fd = ::memfd_create("gum-fzf-list", MFD_CLOEXEC);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Runs fzf over `items`; sets `chosen` to the path of the picked one.
status run_fzf(const environment& gum_env, const std::vector<fzf_item>& items, const fzf_look& look,
               std::string& chosen) {
  const std::string fzf =
      find_program("fzf", gum_env.variables.count("PATH") ? gum_env.variable("PATH")
                                                          : "/usr/local/bin:/usr/bin:/bin");
  if (fzf.empty()) return fzf_missing();
  if (items.empty()) return status::fail(status_code::failure, "");  // nothing to choose from
  std::string list;
  for (size_t i = 0; i < items.size(); ++i) {
    list += std::to_string(i);
    list += '\t';
    append_line_field(list, *items[i].path);
    list += '\t';
    append_line_field(list, items[i].detail);
    list += '\n';
  }
  int input = memory_file(list);
  if (input < 0)
    return status::fail(status_code::failure,
                        std::string("cannot hand the list to fzf: ") + std::strerror(errno));
  int answer[2];
  if (::pipe2(answer, O_CLOEXEC) != 0) {
    ::close(input);
    return status::fail(status_code::failure,
                        std::string("cannot start fzf: ") + std::strerror(errno));
  }
  // Its screen goes to the terminal even when our stderr is redirected; without a terminal
  // (tests, `--filter`) it shares our stderr.
  int screen = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input, 0);
  posix_spawn_file_actions_adddup2(&actions, answer[1], 1);
  if (screen >= 0) posix_spawn_file_actions_adddup2(&actions, screen, 2);
  posix_spawnattr_t attr;
  init_default_signals(attr);
  const std::vector<std::string> argv = {fzf, "--delimiter=\\t", "--with-nth=2..", "--nth=1",
                                         "--no-multi"};
  const std::vector<std::string> env = fzf_environment(gum_env, look);
  const spawn_args args(argv), envp(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, fzf.c_str(), &actions, &attr, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(input);
  ::close(answer[1]);
  if (screen >= 0) ::close(screen);
  if (rc != 0) {
    ::close(answer[0]);
    if (rc == ENOENT) return fzf_missing();
    return status::fail(status_code::failure, "cannot start " + fzf + ": " + std::strerror(rc));
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(answer[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() < (1u << 20)) out.append(buf, static_cast<size_t>(n));  // one line is read
  }
  ::close(answer[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus))
    return status::fail(status_code::failure, std::string("fzf was killed by signal ") +
                                                  std::to_string(WTERMSIG(wstatus)));
  const int code = WEXITSTATUS(wstatus);
  if (code == 1 || code == 130) return status::fail(status_code::failure, "");  // none chosen
  if (code != 0)
    return status::fail(status_code::failure, "fzf failed (exit " + std::to_string(code) + ")",
                        "check FZF_DEFAULT_OPTS and GUM_FZF_OPTS");
  // The first line is the choice (under --filter, the best match): INDEX<TAB>PATH<TAB>DETAIL.
  // fzf 0.38 under --filter with an empty query prints the shown fields only (PATH<TAB>DETAIL):
  // then the path is found by its escaped text.
  const std::string line = out.substr(0, out.find('\n'));
  size_t index = items.size();
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), index);
  if (ec != std::errc() || end == line.data() + line.size() || *end != '\t') {
    const std::string shown = line.substr(0, line.find('\t'));
    index = items.size();
    for (size_t i = 0; i < items.size() && index == items.size(); ++i)
      if (escape_line_field(*items[i].path) == shown) index = i;
  }
  if (index >= items.size())
    return status::fail(status_code::failure, "fzf printed no choice gum can read",
                        "options that change fzf's output (--print-query, --expect) do not "
                        "work with -i");
  chosen = *items[index].path;
  return status::success();
}

status print_choice(const environment& env, const std::vector<fzf_item>& items,
                    const fzf_look& look) {
  std::string chosen;
  if (auto st = run_fzf(env, items, look, chosen); !st.ok()) return st;
  write_stdout(chosen + "\n");
  return status::success();
}

}  // namespace

status pick_project(const environment& env, const std::vector<project>& projects) {
  std::vector<fzf_item> items;
  items.reserve(projects.size());
  for (const auto& p : projects) {
    std::string detail;
    if (p.remote_url)
      detail = *p.remote_url;
    else if (p.branch)
      detail = "[" + *p.branch + "]";
    items.push_back({&p.path, std::move(detail)});
  }
  fzf_look look;
  look.preview =
      "git -C {2} log --oneline --decorate --color=always -n 30 2>/dev/null || ls -Ap {2}";
  return print_choice(env, items, look);
}

status pick_dir(const environment& env, const std::vector<dir_entry>& dirs) {
  std::vector<fzf_item> items;
  items.reserve(dirs.size());
  for (const auto& d : dirs) {
    char score[32];
    std::snprintf(score, sizeof score, "%.1f", d.score);
    items.push_back({&d.path, score});
  }
  fzf_look look;
  look.keep_order = true;
  look.preview = "ls -Ap {2}";
  return print_choice(env, items, look);
}

}  // namespace gum::cli
