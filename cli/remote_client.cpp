// cli/remote_client.cpp: gum-net's main: `gum serve` (cli/commands/serve.cpp), and every
// `gum --remote HOST:PORT COMMAND` run through gum's own commands against a server's engine.
//
// The commands are the local ones (cli/commands/*.cpp): the invocation's engine_provider hook
// attaches them to the server's published actor (gum/remote.hpp) instead of starting an engine,
// so output and exit codes are the local ones by construction. What is remote-only:
// - the handshake: hello with this gum's protocol version; a different one is exit 5;
// - failures: an unreachable server, a refused TLS handshake, a dropped connection and a
//   server that does not answer in time are exit 5 with one `gum:` line. A watchdog thread
//   bounds the connect (10 s) and the whole command (--remote-timeout, GUM_REMOTE_TIMEOUT,
//   default 300 s); a monitor on the server's actor ends the process at once when the
//   connection drops mid-request.
// Only cli/ and the engine's public headers are used; this file and serve.cpp are the only
// ones that include CAF's network layer, and only gum-net links it.
#include <unistd.h>

#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/app.hpp"
#include "cli/invocation.hpp"
#include "cli/remote.hpp"
#include "gum/remote.hpp"

namespace gum::cli {

int run_serve(int argc, char** argv);  // cli/commands/serve.cpp

namespace {

// Ends the process with exit 5 and one line when a deadline passes first.
class watchdog {
 public:
  watchdog() : thread_([this] { watch(); }) {}
  ~watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void arm(std::chrono::steady_clock::duration after, std::string message) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      deadline_ = std::chrono::steady_clock::now() + after;
      message_ = std::move(message);
      armed_ = true;
    }
    cv_.notify_all();
  }

 private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!done_) {
      if (!armed_) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout &&
          std::chrono::steady_clock::now() >= deadline_ && armed_ && !done_) {
        std::string line = "gum: " + message_ + "\n";
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        ::_exit(5);
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false, armed_ = false;
  std::chrono::steady_clock::time_point deadline_;
  std::string message_;
  std::thread thread_;
};

bool parse_address(const std::string& address, std::string& host, uint16_t& port) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto digits = address.substr(colon + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 5)
    return false;
  long p = std::stol(digits);
  if (p < 1 || p > 65535) return false;
  port = static_cast<uint16_t>(p);
  return true;
}

// The invocation's engine: the server's, reached over CAF's network layer.
class remote_provider final : public engine_provider {
 public:
  remote_provider(std::string address, std::string host, uint16_t port, int64_t timeout_s,
                  std::string cert, std::string key, std::string ca)
      : address_(std::move(address)), host_(std::move(host)), port_(port),
        timeout_s_(timeout_s), cert_(std::move(cert)), key_(std::move(key)), ca_(std::move(ca)) {}

  bool tls() const { return !cert_.empty() || !key_.empty() || !ca_.empty(); }

  bool wants_repair = false;  ///< `integrity --repair`: refused unless the server allows it

  void configure(caf::actor_system_config& cfg) override {
    cfg.load<caf::io::middleman>();
    if (tls()) {
      cfg.load<caf::openssl::manager>();
      cfg.openssl_certificate = cert_;
      cfg.openssl_key = key_;
      cfg.openssl_cafile = ca_;
    }
  }

  status connect(caf::actor_system& system, gum::config& cfg, environment& env,
                 std::unique_ptr<gum::engine>& out) override {
    server_hello hello;
    caf::actor link;
    if (auto st = handshake(system, hello, link); !st.ok()) return st;
    // Refused from the hello, before any audit: the same answer whether or not the database
    // needs a repair (the server refuses a repairing audit by itself too).
    if (wants_repair && !hello.allow_repair) {
      caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
      return status::fail(status_code::usage,
                          "`gum integrity --repair` is not allowed by the gum server at " +
                              address_,
                          "run it where `gum serve` runs, or start the server with "
                          "--allow-repair (docs/serve.md)");
    }
    cfg.roots = hello.roots;
    cfg.roots_source = "config";
    if (!hello.home.empty()) env.home = hello.home;
    out = engine::attach(system, caf::actor_cast<engine_actor>(server_), {link});
    dog_.arm(std::chrono::seconds(timeout_s_),
             "no reply from the gum server at " + address_ + " within " +
                 std::to_string(timeout_s_) + " s (--remote-timeout)");
    return status::success();
  }

