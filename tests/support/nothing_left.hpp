#pragma once
// Test helper: after a test releases its futures, the scheduler must forget
// every task and every worker must drop every value. Release is
// asynchronous, so this polls for a while before it calls anything a leak.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <thread>

#include "actors/tessera.hpp"

namespace tessera::testing {

struct Leftovers {
  std::size_t tasks = 0;   // on the scheduler
  std::size_t stored = 0;  // values on workers: the scheduler's view, and in-process workers' own stores
  bool none() const { return tasks == 0 && stored == 0; }
};

inline Leftovers leftovers(Client& client) {
  Leftovers l;
  auto info = client.scheduler_info();
  l.tasks = info.tasks_total;
  for (const auto& w : info.workers) l.stored += w.keys_in_memory;
  if (client.cluster() && !client.cluster()->processes())
    for (auto n : client.cluster()->stored_per_worker()) l.stored += n;
  return l;
}

/// Polls until nothing is left or `timeout` passes; returns what is left.
inline Leftovers wait_until_nothing_left(Client& client, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto l = leftovers(client);
  while (!l.none() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    l = leftovers(client);
  }
  return l;
}

inline void expect_nothing_left(Client& client) {
  auto l = wait_until_nothing_left(client);
  if (!l.none())
    ADD_FAILURE() << "left behind: " << l.tasks << " tasks on the scheduler, " << l.stored << " values on workers";
}

}  // namespace tessera::testing
