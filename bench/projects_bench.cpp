// bench/projects_bench.cpp: `gum projects` against its references (SPEC §7), as ratios.
//
// Usage: projects_bench GUM_BINARY GEN_TREE REF_SCANNER [--repos N] [--rounds R] [--dir DIR]
// Generates a tree of N repositories (default 10 000) in a fresh HOME, then measures, in one
// run and interleaved:
//   - `gum projects --refresh` (warm page cache) vs the minimal single-threaded scanner
//     (bench/ref_scanner.cpp) and vs `find ROOT -name .git -prune`;
//   - cached `gum projects` vs `sqlite3 DB "select path from projects order by path"`, and
//     gum's peak RSS.
// Targets: refresh within 2x of the scanner and faster than find; cached read within 2x of
// sqlite3 and under 20 MB peak RSS.
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "bench/bench_support.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s GUM GEN_TREE REF_SCANNER [--repos N] [--rounds R] [--dir D]\n",
                 argv[0]);
    return 2;
  }
  std::string gum = argv[1], gen = argv[2], ref = argv[3];
  int repos = 10000, rounds = 15;
  std::string dir;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repos")) repos = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  namespace fs = std::filesystem;
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "gum-bench-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
  }
  auto home = dir + "/home";
  auto root = home + "/projects";
  fs::create_directories(root);
  std::vector<std::string> env = {"HOME=" + home, "XDG_CONFIG_HOME=" + dir + "/config",
                                  "XDG_CACHE_HOME=" + dir + "/cache", "PATH=/usr/bin:/bin"};
  auto db = dir + "/cache/gum/gum.db";
  std::printf("generating %d repositories under %s\n", repos, root.c_str());
  auto g = gum::bench::run_once({gen, root, std::to_string(repos), "--seed", "7"}, env);
  if (g.exit_code != 0) return 1;
  gum::bench::run_once({gum, "projects", "--refresh"}, env);  // build the index once

  std::printf("\nrefresh (warm cache), %d rounds:\n", rounds);
  auto refresh = gum::bench::compare({{gum, "projects", "--refresh"},
                                      {ref, root},
                                      {"find", root, "-name", ".git", "-prune"}},
                                     env, rounds);
  gum::bench::print_row("gum projects --refresh", refresh[0]);
  gum::bench::print_row("ref_scanner (single-threaded, stops at .git)", refresh[1]);
  gum::bench::print_row("find ROOT -name .git -prune", refresh[2]);
  double r1 = refresh[0].median_ms / refresh[1].median_ms;
  double r2 = refresh[0].median_ms / refresh[2].median_ms;
  std::printf("  ratio gum/ref_scanner = %.2f (target <= 2.0)  gum/find = %.2f (target < 1.0)\n",
              r1, r2);

  std::printf("\ncached read, %d rounds:\n", rounds * 2);
  auto read = gum::bench::compare(
      {{gum, "projects"}, {"sqlite3", db, "select path from projects order by path"}}, env,
      rounds * 2);
  gum::bench::print_row("gum projects", read[0]);
  gum::bench::print_row("sqlite3 DB 'select path ... order by path'", read[1]);
  double r3 = read[0].median_ms / read[1].median_ms;
  std::printf("  ratio gum/sqlite3 = %.2f (target <= 2.0)  gum peak RSS = %.1f MB (target < 20)\n",
              r3, read[0].max_rss_kb / 1024.0);
  bool ok = r1 <= 2.0 && r2 < 1.0 && r3 <= 2.0 && read[0].max_rss_kb < 20 * 1024 &&
            !refresh[0].failures && !read[0].failures;
  std::printf("\n%s\n", ok ? "projects_bench: all targets met" : "projects_bench: TARGET MISSED");
  fs::remove_all(dir);
  return ok ? 0 : 1;
}
