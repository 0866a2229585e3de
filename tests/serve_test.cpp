// tests/serve_test.cpp: `gum serve` and `gum --remote` (SPEC §3.8, docs/serve.md).
//
// Every server runs on 127.0.0.1 with --port 0 and says its port on stderr ("listening on
// 127.0.0.1:N"); the test reads that line from a pipe, and waits on later lines (a client's
// connect, a request arriving) the same way, never on a fixed sleep. Server and clients share
// one test_env, so the remote output can be compared with the local output on the same
// database.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <sqlite3.h>

#include "actors/cache.hpp"
#include "tests/support/fixture_process.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using testing::run_result;
using testing::test_env;

// A running `gum serve`, its stderr read line by line.
class server_process {
 public:
  server_process(const test_env& env, std::vector<std::string> args,
                 const std::vector<std::string>& extra_env = {}) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    std::vector<std::string> argv = {GUM_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto environment = env.environment();
    environment.insert(environment.end(), extra_env.begin(), extra_env.end());
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    const spawn_args a(argv), e(environment);
    if (posix_spawn(&pid_, argv[0].c_str(), &fa, nullptr, a.get(), e.get()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    err_ = fds[0];
    if (pid_ < 0) return;
    if (auto line = wait_for("listening on ", 20000)) {
      auto colon = line->rfind(':', line->find(" (") == std::string::npos ? std::string::npos
                                                                          : line->find(" ("));
      port_ = std::atoi(line->c_str() + colon + 1);
    }
  }
  ~server_process() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (err_ >= 0) close(err_);
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  const std::string& log() const { return log_; }

  /// The first line (from now on, or already read) that contains `text`.
  std::optional<std::string> wait_for(const std::string& text, int timeout_ms) {
    for (size_t i = seen_; i < lines_.size(); ++i)
      if (lines_[i].find(text) != std::string::npos) {
        seen_ = i + 1;
        return lines_[i];
      }
    seen_ = lines_.size();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return std::nullopt;
      auto line = testing::read_line(err_, static_cast<int>(left));
      if (!line) return std::nullopt;
      lines_.push_back(*line);
      log_ += *line + "\n";
      seen_ = lines_.size();
      if (line->find(text) != std::string::npos) return line;
    }
  }
  /// Sends `sig`, reads stderr to its end, and returns the exit status.
  std::optional<int> stop(int sig, int timeout_ms) {
    kill(pid_, sig);
    while (wait_for("\x01never", timeout_ms)) {
    }
    auto status = testing::wait_exit(pid_, timeout_ms);
    reaped_ = status.has_value();
    return status;
  }

 private:
  pid_t pid_ = -1;
  int err_ = -1;
  int port_ = 0;
  bool reaped_ = false;
  std::vector<std::string> lines_;
  size_t seen_ = 0;
  std::string log_;
};

// A small world: three projects under one root, a few visits, the index built locally.
struct world {
  test_env env;
  std::string root;
  world() {
    root = env.home() + "/projects";
    test_env::make_repo(root + "/alpha", "https://github.com/me/alpha.git", "main");
    test_env::make_repo(root + "/group/Beta", "git@github.com:me/beta.git", "dev");
    test_env::make_repo(root + "/gamma", "", "feature/x");
    env.write_config("projects: [" + root + "]\n");
    env.vars["GUM_REMOTE_TIMEOUT"] = "60";
    EXPECT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);
    EXPECT_EQ(env.gum({"add", root + "/alpha", root + "/gamma"}).exit_code, 0);
    EXPECT_EQ(env.gum({"add", root + "/alpha"}).exit_code, 0);
  }
  run_result remote(const server_process& s, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--remote", s.address()});
    return env.gum(args);
  }
};

