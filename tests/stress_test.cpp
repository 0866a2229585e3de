// tests/stress_test.cpp: `gum stress` (SPEC §3.5) is itself tested.
//
// A harness that always says PASS proves nothing, so most tests here break something on
// purpose and check that the run fails for the right reason: a worker that prints a truncated
// list (an inconsistency), a worker that exits 1 (success rate below 100 %), an impossible
// latency limit, a missing fixture server. The clean runs check the JSON report field by field,
// that the crash scenario really kills processes, and that the user's own database is never
// touched. Runs are short (a few dozen processes); the long measured runs are in
// docs/concurrency.md, not here.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <thread>

#include "tests/support/test_env.hpp"

namespace gum::testing {
namespace {

namespace json = boost::json;

#ifndef GUM_FIXTURE_SERVER
#error "GUM_FIXTURE_SERVER must be defined as the path of the gum_fixture_server binary"
#endif


// A test world whose temporary folder also holds the stress workspace (TMPDIR).
struct stress_world {
  test_env env;
  stress_world() { env.vars["TMPDIR"] = env.root(); }

  run_result stress(std::vector<std::string> args) const {
    args.insert(args.begin(), "stress");
    return env.gum(args, {}, 240);
  }

  // A worker wrapper: a shell script that runs the real gum, then misbehaves as `body` says.
  // $REAL is the real binary; "$@" the worker's arguments.
  std::string wrapper(const std::string& name, const std::string& body) const {
    std::string path = env.root() + "/" + name;
    test_env::write_file(path, "#!/bin/sh\nREAL='" + std::string(GUM_BINARY) + "'\n" + body);
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }

  json::object read_json(const std::string& path) const {
    boost::system::error_code ec;
    auto v = json::parse(test_env::read_file(path), ec);
    if (ec || !v.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << test_env::read_file(path).substr(0, 300);
      return {};
    }
    return v.as_object();
  }

  // Whatever is left in TMPDIR besides the test's own folders: a leaked workspace.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> out;
    for (auto& e : fs::directory_iterator(env.root()))
      if (e.path().filename().string().rfind("gum-stress-", 0) == 0) out.push_back(e.path());
    return out;
  }
};

// Every field SPEC §3.5 names, with the right type.
void expect_report_shape(const json::object& o) {
  for (const char* key : {"scenario", "ok", "kills", "inconsistencies", "integrity", "ops"})
    ASSERT_TRUE(o.contains(key)) << key;
  EXPECT_TRUE(o.at("scenario").is_string());
  EXPECT_TRUE(o.at("ok").is_bool());
  EXPECT_TRUE(o.at("kills").is_int64());
  EXPECT_TRUE(o.at("inconsistencies").is_int64());
  ASSERT_TRUE(o.at("integrity").is_object());
  EXPECT_TRUE(o.at("integrity").as_object().at("ok").is_bool());
  ASSERT_TRUE(o.at("ops").is_object());
  for (auto& [kind, v] : o.at("ops").as_object()) {
    ASSERT_TRUE(v.is_object()) << kind;
    auto& k = v.as_object();
    for (const char* key : {"count", "success_rate", "p50_ms", "p95_ms", "p99_ms", "max_ms",
                            "throughput_per_s", "busy_retries", "peak_rss_kb"})
      EXPECT_TRUE(k.contains(key)) << kind << "." << key;
    EXPECT_TRUE(k.at("count").is_int64()) << kind;
    EXPECT_TRUE(k.at("success_rate").is_number()) << kind;
    EXPECT_LE(json::value_to<double>(k.at("p50_ms")), json::value_to<double>(k.at("p95_ms")));
    EXPECT_LE(json::value_to<double>(k.at("p95_ms")), json::value_to<double>(k.at("p99_ms")));
    EXPECT_LE(json::value_to<double>(k.at("p99_ms")), json::value_to<double>(k.at("max_ms")));
  }
}

int64_t ops_count(const json::object& report, const std::string& kind) {
  auto& ops = report.at("ops").as_object();
  return ops.contains(kind) ? ops.at(kind).as_object().at("count").as_int64() : 0;
}

TEST(stress, clean_mixed_run_passes_and_reports_every_field_without_touching_the_users_db) {
  stress_world w;
  // The user's own database and config, which the harness must never open.
  const std::string user_db = w.env.root() + "/user.db";
  w.env.vars["GUM_DB"] = user_db;
  w.env.vars["GUM_CONFIG"] = w.env.root() + "/user-config.yaml";
  const std::string report = w.env.root() + "/report.json";
  auto r = w.stress({"--scenario", "mixed", "--procs", "3", "--iterations", "8", "--repos", "12",
                     "--json", report});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("result: PASS"), std::string::npos) << r.out;
  auto o = w.read_json(report);
  expect_report_shape(o);
  EXPECT_EQ(o.at("scenario").as_string(), "mixed");
  EXPECT_EQ(o.at("ok").as_bool(), true);
  EXPECT_EQ(o.at("inconsistencies").as_int64(), 0);
  EXPECT_EQ(o.at("kills").as_int64(), 0);
  EXPECT_EQ(o.at("integrity").as_object().at("ok").as_bool(), true);
  int64_t total = 0;
  for (auto& [kind, v] : o.at("ops").as_object()) {
    total += v.as_object().at("count").as_int64();
    EXPECT_EQ(json::value_to<double>(v.as_object().at("success_rate")), 1.0) << kind;
    EXPECT_GT(v.as_object().at("peak_rss_kb").as_int64(), 0) << kind;
  }
  EXPECT_EQ(total, 3 * 8);
  EXPECT_FALSE(fs::exists(user_db));
  EXPECT_FALSE(fs::exists(w.env.db_path()));
  EXPECT_TRUE(w.leftovers().empty()) << "the workspace was not removed";
}

