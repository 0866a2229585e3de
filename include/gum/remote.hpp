// gum/remote.hpp: the interface `gum serve` publishes, for clients on other processes or hosts.
//
// `gum serve` publishes one actor of type remote_engine_actor with CAF's network layer
// (caf::io::publish, or caf::openssl::publish for mutual TLS). It is engine_actor plus one
// handshake: a client sends {hello_atom, remote_protocol_version} first and compares the
// server_hello it gets back; a different protocol number means the two sides disagree on the
// wire format and the client must stop (gum --remote exits 5). CAF itself also refuses, at
// connect time, a peer whose typed interface differs (sec::unexpected_actor_messaging_interface).
//
// What a client may ask is decided by the server (docs/serve.md): reads, refresh, sync (with the
// server's own token and API URL: the request's are ignored), flush and the integrity audit;
// --repair only when the server was started with --allow-repair. Visits, imports, clears,
// add-project and migrate are refused (status_code::usage).
//
// See docs/embedding.md for a service that reaches a running `gum serve`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gum/engine.hpp"

namespace gum {

/// Bump whenever a payload in gum/messages.hpp, its inspect overload or the interface changes.
constexpr int32_t remote_protocol_version = 1;

using hello_atom = caf::atom_constant<caf::atom("hello")>;

/// The server's answer to hello: who it is and what it serves.
struct server_hello {
  int32_t protocol = 0;             ///< the server's remote_protocol_version
  std::string version;              ///< the server's gum version ("0.1.0 (commit abc, built …)")
  std::string home;                 ///< the server's $HOME (paths print with ~ against it)
  std::vector<std::string> roots;   ///< the server's configured project roots
  bool allow_repair = false;        ///< `gum serve --allow-repair`
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, server_hello& x) {
  return f(x.protocol, x.version, x.home, x.roots, x.allow_repair);
}

/// What `gum serve` publishes: the engine's interface and the handshake.
using remote_engine_actor =
    engine_actor::extend<caf::replies_to<hello_atom, int32_t>::with<server_hello>>;

}  // namespace gum
