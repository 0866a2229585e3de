// tests/engine_shell_test.cpp: the engine hook (`gum init bash|zsh --engine`) in real
// interactive shells under a pseudo-terminal. A PATH-style wrapper logs every gum start, so
// the tests prove that directory changes start no process, that `j` asks the engine and
// honours the current directory, that a SIGKILLed engine is replaced without a word and
// without losing a cd, that odd paths survive, and that the shell's exit ends the engine.
// Every wait is on a condition (a file, a row), with a generous timeout.
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_env.hpp"

namespace {

using gum::testing::test_env;
namespace fs = std::filesystem;

bool has_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Polls `done` every 20 ms for up to 15 s.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

int count_lines(const std::string& path) {
  auto text = test_env::read_file(path);
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// An interactive shell on a pseudo-terminal; everything it prints is kept.
class pty_shell {
 public:
  pty_shell(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    // Orphans (the engine, once its shell is gone) are reparented to this process, which
    // reaps them: a zombie would show as a process that never ends.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    winsize ws{40, 200, 0, 0};
    pid_ = forkpty(&master_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      gum::spawn_args args(argv), envp(env);
      execve(argv[0].c_str(), args.get(), envp.get());
      _exit(127);
    }
    reader_ = std::thread([this] {
      char chunk[4096];
      for (;;) {
        ssize_t n = read(master_, chunk, sizeof chunk);
        if (n <= 0) return;
        std::lock_guard<std::mutex> lock(mutex_);
        output_.append(chunk, static_cast<size_t>(n));
      }
    });
  }
  ~pty_shell() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(master_);
    reader_.join();
  }
  void type(const std::string& line) {
    std::string text = line + "\n";
    (void)!write(master_, text.data(), text.size());
  }
  std::string output() {
    std::lock_guard<std::mutex> lock(mutex_);
    return output_;
  }
  // Waits for the shell to exit; its wait status or -1.
  int wait_exit() {
    auto st = gum::testing::wait_exit(pid_, 15000);
    if (!st) return -1;
    pid_ = -1;
    return *st;
  }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::string output_;
};

bool process_gone(pid_t pid) {
  waitpid(pid, nullptr, WNOHANG);  // reap it if it is our (subreaped) orphan
  return kill(pid, 0) != 0;
}

// A world for one shell: directories to visit, a logging wrapper around gum, an rc file.
struct shell_world {
  test_env env;
  std::string log, wrapper, out, pidfile;
  shell_world() {
    log = env.root() + "/gum-starts.log";
    wrapper = env.root() + "/gum-wrapper";
    out = env.root() + "/out";
    pidfile = env.root() + "/engine.pid";
    test_env::write_file(wrapper, "#!/bin/sh\necho \"$*\" >>'" + log + "'\nexec '" +
                                      std::string(GUM_BINARY) + "' \"$@\"\n");
    fs::permissions(wrapper, fs::perms::owner_all);
    for (const char* d : {"alpha-one", "alpha-two", "beta", "gamma", "delta"})
      fs::create_directories(env.home() + "/" + d);
  }
  // The hook, with the wrapper as the gum it calls and restarts allowed at once.
  std::string rc(const std::string& shell) const {
    auto r = env.gum({"init", shell, "--engine"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return "PS1='$ '\nPROMPT='$ '\n" + r.out + "\n__gum_bin='" + wrapper +
           "'\n__gum_engine_restart_interval=0\ncd '" + env.home() + "'\n";
  }
  std::vector<std::string> environment() const {
    auto e = env.environment();
    e.push_back("TERM=dumb");
    e.push_back("SHELL=/bin/sh");
    return e;
  }
  std::string rank(const std::string& path) const {
    return gum::testing::sqlite_text(env.db_path(),
                                     "SELECT rank FROM dir_usage WHERE path = '" + path + "'");
  }
  int engine_starts() const {
    int n = 0;
    for (const auto& line : gum::testing::lines_of(test_env::read_file(log)))
      if (line == "engine --stdio") ++n;
    return n;
  }
};

std::unique_ptr<pty_shell> start_shell(shell_world& w, const std::string& shell) {
  if (shell == "bash") {
    const std::string rc = w.env.root() + "/bashrc";
    test_env::write_file(rc, w.rc("bash"));
    return std::make_unique<pty_shell>(
        std::vector<std::string>{"/bin/bash", "--noprofile", "--rcfile", rc, "-i"},
        w.environment());
  }
  const std::string zdot = w.env.root() + "/zdot";
  fs::create_directories(zdot);
  test_env::write_file(zdot + "/.zshrc", w.rc("zsh"));
  auto env = w.environment();
  env.push_back("ZDOTDIR=" + zdot);
  return std::make_unique<pty_shell>(std::vector<std::string>{"/usr/bin/zsh", "-i"}, env);
}

class engine_hook : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(has_program(GetParam())) << GetParam() << " is missing: `make test` installs it";
  }
};

TEST_P(engine_hook, records_visits_and_jumps_without_a_process_per_cd) {
  shell_world w;
  auto sh = start_shell(w, GetParam());
  const std::string h = w.env.home();
  for (const char* d : {"alpha-one", "beta", "alpha-one", "gamma", "alpha-one", "alpha-two"})
    sh->type("cd '" + h + "/" + d + "'");
  ASSERT_TRUE(eventually([&] { return w.rank(h + "/alpha-two") == "1.0"; })) << sh->output();
  EXPECT_EQ(w.rank(h + "/alpha-one"), "3.0");
  // `j` asks the engine: best is alpha-one; from inside alpha-one it is alpha-two.
  sh->type("j alpha; printf '%s\\n' \"$PWD\" >'" + w.out + "'");
  ASSERT_TRUE(eventually([&] { return count_lines(w.out) == 1; }));
  EXPECT_EQ(test_env::read_file(w.out), h + "/alpha-one\n");
  sh->type("j alpha; printf '%s\\n' \"$PWD\" >'" + w.out + "'");
  ASSERT_TRUE(eventually([&] { return test_env::read_file(w.out) == h + "/alpha-two\n"; }))
      << test_env::read_file(w.out);
  sh->type("j zzz-none 2>'" + w.out + ".err'; echo \"rc=$?\" >'" + w.out + ".rc'");
  ASSERT_TRUE(eventually([&] { return count_lines(w.out + ".rc") == 1; }));
  EXPECT_EQ(test_env::read_file(w.out + ".rc"), "rc=1\n");
  EXPECT_EQ(test_env::read_file(w.out + ".err"), "gum: no match for 'zzz-none'\n");
  // One gum process for all of it: the engine.
  EXPECT_EQ(test_env::read_file(w.log), "engine --stdio\n");
}

TEST_P(engine_hook, odd_paths_survive_the_shell_and_the_framing) {
  shell_world w;
  const std::string h = w.env.home();
  const std::vector<std::string> odd = {h + "/a b", h + "/a\tb", h + "/a\nb", h + "/a\xff" "b"};
  for (const auto& p : odd) fs::create_directories(p);
  auto sh = start_shell(w, GetParam());
  for (const char* q : {"'a b'", "$'a\\tb'", "$'a\\nb'", "$'a\\xffb'"})
  {
    sh->type("cd " + std::string(q));  // bash records at the next prompt: one line each
    sh->type("cd ..");
  }
  for (const auto& p : odd)
    EXPECT_TRUE(eventually([&] { return w.rank(p) == "1.0"; })) << p << sh->output();
  EXPECT_EQ(w.engine_starts(), 1);
  EXPECT_EQ(count_lines(w.log), 1);
}

TEST_P(engine_hook, a_killed_engine_is_replaced_quietly_and_no_cd_is_lost) {
  shell_world w;
  const std::string h = w.env.home();
  auto sh = start_shell(w, GetParam());
  sh->type("cd beta");
  ASSERT_TRUE(eventually([&] { return w.rank(h + "/beta") == "1.0"; }));
  sh->type("echo \"$__gum_engine_pid\" >'" + w.pidfile + "'");
  ASSERT_TRUE(eventually([&] { return count_lines(w.pidfile) == 1; }));
  const pid_t engine = std::stoi(test_env::read_file(w.pidfile));
  const size_t before = sh->output().size();
  ASSERT_EQ(kill(engine, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return process_gone(engine); }));
  // One prompt cycle first, in which the shell notices its coprocess ended (see the report:
  // bash can stall when the first cd races the reaping of a killed coprocess).
  sh->type("echo ready >'" + w.out + "'");
  ASSERT_TRUE(eventually([&] { return count_lines(w.out) == 1; }));
  sh->type("cd ../gamma");
  sh->type("cd ../delta");
  sh->type("cd ../gamma");
  EXPECT_TRUE(eventually([&] { return w.rank(h + "/gamma") == "2.0"; })) << sh->output();
  EXPECT_TRUE(eventually([&] { return w.rank(h + "/delta") == "1.0"; }));
  EXPECT_TRUE(eventually([&] { return w.engine_starts() == 2; })) << test_env::read_file(w.log);
  // Nothing but the typed lines and prompts: no "Killed", "Done", warning or gum message.
  const std::string after = sh->output().substr(before);
  for (const char* noise : {"Killed", "killed", "Done", "done", "gum:", "warning", "coproc", "[1]", "[2]"})
    EXPECT_EQ(after.find(noise), std::string::npos) << noise << " in: " << after;
}

TEST_P(engine_hook, the_shell_exit_ends_the_engine) {
  shell_world w;
  const std::string h = w.env.home();
  auto sh = start_shell(w, GetParam());
  sh->type("cd beta");
  ASSERT_TRUE(eventually([&] { return w.rank(h + "/beta") == "1.0"; }));  // the engine is up
  sh->type("echo \"$__gum_engine_pid\" >'" + w.pidfile + "'");
  ASSERT_TRUE(eventually([&] { return count_lines(w.pidfile) == 1; }));
  const pid_t engine = std::stoi(test_env::read_file(w.pidfile));
  sh->type("cd ../gamma");
  sh->type("exit");
  EXPECT_NE(sh->wait_exit(), -1);
  EXPECT_TRUE(eventually([&] { return process_gone(engine); }));
  // Its last batch was flushed on the way out.
  EXPECT_EQ(w.rank(h + "/gamma"), "1.0");
}

INSTANTIATE_TEST_SUITE_P(shells, engine_hook, ::testing::Values("bash", "zsh"),
                         [](const auto& info) { return info.param; });

}  // namespace
