// core/clock.hpp: the wall clock as gum stores it, in one place.
//
// Every timestamp gum writes is unix seconds (UTC); rfc3339_utc is how they are shown and how
// github_repos.metadata_synced_at is stored. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace gum {

/// The current time as unix seconds.
int64_t unix_now();

/// `unix_seconds` as "YYYY-MM-DDTHH:MM:SSZ" (UTC), exact for every int64 value.
std::string rfc3339_utc(int64_t unix_seconds);

}  // namespace gum
