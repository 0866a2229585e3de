// bench/serve_bench.cpp: `gum serve` capacity (docs/serve.md, issue 18).
//
//   serve_bench GUM GEN_TREE [--projects N] [--repos R] [--dirs D] [--clients C] [--seconds S]
//               [--only list|mixed|full|sync|KIND] [--home DIR]
// 1. builds a HOME with N projects (default 10 000, gen_tree), R GitHub repositories (default
//    5 000, synced from the loopback fixture server, found next to GUM as gum_fixture_server)
//    and D directories in the history (default 2 000: project folders, a few visits each);
//    with --home DIR it is built there once and reused (DIR/.serve-bench-ready);
// 2. starts `gum serve --port 0` on that database, with the fixture server's URL and a token;
// 3. list: one client's `gum --remote … projects --cached` against the local
//    `gum projects --cached` (median of 15 process runs each, interleaved; target <= 2x);
// 4. mixed: C client processes (default 16, each its own CAF node and connection, as 16 users
//    are) send the mix below back to back for S seconds (default 10): reads/s, p50/p99 and
//    failures, overall and per kind (targets >= 500 reads/s, p99 < 50 ms, 0 failed);
// 5. full: the same with full project lists only (no target: the worst case, reported);
// 6. sync: `gum --remote … sync` (incremental, all 304s) against a local `gum sync` on the
//    same database (median of 7 each, interleaved).
// --only KIND (one of the kind names below) runs the load with that kind alone, for profiling
// (`--clients 1` then gives one request's latency).
// Exit 1 when a target is missed.
//
// The mix: what a team's clients send, per 100 requests (kind names as printed):
//   30 jump        `gum jump KW` (dirs, one keyword, limit 2, existing only)
//   10 dirs        `gum dirs KW` (every match of one keyword)
//   25 search      `gum projects --search TERM --limit 20`
//    5 similar     `gum projects --similar NAME --limit 10`
//   15 github      `gum github` with a filter (search, language or topic), --sort stars,
//                  --limit 20
//   10 github-lang `gum github --language L` (every match, a few hundred rows)
//    5 list        `gum projects` (the whole list: N rows, about 1 MB for 10 000)
// Keywords are words of the generated project names; languages and topics are the fixture's.
#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.hpp"
#include "gum/remote.hpp"

namespace fs = std::filesystem;

