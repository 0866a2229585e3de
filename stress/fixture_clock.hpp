// stress/fixture_clock.hpp: the fixture server's wall clock, in unix seconds as GitHub's
// rate-limit headers carry it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>

namespace gum::fixture {

inline int64_t now_epoch() {
  return static_cast<int64_t>(std::time(nullptr));
}

// The first whole unix second by which `seconds` from now have surely passed: rounded UP from
// the nanosecond clock. now_epoch() + seconds would be up to a second short when asked late in a
// second, so a reset a test asked to last one second could already have passed.
inline int64_t epoch_after(long seconds) {
  const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     static_cast<int64_t>(seconds) * 1000000000LL;
  return ns / 1000000000LL + (ns % 1000000000LL > 0 ? 1 : 0);
}

}  // namespace gum::fixture
