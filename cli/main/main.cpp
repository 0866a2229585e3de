// cli/main/main.cpp: the gum executable is a thin front end over the engine library.
#include "cli/app.hpp"
#include "cli/remote.hpp"

int main(int argc, char** argv) {
  // `gum serve` and `gum --remote` run in gum-net (cli/remote.hpp); -1: everything else.
  if (int rc = gum::cli::exec_network_front_end(argc, argv); rc >= 0) return rc;
  return gum::cli::run(argc, argv);
}
