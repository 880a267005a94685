// SchedulerState heartbeats: metrics in info(), expiry of silent workers.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

using WorkerHealth = SchedulerFixture;

TEST_F(WorkerHealth, HeartbeatMetricsAppearInInfo) {
  auto w0 = add_worker("w0", 2, 100.0);
  EXPECT_EQ(info_of(w0)->last_seen, 100.0);
  WorkerMetrics m;
  m.cpu = 87.5;
  m.memory_rss = 3u << 20;
  m.memory_limit = 1u << 30;
  m.executing = 2;
  m.ready = 5;
  m.in_flight = 1;
  m.bytes_in_memory = 4096;
  m.bytes_spilled = 512;
  m.time = 104.5;
  EXPECT_TRUE(state.heartbeat(w0, m, 105.0, out));
  const auto* wi = info_of(w0);
  ASSERT_NE(wi, nullptr);
  EXPECT_EQ(wi->last_seen, 105.0);
  EXPECT_EQ(wi->metrics.cpu, 87.5);
  EXPECT_EQ(wi->metrics.memory_rss, 3u << 20);
  EXPECT_EQ(wi->metrics.memory_limit, 1u << 30);
  EXPECT_EQ(wi->metrics.executing, 2u);
  EXPECT_EQ(wi->metrics.ready, 5u);
  EXPECT_EQ(wi->metrics.in_flight, 1u);
  EXPECT_EQ(wi->metrics.bytes_in_memory, 4096u);
  EXPECT_EQ(wi->metrics.bytes_spilled, 512u);
  EXPECT_EQ(wi->metrics.time, 104.5);
  // A heartbeat delivered late never moves last_seen back.
  EXPECT_TRUE(state.heartbeat(w0, m, 103.0, out));
  EXPECT_EQ(info_of(w0)->last_seen, 105.0);
}

TEST_F(WorkerHealth, SilentWorkersExpire) {
  auto w0 = add_worker("w0", 2, 100.0);
  auto w1 = add_worker("w1", 2, 100.0);
  EXPECT_TRUE(state.expired_workers(105.0, 10.0).empty());
  EXPECT_TRUE(state.heartbeat(w1, {}, 108.0, out));
  EXPECT_EQ(state.expired_workers(110.5, 10.0), std::vector<WorkerId>{w0});  // registration counts as seen
  EXPECT_EQ(state.expired_workers(118.5, 10.0), (std::vector<WorkerId>{w0, w1}));
  state.remove_worker(w0, out);
  EXPECT_EQ(state.expired_workers(118.5, 10.0), std::vector<WorkerId>{w1});
}

TEST_F(WorkerHealth, UnknownOrRemovedWorkersMustRegisterAgain) {
  auto w0 = add_worker("w0", 2, 100.0);
  EXPECT_FALSE(state.heartbeat(7, {}, 101.0, out));
  state.remove_worker(w0, out);
  EXPECT_FALSE(state.heartbeat(w0, {}, 101.0, out));
}

TEST_F(WorkerHealth, NumWorkersCountsThoseThatTakeWork) {
  EXPECT_EQ(state.num_workers(), 0u);
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  EXPECT_EQ(state.num_workers(), 2u);
  state.retire_workers({w1}, out);  // holds nothing: closed at once
  EXPECT_EQ(out.close, std::vector<WorkerId>{w1});
  EXPECT_EQ(state.num_workers(), 1u);
  state.remove_worker(w0, out);
  EXPECT_EQ(state.num_workers(), 0u);
}

TEST_F(WorkerHealth, RegistrationWithoutATimeUsesTheSystemClock) {
  auto before = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto w = state.add_worker(caf::actor{}, "w", 1, out);
  auto seen = info_of(w)->last_seen;
  EXPECT_GE(seen, before);
  EXPECT_LT(seen, before + 60);
}

}  // namespace
}  // namespace tessera::actors::sched_test
