// cli/commands/stress.cpp: `gum stress`, the multi-process stress harness (SPEC §3.5).
//
// Parse, then run: the flags and the few environment variables the harness honours become one
// stress::stress_options; stress/harness.cpp does the rest. The command never starts an engine
// and never reads the user's config or database: every worker gets a workspace of its own.
//
// Environment read here (and nowhere else in the harness):
// - GUM_STRESS_WORKER_BINARY: the gum the workers run instead of this binary. A testing hook:
//   the harness's own tests point it at a deliberately broken wrapper.
// - PATH, TMPDIR, and ASAN_/UBSAN_/LSAN_OPTIONS, copied to the workers.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "cli/option_values.hpp"
#include "cli/signals.hpp"
#include "core/paths.hpp"
#include "stress/harness.hpp"

namespace gum::cli {

namespace {

struct stress_args {
  std::string scenario = "seed";
  int procs = 8;
  int iterations = 25;
  double duration = 60;
  std::string ops;
  double kill_rate = 0.3;
  int repos = 50;
  std::string dir;
  bool keep = false;
  std::string json;
  std::string max_p99;
};

// This executable's path (/proc/self/exe), or empty.
std::string self_path() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

status run_stress(invocation& inv, const stress_args& args) {
  stress::stress_options o;
  o.scenario = args.scenario;
  o.procs = args.procs;
  o.iterations = args.iterations;
  o.duration_s = args.duration;
  if (!args.ops.empty())
    if (auto st = stress::parse_ops(args.ops, o.ops); !st.ok()) return st;
  o.kill_rate = args.kill_rate;
  o.repos = args.repos;
  if (!args.dir.empty()) o.dir = normalize_path(args.dir, inv.env().home, inv.env().cwd);
  o.keep = args.keep;
  if (!args.json.empty()) o.json_file = normalize_path(args.json, inv.env().home, inv.env().cwd);
  if (!args.max_p99.empty())
    if (auto st = stress::parse_max_p99(args.max_p99, o.max_p99_ms); !st.ok()) return st;

  const std::string self = self_path();
  const auto& env = inv.env();
  o.worker_binary = env.variable("GUM_STRESS_WORKER_BINARY");
  if (o.worker_binary.empty()) o.worker_binary = self;
  if (!self.empty())
    o.fixture_server = (std::filesystem::path(self).parent_path() / "gum_fixture_server").string();
  if (auto e = env.variable("PATH"); !e.empty()) o.path_env = e;
  if (auto e = env.variable("TMPDIR"); !e.empty()) o.tmp_dir = e;
  for (const char* key : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (auto e = env.variable(key); !e.empty()) o.passthrough_env.push_back(std::string(key) + "=" + e);
  o.progress = isatty(STDERR_FILENO) && !inv.globals().quiet;
  if (auto st = stress::validate(o); !st.ok()) return st;
  // Ctrl-C or SIGTERM: the harness kills its workers and removes its workspace, then gum exits
  // 130 or 143. Without this, an interrupted run left its temporary workspace behind.
  signal_watcher signals;
  o.cancel = signals.flag().get();
  return signals.exit_status(stress::run_stress(o, std::cout, std::cerr));
}

}  // namespace

void register_stress(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<stress_args>();
  auto* sub = app.add_subcommand(
      "stress", "Run many gum processes against one scratch database and check nothing breaks");
  accept_only(sub->add_option("--scenario", args->scenario, "seed (default), mixed, crash or all"),
              "scenario", {"seed", "mixed", "crash", "all"});
  sub->add_option("--procs", args->procs, "Concurrent processes in mixed and crash (default 8)");
  sub->add_option("--iterations", args->iterations,
                  "Operations per process in mixed and crash (default 25)");
  sub->add_option("--duration", args->duration,
                  "Seconds the paced phase of seed lasts (default 60)");
  sub->add_option("--ops", args->ops,
                  "Op kinds to mix: read,refresh,add,sync,integrity (default all)");
  sub->add_option("--kill-rate", args->kill_rate,
                  "crash: probability that an operation is SIGKILLed (default 0.3)");
  sub->add_option("--repos", args->repos, "Repositories in the generated tree (default 50)");
  sub->add_option("--dir", args->dir, "Build the workspace here (a new or empty folder)");
  sub->add_flag("--keep", args->keep, "Keep the workspace and print its path");
  sub->add_option("--json", args->json, "Also write the report as JSON to FILE");
  sub->add_option("--max-p99-ms", args->max_p99,
                  "Fail when a p99 latency exceeds MS (for every op kind, or KIND=MS,...)");
  commands.push_back({sub, [args](invocation& inv) { return run_stress(inv, *args); }});
}

}  // namespace gum::cli
