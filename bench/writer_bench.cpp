// bench/writer_bench.cpp: how fast the write path commits rows (SPEC §7: >= 200 000 row
// upserts per second in batches), and what batching buys over one transaction per row.
//
// Three measurements on a fresh WAL database with gum's pragmas (synchronous=NORMAL):
//   batched_project_upserts     storage::replace_projects of 10 000 changed rows per
//                               BEGIN IMMEDIATE transaction (what a refresh does);
//   writer_actor_batched_visits the writer actor receiving 2 000 visit requests at once and
//                               committing them in its batches (what concurrent shells do);
//   one_transaction_per_row     the same project upsert, one transaction per row (the
//                               reference: what a writer without batching would do).
// The program prints the batched/one-per-row ratio after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "actors/writer.hpp"
#include "storage/database.hpp"
#include "storage/projects_store.hpp"

namespace {

namespace fs = std::filesystem;

std::string fresh_db(const char* name) {
  auto dir = fs::temp_directory_path() / "gum-writer-bench";
  fs::create_directories(dir);
  auto path = (dir / name).string();
  for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  return path;
}

gum::storage::database open_db(const std::string& path) {
  gum::storage::open_options o;
  o.path = path;
  return gum::storage::database::open(o);
}

std::vector<gum::project> make_projects(int n, const std::string& branch) {
  std::vector<gum::project> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& p = out[static_cast<size_t>(i)];
    char name[32];
    std::snprintf(name, sizeof name, "repo%06d", i);
    p.root = "/bench/root";
    p.path = p.root + "/group" + std::to_string(i % 50) + "/" + name;
    p.name = name;
    p.remote_url = "https://github.com/bench/" + std::string(name) + ".git";
    p.branch = branch;
  }
  std::sort(out.begin(), out.end(),
            [](const gum::project& a, const gum::project& b) { return a.path < b.path; });
  return out;
}

void batched_project_upserts(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  auto db = open_db(fresh_db("batched.db"));
  std::vector<gum::root_scan> roots(1);
  roots[0].path = "/bench/root";
  auto a = make_projects(rows, "main");
  auto b = make_projects(rows, "dev");
  bool flip = false;
  for (auto _ : state) {
    // Alternate the branch so every row really changes and is rewritten.
    gum::storage::write_transaction tx(db);
    gum::storage::replace_projects(db, {"/bench/root"}, roots, flip ? a : b, 1000, 1, 3600);
    tx.commit();
    flip = !flip;
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(batched_project_upserts)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void one_transaction_per_row(benchmark::State& state) {
  auto db = open_db(fresh_db("per_row.db"));
  db.exec("INSERT INTO project_dirs(id, path) VALUES(1, '/bench/root')");
  auto& upsert = db.prepare(
      "INSERT INTO projects(path, name, root_id, kind, remote_url, branch, discovered_at, "
      "updated_at) VALUES(?1, ?2, 1, 'repo', ?3, ?4, 0, 0) ON CONFLICT(path) DO UPDATE SET "
      "branch = excluded.branch, updated_at = excluded.updated_at");
  auto rows = make_projects(10000, "main");
  size_t i = 0;
  for (auto _ : state) {
    auto& p = rows[i++ % rows.size()];
    gum::storage::write_transaction tx(db);
    upsert.reset()
        .bind(1, std::string_view(p.path))
        .bind(2, std::string_view(p.name))
        .bind(3, p.remote_url)
        .bind(4, std::string_view(i % 2 ? "dev" : "main"))
        .run();
    tx.commit();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(one_transaction_per_row)->Unit(benchmark::kMicrosecond)->UseRealTime();

void writer_actor_batched_visits(benchmark::State& state) {
  const int requests = static_cast<int>(state.range(0));
  caf::actor_system_config cfg;
  gum::add_message_types(cfg);
  caf::actor_system system{cfg};
  auto db = std::make_shared<gum::storage::database>(open_db(fresh_db("actor.db")));
  auto writer = gum::spawn_writer(system, db, gum::writer_options{512, 0});
  caf::scoped_actor self{system};
  int round = 0;
  for (auto _ : state) {
    using handle = decltype(self->request(writer, caf::infinite, gum::visit_atom::value,
                                          std::vector<std::string>{}));
    std::vector<handle> pending;
    pending.reserve(static_cast<size_t>(requests));
    for (int i = 0; i < requests; ++i)
      pending.push_back(self->request(
          writer, caf::infinite, gum::visit_atom::value,
          std::vector<std::string>{"/bench/dir" + std::to_string((round * 7 + i) % 5000)}));
    for (auto& h : pending) h.receive([](int64_t) {}, [](caf::error&) {});
    ++round;
  }
  state.SetItemsProcessed(state.iterations() * requests);
  self->send_exit(writer, caf::exit_reason::user_shutdown);
  self->wait_for(writer);
}
BENCHMARK(writer_actor_batched_visits)->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Keeps items_per_second of every run so main can print the ratio.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> rates;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (auto& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rates[r.benchmark_name()] = it->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double batched = reporter.rates["batched_project_upserts/10000/real_time"];
  double per_row = reporter.rates["one_transaction_per_row/real_time"];
  double actor = reporter.rates["writer_actor_batched_visits/2000/real_time"];
  std::printf("\nbatched project upserts: %.0f rows/s (target >= 200000)\n", batched);
  std::printf("writer actor, batched visits: %.0f visits/s\n", actor);
  std::printf("one transaction per row: %.0f rows/s\n", per_row);
  if (per_row > 0) std::printf("ratio batched / one-per-row: %.1fx\n", batched / per_row);
  fs::remove_all(fs::temp_directory_path() / "gum-writer-bench");
  return batched >= 200000 ? 0 : 1;
}
