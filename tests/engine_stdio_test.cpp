// tests/engine_stdio_test.cpp: `gum engine --stdio` spoken to through pipes, as a shell does:
// hostile paths survive the framing, a malformed request is answered and the engine goes on,
// a full batch is one writer request (one transaction), jump honours the named current
// directory, and end of input or SIGTERM flushes what was sent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/engine_framing.hpp"
#include "tests/support/test_env.hpp"

namespace {

using gum::testing::test_env;
namespace fs = std::filesystem;

// One reply: its status and fields.
struct reply {
  std::string status;
  std::vector<std::string> fields;
};

// A running `gum engine --stdio` with its stdin and stdout as pipes.
class engine_process {
 public:
  explicit engine_process(const test_env& env, const std::vector<std::string>& extra = {}) {
    int in[2], out[2];
    EXPECT_EQ(pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> argv = {GUM_BINARY, "engine", "--stdio"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const std::vector<std::string> environment = env.environment();
    const gum::spawn_args args(argv), envp(environment);
    EXPECT_EQ(posix_spawn(&pid_, GUM_BINARY, &actions, nullptr, args.get(), envp.get()), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~engine_process() {
    close_input();
    if (from_ >= 0) close(from_);
    if (pid_ > 0 && !gum::testing::wait_exit(pid_, 10000)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void send(const std::string& verb, const std::vector<std::string>& fields) {
    send_raw(gum::encode_engine_record(verb, fields));
  }
  void send_raw(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = write(to_, bytes.data() + done, bytes.size() - done);
      ASSERT_GT(n, 0);
      done += static_cast<size_t>(n);
    }
  }
  // Reads one reply (10 s at most).
  reply receive() {
    reply r;
    std::string head, count;
    if (!field(r.status) || !field(count)) return {"<no reply>", {}};
    for (int i = 0, n = std::stoi(count); i < n; ++i) {
      std::string f;
      if (!field(f)) return {"<truncated>", {}};
      r.fields.push_back(f);
    }
    return r;
  }
  reply ask(const std::string& verb, const std::vector<std::string>& fields) {
    send(verb, fields);
    return receive();
  }
  std::map<std::string, int64_t> stats() {
    std::map<std::string, int64_t> out;
    auto r = ask("stats", {});
    for (size_t i = 0; i + 1 < r.fields.size(); i += 2) out[r.fields[i]] = std::stoll(r.fields[i + 1]);
    return out;
  }
  void close_input() {
    if (to_ >= 0) close(to_);
    to_ = -1;
  }
  pid_t pid() const { return pid_; }
  // The exit status after the input ended (or -1 after 10 s).
  int wait() {
    auto st = gum::testing::wait_exit(pid_, 10000);
    if (!st) return -1;
    pid_ = -1;
    return WIFEXITED(*st) ? WEXITSTATUS(*st) : 128 + WTERMSIG(*st);
  }

 private:
  bool field(std::string& out) {
    out.clear();
    for (;;) {
      auto at = buffer_.find('\0');
      if (at != std::string::npos) {
        out = buffer_.substr(0, at);
        buffer_.erase(0, at + 1);
        return true;
      }
      pollfd p{from_, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0) return false;
      char chunk[4096];
      ssize_t n = read(from_, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buffer_;
};

std::string rows(const test_env& env) {
  return gum::testing::sqlite_text(env.db_path(), "SELECT count(*) FROM dir_usage");
}

TEST(engine_stdio, hostile_paths_round_trip_through_visits_and_queries) {
  test_env env;
  const std::vector<std::string> names = {"with space", "with\ttab", "with\nnewline",
                                          "not-utf8-\xff\xfe", " leading"};
  std::vector<std::string> paths;
  for (const auto& n : names) {
    paths.push_back(env.home() + "/" + n);
    fs::create_directories(paths.back());
  }
  engine_process engine(env);
  for (const auto& p : paths) engine.send("visit", {p});
  auto r = engine.ask("query", {"-1"});  // a query flushes the visits before it first
  ASSERT_EQ(r.status, "ok");
  std::vector<std::string> listed;
  for (size_t i = 1; i < r.fields.size(); i += 2) listed.push_back(r.fields[i]);
  std::sort(listed.begin(), listed.end());
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(listed, paths);
  auto j = engine.ask("jump", {"/", "newline"});
  ASSERT_EQ(j.fields.size(), 1u);
  EXPECT_EQ(j.fields[0], env.home() + "/with\nnewline");
}

TEST(engine_stdio, a_malformed_request_gets_an_error_and_the_engine_goes_on) {
  test_env env;
  engine_process engine(env);
  auto bad = engine.ask("launch", {"missiles"});
  EXPECT_EQ(bad.status, "error");
  ASSERT_EQ(bad.fields.size(), 1u);
  EXPECT_NE(bad.fields[0].find("unknown request"), std::string::npos);
  std::string garbage = std::string("visit") + '\0' + "many" + '\0';
  engine.send_raw(garbage);
  EXPECT_EQ(engine.receive().status, "error");
  EXPECT_EQ(engine.ask("jump", {"relative"}).status, "error");
  EXPECT_EQ(engine.ask("ping", {}).status, "ok");
  EXPECT_EQ(engine.stats()["malformed"], 3);
}

TEST(engine_stdio, a_full_batch_is_one_writer_request_and_every_visit_is_committed) {
  test_env env;
  const std::string dir = env.home() + "/project";
  fs::create_directories(dir);
  engine_process engine(env);
  std::string burst;
  for (int i = 0; i < 64; ++i) burst += gum::encode_engine_record("visit", {dir});
  engine.send_raw(burst);  // 64 visits: one flush at once, before any timer
  auto s = engine.stats();  // stats waits for the batches in flight to be committed
  EXPECT_EQ(s["flushes"], 1);
  EXPECT_EQ(s["largest_batch"], 64);
  EXPECT_EQ(s["recorded"], 64);
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(),
                                      "SELECT rank FROM dir_usage WHERE path = '" + dir + "'"),
            "64.0");
  // Visits that are not directories are not kept, as with `gum add`.
  engine.send("visit", {env.home() + "/missing"});
  EXPECT_EQ(engine.stats()["ignored"], 1);
}

TEST(engine_stdio, jump_never_answers_the_current_directory_it_is_given) {
  test_env env;
  const std::string best = env.home() + "/alpha-best", other = env.home() + "/alpha-other";
  fs::create_directories(best);
  fs::create_directories(other);
  engine_process engine(env);
  for (int i = 0; i < 5; ++i) engine.send("visit", {best});
  engine.send("visit", {other});
  auto from_home = engine.ask("jump", {env.home(), "alpha"});
  ASSERT_EQ(from_home.fields.size(), 1u);
  EXPECT_EQ(from_home.fields[0], best);
  auto from_best = engine.ask("jump", {best, "alpha"});
  ASSERT_EQ(from_best.fields.size(), 1u);
  EXPECT_EQ(from_best.fields[0], other);
  EXPECT_EQ(engine.ask("jump", {env.home(), "nothing-like-it"}).fields.size(), 0u);
}

TEST(engine_stdio, end_of_input_flushes_the_pending_batch_and_exits_zero) {
  test_env env;
  const std::string dir = env.home() + "/d";
  fs::create_directories(dir);
  engine_process engine(env);
  EXPECT_EQ(engine.ask("ping", {}).status, "ok");
  engine.send("visit", {dir});
  engine.send("visit", {dir});
  engine.close_input();
  EXPECT_EQ(engine.wait(), 0);
  EXPECT_EQ(rows(env), "1");
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "SELECT rank FROM dir_usage"), "2.0");
}

TEST(engine_stdio, sigterm_and_sighup_flush_what_was_read) {
  for (int sig : {SIGTERM, SIGHUP}) {
    test_env env;
    const std::string dir = env.home() + "/d";
    fs::create_directories(dir);
    engine_process engine(env);
    engine.send("visit", {dir});
    EXPECT_EQ(engine.ask("ping", {}).status, "ok");  // the visit was read, not yet committed
    kill(engine.pid(), sig);
    EXPECT_EQ(engine.wait(), 0) << sig;
    EXPECT_EQ(rows(env), "1") << sig;
  }
}

TEST(engine_stdio, remove_forgets_all_or_none_after_the_visits_before_it) {
  test_env env;
  const std::string a = env.home() + "/alpha", b = env.home() + "/beta";
  fs::create_directories(a);
  fs::create_directories(b);
  engine_process engine(env);
  engine.send("visit", {a});
  engine.send("visit", {b});
  auto r = engine.ask("remove", {a});  // the pending visits are committed before it
  ASSERT_EQ(r.status, "ok");
  ASSERT_EQ(r.fields, std::vector<std::string>{"1"});
  EXPECT_EQ(rows(env), "1");
  EXPECT_EQ(engine.ask("jump", {"/", "alpha"}).fields.size(), 0u);
  // One path not in the history: an error naming it, and nothing removed.
  auto none = engine.ask("remove", {b, a});
  EXPECT_EQ(none.status, "error");
  ASSERT_EQ(none.fields.size(), 1u);
  EXPECT_NE(none.fields[0].find(a), std::string::npos) << none.fields[0];
  EXPECT_EQ(rows(env), "1");
  EXPECT_EQ(engine.ask("remove", {"relative"}).status, "error");
  EXPECT_EQ(engine.ask("remove", {b, b}).fields, std::vector<std::string>{"1"});
  EXPECT_EQ(rows(env), "0");
}

// A field of /proc/PID/status in kB (RssFile, VmRSS), or -1.
long status_kb(pid_t pid, const std::string& name) {
  for (const auto& line :
       gum::testing::lines_of(test_env::read_file("/proc/" + std::to_string(pid) + "/status")))
    if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
  return -1;
}

TEST(engine_stdio, an_idle_engine_unmaps_its_clean_file_pages_and_still_answers) {
  test_env env;
  const std::string a = env.home() + "/alpha", b = env.home() + "/beta";
  fs::create_directories(a);
  fs::create_directories(b);
  engine_process engine(env, {"--idle-ms", "50"});
  engine.send("visit", {a});
  auto j = engine.ask("jump", {"/", "alpha"});
  ASSERT_EQ(j.fields.size(), 1u);
  const long mapped = status_kb(engine.pid(), "RssFile");
  ASSERT_GT(mapped, 0);
  // Poll until an idle release happened between two stats requests, reading the resident file
  // pages in between (the pause only paces the polling; the counter decides).
  long released = -1;
  int64_t calls = engine.stats()["idle_calls"];
  for (int i = 0; i < 100 && released < 0; ++i) {
    usleep(200 * 1000);
    const long now = status_kb(engine.pid(), "RssFile");
    const int64_t after = engine.stats()["idle_calls"];
    if (after > calls) released = now;
    calls = after;
  }
  ASSERT_GE(released, 0) << "the engine never went idle";
  EXPECT_LT(released, mapped);
  // The pages come back when touched: visits, jumps and the final flush all still work.
  engine.send("visit", {b});
  auto jb = engine.ask("jump", {"/", "beta"});
  ASSERT_EQ(jb.fields.size(), 1u);
  EXPECT_EQ(jb.fields[0], b);
  engine.send("visit", {b});
  engine.close_input();
  EXPECT_EQ(engine.wait(), 0);
  EXPECT_EQ(gum::testing::sqlite_text(env.db_path(), "SELECT rank FROM dir_usage WHERE path = '" +
                                                         b + "'"),
            "2.0");
}

TEST(engine_init, config_shell_engine_turns_the_engine_hook_on_and_is_parsed_strictly) {
  test_env env;
  EXPECT_EQ(env.gum({"init", "bash"}).out.find("__gum_engine_visit"), std::string::npos);
  env.write_config("shell:\n  engine: true\n");
  EXPECT_NE(env.gum({"init", "bash"}).out.find("__gum_engine_visit"), std::string::npos);
  env.write_config("shell:\n  engine: maybe\n");
  auto bad = env.gum({"init", "zsh"});
  EXPECT_EQ(bad.exit_code, 0);  // the shell still gets a hook: the process one
  EXPECT_NE(bad.err.find("shell.engine"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out.find("__gum_engine_visit"), std::string::npos);
}

TEST(engine_init, fish_says_it_keeps_the_process_hook_and_options_are_checked) {
  test_env env;
  auto fish = env.gum({"init", "fish", "--engine"});
  EXPECT_EQ(fish.exit_code, 0);
  EXPECT_NE(fish.out.find("fish has no coprocess"), std::string::npos);
  EXPECT_EQ(env.gum({"init", "bash", "--hook", "sometimes"}).exit_code, 2);
  auto none = env.gum({"init", "bash", "--no-cmd", "--hook", "none"});
  EXPECT_EQ(none.out.find("function j"), std::string::npos);
  EXPECT_EQ(none.out.find("PROMPT_COMMAND="), std::string::npos);
  auto named = env.gum({"init", "zsh", "--cmd", "z", "--hook", "prompt"});
  EXPECT_NE(named.out.find("function zi()"), std::string::npos);
  EXPECT_NE(named.out.find("add-zsh-hook precmd __gum_hook"), std::string::npos);
}

}  // namespace