  /// Connects and exchanges hello; `link` watches the connection from then on.
  status handshake(caf::actor_system& system, server_hello& hello, caf::actor& link) {
    dog_.arm(std::chrono::seconds(std::min<int64_t>(timeout_s_, 10)),
             "no answer from the gum server at " + address_ + " (connect timeout)");
    auto server = tls() ? caf::openssl::remote_actor<remote_engine_actor>(system, host_, port_)
                        : system.middleman().remote_actor<remote_engine_actor>(host_, port_);
    if (!server) {
      if (server.error() == caf::sec::unexpected_actor_messaging_interface)
        return status::fail(status_code::network,
                            "the gum server at " + address_ +
                                " speaks another protocol (its interface differs from this gum's)",
                            "run the same gum version on the server and here");
      return status::fail(status_code::network,
                          "cannot connect to the gum server at " + address_ +
                              (tls() ? " over TLS" : "") + " (" + caf::to_string(server.error()) +
                              ")",
                          tls() ? "is `gum serve` running there, and does it accept this "
                                  "certificate?"
                                : "is `gum serve` running there?");
    }
    server_ = *server;
    auto reply = std::make_shared<std::promise<caf::expected<server_hello>>>();
    auto address = address_;
    auto target = server_;
    // The state goes in as spawn arguments, not captures: CAF 0.17 dereferences a null tuple
    // pointer for a spawn without arguments, which UBSan reports (init_fun_factory.hpp).
    using reply_ptr = std::shared_ptr<std::promise<caf::expected<server_hello>>>;
    auto watcher = [](caf::event_based_actor* self, reply_ptr reply, std::string address,
                      remote_engine_actor target) -> caf::behavior {
      self->monitor(target);
      self->set_down_handler([address](caf::down_msg&) {
        std::string line = "gum: lost the connection to the gum server at " + address + "\n";
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        ::_exit(5);
      });
      self->request(target, caf::infinite, hello_atom::value, remote_protocol_version)
          .then([reply](server_hello& h) { reply->set_value(std::move(h)); },
                [reply](caf::error& e) { reply->set_value(std::move(e)); });
      return {[](int) {}};  // stays alive until the engine's shutdown stops it
    };
    link = system.spawn(watcher, reply, address, target);
    auto st = check_hello(reply->get_future().get(), hello);
    // A refused handshake ends the watcher here: the actor system's stop waits for it.
    if (!st.ok()) {
      caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
      link = caf::actor();
    }
    return st;
  }

  status check_hello(caf::expected<server_hello> got, server_hello& hello) {
    if (!got) {
      auto st = to_status(got.error());
      return status::fail(status_code::network,
                          "the gum server at " + address_ + " refused the handshake: " +
                              (st.message.empty() ? caf::to_string(got.error()) : st.message));
    }
    hello = std::move(*got);
    if (hello.protocol != remote_protocol_version)
      return status::fail(status_code::network,
                          "protocol mismatch: the gum server at " + address_ + " speaks protocol " +
                              std::to_string(hello.protocol) + ", this gum speaks " +
                              std::to_string(remote_protocol_version),
                          "run the same gum version on the server (" + hello.version +
                              ") and here");
    return status::success();
  }

 private:
  std::string address_, host_;
  uint16_t port_;
  int64_t timeout_s_;
  std::string cert_, key_, ca_;
  remote_engine_actor server_;
  watchdog dog_;
};

int run_remote(network_argv scan) {
  if (scan.remote.empty())
    return report(status::fail(status_code::usage, "--remote needs HOST:PORT"));
  std::string host;
  uint16_t port = 0;
  if (!parse_address(scan.remote, host, port))
    return report(status::fail(status_code::usage,
                               "--remote '" + scan.remote + "' is not HOST:PORT",
                               "e.g. `gum --remote 127.0.0.1:7767 projects`"));
  if (!scan.command.empty() && !runs_remotely(scan.command))
    return report(status::fail(
        status_code::usage, "`gum " + scan.command + "` does not run over --remote",
        "--remote runs projects, github, dirs, jump, sync, integrity and version on the server; "
        "run the others locally"));
  bool wants_repair = false;
  if (scan.command == "integrity")
    for (size_t i = static_cast<size_t>(scan.command_index); i < scan.rest.size(); ++i)
      wants_repair = wants_repair || scan.rest[i] == "--repair";
  const auto env = environment::from_process();
  auto env_or = [&env](const std::string& flag, const char* name) {
    return flag.empty() ? env.variable(name) : flag;
  };
  int64_t timeout_s = 300;
  if (auto t = env_or(scan.timeout, "GUM_REMOTE_TIMEOUT"); !t.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(t.c_str(), &end, 10);
    if (!end || *end || v < 1)
      return report(status::fail(status_code::usage,
                                 "--remote-timeout must be a whole number of seconds (1 or more)"));
    timeout_s = v;
  }
  remote_provider provider(scan.remote, host, port, timeout_s,
                           env_or(scan.cert, "GUM_REMOTE_CERT"), env_or(scan.key, "GUM_REMOTE_KEY"),
                           env_or(scan.ca, "GUM_REMOTE_CA"));
  provider.wants_repair = wants_repair;
  set_engine_provider(&provider);
  std::vector<char*> args;
  for (auto& a : scan.rest) args.push_back(a.data());
  args.push_back(nullptr);
  int rc = run(static_cast<int>(args.size() - 1), args.data());
  if (rc != 0 || scan.command != "version") return rc;
  // `gum --remote … version`: this gum's versions (printed above), then the server's.
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 1);
  add_message_types(cfg);
  provider.configure(cfg);
  caf::actor_system system{cfg};
  server_hello hello;
  caf::actor link;
  auto st = provider.handshake(system, hello, link);
  if (link) caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  if (!st.ok()) return report(st);
  std::cout << "server " << scan.remote << ": gum " << hello.version << ", protocol "
            << hello.protocol << '\n';
  std::cout.flush();
  return 0;
}

}  // namespace

int net_main(int argc, char** argv) {
  const auto remote = environment::from_process().variable("GUM_REMOTE");
  auto scan = scan_network_argv(argc, argv, remote.empty() ? nullptr : remote.c_str());
  if (scan.command == "serve" && !scan.remote_flag) return run_serve(argc, argv);
  return run_remote(std::move(scan));
}

}  // namespace gum::cli

int main(int argc, char** argv) { return gum::cli::net_main(argc, argv); }