TEST(Serve, RemoteCommandsEqualLocalOutputAndTwoClientsAreLogged) {
  world w;
  server_process server(w.env, {"serve", "--port", "0"});
  ASSERT_GT(server.port(), 0) << server.log();
  const std::vector<std::vector<std::string>> commands = {
      {"projects"},
      {"projects", "-f", "json"},
      {"projects", "-f", "table", "-s", "beta"},
      {"projects", "--similar", "alp", "-n", "2"},
      {"projects", "--cached", "-f", "fzf"},
      {"github"},
      {"github", "-f", "json", "--sort", "stars"},
      {"dirs"},
      {"dirs", "-f", "json"},
      {"jump", "gam"},
      {"jump", "nothing-matches"},
      {"integrity"},
      {"integrity", "-f", "json", "--quick"},
  };
  for (const auto& args : commands) {
    std::string name;
    for (auto& a : args) name += a + " ";
    auto local = w.env.gum(args);
    // Two clients at once, one with --remote and one with GUM_REMOTE.
    run_result via_flag, via_env;
    std::thread other([&] { via_flag = w.remote(server, args); });
    {
      auto argv = std::vector<std::string>{GUM_BINARY};
      argv.insert(argv.end(), args.begin(), args.end());
      auto env = w.env.environment();
      env.push_back("GUM_REMOTE=" + server.address());
      via_env = testing::run_process(argv, env);
    }
    other.join();
    EXPECT_EQ(via_flag.exit_code, local.exit_code) << name << via_flag.err;
    EXPECT_EQ(via_flag.out, local.out) << name;
    EXPECT_EQ(via_env.exit_code, local.exit_code) << name << via_env.err;
    EXPECT_EQ(via_env.out, local.out) << name;
  }
  auto version = w.remote(server, {"version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find("server " + server.address() + ": gum "), std::string::npos)
      << version.out;
  EXPECT_EQ(version.out.rfind(w.env.gum({"version"}).out, 0), 0u) << version.out;
  // The shell hook's `gum add` stays local with GUM_REMOTE set.
  auto argv = std::vector<std::string>{GUM_BINARY, "add", w.root + "/group/Beta"};
  auto env = w.env.environment();
  env.push_back("GUM_REMOTE=" + server.address());
  EXPECT_EQ(testing::run_process(argv, env).exit_code, 0);
  // The embedding example (examples/remote_client) reads the same list.
  auto example = testing::run_process(
      {GUM_REMOTE_EXAMPLE, "127.0.0.1", std::to_string(server.port())}, w.env.environment());
  EXPECT_EQ(example.exit_code, 0) << example.err;
  EXPECT_EQ(example.out, w.env.gum({"projects", "-f", "simple"}).out);
  EXPECT_TRUE(server.wait_for("client 2 connected", 10000)) << server.log();
  EXPECT_TRUE(server.wait_for("disconnected", 10000)) << server.log();
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
}

TEST(Serve, CommandsThatMakeNoSenseRemotelyAreUsageErrors) {
  world w;
  server_process server(w.env, {"serve", "--port", "0"});
  ASSERT_GT(server.port(), 0) << server.log();
  for (auto args : std::vector<std::vector<std::string>>{{"add", "/tmp"},
                                                         {"stress"},
                                                         {"clone", "me/alpha"},
                                                         {"migrate"},
                                                         {"integrity", "--repair"},
                                                         {"projects", "--clear-cache"},
                                                         {"dirs", "--refresh"}}) {
    auto r = w.remote(server, args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << r.err;
    EXPECT_EQ(r.err.rfind("gum: ", 0), 0u) << r.err;
  }
  // Nothing was cleared on the server.
  EXPECT_EQ(testing::sqlite_text(w.env.db_path(), "SELECT count(*) FROM projects"), "3");
  auto bad = w.env.gum({"--remote", "no-port-here", "projects"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

TEST(Serve, IntegrityRepairRunsRemotelyWhenTheServerAllowsIt) {
  world w;
  // A link to a repository that does not exist (written without foreign keys, as damage is).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(w.env.db_path().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE projects SET github_repo_id = 999 WHERE name = 'alpha'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  {
    server_process refusing(w.env, {"serve", "--port", "0"});
    ASSERT_GT(refusing.port(), 0) << refusing.log();
    auto refused = w.remote(refusing, {"integrity", "--repair"});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("not allowed by the gum server"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.out, "");
    EXPECT_EQ(refusing.stop(SIGTERM, 20000), std::optional<int>(0)) << refusing.log();
  }
  server_process server(w.env, {"serve", "--port", "0", "--allow-repair"});
  ASSERT_GT(server.port(), 0) << server.log();
  auto audit = w.remote(server, {"integrity"});
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  auto repair = w.remote(server, {"integrity", "--repair"});
  EXPECT_EQ(repair.exit_code, 0) << repair.out << repair.err;
  EXPECT_NE(repair.out.find("unlinked project " + w.root + "/alpha"), std::string::npos)
      << repair.out;
  EXPECT_EQ(w.remote(server, {"integrity"}).exit_code, 0);
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
  EXPECT_EQ(w.env.gum({"integrity"}).exit_code, 0);
}

TEST(Serve, UnreachableServerIsExitFive) {
  world w;
  // A port that was free a moment ago: nothing listens there.
  int port = 0;
  {
    server_process s(w.env, {"serve", "--port", "0"});
    port = s.port();
    ASSERT_EQ(s.stop(SIGTERM, 20000), std::optional<int>(0)) << s.log();
  }
  auto r = w.env.gum({"--remote", "127.0.0.1:" + std::to_string(port), "projects"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err.rfind("gum: cannot connect to the gum server at 127.0.0.1:", 0), 0u) << r.err;
}

TEST(Serve, ConcurrentReadsAndASyncLeaveIntegrityClean) {
  world w;
  testing::fixture_process github;
  ASSERT_GT(github.port(), 0);
  // Only the server has the token: the clients' environment has none.
  server_process server(w.env, {"serve", "--port", "0"},
                        {"GH_TOKEN=server-secret-token",
                         "GUM_GITHUB_API_URL=http://127.0.0.1:" + std::to_string(github.port())});
  ASSERT_GT(server.port(), 0) << server.log();
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int c = 0; c < 2; ++c)
    readers.emplace_back([&, c] {
      for (int i = 0; i < 5; ++i) {
        auto r = w.remote(server, c == 0 ? std::vector<std::string>{"projects", "-f", "json"}
                                         : std::vector<std::string>{"github", "-n", "3"});
        if (r.exit_code != 0) ++failures;
      }
    });
  auto sync = w.remote(server, {"sync", "--type", "full"});
  for (auto& t : readers) t.join();
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_EQ(sync.out.rfind("Sync completed (full): ", 0), 0u) << sync.out;
  EXPECT_EQ(sync.out.find("server-secret-token"), std::string::npos);
  EXPECT_EQ(failures.load(), 0);
  auto remote_integrity = w.remote(server, {"integrity"});
  EXPECT_EQ(remote_integrity.exit_code, 0) << remote_integrity.out;
  auto github_local = w.env.gum({"github", "-f", "json"});
  EXPECT_EQ(w.remote(server, {"github", "-f", "json"}).out, github_local.out);
  EXPECT_NE(github_local.out, "[]\n");
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
  EXPECT_EQ(w.env.gum({"integrity"}).exit_code, 0);
}

TEST(Serve, ClientKilledMidRequestDoesNotDisturbTheServer) {
  world w;
  server_process server(w.env, {"--debug", "serve", "--port", "0"},
                        {"GUM_TEST_TX_DELAY_MS=1500"});
  ASSERT_GT(server.port(), 0) << server.log();
  auto env = w.env.environment();
  pid_t client = testing::start_process(
      {GUM_BINARY, "--remote", server.address(), "projects", "--refresh"}, env);
  ASSERT_GT(client, 0);
  ASSERT_TRUE(server.wait_for("serve: request refresh", 20000)) << server.log();
  kill(client, SIGKILL);
  waitpid(client, nullptr, 0);
  auto r = w.remote(server, {"projects", "-f", "simple"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, w.env.gum({"projects", "-f", "simple", "--cached"}).out);
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
}

TEST(Serve, ServerKilledMidRequestIsExitFiveForTheClient) {
  world w;
  server_process server(w.env, {"--debug", "serve", "--port", "0"},
                        {"GUM_TEST_TX_DELAY_MS=5000"});
  ASSERT_GT(server.port(), 0) << server.log();
  run_result r;
  std::thread client([&] { r = w.remote(server, {"projects", "--refresh"}); });
  ASSERT_TRUE(server.wait_for("serve: request refresh", 20000)) << server.log();
  kill(server.pid(), SIGKILL);
  client.join();
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err, "gum: lost the connection to the gum server at " + server.address() + "\n");
}

TEST(Serve, NonLoopbackBindWithoutTlsIsRefused) {
  test_env env;
  auto r = env.gum({"serve", "--bind", "0.0.0.0", "--port", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("without TLS"), std::string::npos) << r.err;
  auto partial = env.gum({"serve", "--port", "0", "--tls-cert", "/nonexistent"});
  EXPECT_EQ(partial.exit_code, 2) << partial.err;
}

TEST(Serve, ProtocolMismatchIsReportedClearly) {
  world w;
  server_process server(w.env, {"serve", "--port", "0"}, {"GUM_TEST_PROTOCOL_VERSION=999"});
  ASSERT_GT(server.port(), 0) << server.log();
  auto r = w.remote(server, {"projects"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("protocol mismatch: the gum server at " + server.address() +
                       " speaks protocol 999, this gum speaks 1"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(Serve, SigtermWaitsForTheWriteInFlightAndFlushesIt) {
  world w;
  // A new project that only a refresh on the server will index.
  test_env::make_repo(w.root + "/delta");
  server_process server(w.env, {"--debug", "serve", "--port", "0"},
                        {"GUM_TEST_TX_DELAY_MS=1500"});
  ASSERT_GT(server.port(), 0) << server.log();
  run_result r;
  std::thread client([&] { r = w.remote(server, {"projects", "--refresh"}); });
  ASSERT_TRUE(server.wait_for("serve: request refresh", 20000)) << server.log();
  auto status = server.stop(SIGTERM, 30000);
  client.join();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << server.log();
  EXPECT_NE(server.log().find("gum: test: committed"), std::string::npos) << server.log();
  EXPECT_NE(server.log().find("1 requests were in flight"), std::string::npos) << server.log();
  EXPECT_EQ(testing::sqlite_text(w.env.db_path(), "SELECT count(*) FROM projects"), "4");
  // The refresh was answered; the list that follows it is refused by a stopping server.
  EXPECT_EQ(r.exit_code, 5) << r.err;
}

// Mutual TLS: a CA, a server certificate and a client certificate made with the openssl CLI.
struct certificates {
  std::string dir;
  bool ok = true;
  explicit certificates(const std::string& folder) : dir(folder) {
    testing::fs::create_directories(dir);
    auto sh = [&](const std::string& cmd) {
      auto r = testing::run_process({"/bin/sh", "-c", "cd " + dir + " && " + cmd},
                                    {"PATH=/usr/bin:/bin"});
      if (r.exit_code != 0) ok = false;
    };
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    sh("openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=gum-test-ca");
    sh("openssl req -x509 " + ec + " -keyout rogue.key -out rogue.pem -days 2 -subj /CN=rogue");
    for (std::string who : {"server", "client", "stranger"}) {
      const std::string ca = who == "stranger" ? "rogue" : "ca";
      sh("openssl req " + ec + " -keyout " + who + ".key -out " + who + ".csr -subj /CN=" + who);
      sh("openssl x509 -req -in " + who + ".csr -CA " + ca + ".pem -CAkey " + ca +
         ".key -CAcreateserial -out " + who + ".pem -days 2");
    }
  }
};

TEST(Serve, MutualTlsAcceptsASignedClientCertificateAndRefusesOthers) {
  world w;
  certificates certs(w.env.root() + "/certs");
  ASSERT_TRUE(certs.ok);
  const std::string d = certs.dir + "/";
  server_process server(w.env, {"serve", "--port", "0", "--tls-cert", d + "server.pem",
                                "--tls-key", d + "server.key", "--tls-ca", d + "ca.pem"});
  ASSERT_GT(server.port(), 0) << server.log();
  EXPECT_NE(server.log().find("(mutual TLS)"), std::string::npos);
  auto with_cert = w.remote(server, {"--remote-cert", d + "client.pem", "--remote-key",
                                     d + "client.key", "--remote-ca", d + "ca.pem", "projects"});
  EXPECT_EQ(with_cert.exit_code, 0) << with_cert.err;
  EXPECT_EQ(with_cert.out, w.env.gum({"projects"}).out);
  auto example = testing::run_process({GUM_REMOTE_EXAMPLE, "127.0.0.1",
                                       std::to_string(server.port()), d + "client.pem",
                                       d + "client.key", d + "ca.pem"},
                                      w.env.environment());
  EXPECT_EQ(example.exit_code, 0) << example.err;
  EXPECT_EQ(example.out, w.env.gum({"projects", "-f", "simple"}).out);
  auto stranger = w.remote(server, {"--remote-cert", d + "stranger.pem", "--remote-key",
                                    d + "stranger.key", "--remote-ca", d + "ca.pem", "projects"});
  EXPECT_EQ(stranger.exit_code, 5) << stranger.err;
  EXPECT_TRUE(stranger.out.empty());
  w.env.vars["GUM_REMOTE_TIMEOUT"] = "3";  // a plain client never completes the handshake
  auto plain = w.remote(server, {"projects"});
  EXPECT_EQ(plain.exit_code, 5) << plain.err;
  EXPECT_TRUE(plain.out.empty());
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
}

// ---- the server's readers (actors/cache.hpp keep_lists, actors/server.hpp) ------------------

// Runs `sql` on the database at `path` (read-write): a commit by another connection.
void sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

// A value as CAF's binary serializer writes it: equal bytes, equal values.
template <class T>
std::vector<char> wire_bytes(caf::actor_system& system, T value) {
  std::vector<char> bytes;
  caf::binary_serializer sink{system, bytes};
  EXPECT_FALSE(sink(value));
  return bytes;
}

// A world with synced repositories too (the fixture's, through a local `gum sync`).
struct synced_world : world {
  testing::fixture_process github{{"--repos", "40"}};
  synced_world() {
    test_env::make_repo(root + "/group/delta-parser", "https://github.com/me/delta.git", "main");
    test_env::make_repo(root + "/alpine", "", "main");
    env.vars["GH_TOKEN"] = "test-token";
    env.vars["GUM_GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(github.port());
    EXPECT_EQ(env.gum({"projects", "--refresh"}).exit_code, 0);
    auto sync = env.gum({"sync", "--type", "full"});
    EXPECT_EQ(sync.exit_code, 0) << sync.err;
  }
};

// Every read a reader that keeps its lists answers must be the one a plain cache reads from
// the database: the same rows, and for a whole list the same bytes on the wire.
void expect_kept_answers_equal_plain(caf::actor_system& system, const cache_actor& plain,
                                     const cache_actor& kept) {
  caf::scoped_actor self{system};
  auto ask_projects = [&](const cache_actor& cache, const project_query& q) {
    projects_reply reply;
    self->request(cache, std::chrono::seconds(30), projects_atom::value, q)
        .receive([&](projects_reply& r) { reply = std::move(r); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return reply;
  };
  std::vector<project_query> queries(9);
  queries[1].search = "a";
  queries[2].search = "Beta";
  queries[3].limit = 2;
  queries[4].search = "a";
  queries[4].limit = 1;
  queries[5].similar = "alp";
  queries[6].similar = "delta";
  queries[6].limit = 1;
  queries[7].with_github = true;
  queries[8].with_github = true;
  queries[8].search = "delta";
  for (auto& q : queries) {
    q.build_if_missing = false;
    SCOPED_TRACE("search '" + q.search + "' similar '" + q.similar + "' limit " +
                 std::to_string(q.limit) + (q.with_github ? " with github" : ""));
    auto want = ask_projects(plain, q);
    auto got = ask_projects(kept, q);
    EXPECT_FALSE(want.serialized_projects);
    EXPECT_EQ(got.hit, want.hit);
    EXPECT_EQ(got.stale_reason, want.stale_reason);
    const bool whole = q.search.empty() && q.similar.empty() && q.limit < 0;
    if (whole) {
      ASSERT_TRUE(got.serialized_projects);
      EXPECT_TRUE(got.projects.empty());
      EXPECT_EQ(*got.serialized_projects, wire_bytes(system, want.projects));
      // And the whole reply, as the server sends it, reads back as the plain reply.
      auto bytes = wire_bytes(system, got);
      EXPECT_EQ(bytes, wire_bytes(system, want));
      projects_reply back;
      caf::binary_deserializer source{system, bytes};
      EXPECT_FALSE(source(back));
      EXPECT_EQ(wire_bytes(system, back.projects), wire_bytes(system, want.projects));
    } else {
      EXPECT_FALSE(got.serialized_projects);
      EXPECT_EQ(wire_bytes(system, got.projects), wire_bytes(system, want.projects));
    }
  }
  auto ask_github = [&](const cache_actor& cache, const github_query& q) {
    std::vector<github_repo> repos;
    self->request(cache, std::chrono::seconds(30), github_atom::value, q)
        .receive([&](std::vector<github_repo>& r) { repos = std::move(r); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return repos;
  };
  std::vector<github_query> filters(7);
  filters[1].sort = "stars";
  filters[1].limit = 5;
  filters[2].sort = "pushed";
  filters[3].language = "rust";
  filters[4].topic = "CLI";
  filters[4].sort = "stars";
  filters[5].archived = 0;
  filters[5].search = "a";
  filters[5].limit = 3;
  filters[6].archived = 1;
  for (auto& q : filters) {
    SCOPED_TRACE("github search '" + q.search + "' language '" + q.language + "' topic '" +
                 q.topic + "' sort " + q.sort + " limit " + std::to_string(q.limit));
    auto want = ask_github(plain, q);
    EXPECT_EQ(wire_bytes(system, ask_github(kept, q)), wire_bytes(system, want));
  }
}

TEST(ServeReaders, KeptListsAnswerAsTheDatabaseAndFollowOtherConnectionsCommits) {
  synced_world w;
  ASSERT_NE(testing::sqlite_text(w.env.db_path(), "SELECT count(*) FROM github_repos"), "0");
  caf::actor_system_config cfg;
  add_message_types(cfg);
  caf::actor_system system{cfg};
  cache_options opts{w.env.db_path(), 5000, w.env.home(), {w.root}, 0, 0};
  auto plain = spawn_cache(system, opts, scanner_actor{});
  opts.keep_lists = true;
  auto kept = spawn_cache(system, opts, scanner_actor{});
  {
    SCOPED_TRACE("as synced");
    expect_kept_answers_equal_plain(system, plain, kept);
  }
  // Other connections commit: a refresh by another process (a new project), and changes to
  // the synced repositories. The kept lists must not answer from before.
  test_env::make_repo(w.root + "/zeta-new");
  ASSERT_EQ(w.env.gum({"projects", "--refresh"}).exit_code, 0);
  sqlite_exec(w.env.db_path(),
              "UPDATE github_repos SET stars = stars + 1000, language = 'Rust' "
              "WHERE id = (SELECT min(id) FROM github_repos)");
  {
    SCOPED_TRACE("after other connections committed");
    expect_kept_answers_equal_plain(system, plain, kept);
  }
  caf::anon_send_exit(plain, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(kept, caf::exit_reason::user_shutdown);
}

TEST(ServeReaders, RemoteReadsSeeWhatALocalProcessCommittedMeanwhile) {
  synced_world w;
  // One reader, so that the list read first is the one asked again.
  server_process server(w.env, {"serve", "--port", "0", "--readers", "1"});
  ASSERT_GT(server.port(), 0) << server.log();
  for (auto args : std::vector<std::vector<std::string>>{{"projects", "--cached"},
                                                         {"github", "-f", "json"}}) {
    EXPECT_EQ(w.remote(server, args).out, w.env.gum(args).out);
  }
  test_env::make_repo(w.root + "/zeta-new");
  ASSERT_EQ(w.env.gum({"projects", "--refresh"}).exit_code, 0);
  sqlite_exec(w.env.db_path(), "UPDATE github_repos SET stars = stars + 1000");
  for (auto args : std::vector<std::vector<std::string>>{{"projects", "--cached"},
                                                         {"projects", "--cached", "-s", "zeta"},
                                                         {"github", "-f", "json"}}) {
    auto remote = w.remote(server, args);
    EXPECT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(remote.out, w.env.gum(args).out) << args[0];
  }
  EXPECT_NE(w.remote(server, {"projects", "--cached"}).out.find("zeta-new"), std::string::npos);
  EXPECT_EQ(server.stop(SIGTERM, 20000), std::optional<int>(0)) << server.log();
}

}  // namespace
}  // namespace gum
