#pragma once
// Helpers of the dashboard tests: the dashboard's port from a process
// cluster's scheduler file, and waiting for a condition.
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/process_cluster.hpp"

namespace tessera::testing::dashboard {

/// The port of "dashboard": "http://127.0.0.1:PORT/status" in the scheduler file.
inline std::uint16_t dashboard_port(const ProcessCluster& cluster) {
  std::ifstream in(cluster.scheduler_file());
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("dashboard"))
    throw std::runtime_error("no dashboard in the scheduler file:\n" + cluster.log());
  auto url = j["dashboard"].get<std::string>();
  auto colon = url.rfind(':');
  return static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1)));
}

template <class F>
bool wait_until(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace tessera::testing::dashboard
