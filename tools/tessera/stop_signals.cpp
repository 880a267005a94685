#include "tools/tessera/stop_signals.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace tessera::tools {
namespace {
std::atomic<bool> flag{false};
extern "C" void on_stop_signal(int) { flag = true; }
}  // namespace

const std::atomic<bool>& stop_requested() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return true;
  }();
  (void)installed;
  return flag;
}

void stop_with_parent() {
  stop_requested();
  std::thread([parent = getppid()] {
    while (!flag) {
      if (getppid() != parent) flag = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }).detach();
}

}  // namespace tessera::tools
