// cli/commands/clone.cpp: `gum clone REPO [--target DIR] [--depth N] [--ssh|--https]
// [--suggest]` (SPEC §3.6).
//
// Why it is built this way:
// - git runs BEFORE the actor system starts, with posix_spawnp and an argument vector (never a
//   shell, so a hostile REPO cannot inject a command), and SIGINT/SIGTERM restored to their
//   defaults in the child: the engine's threads do not exist yet, so nothing can be forked
//   in a bad state, and a long clone holds no database connection or lock.
// - git's stderr and stdout go through a pipe that is copied to our stderr as it arrives
//   (progress included: `--progress` is passed when stderr is a TTY), so that stdout carries
//   only the cloned path (`cd "$(gum clone o/r)"`) and the last `fatal:` line can be repeated
//   in gum's one-line error.
// - A failed clone leaves nothing behind: the target if git made it, and every parent folder
//   gum made for it (e.g. the owner/ folder), deepest first. A folder that existed stays.
// - For owner/name the URL is the synced repository's own clone_url (ssh_url with --ssh or
//   clone.protocol ssh), read through a read-only engine that is stopped again before git
//   starts. A repository that was never synced gets a URL built on the web host of the API URL
//   (core/remote_url.hpp web_base_for_api), keeping its scheme and port: the API's host is
//   right for github.com, GHE Server and GHE.com, and only a guess for anything else.
// - REPO may also be any git URL (file:// and hosts other than GitHub, GitLab's nested groups
//   included) or a local path (/…, ./…, ../…, ~/…), as ghq takes them; core/clone_url.hpp
//   refuses what git would read as a transport or an option before git sees it. The folder is
//   clone.root/OWNER.../NAME, or clone.root/HOST/OWNER.../NAME with `clone.layout:
//   host/owner/name` (a local source's host is "localhost").
// - On success the project is added to the index at once through the writer (one
//   add_project_atom: one transaction), under the configured root that contains it, and linked
//   when its repository has been synced.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/clone_url.hpp"
#include "core/git_metadata.hpp"
#include "core/paths.hpp"
#include "core/remote_url.hpp"
#include "cli/command.hpp"
#include "core/process.hpp"
#include "core/text.hpp"

extern char** environ;

