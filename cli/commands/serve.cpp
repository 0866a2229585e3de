// cli/commands/serve.cpp: `gum serve [--bind ADDR] [--port P] [--tls-cert F --tls-key F
// --tls-ca F] [--allow-repair] [--readers N]`, SPEC §3.8, in the gum-net executable (cli/remote.hpp).
//
// Runs the whole engine and publishes the server actor (actors/server.hpp) in front of it with
// CAF's network layer: caf::io::publish, or caf::openssl::publish with mutual TLS (CAF's
// OpenSSL module then requires a certificate signed by --tls-ca from every client). A bind
// address other than loopback without TLS is refused (exit 2). SIGINT/SIGTERM: stop accepting
// (unpublish), wait for the requests in flight (drain), flush the writer and stop (exit 0).
#include <signal.h>
#include <unistd.h>

#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <map>
#include <mutex>

#include <CLI/CLI.hpp>

#include "actors/server.hpp"
#include "cli/invocation.hpp"
#include "core/github_token.hpp"
#include "gum/versions.hpp"

namespace gum::cli {

namespace {

struct serve_args {
  std::string bind = "127.0.0.1";
  int port = 7767;
  std::string cert, key, ca;
  bool allow_repair = false;
  int readers = 0;  ///< 0: one per core, at least 2, at most 8
};

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

std::string version_text() {
  std::map<std::string, std::string> v;
  for (auto& [name, version] : library_versions()) v[name] = version;
  return v["gum"] + " (commit " + v["commit"] + ", built " + v["built"] + ")";
}

// One line on stderr, whole, from any thread.
void log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::string text = line + "\n";
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}

status check_tls(const serve_args& a) {
  const int given = !a.cert.empty() + !a.key.empty() + !a.ca.empty();
  if (given != 0 && given != 3)
    return status::fail(status_code::usage,
                        "TLS needs all three of --tls-cert, --tls-key and --tls-ca",
                        "--tls-ca is the CA that signs the clients' certificates (mutual TLS)");
  if (given == 0 && !is_loopback(a.bind))
    return status::fail(status_code::usage,
                        "refusing to serve on " + a.bind +
                            " without TLS: any other address than loopback needs mutual TLS",
                        "give --tls-cert, --tls-key and --tls-ca (docs/serve.md), or bind "
                        "127.0.0.1");
  for (auto* file : {&a.cert, &a.key, &a.ca})
    if (!file->empty() && ::access(file->c_str(), R_OK) != 0)
      return status::fail(status_code::usage, "cannot read TLS file " + *file);
  if (a.port < 0 || a.port > 65535)
    return status::fail(status_code::usage, "--port must be between 0 and 65535");
  return status::success();
}

status serve(invocation& inv, const serve_args& a) {
  if (auto st = check_tls(a); !st.ok()) return st;
  if (auto st = inv.load_config(); !st.ok()) return st;
  const bool tls = !a.cert.empty();

  // SIGINT/SIGTERM are taken with sigwait below; blocked first, so every thread inherits it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  cfg.set("scheduler.policy", caf::atom("sharing"));
  add_message_types(cfg);
  cfg.load<caf::io::middleman>();
  if (tls) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = a.cert;
    cfg.openssl_key = a.key;
    cfg.openssl_cafile = a.ca;
  }
  caf::actor_system system{cfg};

  engine_options opts;
  opts.database_path = inv.database_path();
  opts.config = inv.cfg();
  opts.home = inv.env().home;
  opts.read_only_fallback = true;
  opts.process_environment = inv.env();
  std::unique_ptr<engine> eng;
  if (auto st = engine::start(system, std::move(opts), eng); !st.ok()) return st;

