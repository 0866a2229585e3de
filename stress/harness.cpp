// stress/harness.cpp: the scenarios of `gum stress` and their checks (see harness.hpp).
//
// Why it is built this way:
// - The tree never changes during a run, so there is exactly one committed project list a
//   read may return after the index was first built: the generator's ground truth. (A read that
//   races the very first build builds the index itself before answering, so it must be complete
//   too.) Every successful `read` and `refresh` is compared byte for byte with it; anything
//   else (partial, duplicated, mixed) is an inconsistency.
// - Every `gum add` that exited 0 was acknowledged as committed: at the end its directory must
//   be in `gum dirs -f json` with at least that many visits. That is the "nothing acknowledged
//   is lost" check, and in the crash scenario it is what SIGKILL must not break.
// - Busy retries come from the workers themselves: with GUM_STRESS_STATS=1 each gum process
//   prints `gum: stats: busy_retries=N` on exit (cli/invocation.cpp).
// - The fixture server is started with posix_spawn on port 0 and dies with its parent; a
//   setup `gum sync --type full` (not measured) learns its repository names, so the tree's
//   remotes point at repositories that later syncs link.
#include "stress/harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "stress/harness_process.hpp"
#include "core/process.hpp"
#include "core/text.hpp"
#include "stress/harness_report.hpp"
#include "stress/harness_tree.hpp"