namespace gum::cli {

namespace {

struct clone_args {
  std::string repo;
  std::string target;
  int64_t depth = -1;  ///< -1: a full clone
  bool ssh = false;
  bool https = false;
  bool suggest = false;
};

/// What `gum clone` will do: the URL given to git and the folder it clones into.
struct clone_plan {
  std::string host;                   ///< lower-case; "localhost" for a local source
  std::vector<std::string> segments;  ///< owner (one or more groups), then the name
  std::string url;
  std::string target;
  bool explicit_url = false;  ///< REPO was a URL (or a local path), not owner/name
  bool local = false;         ///< a local path or a file:// URL
};

// A path component GitHub could have produced: never empty, "." or "..", no slash or oddity.
bool is_safe_component(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s[0] == '-') return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string strip_dot_git(std::string name) {
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
  return name;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

status not_a_repository(const std::string& repo) {
  return status::fail(status_code::usage, "cannot read '" + one_line(repo) + "' as a repository",
                      "use owner/name, HOST/owner/name, a git URL (https://, ssh://, git@HOST:, "
                      "file://) or a local path (/…, ./…, ~/…)");
}

// A local path as `gum clone` takes it: absolute, or ./, ../ or ~/ relative. A bare word is
// owner/name shorthand, never a folder in the working directory.
bool looks_like_local_path(const std::string& repo) {
  return repo == "." || repo == ".." || repo == "~" || repo.rfind("/", 0) == 0 ||
         repo.rfind("./", 0) == 0 || repo.rfind("../", 0) == 0 || repo.rfind("~/", 0) == 0;
}

// Splits REPO into host, owner segments and name, and for a URL or local path sets the URL.
status parse_repo(const std::string& repo, const std::string& default_host,
                  const environment& env, clone_plan& plan) {
  if (looks_like_local_path(repo)) {
    std::string path = normalize_path(repo, env.home, env.cwd);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return status::fail(status_code::usage, "no repository at " + one_line(path),
                          "name an existing repository folder, or a URL");
    plan.url = path;
    plan.host = "localhost";
    plan.explicit_url = plan.local = true;
    auto slash = path.find_last_of('/');
    std::string name = strip_dot_git(path.substr(slash + 1));
    if (slash > 0) {
      std::string parent = path.substr(0, slash);
      plan.segments.push_back(parent.substr(parent.find_last_of('/') + 1));
    }
    if (!name.empty()) plan.segments.push_back(name);
    for (auto& s : plan.segments)
      if (!is_folder_name(s)) return not_a_repository(repo);
    return status::success();
  }
  bool looks_like_url = repo.find("://") != std::string::npos ||
                        repo.find(':') != std::string::npos || repo.find('@') != std::string::npos;
  if (looks_like_url) {
    auto source = parse_clone_url(repo);
    if (!source) return not_a_repository(repo);
    plan.host = source->host;
    plan.segments = source->segments;
    plan.url = source->url;
    plan.explicit_url = true;
    plan.local = source->scheme == "file";
    // A local folder's path is not owner/name: its last two folders are.
    if (plan.local && plan.segments.size() > 2)
      plan.segments.erase(plan.segments.begin(), plan.segments.end() - 2);
    if (!plan.local)
      for (auto& s : plan.segments)
        if (!is_safe_component(s)) return not_a_repository(repo);
    return status::success();
  }
  // owner/name, or HOST/owner/name (HOST/group/subgroup/name on GitLab).
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = repo.find('/', start);
    parts.push_back(repo.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() == 2) {
    plan.host = default_host;
    plan.segments = parts;
  } else if (parts.size() >= 3 && parts[0].find('.') != std::string::npos) {
    plan.host = ascii_lower(parts[0]);
    if (!is_clone_host(plan.host)) return not_a_repository(repo);
    plan.segments.assign(parts.begin() + 1, parts.end());
  } else {
    return not_a_repository(repo);
  }
  plan.segments.back() = strip_dot_git(plan.segments.back());
  for (auto& s : plan.segments)
    if (!is_safe_component(s))
      return status::fail(status_code::usage,
                          "'" + one_line(repo) + "' does not name a repository as owner/name");
  return status::success();
}

// The synced repository owner/name (case-insensitive), or nullopt when there is no database,
// it cannot be read, or it never saw the repository. The read-only engine is stopped again so
// that git runs with no actor system and no database connection.
std::optional<github_repo> synced_repository(invocation& inv, const std::string& owner,
                                             const std::string& name) {
  struct stat st;
  if (::stat(inv.database_path().c_str(), &st) != 0) return std::nullopt;
  std::optional<github_repo> found;
  if (auto started = inv.start_engine(invocation::engine_kind::reader_only); started.ok()) {
    github_query query;
    query.search = ascii_lower(owner + "/" + name);  // lower case: matched case-insensitively
    std::vector<github_repo> repos;
    if (auto st2 = inv.engine().call(repos, github_atom::value, query); st2.ok()) {
      for (auto& r : repos)
        if (ascii_lower(r.full_name) == query.search) found = std::move(r);
    } else {
      inv.debug("clone: no synced repositories: " + st2.message);
    }
  } else {
    inv.debug("clone: no synced repositories: " + started.message);
  }
  inv.stop_engine();
  return found;
}

// Parent folders of `target` that do not exist yet, outermost first.
std::vector<std::string> missing_parents(const std::string& target) {
  std::vector<std::string> out;
  std::string dir = target;
  while (true) {
    auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || slash == 0) break;
    dir = dir.substr(0, slash);
    struct stat st;
    if (::lstat(dir.c_str(), &st) == 0) break;
    out.insert(out.begin(), dir);
  }
  return out;
}

bool is_empty_dir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_empty(path, ec) && !ec;
}

// Removes what a failed clone left: the target if it was not there before, and the parents
// gum created (deepest first, only while empty).
void clean_up(const std::string& target, bool target_existed, const std::vector<std::string>& made) {
  std::error_code ec;
  if (!target_existed) std::filesystem::remove_all(target, ec);
  for (auto it = made.rbegin(); it != made.rend(); ++it) ::rmdir(it->c_str());
}

/// The outcome of running git: its exit status and its last error line.
struct git_outcome {
  int exit_code = -1;  ///< -1: could not start
  int signal = 0;
  std::string last_error;
  std::string spawn_error;
};

// Runs `argv` (git) with stdout and stderr copied to our stderr, and waits for it. SIGINT and
// SIGTERM are ignored here while git runs (git gets them from the terminal and cleans up
// itself); the child gets the default handlers back.
git_outcome run_git(const std::vector<std::string>& argv) {
  git_outcome outcome;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    outcome.spawn_error = std::strerror(errno);
    return outcome;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  init_default_signals(attr);
  const spawn_args args(argv);

  struct sigaction ignore {}, old_int{}, old_term{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGTERM, &ignore, &old_term);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.get(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    outcome.spawn_error = std::strerror(rc);
    return outcome;
  }
  // Copy through, remembering complete lines; '\r' starts a progress update over.
  std::string line;
  bool saw_error = false;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    ssize_t written = 0;
    while (written < n) {
      ssize_t w = ::write(STDERR_FILENO, buf + written, static_cast<size_t>(n - written));
      if (w <= 0) break;
      written += w;
    }
    for (ssize_t i = 0; i < n; ++i) {
      char c = buf[i];
      if (c == '\n') {
        bool is_error = line.rfind("fatal:", 0) == 0 || line.rfind("error:", 0) == 0;
        if (is_error || (!saw_error && !line.empty())) outcome.last_error = line;
        saw_error = saw_error || is_error;
        line.clear();
      } else if (c == '\r') {
        line.clear();
      } else if (line.size() < 4096) {
        line += c;
      }
    }
  }
  if (line.rfind("fatal:", 0) == 0 || line.rfind("error:", 0) == 0) outcome.last_error = line;
  ::close(pipe_fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  if (WIFEXITED(wstatus)) outcome.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) outcome.signal = WTERMSIG(wstatus);
  return outcome;
}

