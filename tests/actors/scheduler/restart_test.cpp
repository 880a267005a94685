// SchedulerState::restart: every task forgotten, clients told, workers cleared.
#include <gtest/gtest.h>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

using Restart = SchedulerFixture;

TEST_F(Restart, EveryKeyIsCancelledAndForgottenAndWorkersClear) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("done"), root("running"), task("later", {Arg(Key("done")), Value(1)})},
                                  {Key("done"), Key("running"), Key("later")}),
               out);
  auto batch = take(w0);
  ASSERT_EQ(batch.size(), 2u);
  auto done = id("done");
  auto running = id("running");
  state.tasks_finished(w0, {ok(done)}, out);
  state.publish_dataset("ds", {Key("done")}, out);
  out = Outbox{};

  state.restart(out);
  auto& reports = out.reports[client];
  ASSERT_EQ(reports.size(), 3u);
  for (const auto& r : reports) {
    EXPECT_EQ(r.status, KeyReport::Status::cancelled) << r.key.str();
    EXPECT_EQ(r.error_message, "cluster restarted");
  }
  EXPECT_EQ(out.clear, (std::vector<WorkerId>{w0, w1}));
  EXPECT_TRUE(out.compute.empty());
  EXPECT_EQ(state.num_tasks(), 0u);
  EXPECT_TRUE(state.list_datasets().empty());
  auto info = state.info();
  EXPECT_EQ(info.tasks_total, 0u);
  EXPECT_EQ(info.clients, 1u);
  for (const auto& wi : info.workers) {
    EXPECT_EQ(wi.processing, 0u);
    EXPECT_EQ(wi.keys_in_memory, 0u);
    EXPECT_EQ(wi.bytes_in_memory, 0u);
  }

  // The same keys submitted again run afresh, under new ids; a late outcome
  // of the old task is freed, never taken for the new one.
  out = Outbox{};
  state.submit(client, submission({root("running")}, {Key("running")}), out);
  ComputeBatch fresh;
  for (auto& [w, b] : out.compute) fresh.insert(fresh.end(), b.begin(), b.end());
  ASSERT_EQ(keys_of(fresh), std::vector<std::string>{"running"});
  EXPECT_NE(fresh[0].id, running);
  out = Outbox{};
  state.tasks_finished(w0, {ok(running)}, out);
  EXPECT_EQ(out.free[w0], std::vector<TaskId>{running});
  EXPECT_TRUE(out.reports.empty());
  EXPECT_EQ(state_of("running"), TaskState::processing);
}

TEST_F(Restart, RetiringWorkersCloseAfterARestart) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  finish(w0, take(w0));
  state.retire_workers({w0}, out);
  ASSERT_TRUE(out.close.empty());
  out = Outbox{};
  state.restart(out);
  EXPECT_TRUE(out.acquire.empty());
  EXPECT_EQ(out.close, std::vector<WorkerId>{w0});
  EXPECT_EQ(state.num_workers(), 1u);
  (void)w1;
}

}  // namespace
}  // namespace tessera::actors::sched_test
