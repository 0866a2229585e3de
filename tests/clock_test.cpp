// tests/clock_test.cpp: core/clock.hpp, the one timestamp format, on both sides of the epoch,
// a leap day and the last second of year 9999.
#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace gum {
namespace {

TEST(clock, rfc3339_utc_formats_utc_seconds) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1795701780), "2026-11-26T14:03:00Z");
  EXPECT_EQ(rfc3339_utc(951782400), "2000-02-29T00:00:00Z");  // leap day
  EXPECT_EQ(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(253402300799), "9999-12-31T23:59:59Z");
}

}  // namespace
}  // namespace gum
