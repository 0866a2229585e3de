// cli/main/main.cpp: the gum executable is a thin front end over the engine library.
#include <malloc.h>

#include "cli/app.hpp"
#include "cli/remote.hpp"

int main(int argc, char** argv) {
  // `gum serve` and `gum --remote` run in gum-net (cli/remote.hpp); -1: everything else.
  if (int rc = gum::cli::exec_network_front_end(argc, argv); rc >= 0) return rc;
  // One malloc arena for every thread. A thread's own arena grows a page at a time, one
  // mprotect per page: the writer's page cache made 1 300 of them in a `gum add` that ages
  // 10 000 rows (5 % of its CPU). The main arena grows by 128 KB through brk, and gum's few
  // threads rarely allocate at once (docs/architecture.md, "Start-up").
  mallopt(M_ARENA_MAX, 1);
  return gum::cli::run(argc, argv);
}
