// FaultInjector's decisions: reproducible from the seed, at the rates asked,
// only on the kinds of message each fault may touch; task counters that fire
// once; glob patterns on keys; the worker-loop hooks (fail, kill, cut).
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "actors/fault/delivery_audit.hpp"
#include "actors/fault/fault_injector.hpp"
#include "actors/fault/task_faults.hpp"
#include "runtime/registry/make_function.hpp"

namespace tessera::actors::fault {
namespace {

using namespace std::chrono_literals;

FaultInjector injector(std::string_view spec, Role role = Role::worker) {
  return FaultInjector(parse_fault_spec(spec, role), role);
}

std::vector<int> fates(FaultInjector& f, MessageKind kind, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    auto x = f.decide(kind);
    out.push_back(x.drop ? -1 : (x.duplicate ? 1000000 : 0) + static_cast<int>(x.delay.count()));
  }
  return out;
}

TEST(FaultInjector, TheSameSeedGivesTheSameFaults) {
  auto a = injector("seed=5;drop=0.2;duplicate=0.2;delay=0.5:10ms");
  auto b = injector("seed=5;drop=0.2;duplicate=0.2;delay=0.5:10ms");
  auto c = injector("seed=6;drop=0.2;duplicate=0.2;delay=0.5:10ms");
  auto fa = fates(a, MessageKind::done, 500);
  EXPECT_EQ(fa, fates(b, MessageKind::done, 500));
  EXPECT_NE(fa, fates(c, MessageKind::done, 500));
}

TEST(FaultInjector, FaultsHappenAtTheRatesAsked) {
  auto f = injector("seed=11;drop=0.1;duplicate=0.3;delay=0.5:20ms");
  const int n = 20000;
  int dropped = 0, duplicated = 0, delayed = 0;
  auto longest = 0us;
  for (int i = 0; i < n; ++i) {
    auto x = f.decide(MessageKind::done);
    dropped += x.drop;
    duplicated += x.duplicate;
    delayed += x.delay > 0us;
    longest = std::max(longest, x.delay);
    if (x.drop) {
      EXPECT_FALSE(x.duplicate || x.delay > 0us);
    }
  }
  EXPECT_NEAR(dropped / double(n), 0.1, 0.01);
  // Of the messages not dropped:
  EXPECT_NEAR(duplicated / double(n - dropped), 0.3, 0.015);
  EXPECT_NEAR(delayed / double(n - dropped), 0.5, 0.015);
  EXPECT_LE(longest, 20ms);
  EXPECT_GT(longest, 19ms);
  auto counts = f.counts();
  EXPECT_EQ(counts.dropped, static_cast<std::uint64_t>(dropped));
  EXPECT_EQ(counts.duplicated, static_cast<std::uint64_t>(duplicated));
}

TEST(FaultInjector, EachFaultTouchesOnlyTheMessagesItMay) {
  auto f = injector("drop=1;duplicate=1;delay=1:5ms");
  // A worker's messages to the scheduler may all be dropped.
  for (auto k : {MessageKind::heartbeat, MessageKind::done, MessageKind::fetched, MessageKind::steal_reply})
    EXPECT_TRUE(f.decide(k).drop) << message_kind_name(k);
  // Nothing detects a lost scheduler message, and compute / steal requests
  // are not idempotent: never dropped, never duplicated, but delayed.
  for (auto k : {MessageKind::compute, MessageKind::steal_request}) {
    auto x = f.decide(k);
    EXPECT_FALSE(x.drop || x.duplicate) << message_kind_name(k);
  }
  for (auto k : {MessageKind::free, MessageKind::store, MessageKind::refresh, MessageKind::acquire,
                 MessageKind::clear, MessageKind::close}) {
    auto x = f.decide(k);
    EXPECT_FALSE(x.drop) << message_kind_name(k);
    EXPECT_TRUE(x.duplicate) << message_kind_name(k);
  }
  EXPECT_TRUE(audited(MessageKind::done) && audited(MessageKind::fetched) && audited(MessageKind::steal_reply));
  EXPECT_FALSE(audited(MessageKind::heartbeat) || audited(MessageKind::compute));
  // Probability 0: never.
  auto none = injector("seed=3;kill-after=100");
  for (int i = 0; i < 1000; ++i) {
    auto x = none.decide(MessageKind::done);
    EXPECT_FALSE(x.drop || x.duplicate || x.delay > 0us);
  }
  EXPECT_FALSE(none.delays_messages());
}

TEST(FaultInjector, KillAndCutFireOnceWhenTheirTaskCountIsReached) {
  auto f = injector("kill-after=5;cut=2s;cut-after=3");
  auto e = f.tasks_finished(2);
  EXPECT_FALSE(e.kill);
  EXPECT_EQ(e.cut, 0us);
  e = f.tasks_finished(2);  // 4 tasks: past cut-after
  EXPECT_FALSE(e.kill);
  EXPECT_EQ(e.cut, 2s);
  EXPECT_EQ(e.tasks, 4u);
  e = f.tasks_finished(3);  // 7: past kill-after
  EXPECT_TRUE(e.kill);
  EXPECT_EQ(e.cut, 0us);
  e = f.tasks_finished(10);
  EXPECT_FALSE(e.kill);
  EXPECT_EQ(e.cut, 0us);
}

TEST(FaultInjector, FailPatternsAreGlobsOnKeys) {
  auto f = injector("fail=dist.add-*;fail=('x-1', ?, 0)");
  ASSERT_NE(f.failing_pattern("dist.add-3f2a"), nullptr);
  EXPECT_EQ(*f.failing_pattern("dist.add-3f2a"), "dist.add-*");
  EXPECT_NE(f.failing_pattern("('x-1', 4, 0)"), nullptr);
  EXPECT_EQ(f.failing_pattern("('x-1', 4, 1)"), nullptr);
  EXPECT_EQ(f.failing_pattern("dist.inc-3f2a"), nullptr);
}

TEST(FaultInjector, NoSpecMeansNoInjector) {
  EXPECT_EQ(make_fault_injector("", Role::worker), nullptr);
  EXPECT_EQ(make_fault_injector("seed=4", Role::scheduler), nullptr);
  EXPECT_NE(make_fault_injector("delay=0.1:1ms", Role::scheduler), nullptr);
  EXPECT_THROW(make_fault_injector("kill-after=2", Role::scheduler), ValueError);
}

TaskRun run(TaskId id, const std::string& key) {
  static auto fn = make_function("fault_test.add", [](std::int64_t a, std::int64_t b) { return a + b; });
  return TaskRun{id, std::make_shared<TaskSpec>(TaskSpec{Key(key), fn, {Arg(Value(1)), Arg(Value(2))}}), {}};
}

TEST(TaskFaults, MatchingTasksErWithoutRunning) {
  auto f = injector("fail=add-b*");
  TaskRunBatch batch{run(1, "add-a1"), run(2, "add-b1"), run(3, "add-b2"), run(4, "add-c1")};
  auto failed = take_injected_failures(f, batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].id, 1u);
  EXPECT_EQ(batch[1].id, 4u);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].id, 2u);
  EXPECT_FALSE(failed[0].ok);
  EXPECT_FALSE(failed[0].missing_data);
  EXPECT_EQ(failed[0].error_key, "add-b1");
  EXPECT_EQ(failed[0].error_function, "fault_test.add");
  EXPECT_EQ(failed[0].error_message, "injected fault: fail=add-b* matches this task's key");
  // Without patterns nothing changes.
  auto none = injector("kill-after=3");
  EXPECT_TRUE(take_injected_failures(none, batch).empty());
  EXPECT_EQ(batch.size(), 2u);
}