TEST(stress, worker_printing_a_truncated_list_is_an_inconsistency_and_fails_the_run) {
  stress_world w;
  // Every `gum projects` prints only its first three lines.
  w.env.vars["GUM_STRESS_WORKER_BINARY"] = w.wrapper("truncating-gum", R"(
if [ "$1" = projects ]; then
  "$REAL" "$@" > "$0.out"; rc=$?
  head -n 3 "$0.out"; exit $rc
fi
exec "$REAL" "$@"
)");
  const std::string report = w.env.root() + "/report.json";
  auto r = w.stress({"--scenario", "mixed", "--ops", "read", "--procs", "2", "--iterations", "3",
                     "--repos", "10", "--json", report});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("inconsistent read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("gum: stress run failed"), std::string::npos) << r.err;
  auto o = w.read_json(report);
  expect_report_shape(o);
  EXPECT_EQ(o.at("ok").as_bool(), false);
  // Six reads in the run and the final read: every one of them was short.
  EXPECT_EQ(o.at("inconsistencies").as_int64(), 7);
  // The reads themselves exited 0: this is not a success-rate failure.
  EXPECT_EQ(
      json::value_to<double>(o.at("ops").as_object().at("read").as_object().at("success_rate")),
      1.0);
}

TEST(stress, worker_exiting_1_lowers_the_success_rate_and_fails_the_run) {
  stress_world w;
  // Every `gum add` fails.
  w.env.vars["GUM_STRESS_WORKER_BINARY"] = w.wrapper("failing-gum", R"(
if [ "$1" = add ]; then echo "gum: injected failure" >&2; exit 1; fi
exec "$REAL" "$@"
)");
  const std::string report = w.env.root() + "/report.json";
  auto r = w.stress({"--scenario", "mixed", "--ops", "read,add", "--procs", "2", "--iterations",
                     "10", "--repos", "10", "--json", report});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("add: success rate 0.00 %"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("injected failure"), std::string::npos) << r.out;
  auto o = w.read_json(report);
  expect_report_shape(o);
  EXPECT_EQ(o.at("ok").as_bool(), false);
  EXPECT_EQ(o.at("inconsistencies").as_int64(), 0);
  auto& ops = o.at("ops").as_object();
  // 20 random ops, 3 in 7 of them visits: the odds of no add at all are (4/7)^20 < 0.002 %.
  ASSERT_TRUE(ops.contains("add"));
  EXPECT_EQ(json::value_to<double>(ops.at("add").as_object().at("success_rate")), 0.0);
}

TEST(stress, crash_scenario_really_kills_workers_and_the_database_survives) {
  stress_world w;
  const std::string report = w.env.root() + "/report.json";
  auto r =
      w.stress({"--scenario", "crash", "--ops", "read,refresh,add", "--procs", "4", "--iterations",
                "12", "--kill-rate", "0.5", "--repos", "10", "--json", report});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto o = w.read_json(report);
  expect_report_shape(o);
  EXPECT_EQ(o.at("ok").as_bool(), true);
  EXPECT_EQ(o.at("integrity").as_object().at("ok").as_bool(), true);
  EXPECT_EQ(o.at("inconsistencies").as_int64(), 0);
  // 48 ops at rate 0.5: about 24 victims; a kill counts only when the child died of it.
  const int64_t kills = o.at("kills").as_int64();
  EXPECT_GT(kills, 0);
  int64_t killed = 0;
  for (auto& [kind, v] : o.at("ops").as_object()) killed += v.as_object().at("killed").as_int64();
  EXPECT_EQ(killed, kills);
  EXPECT_EQ(ops_count(o, "read") + ops_count(o, "refresh") + ops_count(o, "add") + kills, 48);
}

TEST(stress, seed_scenario_runs_its_three_phases_with_sync_against_the_fixture) {
  stress_world w;
  const std::string report = w.env.root() + "/report.json";
  auto r = w.stress({"--scenario", "seed", "--duration", "2", "--repos", "20", "--json", report});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto o = w.read_json(report);
  expect_report_shape(o);
  EXPECT_EQ(o.at("scenario").as_string(), "seed");
  // 5x20 + 3x120 reads, plus the reads among the 10x10 random ops.
  EXPECT_GE(ops_count(o, "read"), 460);
  EXPECT_GE(ops_count(o, "sync"), 2);
  EXPECT_GE(ops_count(o, "refresh"), 2);
  EXPECT_GE(ops_count(o, "integrity"), 2);
  // Phase 3 over 2 s: two paced refreshes, two syncs, an integrity check at 1 s and at 2 s.
  EXPECT_EQ(ops_count(o, "read") + ops_count(o, "refresh") + ops_count(o, "add") +
                ops_count(o, "sync") + ops_count(o, "integrity"),
            100 + 100 + 360 + 2 + 2 + 2);
}

TEST(stress, a_p99_above_the_limit_fails_the_run) {
  stress_world w;
  auto r = w.stress({"--scenario", "mixed", "--ops", "read", "--procs", "1", "--iterations", "2",
                     "--repos", "5", "--max-p99-ms", "read=0.001"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("read: p99"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exceeds --max-p99-ms 0.0"), std::string::npos) << r.out;
  // A generous limit on every kind passes.
  r = w.stress({"--scenario", "mixed", "--ops", "read", "--procs", "1", "--iterations", "2",
                "--repos", "5", "--max-p99-ms", "60000"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(stress, keep_leaves_the_workspace_in_dir_and_prints_its_path) {
  stress_world w;
  const std::string dir = w.env.root() + "/ws";
  auto r = w.stress({"--scenario", "mixed", "--ops", "read,add", "--procs", "1", "--iterations",
                     "3", "--repos", "5", "--dir", dir, "--keep"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("workspace kept: " + dir), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir + "/mixed/cache/gum/gum.db"));
  EXPECT_TRUE(fs::exists(dir + "/mixed/config/gum/config.yaml"));
  // A folder that is not empty is refused rather than filled.
  r = w.stress({"--scenario", "mixed", "--dir", dir});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("is not empty"), std::string::npos) << r.err;
}

TEST(stress, sync_without_the_fixture_server_is_not_available_and_fails) {
  stress_world w;
  // A copy of gum with no gum_fixture_server beside it.
  const std::string lone = w.env.root() + "/bin/gum";
  fs::create_directories(w.env.root() + "/bin");
  fs::copy_file(GUM_BINARY, lone);
  std::vector<std::string> argv{lone,        "stress",  "--scenario", "mixed",        "--ops",
                                "read,sync", "--procs", "1",          "--iterations", "1"};
  auto r = run_process(argv, w.env.environment(), {}, 120);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("sync is not available"), std::string::npos) << r.err;
  EXPECT_TRUE(w.leftovers().empty());
}

// Processes of this user whose environment names `home` as HOME: workers left running.
std::vector<int> workers_with_home(const std::string& home) {
  std::vector<int> pids;
  const std::string needle = std::string("HOME=") + home;
  for (auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string environ_text = test_env::read_file(e.path().string() + "/environ");
    for (size_t pos = 0; pos < environ_text.size();) {
      size_t end = environ_text.find('\0', pos);
      if (end == std::string::npos) end = environ_text.size();
      if (environ_text.compare(pos, end - pos, needle) == 0) pids.push_back(std::stoi(name));
      pos = end + 1;
    }
  }
  return pids;
}

// Ctrl-C (or SIGTERM) in the middle of a run: workers are killed, the workspace goes, and gum
// exits 130 (or 143). Before, an interrupted run left its whole workspace in TMPDIR.
TEST(stress, an_interrupted_run_kills_its_workers_and_removes_its_workspace) {
  stress_world w;
  for (int sig : {SIGINT, SIGTERM}) {
    const std::string dir = w.env.root() + "/ws-" + std::to_string(sig);
    const std::string err_file = w.env.root() + "/stress.err";
    std::vector<std::string> argv{GUM_BINARY,   "stress",  "--scenario", "mixed", "--ops",
                                  "read,add",   "--procs", "2",          "--iterations",
                                  "100000",     "--repos", "5",          "--dir", dir};
    pid_t pid = start_process(argv, w.env.environment(), {}, err_file);
    ASSERT_GT(pid, 0);
    // Wait until the second lane has started (its log file is made when its first op starts).
    const std::string lane_log = dir + "/mixed/logs/lane-1.out";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && !fs::exists(lane_log))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(fs::exists(lane_log)) << test_env::read_file(err_file);
    // A worker between exec and its first read, or both lanes between two ops, shows none:
    // look again until one is seen running.
    std::vector<int> running;
    while (std::chrono::steady_clock::now() < deadline &&
           (running = workers_with_home(dir + "/mixed/home")).empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_FALSE(running.empty()) << "no worker was running";
    kill(pid, sig);
    auto status = wait_exit(pid, 20000);
    if (!status) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      FAIL() << "gum stress did not stop after signal " << sig;
    }
    ASSERT_TRUE(WIFEXITED(*status)) << "died of signal " << WTERMSIG(*status);
    EXPECT_EQ(WEXITSTATUS(*status), 128 + sig) << test_env::read_file(err_file);
    EXPECT_NE(test_env::read_file(err_file).find("gum: interrupted"), std::string::npos)
        << test_env::read_file(err_file);
    EXPECT_TRUE(workers_with_home(dir + "/mixed/home").empty()) << "a worker outlived the run";
    EXPECT_FALSE(fs::exists(dir)) << "the workspace was left behind";
  }
  EXPECT_TRUE(w.leftovers().empty());
}

TEST(stress, bad_flags_are_usage_errors) {
  stress_world w;
  const std::vector<std::vector<std::string>> bad = {
      {"--scenario", "chaos"},
      {"--procs", "0"},
      {"--procs", "many"},
      {"--iterations", "0"},
      {"--duration", "0"},
      {"--duration", "-5"},
      {"--ops", "read,write"},
      {"--ops", ","},
      {"--kill-rate", "0"},
      {"--kill-rate", "1.5"},
      {"--repos", "0"},
      {"--max-p99-ms", "fast"},
      {"--max-p99-ms", "read=-1"},
      {"--max-p99-ms", "jump=5"},
      {"--bogus"},
  };
  for (auto& args : bad) {
    auto r = w.stress(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << (args.size() > 1 ? args[1] : "") << "\n"
                              << r.err;
    EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_TRUE(w.leftovers().empty());
}

}  // namespace
}  // namespace gum::testing
