// bench/bench_support.hpp: timing whole commands, the way a user runs them.
//
// Each benchmark runs gum and its reference alternately in the same run (so both see the same
// machine state) and reports medians and their ratio. Processes are started with posix_spawn;
// wait4 gives each one's peak RSS.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/process.hpp"

namespace gum::bench {

/// Deterministic, portable 64-bit generator.
struct splitmix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// A number in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }
  /// True with probability percent/100.
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  /// One element of a non-empty vector.
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};


struct sample {
  double ms = 0;
  long max_rss_kb = 0;
  int exit_code = -1;
};

/// Runs argv once with stdout/stderr to /dev/null and the given environment additions.
inline sample run_once(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  const spawn_args args(argv), envp(env);
  auto start = std::chrono::steady_clock::now();
  pid_t pid;
  sample s;
  if (posix_spawnp(&pid, argv[0].c_str(), &fa, nullptr, args.get(), envp.get()) != 0) return s;
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  s.max_rss_kb = usage.ru_maxrss;
  s.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  posix_spawn_file_actions_destroy(&fa);
  return s;
}

struct summary {
  double median_ms = 0;
  double min_ms = 0;
  long max_rss_kb = 0;
  int failures = 0;
};

inline summary summarize(std::vector<sample> samples) {
  summary out;
  std::vector<double> ms;
  for (auto& s : samples) {
    ms.push_back(s.ms);
    out.max_rss_kb = std::max(out.max_rss_kb, s.max_rss_kb);
    if (s.exit_code != 0) ++out.failures;
  }
  std::sort(ms.begin(), ms.end());
  if (!ms.empty()) {
    out.median_ms = ms[ms.size() / 2];
    out.min_ms = ms.front();
  }
  return out;
}

/// Runs each command `rounds` times, interleaved, after one warm-up run each.
inline std::vector<summary> compare(const std::vector<std::vector<std::string>>& commands,
                                    const std::vector<std::string>& env, int rounds) {
  std::vector<std::vector<sample>> samples(commands.size());
  for (auto& c : commands) run_once(c, env);
  for (int r = 0; r < rounds; ++r)
    for (size_t i = 0; i < commands.size(); ++i) samples[i].push_back(run_once(commands[i], env));
  std::vector<summary> out;
  for (auto& s : samples) out.push_back(summarize(std::move(s)));
  return out;
}

/// Copies a file and waits until it is on disk: a write into a page that is still being
/// written back waits for that writeback, which would charge a restore to the next timed run.
inline void copy_synced(const std::string& from, const std::string& to) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  int fd = open(to.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

inline void print_row(const char* name, const summary& s) {
  std::printf("  %-44s median %8.2f ms  min %8.2f ms  peak RSS %6ld KB%s\n", name, s.median_ms,
              s.min_ms, s.max_rss_kb, s.failures ? "  (FAILED RUNS)" : "");
}

}  // namespace gum::bench
