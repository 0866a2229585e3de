// bench/serve_bench.cpp: `gum serve` capacity (docs/serve.md, issue 18).
//
//   serve_bench GUM GEN_TREE [--projects N] [--clients C] [--seconds S]
// 1. builds a tree of N projects (default 10 000) in a temporary HOME and indexes it locally;
// 2. starts `gum serve --port 0` on that database;
// 3. one client: `gum --remote … projects --cached` against the local `gum projects --cached`
//    (median of 15 process runs each; the ratio; target <= 2x);
// 4. C in-process clients (default 16) sending mixed reads (a projects search with a limit, a
//    dirs query, a github listing, the full projects list one time in ten) for S seconds:
//    reads/s, p50/p99 latency and failures (targets >= 500/s, p99 < 50 ms, 0 failed).
// Exit 1 when a target is missed.
#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.hpp"
#include "gum/remote.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> environment_for(const std::string& home) {
  return {"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config",
          "XDG_CACHE_HOME=" + home + "/.cache", "PATH=/usr/bin:/bin"};
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: serve_bench GUM GEN_TREE [--projects N] [--clients C] "
                         "[--seconds S]\n");
    return 2;
  }
  const std::string gum = argv[1], gen_tree = argv[2];
  int projects = 10000, clients = 16;
  double seconds = 5;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--projects") projects = std::atoi(argv[i + 1]);
    if (a == "--clients") clients = std::atoi(argv[i + 1]);
    if (a == "--seconds") seconds = std::atof(argv[i + 1]);
  }
  std::string tmpl = (fs::temp_directory_path() / "gum-serve-bench-XXXXXX").string();
  const std::string home = mkdtemp(tmpl.data());
  fs::create_directories(home + "/.config/gum");
  std::ofstream(home + "/.config/gum/config.yaml") << "projects: [" << home << "/projects]\n";
  const auto env = environment_for(home);
  if (gum::bench::run_once({gen_tree, home + "/projects", std::to_string(projects)}, env)
          .exit_code != 0 ||
      gum::bench::run_once({gum, "projects", "--refresh"}, env).exit_code != 0) {
    std::fprintf(stderr, "serve_bench: cannot build the test tree\n");
    return 1;
  }
  for (int i = 0; i < 200; ++i)
    gum::bench::run_once({gum, "add", home + "/projects/d" + std::to_string(i)}, env);

  // The server, its port read from its stderr.
  int fds[2];
  if (pipe(fds) != 0) return 1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  const gum::spawn_args sargs(std::vector<std::string>{gum, "serve", "--port", "0"});
  const gum::spawn_args senv(env);
  pid_t server = -1;
  posix_spawn(&server, gum.c_str(), &fa, nullptr, sargs.get(), senv.get());
  close(fds[1]);
  std::string line;
  int port = 0;
  char c;
  while (read(fds[0], &c, 1) == 1) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (auto at = line.find("listening on 127.0.0.1:"); at != std::string::npos) {
      port = std::atoi(line.c_str() + at + 23);
      break;
    }
    line.clear();
  }
  if (port == 0) {
    std::fprintf(stderr, "serve_bench: the server did not start\n");
    return 1;
  }
  const std::string address = "127.0.0.1:" + std::to_string(port);

  // 3. One client against the local cached read.
  auto local = gum::bench::compare({{gum, "projects", "--cached"},
                                    {gum, "--remote", address, "projects", "--cached"}},
                                   env, 15);
  const double ratio = local[1].median_ms / local[0].median_ms;
  std::printf("projects --cached, %d projects: local %.1f ms, remote %.1f ms (median of 15): "
              "ratio %.2f (target <= 2)\n",
              projects, local[0].median_ms, local[1].median_ms, ratio);

  // 4. Concurrent in-process clients.
  caf::actor_system_config cfg;
  gum::add_message_types(cfg);
  cfg.load<caf::io::middleman>();
  caf::actor_system system{cfg};
  auto remote = system.middleman().remote_actor<gum::remote_engine_actor>("127.0.0.1",
                                                                          static_cast<uint16_t>(port));
  if (!remote) {
    std::fprintf(stderr, "serve_bench: %s\n", caf::to_string(remote.error()).c_str());
    return 1;
  }
  std::atomic<int64_t> failures{0};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      caf::scoped_actor self{system};
      for (int i = 0; std::chrono::steady_clock::now() < end; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        bool ok = false;
        auto fail = [&](caf::error&) { ok = false; };
        const auto timeout = std::chrono::seconds(10);
        switch ((i + t) % 10) {
          case 0: {  // the whole list
            gum::project_query q;
            q.build_if_missing = false;
            self->request(*remote, timeout, gum::projects_atom::value, q)
                .receive([&](gum::projects_reply&) { ok = true; }, fail);
            break;
          }
          case 1: case 2: case 3: case 4: {  // a search with a limit
            gum::project_query q;
            q.search = "d" + std::to_string(i % 50);
            q.limit = 20;
            q.build_if_missing = false;
            self->request(*remote, timeout, gum::projects_atom::value, q)
                .receive([&](gum::projects_reply&) { ok = true; }, fail);
            break;
          }
          case 5: case 6: case 7: {  // dirs / jump
            gum::dir_query q;
            q.limit = 10;
            self->request(*remote, timeout, gum::dirs_atom::value, q)
                .receive([&](std::vector<gum::dir_entry>&) { ok = true; }, fail);
            break;
          }
          default: {  // github
            gum::github_query q;
            q.limit = 20;
            self->request(*remote, timeout, gum::github_atom::value, q)
                .receive([&](std::vector<gum::github_repo>&) { ok = true; }, fail);
          }
        }
        if (!ok) ++failures;
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
      }
    });
  for (auto& th : threads) th.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const double rate = static_cast<double>(all.size()) / elapsed;
  const double p99 = percentile(all, 0.99);
  std::printf("%d clients, mixed reads for %.1f s: %zu requests, %.0f reads/s (target >= 500), "
              "p50 %.2f ms, p99 %.2f ms (target < 50), %lld failed\n",
              clients, elapsed, all.size(), rate, percentile(all, 0.5), p99,
              static_cast<long long>(failures.load()));
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::error_code ec;
  fs::remove_all(home, ec);
  const bool met = ratio <= 2 && rate >= 500 && p99 < 50 && failures == 0;
  std::printf("%s\n", met ? "all serve targets met" : "serve targets missed");
  return met ? 0 : 1;
}