  server_options so;
  so.engine = eng->handle();
  so.hello.protocol = remote_protocol_version;
  // Test aid (tests/serve_test.cpp): a server that claims another protocol version.
  if (auto v = inv.env().variable("GUM_TEST_PROTOCOL_VERSION"); !v.empty())
    so.hello.protocol = std::atoi(v.c_str());
  so.hello.version = version_text();
  so.hello.home = inv.env().home;
  so.hello.roots = inv.cfg().roots;
  so.hello.allow_repair = a.allow_repair;
  so.api_url = inv.github_api_url();
  so.token = resolve_github_token(inv.env(), inv.cfg().github_token_command);
  so.log = log_line;
  so.debug = inv.globals().debug;
  so.readers = a.readers > 0
                   ? a.readers
                   : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 2u, 8u));
  so.reader = cache_options{inv.database_path(), inv.cfg().busy_timeout_ms, inv.env().home,
                            inv.cfg().roots, inv.cfg().cache_ttl_seconds, inv.env().test_now};
  const bool has_token = !so.token.empty();
  auto server = spawn_server(system, std::move(so));
  auto published = caf::actor_cast<remote_engine_actor>(server);

  const auto wanted = static_cast<uint16_t>(a.port);
  auto port = tls ? caf::openssl::publish(published, wanted, a.bind.c_str(), true)
                  : system.middleman().publish(published, wanted, a.bind.c_str(), true);
  if (!port) {
    caf::anon_send_exit(server, caf::exit_reason::user_shutdown);
    eng->shutdown();
    return status::fail(status_code::network,
                        "cannot listen on " + a.bind + ":" + std::to_string(a.port) + " (" +
                            caf::to_string(port.error()) + ")");
  }
  log_line("gum: serve: listening on " + a.bind + ":" + std::to_string(*port) +
           (tls ? " (mutual TLS)" : " (plain TCP, loopback only)") + ", database " +
           inv.database_path());
  if (!has_token) log_line("gum: serve: no GitHub token: remote syncs are refused");

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log_line(std::string("gum: serve: ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
           ": no new connections; finishing the requests in flight");
  if (tls)  // caf/openssl/unpublish.hpp does not compile in 0.17.6: what it would send
    caf::anon_send(system.openssl_manager().actor_handle(), caf::unpublish_atom::value,
                   caf::actor_cast<caf::actor_addr>(published), *port);
  else
    system.middleman().unpublish(published, *port);
  int64_t waited = 0;
  {
    caf::scoped_actor self{system};
    self->request(server, caf::infinite, drain_atom::value)
        .receive([&](int64_t n) { waited = n; }, [&](caf::error&) {});
  }
  auto st = eng->shutdown();  // flushes the writer: every acknowledged write is committed
  caf::anon_send_exit(server, caf::exit_reason::user_shutdown);
  log_line("gum: serve: stopped (" + std::to_string(waited) + " requests were in flight)");
  return st;
}

}  // namespace

int run_serve(int argc, char** argv) {
  CLI::App app{"gum serve: publish the engine to other processes and hosts", "gum"};
  global_options globals;
  app.add_option("--db", globals.db, "Database file (also GUM_DB)");
  app.add_option("--config", globals.config, "Config file (also GUM_CONFIG)");
  app.add_flag("-q,--quiet", globals.quiet, "Print no warnings");
  app.add_flag("--no-color", globals.no_color, "No colours (also NO_COLOR)");
  app.add_flag("--debug", globals.debug, "Debug log on stderr (also GUM_DEBUG=1)");
  serve_args a;
  auto* sub = app.add_subcommand("serve", "Publish the engine over CAF's network layer");
  sub->add_option("--bind", a.bind, "Address to listen on (default 127.0.0.1)");
  sub->add_option("--port", a.port, "TCP port (default 7767; 0: any free port, printed)");
  sub->add_option("--tls-cert", a.cert, "Server certificate (PEM): turns on mutual TLS");
  sub->add_option("--tls-key", a.key, "Server private key (PEM)");
  sub->add_option("--tls-ca", a.ca, "CA certificate that signs the clients' certificates");
  sub->add_flag("--allow-repair", a.allow_repair, "Let clients run `gum integrity --repair`");
  sub->add_option("--readers", a.readers,
                  "Reader actors, each with its own connection (default: one per core, 2-8)")
      ->check(CLI::Range(1, 64));
  app.require_subcommand(1, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report(status::fail(status_code::usage, e.what(), "run `gum serve --help` for usage"));
  }
  auto env = environment::from_process();
  if (env.variable("GUM_DEBUG") == "1") globals.debug = true;
  invocation inv(globals, std::move(env));
  return report(serve(inv, a));
}

}  // namespace gum::cli
