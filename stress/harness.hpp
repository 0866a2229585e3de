// stress/harness.hpp: `gum stress`, the multi-process stress harness (SPEC §3.5).
//
// What a run proves: any number of gum processes can use one database at once without losing
// or corrupting anything. Each scenario builds an isolated workspace (its own HOME, XDG
// folders, config, database, a generated tree of Git repositories and, when `sync` is among the
// ops, the loopback GitHub fixture server), runs lanes of real gum processes against it (see
// harness_process.hpp), checks every read against the ground truth the generator knows, and
// ends with `gum integrity` and "nothing acknowledged was lost" checks.
//
// The CLI (cli/commands/stress.cpp) turns flags and the few environment variables it honours
// into stress_options; nothing here reads the environment, so a test can point the harness at
// any worker binary.
#pragma once

#include <atomic>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "gum/messages.hpp"

namespace gum::stress {

/// Every op kind a run can exercise, in report order.
const std::vector<std::string>& all_op_kinds();

/// The settings of one `gum stress` invocation, with its defaults.
struct stress_options {
  std::string scenario = "seed";  ///< seed, mixed, crash or all
  int procs = 8;                  ///< lanes in mixed and crash (seed has fixed lanes)
  int iterations = 25;            ///< operations per lane in mixed and crash
  double duration_s = 60;         ///< seed: the paced phase lasts this long
  std::vector<std::string> ops = all_op_kinds();
  double kill_rate = 0.3;                    ///< crash: probability that an op is SIGKILLed
  int repos = 50;                            ///< repositories in the generated tree
  std::string dir;                           ///< workspace parent; empty: a fresh temporary folder
  bool keep = false;                         ///< keep the workspace and print its path
  std::string json_file;                     ///< write the JSON report here
  std::map<std::string, double> max_p99_ms;  ///< p99 limit by op kind; "*" for every kind
  int tx_delay_ms = 25;                      ///< crash: how long victims hold a transaction open

  // From the environment of the `gum stress` process (see cli/commands/stress.cpp).
  std::string worker_binary;                 ///< the gum the workers run (normally this binary)
  std::string fixture_server;                ///< gum_fixture_server; empty or missing: no sync
  std::string path_env = "/usr/bin:/bin";    ///< PATH given to workers
  std::string tmp_dir = "/tmp";              ///< where the temporary workspace goes
  std::vector<std::string> passthrough_env;  ///< KEY=VALUE copied to workers (sanitizer options)
  bool progress = false;                     ///< a progress line on stderr (when it is a TTY)
  /// Set by SIGINT/SIGTERM: the run kills its workers, removes the workspace (unless --keep)
  /// and returns status_code::interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

/// Parses "read,add,..." into `out`; exit-2 status for an empty list or an unknown kind.
status parse_ops(const std::string& text, std::vector<std::string>& out);

/// Parses "--max-p99-ms": a number for every kind, or "KIND=MS,..." per kind.
status parse_max_p99(const std::string& text, std::map<std::string, double>& out);

/// Checks ranges and combinations (exit 2 on a bad value).
status validate(const stress_options& options);

/// Runs the scenario(s): prints the table(s) on `out` (and progress on `err`), writes the JSON
/// report when asked. Succeeds only when every criterion of SPEC §3.5 holds; a failed run is
/// status_code::failure (exit 1) naming the first reason.
status run_stress(const stress_options& options, std::ostream& out, std::ostream& err);

}  // namespace gum::stress