namespace gum::stress {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int fixture_repos = 200;
constexpr const char* stats_prefix = "gum: stats: busy_retries=";

bool cancelled(const stress_options& o) { return o.cancel != nullptr && o.cancel->load(); }

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

bool parse_number(const std::string& text, double& out) {
  try {
    size_t used = 0;
    out = std::stod(text, &used);
    return used == text.size() && std::isfinite(out);
  } catch (const std::exception&) {
    return false;
  }
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The busy retries a worker reported, and its stderr without that line.
int64_t take_busy_retries(std::string& err) {
  auto at = err.find(stats_prefix);
  if (at == std::string::npos) return 0;
  auto end = err.find('\n', at);
  int64_t n = std::atoll(err.c_str() + at + std::char_traits<char>::length(stats_prefix));
  err.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
  return n;
}

// Counts and removes the lines the writer's test hook prints (GUM_TEST_TX_DELAY_MS): true
// when the process entered a write transaction it did not commit.
bool take_tx_markers(std::string& err) {
  int open = 0;
  std::string kept;
  size_t pos = 0;
  while (pos < err.size()) {
    auto end = err.find('\n', pos);
    auto line = err.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? err.size() : end + 1;
    if (line == "gum: test: in write transaction")
      ++open;
    else if (line == "gum: test: committed")
      --open;
    else
      kept += line + "\n";
  }
  err = kept;
  return open > 0;
}

// The first line of stderr, for a failure message.
std::string first_line(const std::string& text) {
  std::string line(trim(std::string_view(text).substr(0, text.find('\n'))));
  return line.empty() ? "(no message)" : line;
}

std::string describe_failure(const op_result& r) {
  if (r.spawn_failed) return first_line(r.err);
  if (r.timed_out) return "timed out";
  if (r.term_signal) return "killed by signal " + std::to_string(r.term_signal);
  return "exit " + std::to_string(r.exit_code) + ": " + first_line(r.err);
}

size_t count_lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// How often a random op is of this kind, relative to the others: reads are what users run
// most, then visits (every `cd`), then the heavier refresh, sync and integrity.
int op_weight(const std::string& kind) {
  if (kind == "read") return 4;
  if (kind == "add") return 3;
  return 1;
}

// ---- the fixture server --------------------------------------------------------------------

// A gum_fixture_server child on a free loopback port; SIGTERMed and reaped on destruction.
class fixture_process {
 public:
  fixture_process() = default;
  fixture_process(const fixture_process&) = delete;
  fixture_process& operator=(const fixture_process&) = delete;
  ~fixture_process() { stop(); }

  status start(const std::string& binary, const std::string& err_path) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return status::fail(status_code::failure, "cannot make a pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<std::string> argv{binary,   "--port", "0", "--repos", std::to_string(fixture_repos),
                                  "--seed", "7"};
    const spawn_args args(argv), no_env({});
    posix_spawnattr_t attr;
    init_default_signals(attr);
    int rc = posix_spawn(&pid_, binary.c_str(), &actions, &attr, args.get(), no_env.get());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      pid_ = -1;
      return status::fail(status_code::failure,
                          "cannot start " + binary + ": " + std::strerror(rc));
    }
    // Read "port=N\n" within 10 s.
    std::string line;
    auto deadline = clock_type::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
      pollfd p{fds[0], POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[64];
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);
    if (line.rfind("port=", 0) != 0)
      return status::fail(status_code::failure,
                          "the fixture server did not report its port (see " + err_path + ")");
    port_ = std::atoi(line.c_str() + 5);
    return status::success();
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// ---- one scenario --------------------------------------------------------------------------

// Quotes `s` as a YAML double-quoted scalar.
std::string yaml_quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

class scenario_run {
 public:
  scenario_run(const stress_options& options, std::string name, std::string root, std::ostream& err)
      : options_(options), root_(std::move(root)), err_(err), rng_(std::random_device{}()) {
    report_.scenario = std::move(name);
  }

  // Makes the workspace, starts the fixture server, generates the tree.
  status setup() {
    std::error_code ec;
    home_ = root_ + "/home";
    logs_ = root_ + "/logs";
    for (auto dir : {home_ + "/projects", root_ + "/gitdirs", root_ + "/config/gum",
                     root_ + "/cache", root_ + "/data", root_ + "/state", root_ + "/tmp", logs_}) {
      fs::create_directories(dir, ec);
      if (ec)
        return status::fail(status_code::permission, "cannot create " + dir + ": " + ec.message());
    }
    db_ = root_ + "/cache/gum/gum.db";
    {
      std::ofstream cfg(root_ + "/config/gum/config.yaml");
      cfg << "# written by gum stress\n"
          << "projects: [" << yaml_quote(home_ + "/projects") << "]\n"
          << "github: {token_command: /bin/false}\n";
      if (!cfg.flush())
        return status::fail(status_code::permission, "cannot write the workspace config");
    }
    const bool wants_sync = contains(options_.ops, "sync");
    if (wants_sync) {
      if (options_.fixture_server.empty() || access(options_.fixture_server.c_str(), X_OK) != 0)
        return status::fail(
            status_code::failure,
            "sync is not available: the loopback fixture server " +
                (options_.fixture_server.empty() ? std::string("gum_fixture_server")
                                                 : options_.fixture_server) +
                " was not found next to gum",
            "build gum_fixture_server (part of the gum build), or leave sync out of --ops");
      if (auto st = fixture_.start(options_.fixture_server, logs_ + "/fixture.err"); !st.ok())
        return st;
    }
    config_.binary = options_.worker_binary;
    config_.log_dir = logs_;
    config_.seed = rng_();
    config_.cancel = options_.cancel;
    config_.env = {"HOME=" + home_,
                   "XDG_CONFIG_HOME=" + root_ + "/config",
                   "XDG_CACHE_HOME=" + root_ + "/cache",
                   "XDG_DATA_HOME=" + root_ + "/data",
                   "XDG_STATE_HOME=" + root_ + "/state",
                   "TMPDIR=" + root_ + "/tmp",
                   "GUM_DB=" + db_,
                   "GH_TOKEN=gum-stress-token",
                   "PATH=" + options_.path_env,
                   "NO_COLOR=1",
                   "GUM_STRESS_STATS=1"};
    if (wants_sync)
      config_.env.push_back("GUM_GITHUB_API_URL=http://127.0.0.1:" +
                            std::to_string(fixture_.port()));
    for (auto& e : options_.passthrough_env) config_.env.push_back(e);

    std::vector<std::string> names;
    if (wants_sync) {
      // Learn the fixture's repository names (this sync is setup, not measured).
      auto synced = run_once(config_, op_request{"setup", {"sync", "--type", "full"}, {}});
      if (synced.exit_code != 0)
        return status::fail(
            status_code::failure,
            "setup: gum sync against the fixture server failed: " + describe_failure(synced));
      auto listed = run_once(config_, op_request{"setup", {"github", "-f", "json"}, {}});
      boost::system::error_code jec;
      auto v = json::parse(listed.out, jec);
      if (listed.exit_code != 0 || jec || !v.is_array())
        return status::fail(status_code::failure,
                            "setup: gum github -f json failed: " + describe_failure(listed));
      for (auto& item : v.as_array())
        if (auto* o = item.if_object();
            o && o->contains("full_name") && o->at("full_name").is_string())
          names.emplace_back(o->at("full_name").as_string().c_str());
    }
    try {
      truth_ = generate_tree(home_ + "/projects", root_ + "/gitdirs", options_.repos, names);
    } catch (const std::exception& e) {
      return status::fail(status_code::permission,
                          std::string("cannot generate the tree: ") + e.what());
    }
    expected_ = expected_listing(truth_);
    return status::success();
  }

  // A random op from --ops: reads most, then visits, then the heavier kinds.
  op_request random_op() {
    int total = 0;
    for (auto& k : options_.ops) total += op_weight(k);
    int pick = std::uniform_int_distribution<int>(0, total - 1)(rng_);
    for (auto& k : options_.ops) {
      pick -= op_weight(k);
      if (pick < 0) return op_of(k);
    }
    return op_of(options_.ops.front());
  }

  op_request op_of(const std::string& kind) {
    if (kind == "read") return {kind, {"projects", "-f", "simple"}, {}};
    if (kind == "refresh") return {kind, {"projects", "--refresh", "-f", "simple"}, {}};
    if (kind == "sync") return {kind, {"sync"}, {}};
    if (kind == "integrity") return {kind, {"integrity", "--format", "json"}, {}};
    auto& targets = truth_.visit_targets;
    auto path = targets[std::uniform_int_distribution<size_t>(0, targets.size() - 1)(rng_)];
    return {"add", {"add", path}, path};
  }

  // Runs one phase: its lanes concurrently, every result accounted.
  void run_phase(const std::string& label, std::vector<lane> lanes, kill_policy kills = {}) {
    runner_config c = config_;
    c.kills = kills;
    c.seed = rng_();
    op_runner runner(std::move(c));
    int total = 0;
    for (auto& l : lanes) total += l.count;
    int done = 0;
    auto tick = [&] {
      if (!options_.progress) return;
      err_ << "\r\033[Kgum stress: " << report_.scenario << " " << label << ": " << done << "/"
           << total << " ops, " << failures_ << " failed, " << report_.inconsistencies
           << " inconsistent, " << report_.kills + runner.kills() << " kills" << std::flush;
    };
    runner.run(
        lanes,
        [&](op_result& r) {
          ++done;
          account(r);
        },
        tick);
    report_.kills += runner.kills();
    if (options_.progress) err_ << "\r\033[K" << std::flush;
  }

  // Lanes of `count` random ops each.
  std::vector<lane> random_lanes(int lanes, int count) {
    std::vector<lane> out(static_cast<size_t>(lanes));
    for (auto& l : out) {
      l.count = count;
      l.next = [this](int) { return random_op(); };
    }
    return out;
  }

  lane fixed_lane(const std::string& kind, int count, double first_delay_ms, double interval_ms) {
    lane l;
    l.count = count;
    l.first_delay_ms = first_delay_ms;
    l.interval_ms = interval_ms;
    l.next = [this, kind](int) { return op_of(kind); };
    return l;
  }

  void run_seed() {
    // 1. Five readers, twenty reads each, on an index that was never built.
    std::vector<lane> first;
    for (int i = 0; i < 5; ++i) first.push_back(fixed_lane("read", 20, 0, 0));
    run_phase("1/3 (5x20 reads)", std::move(first));
    if (cancelled(options_)) return;
    // 2. Ten lanes of ten random ops.
    run_phase("2/3 (10x10 random ops)", random_lanes(10, 10));
    if (cancelled(options_)) return;
    // 3. Three paced readers over the duration, with refreshes, syncs and integrity checks
    //    running alongside.
    const double span_ms = options_.duration_s * 1000.0;
    std::vector<lane> paced;
    for (int i = 0; i < 3; ++i) paced.push_back(fixed_lane("read", 120, 0, span_ms / 120.0));
    if (contains(options_.ops, "refresh")) {
      int n = std::max(2, static_cast<int>(options_.duration_s / 3));
      paced.push_back(fixed_lane("refresh", n, 0, span_ms / n));
    }
    if (contains(options_.ops, "sync")) {
      int n = std::max(2, static_cast<int>(options_.duration_s / 5));
      paced.push_back(fixed_lane("sync", n, 0, span_ms / n));
    }
    if (contains(options_.ops, "integrity")) {
      double every = std::min(30000.0, span_ms / 2);
      int n = std::max(1, static_cast<int>(span_ms / every));
      paced.push_back(fixed_lane("integrity", n, every, every));
    }
    run_phase("3/3 (3x120 paced reads)", std::move(paced));
  }

  void run_mixed() { run_phase("", random_lanes(options_.procs, options_.iterations)); }

  void run_crash() {
    run_phase("", random_lanes(options_.procs, options_.iterations),
              kill_policy{options_.kill_rate, options_.tx_delay_ms});
  }

  // After the load: integrity, the ground truth, nothing acknowledged lost.
  void final_checks() {
    auto audit = run_once(config_, op_request{"integrity", {"integrity", "--format", "json"}, {}});
    take_busy_retries(audit.err);
    boost::system::error_code jec;
    auto v = json::parse(audit.out, jec);
    bool audit_ok = audit.exit_code == 0 && !jec && v.is_object() && v.as_object().contains("ok") &&
                    v.as_object().at("ok") == true;
    if (!audit_ok) {
      report_.integrity_ok = false;
      std::string failed;
      if (!jec && v.is_object() && v.as_object().contains("checks"))
        for (auto& c : v.as_object().at("checks").as_array())
          if (c.is_object() && c.as_object().at("ok") != true)
            failed += " " + json::value_to<std::string>(c.as_object().at("name"));
      add_reason("final integrity check failed:" +
                 (failed.empty() ? " " + describe_failure(audit) : failed));
    }

    // A crash run must be rebuilt from the tree by a fresh refresh; the others are read.
    const bool crash = report_.scenario == "crash";
    auto listing = run_once(config_, crash ? op_of("refresh") : op_of("read"));
    if (listing.exit_code != 0) {
      add_reason(std::string("final ") + (crash ? "refresh" : "read") +
                 " failed: " + describe_failure(listing));
    } else if (listing.out != expected_) {
      ++report_.inconsistencies;
      add_reason(std::string("final ") + (crash ? "refresh" : "read") + " listed " +
                 std::to_string(count_lines(listing.out)) + " projects, the tree has " +
                 std::to_string(truth_.projects.size()));
    }

    if (acknowledged_.empty()) return;
    // Aging (total rank past 10 000) may rescale and drop ranks: the check is exact below it.
    if (visits_attempted_ > 9000) return;
    auto dirs = run_once(config_, op_request{"dirs", {"dirs", "-f", "json"}, {}});
    auto d = json::parse(dirs.out, jec);
    if (dirs.exit_code != 0 || jec || !d.is_array()) {
      add_reason("final `gum dirs -f json` failed: " + describe_failure(dirs));
      return;
    }
    std::map<std::string, double> ranks;
    for (auto& e : d.as_array()) {
      if (!e.is_object()) continue;
      auto& o = e.as_object();
      if (o.contains("path") && o.contains("rank") && o.at("path").is_string())
        ranks[std::string(o.at("path").as_string().c_str())] = json::value_to<double>(o.at("rank"));
    }
    int64_t lost = 0;
    std::string example;
    for (auto& [path, n] : acknowledged_) {
      auto it = ranks.find(path);
      double rank = it == ranks.end() ? 0 : it->second;
      if (rank + 1e-9 < static_cast<double>(n)) {
        ++lost;
        if (example.empty())
          example = path + " has rank " + std::to_string(rank) + " after " + std::to_string(n) +
                    " acknowledged visits";
      }
    }
    if (lost > 0) {
      report_.inconsistencies += lost;
      add_reason("acknowledged visits lost in " + std::to_string(lost) + " directories (e.g. " +
                 example + ")");
    }
  }

  scenario_report& report() { return report_; }
  size_t tree_size() const { return truth_.projects.size(); }

 private:
  void add_reason(std::string line) { report_.reasons.push_back(std::move(line)); }

  // Records one finished op: statistics, consistency, acknowledged visits.
  void account(op_result& r) {
    const auto& kind = r.request.kind;
    auto& k = report_.ops[kind];
    if (kind == "add") ++visits_attempted_;
    const bool inside_tx = take_tx_markers(r.err);
    if (r.killed) {
      ++k.killed;
      if (inside_tx) ++report_.kills_in_tx;
      return;
    }
    ++k.count;
    k.latencies_ms.push_back(r.latency_ms);
    k.cpu_ms.push_back(r.cpu_ms);
    k.peak_rss_kb = std::max(k.peak_rss_kb, r.maxrss_kb);
    k.busy_retries += take_busy_retries(r.err);
    const bool success = !r.spawn_failed && !r.timed_out && r.exit_code == 0;
    if (!success) {
      ++failures_;
      if (kind == "integrity") report_.integrity_ok = false;
      if (!failure_seen_[kind]) {
        failure_seen_[kind] = true;
        add_reason("first " + kind + " failure (lane " + std::to_string(r.lane) + " at " +
                   std::to_string(static_cast<int64_t>(r.start_ms)) +
                   " ms): " + describe_failure(r));
      }
      return;
    }
    ++k.successes;
    if ((kind == "read" || kind == "refresh") && r.out != expected_) {
      ++report_.inconsistencies;
      if (report_.inconsistencies <= 3)
        add_reason("inconsistent " + kind + " (lane " + std::to_string(r.lane) + " at " +
                   std::to_string(static_cast<int64_t>(r.start_ms)) +
                   " ms): " + std::to_string(count_lines(r.out)) + " rows, hash " +
                   std::to_string(fnv1a(r.out)) + "; expected " +
                   std::to_string(truth_.projects.size()) + " rows, hash " +
                   std::to_string(fnv1a(expected_)));
    }
    if (kind == "add") ++acknowledged_[r.request.add_path];
  }

  const stress_options& options_;
  std::string root_, home_, logs_, db_;
  std::ostream& err_;
  std::mt19937_64 rng_;
  fixture_process fixture_;
  runner_config config_;
  tree_truth truth_;
  std::string expected_;
  scenario_report report_;
  std::map<std::string, int64_t> acknowledged_;
  std::map<std::string, bool> failure_seen_;
  int64_t visits_attempted_ = 0;
  int64_t failures_ = 0;
};

std::string describe_scenario(const stress_options& o, const std::string& name) {
  std::string ops;
  for (auto& k : o.ops) ops += (ops.empty() ? "" : ",") + k;
  char buf[256];
  if (name == "seed")
    std::snprintf(buf, sizeof buf, "5x20 reads; 10x10 random ops; 3x120 reads over %.0f s",
                  o.duration_s);
  else if (name == "mixed")
    std::snprintf(buf, sizeof buf, "%d procs x %d random ops", o.procs, o.iterations);
  else
    std::snprintf(buf, sizeof buf, "%d procs x %d random ops, kill rate %.2f", o.procs,
                  o.iterations, o.kill_rate);
  return std::string(buf) + " (" + ops + ")";
}

}  // namespace

const std::vector<std::string>& all_op_kinds() {
  static const std::vector<std::string> kinds = {"read", "refresh", "add", "sync", "integrity"};
  return kinds;
}

status parse_ops(const std::string& text, std::vector<std::string>& out) {
  std::vector<std::string> ops;
  for (auto& part : split(text, ',')) {
    std::string kind(trim(part));
    if (kind.empty()) continue;
    if (!contains(all_op_kinds(), kind))
      return status::fail(status_code::usage, "unknown op '" + kind + "' in --ops",
                          "op kinds: read, refresh, add, sync, integrity");
    if (!contains(ops, kind)) ops.push_back(kind);
  }
  if (ops.empty()) return status::fail(status_code::usage, "--ops names no op kind");
  out = std::move(ops);
  return status::success();
}

status parse_max_p99(const std::string& text, std::map<std::string, double>& out) {
  std::map<std::string, double> limits;
  for (auto& part : split(text, ',')) {
    std::string item(trim(part));
    std::string kind = "*", value = item;
    if (auto eq = item.find('='); eq != std::string::npos) {
      kind = std::string(trim(std::string_view(item).substr(0, eq)));
      value = std::string(trim(std::string_view(item).substr(eq + 1)));
      if (!contains(all_op_kinds(), kind))
        return status::fail(status_code::usage, "unknown op '" + kind + "' in --max-p99-ms");
    }
    double ms = 0;
    if (!parse_number(value, ms) || ms <= 0)
      return status::fail(status_code::usage,
                          "--max-p99-ms expects milliseconds > 0 or "
                          "KIND=MS,..., got '" +
                              text + "'");
    limits[kind] = ms;
  }
  out = std::move(limits);
  return status::success();
}

status validate(const stress_options& o) {
  auto bad = [](const std::string& what) { return status::fail(status_code::usage, what); };
  if (o.scenario != "seed" && o.scenario != "mixed" && o.scenario != "crash" && o.scenario != "all")
    return bad("unknown scenario '" + o.scenario + "' (expected seed, mixed, crash or all)");
  if (o.procs < 1 || o.procs > 256) return bad("--procs must be between 1 and 256");
  if (o.iterations < 1 || o.iterations > 1000000)
    return bad("--iterations must be between 1 and 1000000");
  if (!(o.duration_s > 0) || o.duration_s > 86400)
    return bad("--duration must be more than 0 and at most 86400 seconds");
  if (!(o.kill_rate > 0) || o.kill_rate > 1)
    return bad("--kill-rate must be more than 0 and at most 1");
  if (o.repos < 1 || o.repos > 100000) return bad("--repos must be between 1 and 100000");
  if (o.ops.empty()) return bad("--ops names no op kind");
  if (o.worker_binary.empty()) return bad("cannot find the gum binary to run workers with");
  return status::success();
}

status run_stress(const stress_options& options, std::ostream& out, std::ostream& err) {
  if (auto st = validate(options); !st.ok()) return st;
  // The workspace: a fresh temporary folder, or --dir (created, or empty).
  std::error_code ec;
  std::string root;
  bool created_root = false;
  if (options.dir.empty()) {
    std::string tmpl = options.tmp_dir + "/gum-stress-XXXXXX";
    if (!mkdtemp(tmpl.data()))
      return status::fail(
          status_code::permission,
          "cannot create a workspace in " + options.tmp_dir + ": " + std::strerror(errno));
    root = tmpl;
    created_root = true;
  } else {
    if (fs::exists(options.dir, ec) && !fs::is_empty(options.dir, ec))
      return status::fail(status_code::usage, "--dir " + options.dir + " is not empty",
                          "give a new or empty folder: the harness fills it with a workspace");
    created_root = !fs::exists(options.dir, ec);
    fs::create_directories(options.dir, ec);
    if (ec)
      return status::fail(status_code::permission,
                          "cannot create " + options.dir + ": " + ec.message());
    root = options.dir;
  }
  root = fs::canonical(root, ec).string();  // gum prints real, absolute paths

  std::vector<std::string> names = options.scenario == "all"
                                       ? std::vector<std::string>{"seed", "mixed", "crash"}
                                       : std::vector<std::string>{options.scenario};
  std::vector<scenario_report> reports;
  status failure;
  for (auto& name : names) {
    auto started = clock_type::now();
    scenario_run run(options, name, root + "/" + name, err);
    out << "== gum stress --scenario " << name << ": " << describe_scenario(options, name) << "\n";
    out.flush();
    if (auto st = run.setup(); !st.ok()) {
      failure = cancelled(options) ? status::fail(status_code::interrupted, "interrupted") : st;
      break;
    }
    if (name == "seed") run.run_seed();
    if (name == "mixed") run.run_mixed();
    if (name == "crash") run.run_crash();
    if (cancelled(options)) {
      failure = status::fail(status_code::interrupted, "interrupted");
      break;
    }
    run.report().elapsed_s = std::chrono::duration<double>(clock_type::now() - started).count();
    run.final_checks();
    judge(run.report(), options.max_p99_ms);
    out << run.tree_size() << " projects in the tree, " << std::fixed;
    out.precision(1);
    out << run.report().elapsed_s << " s, " << std::thread::hardware_concurrency() << " CPUs\n";
    out.unsetf(std::ios::floatfield);
    print_table(out, run.report());
    out << "\n";
    out.flush();
    reports.push_back(run.report());
  }

  if (options.keep) {
    out << "workspace kept: " << root << "\n";
  } else {
    for (auto& name : names) fs::remove_all(root + "/" + name, ec);
    if (created_root) fs::remove(root, ec);
  }
  if (!failure.ok()) return failure;

  scenario_report total;
  if (reports.size() == 1) {
    total = reports.front();
  } else {
    total.scenario = "all";
    for (auto& r : reports) merge_into(total, r);
    out << "== all: " << (total.ok() ? "PASS" : "FAIL") << "\n";
  }
  if (!options.json_file.empty()) {
    std::ofstream f(options.json_file, std::ios::trunc);
    f << report_json(total, reports.size() > 1 ? reports : std::vector<scenario_report>{}) << "\n";
    if (!f.flush())
      return status::fail(status_code::permission, "cannot write " + options.json_file);
  }
  if (total.ok()) return status::success();
  std::string more = total.reasons.size() > 1
                         ? " (and " + std::to_string(total.reasons.size() - 1) + " more: see above)"
                         : "";
  return status::fail(status_code::failure, "stress run failed: " + total.reasons.front() + more);
}

}  // namespace gum::stress
