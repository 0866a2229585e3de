// actors/server.hpp: the actor `gum serve` publishes in front of the engine.
//
// It answers the handshake, applies the server's policy (what a remote client may ask,
// docs/serve.md), fills a sync request with the server's own token and API URL, counts the
// requests in flight so that a stop can wait for them, and logs one line per client connect
// and disconnect (a client is the actor that sent hello; its disconnect is the down message
// CAF sends when that actor ends or its connection drops). Reads are answered by a pool of
// readers of its own (server_options::readers), so that one slow read (a full list of 10 000
// projects) never queues the others behind it.
#pragma once

#include <functional>
#include <string>

#include "actors/cache.hpp"
#include "gum/remote.hpp"

namespace gum {

using drain_atom = caf::atom_constant<caf::atom("drain")>;

/// The published interface plus the local stop: drain refuses new requests and replies, with
/// the number of requests it waited for, once none is in flight.
using server_actor =
    remote_engine_actor::extend<caf::replies_to<drain_atom>::with<int64_t>>;

struct server_options {
  engine_actor engine;
  server_hello hello;          ///< answered to every hello (protocol, version, home, roots)
  std::string api_url;         ///< the server's GitHub API URL, for every sync
  std::string token;           ///< the server's token, for every sync; never sent back
  /// One line for stderr (connect, disconnect, refusals; each request with debug). Called
  /// from the server actor's thread.
  std::function<void(const std::string&)> log;
  bool debug = false;
  /// The reader pool: `readers` cache actors, each with its own read-only connection (so
  /// reads run in parallel under WAL) and its projects list kept in memory (keep_lists). The
  /// projects, dirs and github reads go to the least busy one; everything else, and a projects
  /// read that finds the index stale and may rebuild it, goes to the engine. 0: no pool.
  int readers = 0;
  cache_options reader;
};

server_actor spawn_server(caf::actor_system& system, server_options options);

}  // namespace gum
