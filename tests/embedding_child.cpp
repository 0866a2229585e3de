// tests/embedding_child.cpp: the second process of
// embedding_api.two_engines_in_two_processes_and_the_cli_on_one_database_stay_consistent, a
// program of its own (not a test): an engine of its own on the shared database, recording
// visits while the test's process and the gum CLI use the same file.
//
// Usage: embedding_child DB ROOT PREFIX VISITS PROJECTS. Prints "child acked VISITS" and exits
// 0 when every visit and refresh succeeded (each refresh seeing PROJECTS projects); otherwise
// names what failed on stderr and exits 1.
#include <cstdlib>
#include <iostream>
#include <string>

#include "tests/support/engine_host.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: embedding_child DB ROOT PREFIX VISITS PROJECTS\n";
    return 2;
  }
  const int count = std::atoi(argv[4]);
  const int64_t expected = std::atoll(argv[5]);
  gum::testing::engine_host host;
  gum::engine_options options;
  options.database_path = argv[1];
  options.config.roots = {argv[2]};
  auto st = host.start(options);
  if (!st.ok()) {
    std::cerr << "start: " << st.message << "\n";
    return 1;
  }
  if (auto failed = gum::testing::visit_loop(*host.engine, argv[3], 0, count, expected);
      !failed.empty()) {
    std::cerr << failed << "\n";
    return 1;
  }
  if (st = host.engine->shutdown(); !st.ok()) {
    std::cerr << "shutdown: " << st.message << "\n";
    return 1;
  }
  std::cout << "child acked " << count << std::endl;
  return 0;
}
