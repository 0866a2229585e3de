// stress/fixture_faults.cpp: injected faults and the primary rate limit (see fixture_faults.hpp).
#include "stress/fixture_faults.hpp"

#include <algorithm>
#include <iterator>

#include "stress/fixture_catalogue.hpp"
#include "stress/fixture_clock.hpp"

namespace gum::fixture {

bool known_fault_kind(const std::string& k) {
  static const char* const kinds[] = {"status",      "truncated",    "disconnect", "malformed",
                                      "object",      "wrong_type",   "hang",       "rate_limit",
                                      "retry_after", "unauthorized", "empty",      "huge",
                                      // issue 17: a server that never stops giving
                                      "endless_next", "gzip_bomb", "huge_header"};
  return std::find(std::begin(kinds), std::end(kinds), k) != std::end(kinds);
}

bool parse_fault(const json::object& o, fault& f) {
  long status = 502, reset_in = 60;
  if (!read_string(o, "kind", f.kind) || !known_fault_kind(f.kind) ||
      !read_int(o, "status", status) || !read_int(o, "page", f.page) ||
      !read_string(o, "path", f.path_prefix) || !read_string(o, "path_prefix", f.path_prefix) ||
      !read_int(o, "times", f.times) || !read_int(o, "ms", f.ms) ||
      !read_int(o, "seconds", f.seconds) || !read_int(o, "reset_in", reset_in) ||
      !read_string(o, "message", f.message) || !read_int(o, "bytes", f.bytes) ||
      f.bytes < 0 || status < 100 || status > 599 || f.page < 0 ||
      (f.times < 1 && o.contains("times")) || f.ms < 0 || f.seconds < 0)
    return false;
  f.status = static_cast<int>(status);
  if (f.kind == "retry_after" && !o.contains("status")) f.status = 429;
  f.reset_epoch = epoch_after(std::max(reset_in, 0L));
  return true;
}

long fault_list::add(fault f) {
  std::lock_guard<std::mutex> lock(fault_mu_);
  f.id = ++next_fault_id_;
  faults_.push_back(std::move(f));
  return faults_.back().id;
}

void fault_list::clear() {
  std::lock_guard<std::mutex> lock(fault_mu_);
  faults_.clear();
}

std::optional<fault> fault_list::take(const std::string& path, long page) {
  std::lock_guard<std::mutex> lock(fault_mu_);
  const int64_t now = now_epoch();
  for (auto it = faults_.begin(); it != faults_.end();) {
    if (it->kind == "rate_limit" && now >= it->reset_epoch) {
      it = faults_.erase(it);
      continue;
    }
    if ((it->page != 0 && it->page != page) ||
        path.compare(0, it->path_prefix.size(), it->path_prefix) != 0) {
      ++it;
      continue;
    }
    fault f = *it;
    if (it->times > 0 && --it->times == 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

rate_limit::rate_limit() : rate_reset_(epoch_after(3600)) {}

rate_snapshot rate_limit::snapshot() {
  std::lock_guard<std::mutex> lock(rate_mu_);
  roll_rate_window();
  return {rate_limit_total, rate_remaining_, rate_reset_};
}

void rate_limit::charge() {
  std::lock_guard<std::mutex> lock(rate_mu_);
  roll_rate_window();
  if (rate_remaining_ > 0) --rate_remaining_;
}

void rate_limit::set(long remaining, long reset_in) {
  std::lock_guard<std::mutex> lock(rate_mu_);
  rate_remaining_ = std::clamp(remaining, 0L, rate_limit_total);
  rate_reset_ = epoch_after(std::max(reset_in, 1L));
}

void rate_limit::roll_rate_window() {
  const int64_t now = now_epoch();
  if (now >= rate_reset_) {
    rate_remaining_ = rate_limit_total;
    rate_reset_ = epoch_after(3600);
  }
}

}  // namespace gum::fixture
