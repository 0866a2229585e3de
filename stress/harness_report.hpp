// stress/harness_report.hpp: the figures of a stress run, as a table and as SPEC §3.5 JSON.
//
// A scenario_report is plain data filled by the scenarios; statistics (percentiles,
// throughput) are computed only when printing, from every latency kept, so merging the
// scenarios of `--scenario all` is exact rather than an average of averages.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace gum::stress {

/// What happened to one op kind in a scenario.
struct kind_stats {
  int64_t count = 0;                 ///< operations that ran to their end (not killed)
  int64_t successes = 0;             ///< of those, how many exited 0
  int64_t killed = 0;                ///< operations the crash scenario SIGKILLed
  std::vector<double> latencies_ms;  ///< of every counted operation
  std::vector<double> cpu_ms;        ///< CPU time (user + system) of every counted operation
  int64_t busy_retries = 0;          ///< sum of the writers' SQLITE_BUSY retries
  long peak_rss_kb = 0;              ///< max ru_maxrss
};

/// One scenario's result.
struct scenario_report {
  std::string scenario;
  double elapsed_s = 0;
  int64_t kills = 0;
  int64_t kills_in_tx = 0;  ///< kills that landed inside an uncommitted write
  int64_t inconsistencies = 0;
  bool integrity_ok = true;
  std::map<std::string, kind_stats> ops;
  std::vector<std::string> reasons;  ///< why it failed, one line each; empty when it passed
  bool ok() const { return reasons.empty(); }
};

/// The p-th percentile (0..1) by nearest rank; 0 for no values.
double percentile(std::vector<double> values, double p);

/// Adds `b` into `a` (the `all` scenario).
void merge_into(scenario_report& a, const scenario_report& b);

/// Adds a reason for every criterion of SPEC §3.5 the report misses: a success rate below
/// 100 %, a p99 above its limit (`max_p99_ms` by kind, "*" for every kind).
void judge(scenario_report& report, const std::map<std::string, double>& max_p99_ms);

/// The human table (stdout).
void print_table(std::ostream& out, const scenario_report& report);

/// The JSON object of SPEC §3.5 for one report, plus "reasons" and "elapsed_s"; `parts` (for
/// `all`) are added as "scenarios".
std::string report_json(const scenario_report& report,
                        const std::vector<scenario_report>& parts = {});

}  // namespace gum::stress
