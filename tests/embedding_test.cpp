// tests/embedding_test.cpp: gum as a library, used only through include/gum/ (SPEC §6).
//
// - embedding_install.*: installs the build to a temporary prefix, builds
//   examples/embed_service against it with find_package(gum) as an outside project would, runs
//   it on a temporary HOME, and checks what it printed and what it left in the database. It
//   takes a few seconds to a minute (cmake configure + compile); in the sanitizer build the
//   example is built with the same sanitizers as the library it links.
// - embedding_api.*: the engine in a test actor system. Several actors of our own send
//   concurrent requests; shutdown in the middle of a batch and shutdown racing a stream of
//   requests lose no acknowledged write (checked by reopening the file with the sqlite3 C API,
//   never through the engine that wrote it); errors arrive as gum::status values; and two
//   engines in two processes plus the gum CLI on one database stay consistent.
//   The second process of that last test is tests/embedding_child.cpp, a program of its own.
// - embedding_docs.*: docs/embedding.md carries the example's code verbatim.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gum/engine.hpp"
#include "tests/support/engine_host.hpp"
#include "tests/support/test_env.hpp"

namespace {

namespace fs = std::filesystem;
using gum::testing::engine_host;
using gum::testing::lines_of;
using gum::testing::run_process;
using gum::testing::run_result;
using gum::testing::test_env;
using gum::testing::visit_loop;

constexpr auto request_timeout = std::chrono::seconds(60);

// A read-only look at a database file through the sqlite3 C API, independent of the engine.
class sqlite_file {
 public:
  explicit sqlite_file(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~sqlite_file() { sqlite3_close(db_); }
  sqlite_file(const sqlite_file&) = delete;
  sqlite_file& operator=(const sqlite_file&) = delete;

  // Every row's columns, as text ("NULL" for null).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        auto* text = sqlite3_column_text(stmt, i);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

  // The first column of every row.
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    for (auto& row : rows(sql)) out.push_back(row.empty() ? "" : row[0]);
    return out;
  }

