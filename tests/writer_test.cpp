// tests/writer_test.cpp: the single writer actor (actors/writer.*).
//
// It batches requests into one transaction, answers each only after COMMIT, flushes on
// shutdown, isolates a failing request in its savepoint, and waits out a busy lock.
#include "actors/writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "tests/support/test_env.hpp"

namespace gum {
namespace {

using gum::testing::test_env;

struct writer_fixture : ::testing::Test {
  test_env env;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;
  std::shared_ptr<storage::database> db;
  std::atomic<int> commits{0};

  void SetUp() override {
    add_message_types(cfg);
    system = std::make_unique<caf::actor_system>(cfg);
    storage::open_options o;
    o.path = env.db_path();
    o.busy_timeout_ms = 300;
    db = std::make_shared<storage::database>(storage::database::open(o));
    sqlite3_commit_hook(
        db->handle(),
        [](void* counter) {
          ++*static_cast<std::atomic<int>*>(counter);
          return 0;
        },
        &commits);
  }

  // A second, independent connection: what other processes would see.
  storage::database reader() {
    storage::open_options o;
    o.path = env.db_path();
    o.read_only = true;
    return storage::database::open(o);
  }

  // Sends `n` visit requests without waiting, then collects every reply; returns the count.
  int send_visits(caf::scoped_actor& self, const writer_actor& w, int n) {
    using handle = decltype(self->request(w, caf::infinite, visit_atom::value,
                                          std::vector<std::string>{}));
    std::vector<handle> pending;
    for (int i = 0; i < n; ++i)
      pending.push_back(self->request(w, caf::infinite, visit_atom::value,
                                      std::vector<std::string>{"/d/" + std::to_string(i)}));
    int replies = 0;
    for (auto& h : pending)
      h.receive([&](int64_t count) { replies += static_cast<int>(count); },
                [&](caf::error& err) { ADD_FAILURE() << caf::to_string(err); });
    return replies;
  }

  void stop(const writer_actor& w) {
    caf::scoped_actor self{*system};
    self->send_exit(w, caf::exit_reason::user_shutdown);
    self->wait_for(w);
  }
};

TEST_F(writer_fixture, replies_only_after_the_write_is_committed) {
  auto w = spawn_writer(*system, db, writer_options{512, 0});
  caf::scoped_actor self{*system};
  int64_t seen_by_other_connection = -1;
  self->request(w, caf::infinite, visit_atom::value, std::vector<std::string>{"/tmp/a"})
      .receive(
          [&](int64_t) {
            auto r = reader();
            seen_by_other_connection = r.query_int("SELECT count(*) FROM dir_usage");
          },
          [&](caf::error& err) { FAIL() << caf::to_string(err); });
  EXPECT_EQ(seen_by_other_connection, 1);
  stop(w);
}

TEST_F(writer_fixture, groups_concurrent_requests_into_one_transaction) {
  auto w = spawn_writer(*system, db, writer_options{1000, 200});
  caf::scoped_actor self{*system};
  int before = commits.load();
  auto replies = send_visits(self, w, 50);
  EXPECT_EQ(replies, 50);
  EXPECT_EQ(commits.load() - before, 1);
  EXPECT_EQ(reader().query_int("SELECT count(*) FROM dir_usage"), 50);
  stop(w);
}

TEST_F(writer_fixture, commits_when_a_batch_is_full) {
  auto w = spawn_writer(*system, db, writer_options{10, 60000});
  caf::scoped_actor self{*system};
  int before = commits.load();
  // The timer is a minute away: only full batches can have been committed.
  EXPECT_EQ(send_visits(self, w, 30), 30);
  EXPECT_EQ(commits.load() - before, 3);
  stop(w);
}

TEST_F(writer_fixture, shutdown_commits_everything_that_was_accepted) {
  auto w = spawn_writer(*system, db, writer_options{100000, 60000});
  {
    caf::scoped_actor self{*system};
    for (int i = 0; i < 40; ++i)
      self->send(w, visit_atom::value, std::vector<std::string>{"/s/" + std::to_string(i)});
  }
  stop(w);
  EXPECT_EQ(reader().query_int("SELECT count(*) FROM dir_usage"), 40);
}

TEST_F(writer_fixture, a_failing_request_is_answered_with_its_error_and_the_rest_commit) {
  auto w = spawn_writer(*system, db, writer_options{1000, 100});
  caf::scoped_actor self{*system};
  std::vector<dir_entry> bad(1);
  bad[0].path = "/bad";
  bad[0].rank = -5;  // a rank must be positive
  auto h1 = self->request(w, caf::infinite, visit_atom::value, std::vector<std::string>{"/good1"});
  auto h2 = self->request(w, caf::infinite, import_atom::value, bad);
  auto h3 = self->request(w, caf::infinite, visit_atom::value, std::vector<std::string>{"/good2"});
  int ok = 0, failed = 0;
  auto on_error = [&](caf::error& err) {
    ++failed;
    auto st = to_status(err);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message.find("/bad"), std::string::npos) << st.message;
  };
  h1.receive([&](int64_t) { ++ok; }, on_error);
  h2.receive([&](int64_t) { ++ok; }, on_error);
  h3.receive([&](int64_t) { ++ok; }, on_error);
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(failed, 1);
  auto r = reader();
  EXPECT_EQ(r.query_int("SELECT count(*) FROM dir_usage"), 2);
  EXPECT_EQ(r.query_int("SELECT count(*) FROM dir_usage WHERE path = '/bad'"), 0);
  stop(w);
}

TEST_F(writer_fixture, waits_for_a_lock_held_briefly_by_another_process) {
  storage::open_options o;
  o.path = env.db_path();
  auto other = storage::database::open(o);
  other.exec("BEGIN IMMEDIATE");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    other.exec("COMMIT");
  });
  auto w = spawn_writer(*system, db, writer_options{512, 0});
  caf::scoped_actor self{*system};
  bool ok = false;
  self->request(w, caf::infinite, visit_atom::value, std::vector<std::string>{"/x"})
      .receive([&](int64_t) { ok = true; },
               [&](caf::error& err) { ADD_FAILURE() << caf::to_string(err); });
  release.join();
  EXPECT_TRUE(ok);
  stop(w);
}

TEST_F(writer_fixture, a_lock_held_past_the_deadline_fails_every_request_of_the_batch) {
  storage::open_options o;
  o.path = env.db_path();
  auto other = storage::database::open(o);
  other.exec("BEGIN IMMEDIATE");
  auto w = spawn_writer(*system, db, writer_options{512, 0});
  caf::scoped_actor self{*system};
  status st;
  self->request(w, caf::infinite, visit_atom::value, std::vector<std::string>{"/x"})
      .receive([&](int64_t) { ADD_FAILURE() << "committed under a held lock"; },
               [&](caf::error& err) { st = to_status(err); });
  other.exec("COMMIT");
  EXPECT_EQ(st.code, status_code::database);
  EXPECT_EQ(st.message, "database is busy");
  EXPECT_EQ(reader().query_int("SELECT count(*) FROM dir_usage"), 0);
  stop(w);
}

}  // namespace
}  // namespace gum