// The configured root that holds `path` (the longest), else `fallback` if it holds it, else
// the parent folder of `path`. `configured` says whether it is a configured root.
std::string root_for(const config& cfg, const std::string& path, const std::string& fallback,
                     bool& configured) {
  const std::string* best = nullptr;
  for (auto& r : cfg.roots)
    if (path != r && path_is_under(path, r) && (!best || r.size() > best->size())) best = &r;
  configured = best != nullptr;
  if (best) return *best;
  if (!fallback.empty() && path != fallback && path_is_under(path, fallback)) return fallback;
  auto slash = path.find_last_of('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

status run_clone(invocation& inv, const clone_args& args) {
  if (args.depth == 0 || args.depth < -1)
    return status::fail(status_code::usage, "--depth must be 1 or more");
  if (auto st = inv.load_config(); !st.ok()) return st;
  const auto& cfg = inv.cfg();
  const auto& env = inv.env();

  const std::string api_url = inv.github_api_url();
  clone_plan plan;
  if (auto st = parse_repo(args.repo, git_host_for_api(api_url), env, plan); !st.ok()) return st;

  // The URL: as given, unless --ssh or --https asks for a protocol; owner/name follows
  // clone.protocol, with the synced repository's own URL when there is one.
  const bool ssh = args.ssh || (!args.https && cfg.clone_protocol == "ssh");
  const bool owner_name = !plan.explicit_url && plan.segments.size() == 2 &&
                          std::count(args.repo.begin(), args.repo.end(), '/') == 1;
  if (plan.local && (args.ssh || args.https))
    return status::fail(status_code::usage, "--ssh and --https need a repository on a host",
                        "drop the flag to clone " + one_line(plan.url));
  if (!plan.explicit_url || args.ssh || args.https) {
    plan.url.clear();
    if (owner_name) {
      if (auto repo = synced_repository(inv, plan.segments[0], plan.segments[1])) {
        const auto& url = ssh ? repo->ssh_url : repo->clone_url;
        // Only a URL that names a repository on a host: never a local path or a transport.
        if (url && parse_remote_url(*url)) {
          plan.url = *url;
          if (auto source = parse_clone_url(*url)) plan.host = source->host;
        }
      }
    }
    if (plan.url.empty()) {
      const std::string path = joined(plan.segments) + ".git";
      std::string web = owner_name ? web_base_for_api(api_url) : std::string();
      if (web.empty()) web = "https://" + plan.host;
      plan.url = ssh ? "git@" + plan.host + ":" + path : web + "/" + path;
    }
  }

  std::string base = !cfg.clone_root.empty() ? cfg.clone_root
                     : cfg.roots.empty()     ? std::string()
                                             : cfg.roots.front();
  if (!args.target.empty()) {
    plan.target = normalize_path(args.target, env.home, env.cwd);
  } else if (base.empty()) {
    return status::fail(status_code::usage, "no folder to clone into",
                        "set clone.root or projects in config.yaml, or pass --target DIR");
  } else if (plan.segments.size() < 2) {
    return status::fail(status_code::usage,
                        "cannot tell owner and name from '" + one_line(args.repo) + "'",
                        "pass --target DIR");
  } else {
    clone_url source;
    source.host = plan.host;
    source.segments = plan.segments;
    plan.target = base + "/" + joined(clone_folder(source, cfg.clone_layout == "host/owner/name"));
  }
  inv.debug("clone: " + plan.url + " -> " + plan.target);

  if (args.suggest) {
    std::cout << plan.target << '\n';
    return status::success();
  }

  struct stat st;
  bool target_existed = ::lstat(plan.target.c_str(), &st) == 0;
  if (target_existed) {
    if (!S_ISDIR(st.st_mode))
      return status::fail(status_code::usage, plan.target + " already exists and is not a folder",
                          "pass --target DIR");
    if (!is_empty_dir(plan.target))
      return status::fail(status_code::usage, plan.target + " already exists and is not empty",
                          "pass --target DIR");
  }

  // Make the missing parents ourselves, remembering them so that a failure removes them.
  std::vector<std::string> made;
  for (auto& dir : missing_parents(plan.target)) {
    if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
      int err = errno;
      clean_up(plan.target, true, made);
      auto code = err == EACCES || err == EROFS || err == EPERM ? status_code::permission
                                                                : status_code::failure;
      return status::fail(code, "cannot create " + dir + ": " + std::strerror(err));
    }
    made.push_back(dir);
  }

  std::vector<std::string> argv = {"git", "clone"};
  if (args.depth > 0) {
    argv.push_back("--depth");
    argv.push_back(std::to_string(args.depth));
  }
  if (!inv.globals().quiet && ::isatty(STDERR_FILENO) == 1) argv.push_back("--progress");
  argv.push_back("--");
  argv.push_back(plan.url);
  argv.push_back(plan.target);
  auto outcome = run_git(argv);
  if (outcome.exit_code != 0) {
    clean_up(plan.target, target_existed, made);
    if (!outcome.spawn_error.empty())
      return status::fail(status_code::failure, "cannot run git: " + outcome.spawn_error,
                          "install git");
    if (outcome.signal == SIGINT) return status::fail(status_code::interrupted, "interrupted");
    if (outcome.signal == SIGTERM) return status::fail(status_code::terminated, "terminated");
    std::string why = outcome.last_error.empty()
                          ? "exit " + std::to_string(outcome.exit_code)
                          : outcome.last_error;
    return status::fail(status_code::failure, "git clone " + plan.url + " failed: " + why);
  }

  // Into the index at once.
  bool configured = false;
  project p;
  p.path = plan.target;
  p.name = std::string(path_basename(plan.target));
  p.root = root_for(cfg, plan.target, base, configured);
  // The remote as git shows it: the user's global insteadOf rules apply, as at every refresh.
  auto meta = read_git_metadata(plan.target, read_url_rewrites(global_git_config_files(env)));
  p.kind = meta.kind;
  p.remote_url = meta.remote_url ? meta.remote_url : std::optional<std::string>(plan.url);
  p.branch = meta.branch;
  if (!configured)
    inv.warn(plan.target + " is not under a configured project root: the next " +
             "`gum projects --refresh` will drop it from the index");
  if (auto st2 = inv.start_engine(invocation::engine_kind::writer_only); !st2.ok()) return st2;
  int64_t linked = 0;
  if (auto st2 = inv.engine().call(linked, add_project_atom::value, p); !st2.ok()) return st2;
  inv.debug(std::string("clone: indexed") + (linked ? ", linked to GitHub" : ""));
  std::cout << plan.target << '\n';
  return status::success();
}

}  // namespace

void register_clone(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<clone_args>();
  auto* sub = app.add_subcommand("clone", "Clone a repository into your project root and index it");
  sub->add_option("repo", args->repo, "owner/name, HOST/owner/name, a git URL (https, ssh, git@host:, file://) or a local path")
      ->required()
      ->type_name("REPO");
  sub->add_option("--target", args->target, "Clone into DIR instead of clone.root/owner/name (see clone.layout)")
      ->type_name("DIR");
  sub->add_option("--depth", args->depth, "Shallow clone with N commits")->type_name("N");
  auto* ssh = sub->add_flag("--ssh", args->ssh, "Clone over SSH (git@HOST:owner/name.git)");
  auto* https = sub->add_flag("--https", args->https, "Clone over HTTPS (default: config clone.protocol)");
  ssh->excludes(https);
  sub->add_flag("--suggest", args->suggest, "Print where the clone would go and do nothing");
  commands.push_back({sub, [args](invocation& inv) { return run_clone(inv, *args); }});
}

}  // namespace gum::cli