  int64_t integer(const std::string& sql) {
    auto values = column(sql);
    return values.empty() ? -1 : std::stoll(values[0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

gum::engine_options options_for(const test_env& env, const std::string& db,
                                std::vector<std::string> roots) {
  gum::engine_options o;
  o.database_path = db;
  o.home = env.home();
  o.config.roots = std::move(roots);
  o.config.roots_source = "config";
  return o;
}

// Makes `count` repositories under `root`; returns their paths, sorted.
std::vector<std::string> make_repos(const std::string& root, int count) {
  std::vector<std::string> paths;
  for (int i = 0; i < count; ++i) {
    auto path = root + "/repo" + std::to_string(10 + i);
    test_env::make_repo(path, i % 2 ? "https://github.com/acme/repo" + std::to_string(10 + i)
                                    : std::string());
    paths.push_back(path);
  }
  return paths;
}

std::vector<std::string> paths_of(const std::vector<gum::project>& projects) {
  std::vector<std::string> out;
  for (auto& p : projects) out.push_back(p.path);
  return out;
}

// Waits for every actor in `actors` to terminate.
void wait_for_all(caf::actor_system& system, const std::vector<caf::actor>& actors) {
  caf::scoped_actor self{system};
  for (auto& a : actors) self->wait_for(a);
}

// ---- embedding_install -------------------------------------------------------------------

#if defined(__SANITIZE_ADDRESS__)
#define GUM_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GUM_TEST_SANITIZED 1
#endif
#endif

// Finds `name` anywhere under `dir` (the install's libdir depends on the platform).
std::string find_under(const std::string& dir, const std::string& name) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().filename() == name) return it->path().string();
  return {};
}

TEST(embedding_install, example_builds_against_the_installed_package_and_runs) {
  test_env env;
  auto prefix = env.root() + "/prefix";
  auto example_build = env.root() + "/example-build";
  auto cmake = [&](std::vector<std::string> args, int timeout_s) {
    args.insert(args.begin(), {"/usr/bin/env", "cmake"});
    return run_process(args, env.environment(), {}, timeout_s);
  };

  // 1. Install: the library, the headers and the CMake package.
  auto installed = cmake({"--install", GUM_BUILD_DIR, "--prefix", prefix}, 120);
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  EXPECT_TRUE(fs::exists(prefix + "/include/gum/engine.hpp"));
  EXPECT_TRUE(fs::exists(prefix + "/include/gum/messages.hpp"));
  EXPECT_TRUE(fs::exists(prefix + "/include/gum/options.hpp"));
  EXPECT_FALSE(fs::exists(prefix + "/include/gum/build_info.hpp"));  // private stays private
  EXPECT_FALSE(find_under(prefix, "libgum_engine.a").empty());
  auto config_file = find_under(prefix, "gumConfig.cmake");
  ASSERT_FALSE(config_file.empty());
  EXPECT_TRUE(fs::exists(fs::path(config_file).parent_path() / "FindCAF.cmake"));
  EXPECT_TRUE(fs::exists(fs::path(config_file).parent_path() / "gumTargets.cmake"));

  // 2. Configure and build the example as an outside project: only the prefix is known.
  std::vector<std::string> configure = {
      "-S", std::string(GUM_SOURCE_DIR) + "/examples/embed_service", "-B", example_build,
      "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release",
      std::string("-DCMAKE_CXX_COMPILER=") + GUM_CXX_COMPILER};
#ifdef GUM_TEST_SANITIZED
  // The installed library is sanitized here: an embedder of such a build must link the
  // sanitizer runtimes too, so the example is built with the same flags.
  configure.push_back("-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer");
  configure.push_back("-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined");
#endif
  auto configured = cmake(configure, 180);
  ASSERT_EQ(configured.exit_code, 0) << configured.out << configured.err;
  auto built = cmake({"--build", example_build}, 300);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  auto exe = example_build + "/embed_service";
  ASSERT_TRUE(fs::exists(exe));

  // 3. Run it on a temporary HOME with three repositories.
  auto root = env.home() + "/projects";
  test_env::make_repo(root + "/alpha", "https://github.com/acme/alpha.git");
  test_env::make_repo(root + "/beta", {}, "develop");
  test_env::make_repo(root + "/gamma");
  auto db = env.root() + "/service/gum.db";
  auto run = run_process({exe, db, root + "/"}, env.environment(), {}, 120);
  auto lines = lines_of(run.out);
  ASSERT_GE(lines.size(), 6u) << run.out << run.err;
  EXPECT_EQ(lines[0].rfind("refreshed: 3 projects (3 added, 0 removed) in ", 0), 0u) << run.out;
  EXPECT_EQ(lines[1], "project: " + root + "/alpha (https://github.com/acme/alpha.git)");
  EXPECT_EQ(lines[2], "project: " + root + "/beta [develop]");
  EXPECT_EQ(lines[3], "project: " + root + "/gamma [main]");
  EXPECT_EQ(lines[4], "visited: " + root + "/alpha (1 recorded)");
  EXPECT_EQ(lines[5], "dir: " + root + "/alpha rank 1");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(lines.back(), "integrity: ok") << run.out;
  EXPECT_EQ(run.err, "");

  // 4. What it wrote is on disk, committed: read it back independently.
  {
    sqlite_file file(db);
    EXPECT_EQ(file.rows("SELECT path, rank FROM dir_usage"),
              (std::vector<std::vector<std::string>>{{root + "/alpha", "1.0"}}));
    EXPECT_EQ(file.column("SELECT path FROM projects ORDER BY path"),
              (std::vector<std::string>{root + "/alpha", root + "/beta", root + "/gamma"}));
  }
  // ...and the installed CLI sees the same index in the same file.
  auto cli = run_process({prefix + "/bin/gum", "--db", db, "projects", "-f", "simple"},
                         env.environment());
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out, root + "/alpha\n" + root + "/beta\n" + root + "/gamma\n");

  // 5. A database that is not SQLite: the example reports it with the database exit code.
  auto bad_db = env.root() + "/not-a-db";
  test_env::write_file(bad_db, std::string(4096, 'x'));
  auto bad = run_process({exe, bad_db, root}, env.environment());
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
  EXPECT_EQ(bad.err.rfind("embed_service: ", 0), 0u) << bad.err;
  EXPECT_EQ(test_env::read_file(bad_db), std::string(4096, 'x'));
}

// ---- embedding_api: concurrent requests from several actors ------------------------------

struct client_log {
  std::mutex mutex;
  std::vector<gum::refresh_result> refreshes;
  std::vector<std::vector<std::string>> listings;
  int64_t visits_acked = 0;
  std::vector<std::string> errors;
};

// One client: a refresh, a projects query and one visit per directory, all in flight at once.
// It quits when every request has been answered.
caf::behavior concurrent_client(caf::event_based_actor* self, gum::engine_actor engine,
                                std::vector<std::string> dirs, std::shared_ptr<client_log> log) {
  auto pending = std::make_shared<size_t>(dirs.size() + 2);
  auto done = [self, pending] {
    if (--*pending == 0) self->quit();
  };
  auto on_error = [log, done](caf::error& err) {
    {
      std::lock_guard<std::mutex> lock(log->mutex);
      log->errors.push_back(gum::to_status(err).message);
    }
    done();
  };
  self->request(engine, request_timeout, gum::refresh_atom::value)
      .then(
          [log, done](gum::refresh_result& r) {
            {
              std::lock_guard<std::mutex> lock(log->mutex);
              log->refreshes.push_back(std::move(r));
            }
            done();
          },
          on_error);
  for (size_t i = 0; i < dirs.size(); ++i) {
    if (i == dirs.size() / 2) {
      self->request(engine, request_timeout, gum::projects_atom::value, gum::project_query{})
          .then(
              [log, done](gum::projects_reply& reply) {
                {
                  std::lock_guard<std::mutex> lock(log->mutex);
                  log->listings.push_back(paths_of(reply.projects));
                }
                done();
              },
              on_error);
    }
    self->request(engine, request_timeout, gum::visit_atom::value,
                  std::vector<std::string>{dirs[i]})
        .then(
            [log, done](int64_t n) {
              {
                std::lock_guard<std::mutex> lock(log->mutex);
                log->visits_acked += n;
              }
              done();
            },
            on_error);
  }
  return {};
}

TEST(embedding_api, concurrent_requests_from_several_actors_all_get_correct_replies) {
  test_env env;
  auto root = env.home() + "/projects";
  auto repos = make_repos(root, 6);
  constexpr int clients = 4;
  constexpr int visits_per_client = 40;
  std::vector<std::string> all_dirs;
  {
    engine_host host;
    ASSERT_TRUE(host.start(options_for(env, env.db_path(), {root})).ok());
    auto log = std::make_shared<client_log>();
    std::vector<caf::actor> actors;
    for (int c = 0; c < clients; ++c) {
      std::vector<std::string> dirs;
      for (int i = 0; i < visits_per_client; ++i)
        dirs.push_back(env.home() + "/work/c" + std::to_string(c) + "/d" + std::to_string(i));
      // Every client also visits one shared directory: its rank must count every visit.
      dirs.push_back(env.home() + "/shared");
      all_dirs.insert(all_dirs.end(), dirs.begin(), dirs.end() - 1);
      actors.push_back(host.system().spawn(concurrent_client, host.engine->handle(), dirs, log));
    }
    wait_for_all(host.system(), actors);

    EXPECT_TRUE(log->errors.empty()) << log->errors.front();
    ASSERT_EQ(log->refreshes.size(), size_t{clients});
    int64_t added = 0;
    for (auto& r : log->refreshes) {
      EXPECT_EQ(r.projects, 6);  // every refresh sees the whole tree, never a part of it
      EXPECT_EQ(r.removed, 0);
      added += r.added;
    }
    EXPECT_LE(added, 6);
    ASSERT_EQ(log->listings.size(), size_t{clients});
    for (auto& listing : log->listings) EXPECT_EQ(listing, repos);  // built, sorted, complete
    EXPECT_EQ(log->visits_acked, clients * (visits_per_client + 1));

    // Read-your-writes through the engine: every acknowledged visit is visible.
    std::vector<gum::dir_entry> dirs;
    gum::dir_query query;
    query.only_existing = false;
    ASSERT_TRUE(host.engine->call(dirs, gum::dirs_atom::value, query).ok());
    EXPECT_EQ(dirs.size(), all_dirs.size() + 1);
    ASSERT_FALSE(dirs.empty());
    EXPECT_EQ(dirs.front().path, env.home() + "/shared");  // highest rank first
    EXPECT_DOUBLE_EQ(dirs.front().rank, clients);
    ASSERT_TRUE(host.engine->shutdown().ok());
  }
  // Reopened independently: exactly what was acknowledged.
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage"), clients * visits_per_client + 1);
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage WHERE rank = 1.0"),
            clients * visits_per_client);
  EXPECT_EQ(file.integer("SELECT count(*) FROM projects"), 6);
  EXPECT_EQ(file.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// ---- embedding_api: shutdown -------------------------------------------------------------

TEST(embedding_api, shutdown_in_the_middle_of_a_batch_commits_every_acknowledged_write) {
  test_env env;
  constexpr int writes = 300;
  std::set<std::string> sent;
  {
    engine_host host;
    auto options = options_for(env, env.db_path(), {});
    options.writer_batch_size = 1000000;       // never flushes on size...
    options.writer_flush_interval_ms = 10000;  // ...nor on time during this test
    ASSERT_TRUE(host.start(options).ok());
    auto engine = host.engine->handle();
    caf::scoped_actor self{host.system()};
    // Fire the writes without waiting for any of them.
    for (int i = 0; i < writes; ++i) {
      auto dir = env.home() + "/batch/d" + std::to_string(i);
      sent.insert(dir);
      self->send(engine, gum::visit_atom::value, std::vector<std::string>{dir});
    }
    // A read from the same sender is handled after the front has passed every write on to the
    // writer; it still sees none of them, because the batch is open.
    gum::dir_query query;
    query.only_existing = false;
    size_t visible = 99;
    self->request(engine, request_timeout, gum::dirs_atom::value, query)
        .receive([&](std::vector<gum::dir_entry>& dirs) { visible = dirs.size(); },
                 [&](caf::error& err) { ADD_FAILURE() << caf::to_string(err); });
    EXPECT_EQ(visible, 0u);
    {
      sqlite_file file(env.db_path());
      EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage"), 0);
    }

    // Shutdown flushes the open batch; every sender is answered before it returns.
    ASSERT_TRUE(host.engine->shutdown().ok());
    int64_t acked = 0;
    int errors = 0;
    bool quiet = false;
    while (acked + errors < writes && !quiet) {
      self->receive([&](int64_t n) { acked += n; },
                    [&](caf::error& err) {
                      ++errors;
                      ADD_FAILURE() << caf::to_string(err);
                    },
                    caf::after(std::chrono::seconds(5)) >> [&] { quiet = true; });
    }
    EXPECT_EQ(acked, writes);
    EXPECT_EQ(errors, 0);
  }
  // Reopen: through a new engine, and independently through sqlite3.
  {
    engine_host host;
    ASSERT_TRUE(host.start(options_for(env, env.db_path(), {})).ok());
    std::vector<gum::dir_entry> dirs;
    gum::dir_query query;
    query.only_existing = false;
    ASSERT_TRUE(host.engine->call(dirs, gum::dirs_atom::value, query).ok());
    std::set<std::string> seen;
    for (auto& d : dirs) {
      seen.insert(d.path);
      EXPECT_DOUBLE_EQ(d.rank, 1.0) << d.path;
    }
    EXPECT_EQ(seen, sent);
  }
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage"), writes);
  EXPECT_EQ(file.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

struct stream_log {
  std::mutex mutex;
  std::set<std::string> acked;
  std::vector<gum::status> errors;
  std::atomic<int> acked_count{0};
  int sent = 0;
};

// Keeps `window` visits in flight, one new request per reply, until `total` were sent or the
// first error (the engine is gone); quits when nothing is in flight.
caf::behavior stream_visitor(caf::event_based_actor* self, gum::engine_actor engine,
                             std::string prefix, int total, int window,
                             std::shared_ptr<stream_log> log) {
  struct stream {
    int in_flight = 0;
    bool stopped = false;
  };
  auto st = std::make_shared<stream>();
  auto send_next = std::make_shared<std::function<void()>>();
  *send_next = [=] {
    if (st->stopped || log->sent >= total) {
      if (st->in_flight == 0) self->quit();
      return;
    }
    auto dir = prefix + "/s" + std::to_string(log->sent++);
    ++st->in_flight;
    self->request(engine, request_timeout, gum::visit_atom::value, std::vector<std::string>{dir})
        .then(
            [=](int64_t) {
              {
                std::lock_guard<std::mutex> lock(log->mutex);
                log->acked.insert(dir);
              }
              ++log->acked_count;
              --st->in_flight;
              (*send_next)();
            },
            [=](caf::error& err) {
              {
                std::lock_guard<std::mutex> lock(log->mutex);
                log->errors.push_back(gum::to_status(err));
              }
              st->stopped = true;
              --st->in_flight;
              (*send_next)();
            });
  };
  for (int i = 0; i < window; ++i) (*send_next)();
  // The closure refers to itself; break the cycle when the actor is done.
  self->attach_functor([send_next] { *send_next = nullptr; });
  return {};
}

TEST(embedding_api, shutdown_racing_a_stream_of_writes_loses_no_acknowledged_write) {
  test_env env;
  auto log = std::make_shared<stream_log>();
  {
    engine_host host;
    auto options = options_for(env, env.db_path(), {});
    options.writer_batch_size = 64;
    options.writer_flush_interval_ms = 5;
    ASSERT_TRUE(host.start(options).ok());
    auto visitor = host.system().spawn(stream_visitor, host.engine->handle(),
                                       env.home() + "/stream", 100000, 32, log);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (log->acked_count < 300 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_GE(log->acked_count, 300);
    ASSERT_TRUE(host.engine->shutdown().ok());  // while up to 32 visits are in flight
    wait_for_all(host.system(), {visitor});
  }
  // Every request was answered, and the file holds exactly the acknowledged writes: an error
  // reply means nothing of that request was written.
  EXPECT_EQ(static_cast<int>(log->acked.size() + log->errors.size()), log->sent);
  RecordProperty("acked", static_cast<int>(log->acked.size()));
  RecordProperty("errors", static_cast<int>(log->errors.size()));
  for (auto& e : log->errors) EXPECT_EQ(e.message, "the gum engine has stopped");
  sqlite_file file(env.db_path());
  auto on_disk = file.column("SELECT path FROM dir_usage");
  EXPECT_EQ(std::set<std::string>(on_disk.begin(), on_disk.end()), log->acked);
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage WHERE rank <> 1.0"), 0);
  EXPECT_EQ(file.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

TEST(embedding_api, shutdown_is_idempotent_and_later_requests_fail_cleanly) {
  test_env env;
  engine_host host;
  ASSERT_TRUE(host.start(options_for(env, env.db_path(), {})).ok());
  int64_t n = 0;
  ASSERT_TRUE(
      host.engine->call(n, gum::visit_atom::value, std::vector<std::string>{"/tmp/x"}).ok());
  EXPECT_TRUE(host.engine->shutdown().ok());
  EXPECT_TRUE(host.engine->shutdown().ok());
  auto st = host.engine->call(n, gum::visit_atom::value, std::vector<std::string>{"/tmp/y"});
  EXPECT_EQ(st.code, gum::status_code::failure);  // the front is gone: no hang, an error
  EXPECT_EQ(st.message, "the gum engine has stopped");
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.column("SELECT path FROM dir_usage"), std::vector<std::string>{"/tmp/x"});
}

// A caller that cannot wait for ever gets a timeout status; the write it gave up on still
// commits (the wait was abandoned, not the request), and shutdown waits for it.
TEST(embedding_api, call_for_gives_up_after_its_timeout_and_the_write_still_commits) {
  test_env env;
  engine_host host;
  auto o = options_for(env, env.db_path(), {});
  {
    // Every commit holds its transaction this long (the engine reads the test aid at start).
    struct scoped_delay {
      scoped_delay() { ::setenv("GUM_TEST_TX_DELAY_MS", "1500", 1); }
      ~scoped_delay() { ::unsetenv("GUM_TEST_TX_DELAY_MS"); }
    } delay;
    ASSERT_TRUE(host.start(o).ok());
  }
  int64_t n = -1;
  auto started = std::chrono::steady_clock::now();
  auto st = host.engine->call_for(std::chrono::milliseconds(100), n, gum::visit_atom::value,
                                  std::vector<std::string>{"/tmp/slow"});
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(st.code, gum::status_code::failure);
  EXPECT_EQ(st.message, "no reply from the gum engine within 100 ms");
  EXPECT_EQ(n, -1);  // untouched
  EXPECT_LT(waited, std::chrono::milliseconds(1500));  // it did not wait for the commit
  ASSERT_TRUE(host.engine->shutdown().ok());
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.column("SELECT path FROM dir_usage"), std::vector<std::string>{"/tmp/slow"});
  // Within its timeout, call_for answers like call.
  engine_host again;
  ASSERT_TRUE(again.start(options_for(env, env.db_path(), {})).ok());
  EXPECT_TRUE(again.engine
                  ->call_for(std::chrono::milliseconds(10000), n, gum::visit_atom::value,
                             std::vector<std::string>{"/tmp/fast"})
                  .ok());
  EXPECT_EQ(n, 1);
}

// ---- embedding_api: errors ---------------------------------------------------------------

TEST(embedding_api, database_that_is_not_sqlite_fails_start_with_database_status) {
  test_env env;
  auto path = env.root() + "/not-sqlite.db";
  std::string garbage(8192, '\x5a');
  test_env::write_file(path, garbage);
  engine_host host;
  auto st = host.start(options_for(env, path, {}));
  EXPECT_EQ(st.code, gum::status_code::database) << st.message;
  EXPECT_FALSE(st.message.empty());
  EXPECT_EQ(host.engine, nullptr);  // nothing was spawned
  EXPECT_EQ(test_env::read_file(path), garbage);  // and nothing was touched
}

TEST(embedding_api, database_from_a_newer_schema_is_refused_and_left_alone) {
  test_env env;
  {
    engine_host host;
    ASSERT_TRUE(host.start(options_for(env, env.db_path(), {})).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(env.db_path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  engine_host host;
  auto st = host.start(options_for(env, env.db_path(), {}));
  EXPECT_EQ(st.code, gum::status_code::database) << st.message;
  EXPECT_EQ(host.engine, nullptr);
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.integer("PRAGMA user_version"), 999);
}

TEST(embedding_api, error_replies_map_to_gum_statuses) {
  test_env env;
  {
    engine_host host;
    ASSERT_TRUE(host.start(options_for(env, env.db_path(), {})).ok());
    int64_t removed = 0;
    auto st = host.engine->call(removed, gum::clear_atom::value, std::string("bogus"));
    EXPECT_EQ(st.code, gum::status_code::usage);
    EXPECT_NE(st.message.find("bogus"), std::string::npos) << st.message;
  }
  {
    // A read-only engine answers writes with a database error and writes nothing.
    engine_host host;
    auto options = options_for(env, env.db_path(), {});
    options.read_only = true;
    ASSERT_TRUE(host.start(options).ok());
    int64_t n = 0;
    auto st = host.engine->call(n, gum::visit_atom::value, std::vector<std::string>{"/tmp/a"});
    EXPECT_EQ(st.code, gum::status_code::database);
    EXPECT_NE(st.message.find("read-only"), std::string::npos) << st.message;
    gum::refresh_result refreshed;
    EXPECT_EQ(host.engine->call(refreshed, gum::refresh_atom::value).code,
              gum::status_code::database);
  }
  sqlite_file file(env.db_path());
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage"), 0);

  // make_error and to_status round-trip; a CAF error that is not gum's is a general failure.
  auto st = gum::to_status(
      gum::make_error(gum::status::fail(gum::status_code::network, "offline", "try later")));
  EXPECT_EQ(st.code, gum::status_code::network);
  EXPECT_EQ(st.message, "offline");
  EXPECT_EQ(st.hint, "try later");
  EXPECT_TRUE(gum::to_status(caf::error{}).ok());
  auto timeout = gum::to_status(caf::make_error(caf::sec::request_timeout));
  EXPECT_EQ(timeout.code, gum::status_code::failure);
  EXPECT_EQ(timeout.message, "no reply from the gum engine in time");
  auto stopped = gum::to_status(caf::make_error(caf::sec::request_receiver_down));
  EXPECT_EQ(stopped.message, "the gum engine has stopped");
  auto foreign = gum::to_status(caf::make_error(caf::sec::unexpected_message));
  EXPECT_EQ(foreign.code, gum::status_code::failure);
  EXPECT_EQ(foreign.message.rfind("internal error: ", 0), 0u) << foreign.message;
}

// ---- embedding_api: two engines in two processes -----------------------------------------

TEST(embedding_api, two_engines_in_two_processes_and_the_cli_on_one_database_stay_consistent) {
  test_env env;
  auto root = env.home() + "/projects";
  auto repos = make_repos(root, 8);
  env.write_config("projects: [" + root + "]\n");
  constexpr int child_visits = 300;
  auto db = env.db_path();

  // This process: one engine, created first so the schema exists before the others start.
  engine_host host;
  ASSERT_TRUE(host.start(options_for(env, db, {root})).ok());
  std::atomic<int> others_running{2};

  // Process 2: this test binary with its own engine.
  run_result child;
  std::thread child_thread([&] {
    child = run_process({GUM_EMBEDDING_CHILD, db, root, env.home() + "/child",
                         std::to_string(child_visits), std::to_string(repos.size())},
                        env.environment(), {}, 240);
    --others_running;
  });
  // Processes 3..: the gum CLI refreshing and reading; every listing must be complete.
  std::vector<run_result> cli_runs;
  std::thread cli_thread([&] {
    for (int i = 0; i < 5; ++i) {
      cli_runs.push_back(env.gum({"--db", db, "projects", "--refresh", "-f", "simple"}));
      cli_runs.push_back(env.gum({"--db", db, "projects", "-f", "simple"}));
    }
    --others_running;
  });
  // This engine writes for as long as the others run (and at least 50 visits).
  int parent_visits = 0;
  bool parent_ok = true;
  while (parent_ok && (others_running > 0 || parent_visits < 50)) {
    auto failed = visit_loop(*host.engine, env.home() + "/parent", parent_visits, 10,
                             static_cast<int64_t>(repos.size()));
    EXPECT_EQ(failed, "");
    parent_ok = failed.empty();
    parent_visits += 10;
  }
  child_thread.join();
  cli_thread.join();
  ASSERT_TRUE(host.engine->shutdown().ok());

  EXPECT_EQ(child.exit_code, 0) << child.out << child.err;
  EXPECT_NE(child.out.find("child acked " + std::to_string(child_visits)), std::string::npos)
      << child.out;
  std::string expected_listing;
  for (auto& r : repos) expected_listing += r + "\n";
  for (auto& r : cli_runs) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected_listing);
  }

  RecordProperty("parent_visits", parent_visits);
  int64_t total = child_visits + parent_visits;
  sqlite_file file(db);
  EXPECT_EQ(file.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(file.rows("PRAGMA foreign_key_check").empty());
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage"), total);
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage WHERE rank = 1.0"), total);
  EXPECT_EQ(file.integer("SELECT count(*) FROM dir_usage WHERE path LIKE '%/child/p%'"),
            child_visits);
  EXPECT_EQ(file.column("SELECT path FROM projects ORDER BY path"), repos);
  EXPECT_EQ(file.integer("SELECT item_count FROM cache_metadata WHERE cache_key = 'projects'"),
            static_cast<int64_t>(repos.size()));
  EXPECT_EQ(file.integer("SELECT item_count FROM cache_metadata WHERE cache_key = 'dirs'"), total);
}

// ---- docs --------------------------------------------------------------------------------

TEST(embedding_docs, embedding_md_shows_the_complete_example_verbatim) {
  auto doc = test_env::read_file(std::string(GUM_SOURCE_DIR) + "/docs/embedding.md");
  for (auto file : {"main.cpp", "CMakeLists.txt"}) {
    auto code = test_env::read_file(std::string(GUM_SOURCE_DIR) + "/examples/embed_service/" + file);
    ASSERT_FALSE(code.empty()) << file;
    EXPECT_NE(doc.find(code), std::string::npos)
        << "docs/embedding.md must contain examples/embed_service/" << file << " verbatim";
  }
}

}  // namespace