TEST(TaskFaultsDeathTest, KillAfterEndsTheProcessAbruptly) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = injector("kill-after=3");
  on_tasks_finished(f, 2, "w0");  // not yet
  EXPECT_EXIT(on_tasks_finished(f, 1, "w0"), ::testing::ExitedWithCode(killed_exit_code),
              "worker w0 exits after 3 tasks \\(kill-after=3\\)");
}

TEST(TaskFaults, CutStopsTheCallerOnce) {
  auto f = injector("cut=150ms;cut-after=2");
  auto t0 = std::chrono::steady_clock::now();
  on_tasks_finished(f, 1, "w0");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 100ms);
  on_tasks_finished(f, 1, "w0");
  auto t1 = std::chrono::steady_clock::now();
  EXPECT_GE(t1 - t0, 150ms);
  on_tasks_finished(f, 5, "w0");
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 100ms);
}

TEST(DeliveryAudit, CountsWhatArrivedAgainstWhatWasSent) {
  DeliveryAudit audit;
  EXPECT_EQ(audit.lost(3, 0), 0u);
  EXPECT_EQ(audit.lost(3, 2), 2u);
  audit.received(3);
  audit.received(3);
  EXPECT_EQ(audit.lost(3, 2), 0u);
  EXPECT_EQ(audit.lost(3, 5), 3u);
  EXPECT_EQ(audit.lost(4, 0), 0u);
  audit.forget(3);
  EXPECT_EQ(audit.lost(3, 1), 1u);
}

}  // namespace
}  // namespace tessera::actors::fault
