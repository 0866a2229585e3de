// tests/engine_loss_test.cpp: bench/engine_loss.sh as a test (label slow: it starts 16
// interactive bash shells on pseudo-terminals, each with its engine). Every wait in the script
// is on a condition (a line count, a process gone), never a timing, so the outcome is
// deterministic: every cd a shell logged is recorded, the ranks sum exactly to the logged cds,
// no engine outlives its shell, no hook fell back to a process, `gum integrity` is clean.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/support/test_env.hpp"

namespace {

using gum::testing::test_env;

// The first number after `label` in the script's report, or -1.
long figure(const std::string& out, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(label + "[^0-9]*([0-9]+)"))) return -1;
  return std::stol(m[1]);
}

TEST(engine_loss_script, sixteen_shells_some_hung_up_lose_no_visit_and_leave_no_engine) {
  test_env env;  // the script makes its own HOME; this only keeps the real one out of reach
  auto environment = env.environment();
  auto r = gum::testing::run_process(
      {"/bin/bash", std::string(GUM_SOURCE_DIR) + "/bench/engine_loss.sh", GUM_BINARY, "16",
       "200"},
      environment, {}, 300);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const long logged = figure(r.out, "visits logged by the shells: ");
  EXPECT_GT(logged, 16 * 100) << r.out;  // the hung-up shells stopped part way, others did 200
  EXPECT_LT(logged, 16 * 200) << r.out;
  EXPECT_EQ(figure(r.out, "ranks in the database: "), logged) << r.out;
  EXPECT_EQ(figure(r.out, "directories that differ: "), 0) << r.out;
  EXPECT_EQ(figure(r.out, "engines started: "), 16) << r.out;
  EXPECT_EQ(figure(r.out, "outlived their shell: "), 0) << r.out;
  EXPECT_EQ(figure(r.out, "zombies: "), 0) << r.out;
  EXPECT_EQ(figure(r.out, "started by the hooks: "), 0) << r.out;
  EXPECT_NE(r.out.find("gum integrity: clean"), std::string::npos) << r.out;
}

}  // namespace
