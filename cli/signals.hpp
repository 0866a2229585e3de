// cli/signals.hpp: SIGINT and SIGTERM as a cancel flag, for the commands that can be stopped
// half-way (`gum sync`, `gum stress`).
//
// The constructor blocks both signals for the calling thread; threads started later (the actor
// system's, the harness's) inherit the mask, and one watcher thread takes the signals with
// sigwait. The first signal sets the flag, so the command stops promptly, undoes or removes
// what it must, and exits 130 (SIGINT) or 143 (SIGTERM); a second signal ends the process at
// once. sigwait instead of a handler: no async-signal-safety rules, and no global. Construct
// it before any other thread starts, and keep it alive until the command has cleaned up.
#pragma once

#include <signal.h>

#include <atomic>
#include <memory>
#include <thread>

#include "gum/messages.hpp"

namespace gum::cli {

class signal_watcher {
 public:
  signal_watcher();
  ~signal_watcher();
  signal_watcher(const signal_watcher&) = delete;
  signal_watcher& operator=(const signal_watcher&) = delete;

  /// Set by the first SIGINT or SIGTERM.
  std::shared_ptr<std::atomic<bool>> flag() const { return flag_; }
  /// The first signal received, or 0.
  int signal_number() const { return received_.load(); }
  /// `st` with an interrupted run reported as terminated when SIGTERM stopped it (exit 143).
  status exit_status(status st) const;

 private:
  void watch();

  std::shared_ptr<std::atomic<bool>> flag_;
  sigset_t set_;
  sigset_t old_mask_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> received_{0};
  std::thread thread_;
};

}  // namespace gum::cli
