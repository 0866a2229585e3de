// stress/harness_process.hpp: how `gum stress` starts, watches, times and kills gum processes.
//
// Why it is built this way:
// - Every operation of a stress run is its own gum process, exactly what a user's shell runs,
//   started with posix_spawn (never fork: SPEC §1) with an explicit environment, so a worker can
//   never see the user's HOME, GUM_DB or GUM_CONFIG.
// - A "lane" is one simulated user: it runs its operations one after another. `--procs N` is N
//   lanes, so N gum processes really are hitting the database at the same moment.
// - One thread drives every lane: it polls a pidfd per child (the kernel says when it exits),
//   reaps it with wait4 (latency and peak RSS come from there), and delivers kills at their
//   chosen moment. No threads, no signal handlers, no globals.
// - Output goes to a per-lane file, read after the child exits, so a child never blocks on a
//   full pipe while the driver is busy elsewhere.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace gum::stress {

using clock_type = std::chrono::steady_clock;

/// One operation to run: an op kind and the gum arguments that perform it.
struct op_request {
  std::string kind;               ///< read, refresh, add, sync, integrity
  std::vector<std::string> args;  ///< arguments after the binary
  std::string add_path;           ///< the directory of an `add`, for the "nothing lost" check
};

/// What one finished (or killed) operation left behind.
struct op_result {
  op_request request;
  int lane = 0;
  double start_ms = 0;     ///< since the runner started
  double latency_ms = 0;   ///< spawn to reap
  int exit_code = -1;      ///< exit status; -1 when ended by a signal
  int term_signal = 0;     ///< the signal that ended it, or 0
  bool victim = false;     ///< chosen to be killed (crash), whether or not it was
  bool killed = false;     ///< ended by a SIGKILL the runner delivered (crash)
  bool timed_out = false;  ///< killed because it ran past the op timeout
  bool spawn_failed = false;
  long maxrss_kb = 0;  ///< wait4 ru_maxrss
  double cpu_ms = 0;   ///< user + system CPU time (wait4)
  std::string out;     ///< stdout
  std::string err;     ///< stderr
};

/// A sequence of operations run one after another, optionally paced.
struct lane {
  int count = 0;              ///< operations to run
  double first_delay_ms = 0;  ///< before the first one
  double interval_ms = 0;     ///< op i starts no earlier than first_delay + i * interval
  std::function<op_request(int index)> next;
};

/// When and how the runner kills its own children (the crash scenario).
struct kill_policy {
  double rate = 0;      ///< probability that an operation is chosen as a victim
  int tx_delay_ms = 0;  ///< GUM_TEST_TX_DELAY_MS given to victims
};

/// Everything the runner needs to start a gum process.
struct runner_config {
  std::string binary;            ///< the gum binary the workers run
  std::vector<std::string> env;  ///< KEY=VALUE, the whole environment of a worker
  std::string log_dir;           ///< per-lane output files go here
  int op_timeout_s = 120;        ///< an op running longer is killed and counted as failed
  kill_policy kills;
  uint64_t seed = 1;
  /// When set (SIGINT/SIGTERM), run() starts nothing more, SIGKILLs and reaps its children and
  /// returns without reporting them.
  const std::atomic<bool>* cancel = nullptr;
};

/// Runs lanes of gum processes concurrently and reports each finished operation.
class op_runner {
 public:
  explicit op_runner(runner_config config);

  /// Runs every lane to its end; `on_result` sees each operation as it finishes, and
  /// `on_tick` is called about every 250 ms (for a progress line). An operation that cannot
  /// be started is reported as a failed operation (spawn_failed), never silently skipped.
  void run(std::vector<lane>& lanes, const std::function<void(op_result&)>& on_result,
             const std::function<void()>& on_tick = {});

  /// SIGKILLs that reached a live process: kill() succeeded and the child died of SIGKILL.
  int64_t kills() const { return kills_; }

 private:
  runner_config config_;
  std::mt19937_64 rng_;
  std::map<std::string, double> typical_ms_;  ///< running latency estimate per kind (kill timing)
  int64_t kills_ = 0;
};

/// Runs one gum process to its end (setup steps and final checks: never killed).
op_result run_once(const runner_config& config, op_request request, int timeout_s = 300);

/// The 64-bit FNV-1a hash of `text` (what a read listed, in the report).
uint64_t fnv1a(const std::string& text);

}  // namespace gum::stress
