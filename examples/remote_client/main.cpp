// examples/remote_client: a service that reaches a running `gum serve` (docs/embedding.md).
//
//   remote_client HOST PORT [CERT KEY CA]
// connects (with mutual TLS when the three PEM files are given), checks the protocol version,
// and prints the path of every project the server knows, one per line.
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <iostream>
#include <string>

#include "gum/remote.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 6) {
    std::cerr << "usage: remote_client HOST PORT [CERT KEY CA]\n";
    return 2;
  }
  const bool tls = argc == 6;
  caf::actor_system_config cfg;
  gum::add_message_types(cfg);  // the payloads' names and inspect overloads
  cfg.load<caf::io::middleman>();
  if (tls) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = argv[3];
    cfg.openssl_key = argv[4];
    cfg.openssl_cafile = argv[5];
  }
  caf::actor_system system{cfg};
  const std::string host = argv[1];
  const auto port = static_cast<uint16_t>(std::stoi(argv[2]));
  auto server = tls ? caf::openssl::remote_actor<gum::remote_engine_actor>(system, host, port)
                    : system.middleman().remote_actor<gum::remote_engine_actor>(host, port);
  if (!server) {
    std::cerr << "remote_client: cannot connect: " << caf::to_string(server.error()) << '\n';
    return 5;
  }
  caf::scoped_actor self{system};
  const auto timeout = std::chrono::seconds(30);
  int rc = 0;
  // The handshake first: the same protocol version, or stop.
  self->request(*server, timeout, gum::hello_atom::value, gum::remote_protocol_version)
      .receive(
          [&](const gum::server_hello& hello) {
            if (hello.protocol != gum::remote_protocol_version) {
              std::cerr << "remote_client: server speaks protocol " << hello.protocol << '\n';
              rc = 5;
            }
          },
          [&](caf::error& err) {
            std::cerr << "remote_client: " << caf::to_string(err) << '\n';
            rc = 5;
          });
  if (rc != 0) return rc;
  gum::project_query query;
  query.build_if_missing = false;  // read the server's index as it is
  self->request(*server, timeout, gum::projects_atom::value, query)
      .receive(
          [&](const gum::projects_reply& reply) {
            for (const auto& p : reply.projects) std::cout << p.path << '\n';
          },
          [&](caf::error& err) {
            auto st = gum::to_status(err);  // a gum error keeps its code and message
            std::cerr << "remote_client: " << st.message << '\n';
            rc = static_cast<int>(st.code);
          });
  return rc;
}
