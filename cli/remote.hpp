// cli/remote.hpp: `gum serve` and `gum --remote` run in a second executable, gum-net.
//
// They need CAF's network layer (libcaf_io, and libcaf_openssl for TLS). Linking those into
// `gum` would make every `gum add` (one per `cd`) map them at start-up, so they live in
// gum-net, installed next to gum (build tree) or under libexec/gum (docs/serve.md). `gum`
// looks at its arguments before anything else and execv()s gum-net for those two; this costs a
// plain command one getenv and one pass over argv.
//
// This half (in `gum`) has no network code; cli/remote_client.cpp is the other half (gum-net).
#pragma once

#include <string>
#include <vector>

namespace gum::cli {

/// What the arguments before and at the command word say about the network front end.
struct network_argv {
  std::string command;       ///< the first non-option argument ("" when there is none)
  int command_index = -1;    ///< its index in `rest`
  std::string remote;        ///< --remote ADDR / --remote=ADDR ("" when absent)
  bool remote_flag = false;  ///< --remote was given (GUM_REMOTE alone leaves it false)
  /// argv without the client-only options (--remote, --remote-timeout, --remote-cert,
  /// --remote-key, --remote-ca), for gum's own parser.
  std::vector<std::string> rest;
  std::string timeout, cert, key, ca;  ///< their values ("" when absent)
};

/// Scans argv up to the command word. `gum_remote` is $GUM_REMOTE (may be null).
network_argv scan_network_argv(int argc, char** argv, const char* gum_remote);

/// The commands `gum --remote` runs on the server (SPEC §3.8).
bool runs_remotely(const std::string& command);

/// In `gum`: execv()s gum-net for `gum serve`, `gum --remote …`, and a remote-capable command
/// when GUM_REMOTE is set. Returns -1 to go on locally, or an exit code when gum-net could not
/// be started (it printed why).
int exec_network_front_end(int argc, char** argv);

}  // namespace gum::cli
