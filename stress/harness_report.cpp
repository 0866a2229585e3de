// stress/harness_report.cpp: statistics, the table and the JSON of a stress run.
#include "stress/harness_report.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gum::stress {

namespace {

namespace json = boost::json;

// Rounds to 0.01 so the JSON stays readable.
double round2(double v) {
  return std::round(v * 100.0) / 100.0;
}

double success_rate(const kind_stats& k) {
  return k.count == 0 ? 1.0 : static_cast<double>(k.successes) / static_cast<double>(k.count);
}

double throughput(const kind_stats& k, double elapsed_s) {
  return elapsed_s > 0 ? static_cast<double>(k.count) / elapsed_s : 0.0;
}

json::object kind_json(const kind_stats& k, double elapsed_s) {
  json::object o;
  o["count"] = k.count;
  o["success_rate"] = round2(success_rate(k) * 100.0) / 100.0;
  o["p50_ms"] = round2(percentile(k.latencies_ms, 0.50));
  o["p95_ms"] = round2(percentile(k.latencies_ms, 0.95));
  o["p99_ms"] = round2(percentile(k.latencies_ms, 0.99));
  o["max_ms"] = round2(percentile(k.latencies_ms, 1.0));
  o["throughput_per_s"] = round2(throughput(k, elapsed_s));
  o["busy_retries"] = k.busy_retries;
  o["peak_rss_kb"] = static_cast<int64_t>(k.peak_rss_kb);
  o["killed"] = k.killed;
  o["cpu_p50_ms"] = round2(percentile(k.cpu_ms, 0.50));
  return o;
}

json::object report_object(const scenario_report& r) {
  json::object o;
  o["scenario"] = r.scenario;
  o["ok"] = r.ok();
  o["kills"] = r.kills;
  o["kills_in_tx"] = r.kills_in_tx;
  o["inconsistencies"] = r.inconsistencies;
  json::object integrity;
  integrity["ok"] = r.integrity_ok;
  o["integrity"] = std::move(integrity);
  json::object ops;
  for (auto& [kind, k] : r.ops) ops[kind] = kind_json(k, r.elapsed_s);
  o["ops"] = std::move(ops);
  o["elapsed_s"] = round2(r.elapsed_s);
  json::array reasons;
  for (auto& line : r.reasons) reasons.emplace_back(line);
  o["reasons"] = std::move(reasons);
  return o;
}

// The op kinds of a report in the order users think of them: read, refresh, add, sync,
// integrity, then anything else.
std::vector<const std::string*> ordered_kinds(const scenario_report& r) {
  const char* order[] = {"read", "refresh", "add", "sync", "integrity"};
  std::vector<const std::string*> kinds;
  for (const char* name : order)
    if (auto it = r.ops.find(name); it != r.ops.end()) kinds.push_back(&it->first);
  for (auto& [kind, k] : r.ops)
    if (std::find_if(kinds.begin(), kinds.end(), [&](auto* p) { return *p == kind; }) ==
        kinds.end())
      kinds.push_back(&kind);
  return kinds;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

void merge_into(scenario_report& a, const scenario_report& b) {
  a.elapsed_s += b.elapsed_s;
  a.kills += b.kills;
  a.kills_in_tx += b.kills_in_tx;
  a.inconsistencies += b.inconsistencies;
  a.integrity_ok = a.integrity_ok && b.integrity_ok;
  for (auto& [kind, k] : b.ops) {
    auto& m = a.ops[kind];
    m.count += k.count;
    m.successes += k.successes;
    m.killed += k.killed;
    m.latencies_ms.insert(m.latencies_ms.end(), k.latencies_ms.begin(), k.latencies_ms.end());
    m.cpu_ms.insert(m.cpu_ms.end(), k.cpu_ms.begin(), k.cpu_ms.end());
    m.busy_retries += k.busy_retries;
    m.peak_rss_kb = std::max(m.peak_rss_kb, k.peak_rss_kb);
  }
  for (auto& line : b.reasons) a.reasons.push_back(b.scenario + ": " + line);
}

void judge(scenario_report& report, const std::map<std::string, double>& max_p99_ms) {
  char buf[256];
  for (auto& [kind, k] : report.ops) {
    if (k.successes < k.count) {
      std::snprintf(buf, sizeof buf, "%s: success rate %.2f %% (%lld of %lld failed)", kind.c_str(),
                    success_rate(k) * 100.0, static_cast<long long>(k.count - k.successes),
                    static_cast<long long>(k.count));
      report.reasons.push_back(buf);
    }
    auto limit = max_p99_ms.find(kind);
    if (limit == max_p99_ms.end()) limit = max_p99_ms.find("*");
    if (limit == max_p99_ms.end()) continue;
    double p99 = percentile(k.latencies_ms, 0.99);
    if (k.count > 0 && p99 > limit->second) {
      std::snprintf(buf, sizeof buf, "%s: p99 %.1f ms exceeds --max-p99-ms %.1f", kind.c_str(), p99,
                    limit->second);
      report.reasons.push_back(buf);
    }
  }
}

void print_table(std::ostream& out, const scenario_report& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%-10s %7s %8s %8s %8s %8s %8s %8s %6s %8s %7s %7s\n", "op",
                "count", "success", "p50 ms", "p95 ms", "p99 ms", "max ms", "ops/s", "busy",
                "rss KB", "killed", "cpu ms");
  out << line;
  for (auto* name : ordered_kinds(r)) {
    const auto& kind = *name;
    const auto& k = r.ops.at(kind);
    std::snprintf(line, sizeof line,
                  "%-10s %7lld %7.2f%% %8.1f %8.1f %8.1f %8.1f %8.1f %6lld %8ld %7lld %7.1f\n",
                  kind.c_str(), static_cast<long long>(k.count), success_rate(k) * 100.0,
                  percentile(k.latencies_ms, 0.50), percentile(k.latencies_ms, 0.95),
                  percentile(k.latencies_ms, 0.99), percentile(k.latencies_ms, 1.0),
                  throughput(k, r.elapsed_s), static_cast<long long>(k.busy_retries), k.peak_rss_kb,
                  static_cast<long long>(k.killed), percentile(k.cpu_ms, 0.50));
    out << line;
  }
  std::snprintf(line, sizeof line,
                "kills: %lld (%lld inside a write transaction)   inconsistencies: %lld   "
                "integrity: %s\n",
                static_cast<long long>(r.kills), static_cast<long long>(r.kills_in_tx),
                static_cast<long long>(r.inconsistencies), r.integrity_ok ? "ok" : "FAILED");
  out << line;
  if (r.ok()) {
    out << "result: PASS\n";
  } else {
    out << "result: FAIL\n";
    for (auto& reason : r.reasons) out << "  - " << reason << '\n';
  }
}

std::string report_json(const scenario_report& report, const std::vector<scenario_report>& parts) {
  json::object o = report_object(report);
  if (!parts.empty()) {
    json::array a;
    for (auto& p : parts) a.emplace_back(report_object(p));
    o["scenarios"] = std::move(a);
  }
  return json::serialize(o);
}

}  // namespace gum::stress
