// cli/signals.cpp: see signals.hpp.
#include "cli/signals.hpp"

#include <pthread.h>

#include <cstdlib>

namespace gum::cli {

signal_watcher::signal_watcher() : flag_(std::make_shared<std::atomic<bool>>(false)) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, &old_mask_);
  thread_ = std::thread([this] { watch(); });
}

signal_watcher::~signal_watcher() {
  stopping_ = true;
  pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait; seen as "stopping"
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

status signal_watcher::exit_status(status st) const {
  if (st.code == status_code::interrupted && signal_number() == SIGTERM)
    st.code = status_code::terminated;
  return st;
}

void signal_watcher::watch() {
  for (;;) {
    int sig = 0;
    if (sigwait(&set_, &sig) != 0) continue;
    if (stopping_) return;
    int expected = 0;
    if (!received_.compare_exchange_strong(expected, sig)) std::_Exit(128 + sig);
    flag_->store(true);
  }
}

}  // namespace gum::cli