namespace {

const char* const bench_token = "serve-bench-token";

std::vector<std::string> environment_for(const std::string& home, int api_port) {
  std::vector<std::string> env = {"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config",
                                  "XDG_CACHE_HOME=" + home + "/.cache", "PATH=/usr/bin:/bin"};
  if (api_port > 0) {
    env.push_back(std::string("GH_TOKEN=") + bench_token);
    env.push_back("GUM_GITHUB_API_URL=http://127.0.0.1:" + std::to_string(api_port));
  }
  return env;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Runs argv, its stdout into `out`; returns the exit code.
int run_capture(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                std::string& out) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  const gum::spawn_args a(argv), e(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, a.get(), e.get());
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A child whose stdout (or stderr) is read line by line until a line contains `marker`.
struct child {
  pid_t pid = -1;
  int out = -1;   ///< the child's stdout or stderr
  int in = -1;    ///< the child's stdin (clients only)
  std::string first;  ///< the line that had the marker
  ~child() {
    if (in >= 0) close(in);
    if (out >= 0) close(out);
  }
};

bool start_child(child& c, const std::vector<std::string>& argv,
                 const std::vector<std::string>& env, int fd, const std::string& marker,
                 bool with_stdin = false) {
  int fds[2], ins[2] = {-1, -1};
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  if (with_stdin && pipe2(ins, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], fd);
  if (fd != 2) posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  if (with_stdin) posix_spawn_file_actions_adddup2(&fa, ins[0], 0);
  const gum::spawn_args a(argv), e(env);
  int rc = posix_spawn(&c.pid, argv[0].c_str(), &fa, nullptr, a.get(), e.get());
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (with_stdin) {
    close(ins[0]);
    c.in = ins[1];
  }
  c.out = fds[0];
  if (rc != 0) return false;
  std::string line;
  char ch;
  pollfd p{c.out, POLLIN, 0};
  while (poll(&p, 1, 60000) > 0 && read(c.out, &ch, 1) == 1) {
    if (ch != '\n') {
      line += ch;
      continue;
    }
    if (line.find(marker) != std::string::npos) {
      c.first = line;
      return true;
    }
    line.clear();
  }
  return false;
}

void stop_child(child& c) {
  if (c.pid <= 0) return;
  kill(c.pid, SIGTERM);
  waitpid(c.pid, nullptr, 0);
  c.pid = -1;
}

// ---- the client process: `serve_bench --client PORT MIX SECONDS SEED` ------------------------

struct pools {
  std::vector<std::string> words, names, languages, topics;
};

// The words of the generated names (gen_tree: "delta-parser-7992"), and the fixture's
// languages and topics.
pools make_pools(const std::string& names_file) {
  pools p;
  std::ifstream in(names_file);
  std::set<std::string> words;
  for (std::string name; std::getline(in, name);) {
    if (name.empty()) continue;
    p.names.push_back(name);
    std::stringstream parts(name);
    for (std::string w; std::getline(parts, w, '-');)
      if (w.size() > 2 && w.find_first_of("0123456789") == std::string::npos) words.insert(w);
  }
  p.words.assign(words.begin(), words.end());
  p.languages = {"C++", "Rust", "Go", "Python", "TypeScript", "Shell", "Java", "Lua"};
  p.topics = {"cli", "cpp", "rust", "database", "sqlite", "github", "tui", "linux"};
  if (p.words.empty()) p.words = {"a"};
  if (p.names.empty()) p.names = {"a"};
  return p;
}

using gum::bench::splitmix64;

const char* pick_kind(const std::string& mix, splitmix64& g) {
  if (mix == "full") return "list";
  if (mix != "mixed") return mix.c_str();  // one kind alone (--only KIND, for profiling)
  const int r = static_cast<int>(g.next() % 100);
  if (r < 30) return "jump";
  if (r < 40) return "dirs";
  if (r < 65) return "search";
  if (r < 70) return "similar";
  if (r < 85) return "github";
  if (r < 95) return "github-lang";
  return "list";
}

int run_client(int port, const std::string& mix, double seconds, uint64_t seed,
               const std::string& names_file) {
  const auto p = make_pools(names_file);
  caf::actor_system_config cfg;
  // As gum's own CLI: one thread that sleeps when idle (CAF's default work stealing polls).
  cfg.set("scheduler.max-threads", 1);
  cfg.set("scheduler.policy", caf::atom("sharing"));
  gum::add_message_types(cfg);
  cfg.load<caf::io::middleman>();
  caf::actor_system system{cfg};
  auto remote = system.middleman().remote_actor<gum::remote_engine_actor>(
      "127.0.0.1", static_cast<uint16_t>(port));
  if (!remote) {
    std::printf("error %s\n", caf::to_string(remote.error()).c_str());
    return 1;
  }
  caf::scoped_actor self{system};
  bool hello_ok = false;
  self->request(*remote, std::chrono::seconds(10), gum::hello_atom::value,
                gum::remote_protocol_version)
      .receive([&](gum::server_hello& h) { hello_ok = h.protocol == gum::remote_protocol_version; },
               [&](caf::error&) {});
  if (!hello_ok) {
    std::printf("error hello\n");
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  char go;
  if (read(0, &go, 1) != 1) return 1;
  splitmix64 g{seed * 7919 + 1};
  std::string report;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  const auto timeout = std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    const char* kind = pick_kind(mix, g);
    const std::string k = kind;
    bool ok = false;
    auto fail = [&](caf::error&) { ok = false; };
    auto t0 = std::chrono::steady_clock::now();
    if (k == "jump" || k == "dirs") {
      gum::dir_query q;
      q.keywords = {g.pick(p.words)};
      if (k == "jump") {
        q.limit = 2;
        q.exclude_path = "/";
      }
      self->request(*remote, timeout, gum::dirs_atom::value, q)
          .receive([&](std::vector<gum::dir_entry>&) { ok = true; }, fail);
    } else if (k == "search" || k == "similar" || k == "list") {
      gum::project_query q;
      q.build_if_missing = false;
      if (k == "search") {
        q.search = g.pick(p.words);
        q.limit = 20;
      } else if (k == "similar") {
        q.similar = g.pick(p.names);
        q.limit = 10;
      }
      self->request(*remote, timeout, gum::projects_atom::value, q)
          .receive([&](gum::projects_reply&) { ok = true; }, fail);
    } else {
      gum::github_query q;
      if (k == "github-lang") {
        q.language = g.pick(p.languages);
      } else {
        switch (g.next() % 3) {
          case 0: q.search = g.pick(p.words); break;
          case 1: q.language = g.pick(p.languages); break;
          default: q.topic = g.pick(p.topics);
        }
        q.sort = "stars";
        q.limit = 20;
      }
      self->request(*remote, timeout, gum::github_atom::value, q)
          .receive([&](std::vector<gum::github_repo>&) { ok = true; }, fail);
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    report += k + ' ' + std::to_string(ms) + ' ' + (ok ? '1' : '0') + '\n';
  }
  std::fwrite(report.data(), 1, report.size(), stdout);
  std::printf("done\n");
  return 0;
}

// ---- the orchestrator ---------------------------------------------------------------------------

// CPU time (user + system) a process has used so far, in ms (/proc/PID/stat).
double cpu_ms(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {  // field 3 is the state; 14 utime, 15 stime
    if (i == 14) utime = std::atof(f.c_str());
    if (i == 15) {
      stime = std::atof(f.c_str());
      break;
    }
  }
  return (utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct load_result {
  double server_cpu_ms = 0, client_cpu_ms = 0;  ///< CPU used during the load
  double rate = 0, p50 = 0, p99 = 0, seconds = 0;
  size_t requests = 0;
  int64_t failures = 0;
  bool started = true;
};

load_result run_load(const std::string& self_exe, pid_t server, int port, int clients,
                     const std::string& mix, double seconds, const std::string& names_file) {
  load_result r;
  std::vector<std::unique_ptr<child>> kids;
  for (int i = 0; i < clients; ++i) {
    auto c = std::make_unique<child>();
    if (!start_child(*c,
                     {self_exe, "--client", std::to_string(port), mix, std::to_string(seconds),
                      std::to_string(i), names_file},
                     {"PATH=/usr/bin:/bin"}, 1, "ready", true)) {
      std::fprintf(stderr, "serve_bench: client %d did not connect (%s)\n", i, c->first.c_str());
      r.started = false;
      return r;
    }
    kids.push_back(std::move(c));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const double server_before = cpu_ms(server);
  std::vector<double> client_before;
  for (auto& c : kids) client_before.push_back(cpu_ms(c->pid));
  for (auto& c : kids) (void)!write(c->in, "g", 1);
  std::map<std::string, std::vector<double>> by_kind;
  std::map<std::string, int64_t> failed_by_kind;
  std::vector<double> all;
  for (size_t k = 0; k < kids.size(); ++k) {
    auto& c = kids[k];
    std::string text;
    char buf[65536];
    ssize_t n;
    while ((n = read(c->out, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    if (k == 0) r.server_cpu_ms = cpu_ms(server) - server_before;
    rusage usage{};
    wait4(c->pid, nullptr, 0, &usage);
    r.client_cpu_ms += (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
                       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0 -
                       client_before[k];
    c->pid = -1;
    std::istringstream lines(text);
    for (std::string kind; lines >> kind;) {
      if (kind == "done") break;
      double ms = 0;
      int ok = 0;
      lines >> ms >> ok;
      all.push_back(ms);
      by_kind[kind].push_back(ms);
      if (!ok) {
        ++r.failures;
        ++failed_by_kind[kind];
      }
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.requests = all.size();
  r.rate = static_cast<double>(all.size()) / std::max(seconds, 1e-9);
  r.p50 = percentile(all, 0.5);
  r.p99 = percentile(all, 0.99);
  for (auto& [kind, v] : by_kind)
    std::printf("  %-12s %6zu requests  p50 %7.2f ms  p99 %7.2f ms  %lld failed\n", kind.c_str(),
                v.size(), percentile(v, 0.5), percentile(v, 0.99),
                static_cast<long long>(failed_by_kind[kind]));
  return r;
}

std::string self_path() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("serve_bench") : exe.string();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 7 && std::string(argv[1]) == "--client")
    return run_client(std::atoi(argv[2]), argv[3], std::atof(argv[4]),
                      std::strtoull(argv[5], nullptr, 10), argv[6]);
  if (argc < 3) {
    std::fprintf(stderr, "usage: serve_bench GUM GEN_TREE [--projects N] [--repos R] [--dirs D] "
                         "[--clients C] [--seconds S] [--only list|mixed|full|sync] "
                         "[--home DIR]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const std::string gum = fs::absolute(argv[1]).string(), gen_tree = argv[2];
  int projects = 10000, repos = 5000, dirs = 2000, clients = 16;
  double seconds = 10;
  std::string only, home;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--projects") projects = std::atoi(argv[i + 1]);
    if (a == "--repos") repos = std::atoi(argv[i + 1]);
    if (a == "--dirs") dirs = std::atoi(argv[i + 1]);
    if (a == "--clients") clients = std::atoi(argv[i + 1]);
    if (a == "--seconds") seconds = std::atof(argv[i + 1]);
    if (a == "--only") only = argv[i + 1];
    if (a == "--home") home = fs::absolute(argv[i + 1]).string();
  }
  auto wanted = [&](const char* part) { return only.empty() || only == part; };
  const bool temporary = home.empty();
  if (temporary) {
    std::string tmpl = (fs::temp_directory_path() / "gum-serve-bench-XXXXXX").string();
    home = mkdtemp(tmpl.data());
  }
  const std::string fixture_bin =
      (fs::path(gum).parent_path() / "gum_fixture_server").string();
  child fixture;
  if (!start_child(fixture, {fixture_bin, "--port", "0", "--repos", std::to_string(repos)},
                   {"PATH=/usr/bin:/bin"}, 1, "port=")) {
    std::fprintf(stderr, "serve_bench: %s did not start\n", fixture_bin.c_str());
    return 1;
  }
  const int api_port = std::atoi(fixture.first.c_str() + 5);
  const auto env = environment_for(home, api_port);
  const std::string names_file = home + "/.serve-bench-names";

  if (!fs::exists(home + "/.serve-bench-ready")) {
    fs::create_directories(home + "/.config/gum");
    std::ofstream(home + "/.config/gum/config.yaml") << "projects: [" << home << "/projects]\n";
    std::string paths;
    if (gum::bench::run_once({gen_tree, home + "/projects", std::to_string(projects)}, env)
                .exit_code != 0 ||
        gum::bench::run_once({gum, "projects", "--refresh"}, env).exit_code != 0 ||
        gum::bench::run_once({gum, "sync", "--type", "full"}, env).exit_code != 0 ||
        run_capture({gum, "projects", "--cached", "--format", "simple"}, env, paths) != 0) {
      std::fprintf(stderr, "serve_bench: cannot build the test HOME in %s\n", home.c_str());
      return 1;
    }
    // The history: `dirs` project folders, visited 1 to 4 times each, 200 paths per `gum add`.
    std::vector<std::string> all_paths;
    std::istringstream in(paths);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) all_paths.push_back(line);
    std::ofstream names(names_file);
    for (auto& path : all_paths) names << fs::path(path).filename().string() << '\n';
    names.close();
    const size_t count = std::min(all_paths.size(), static_cast<size_t>(std::max(dirs, 0)));
    for (int visit = 0; visit < 4; ++visit) {
      std::vector<std::string> add = {gum, "add"};
      for (size_t i = 0; i < count; ++i) {
        if (i % 4 < static_cast<size_t>(visit)) continue;
        add.push_back(all_paths[i]);
        if (add.size() == 202 || i + 1 == count) {
          gum::bench::run_once(add, env);
          add.resize(2);
        }
      }
    }
    std::ofstream(home + "/.serve-bench-ready") << "ready\n";
  }

  child server;
  if (!start_child(server, {gum, "serve", "--port", "0"}, env, 2, "listening on 127.0.0.1:")) {
    std::fprintf(stderr, "serve_bench: the server did not start\n");
    return 1;
  }
  const int port = std::atoi(server.first.c_str() + server.first.find("127.0.0.1:") + 10);
  const std::string address = "127.0.0.1:" + std::to_string(port);
  std::printf("serve_bench: %d projects, %d repositories, %d directories; server pid %d on %s\n",
              projects, repos, dirs, static_cast<int>(server.pid), address.c_str());
  std::fflush(stdout);
  // The server's stderr is drained so that its connect lines never fill the pipe.
  std::thread drain([fd = server.out] {
    char buf[4096];
    while (read(fd, buf, sizeof buf) > 0) {
    }
  });

  bool met = true;
  if (wanted("list")) {
    auto local = gum::bench::compare({{gum, "projects", "--cached"},
                                      {gum, "--remote", address, "projects", "--cached"}},
                                     env, 15);
    const double ratio = local[1].median_ms / local[0].median_ms;
    std::printf("list: projects --cached, %d projects: local %.1f ms, remote %.1f ms (median of "
                "15): ratio %.2f (target <= 2)%s\n",
                projects, local[0].median_ms, local[1].median_ms, ratio,
                local[0].failures + local[1].failures ? " (FAILED RUNS)" : "");
    met = met && ratio <= 2 && local[0].failures + local[1].failures == 0;
  }
  const std::string self = self_path();
  std::vector<std::string> loads = {"mixed", "full"};
  for (const char* kind : {"jump", "dirs", "search", "similar", "github", "github-lang", "list"})
    if (only == kind) loads = {kind};
  for (const auto& load : loads) {
    const char* mix = load.c_str();
    if (!wanted(mix) && loads.size() > 1) continue;
    std::printf("%s: %d clients for %.0f s\n", mix, clients, seconds);
    auto r = run_load(self, server.pid, port, clients, mix, seconds, names_file);
    std::printf("%s: %zu requests, %.0f reads/s%s, p50 %.2f ms, p99 %.2f ms%s, %lld failed\n",
                mix, r.requests, r.rate, std::string(mix) == "mixed" ? " (target >= 500)" : "",
                r.p50, r.p99, std::string(mix) == "mixed" ? " (target < 50)" : "",
                static_cast<long long>(r.failures));
    // CPU per request does not depend on what else runs on the machine: 2 cores give at most
    // 2000 ms of CPU per second, so the requests per second they could carry is 2000 / that.
    const double n = static_cast<double>(std::max<size_t>(r.requests, 1));
    std::printf("%s: CPU per request: server %.2f ms, clients %.2f ms; 2 idle cores: about "
                "%.0f reads/s\n",
                mix, r.server_cpu_ms / n, r.client_cpu_ms / n,
                2000.0 / ((r.server_cpu_ms + r.client_cpu_ms) / n));
    if (!r.started || r.failures) met = false;
    if (std::string(mix) == "mixed") met = met && r.rate >= 500 && r.p99 < 50;
    std::fflush(stdout);
  }
  if (wanted("sync")) {
    auto s = gum::bench::compare(
        {{gum, "sync"}, {gum, "--remote", address, "sync"}}, env, 7);
    std::printf("sync: incremental (all 304), %d repositories: local %.1f ms, remote %.1f ms "
                "(median of 7): ratio %.2f%s\n",
                repos, s[0].median_ms, s[1].median_ms, s[1].median_ms / s[0].median_ms,
                s[0].failures + s[1].failures ? " (FAILED RUNS)" : "");
    if (s[0].failures + s[1].failures) met = false;
  }
  stop_child(server);
  drain.join();
  stop_child(fixture);
  if (temporary) {
    std::error_code ec;
    fs::remove_all(home, ec);
  }
  std::printf("%s\n", met ? "all serve targets met" : "serve targets missed");
  return met ? 0 : 1;
}
