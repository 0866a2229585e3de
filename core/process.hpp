// core/process.hpp: starting programs (SPEC §1: processes are started with posix_spawn, never
// fork): the argument arrays and default signals every posix_spawn call in gum's front end,
// harness, tests and benchmarks needs, and run_capture for a program whose output gum reads.
#pragma once

#include <signal.h>
#include <spawn.h>

#include <optional>
#include <string>
#include <vector>

namespace gum {

/// An argv or envp array for posix_spawn: pointers into `strings`, then a null. `strings`
/// must outlive it and stay unchanged.
class spawn_args {
 public:
  explicit spawn_args(const std::vector<std::string>& strings) {
    pointers_.reserve(strings.size() + 1);
    for (const auto& s : strings) pointers_.push_back(const_cast<char*>(s.c_str()));
    pointers_.push_back(nullptr);
  }
  char* const* get() const { return pointers_.data(); }

 private:
  std::vector<char*> pointers_;
};

/// Initialises `attr` so that the child starts with no signal blocked and SIGINT, SIGTERM,
/// SIGHUP, SIGPIPE and SIGCHLD at their defaults, whatever this process blocks or ignores
/// (a signal-watching thread blocks SIGINT/SIGTERM; clone ignores them while git runs).
/// posix_spawnattr_destroy it after use.
inline void init_default_signals(posix_spawnattr_t& attr) {
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

/// Runs `args` (args[0] looked up in PATH) without a shell and returns its standard output
/// (at most 64 KB), or nullopt when it cannot start, exits non-zero or runs past 10 s (it is
/// then killed). Standard input and error are /dev/null.
std::optional<std::string> run_capture(const std::vector<std::string>& args);

/// The first regular, executable file `name` (a bare name: one with a slash is "") in the colon-separated `path_var` (an empty
/// entry is the working directory), or "" when there is none: a missing program can be named
/// in a clear error before anything is started.
std::string find_program(const std::string& name, const std::string& path_var);

}  // namespace gum
