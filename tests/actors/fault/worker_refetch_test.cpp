// WorkerState after a fault, found by the chaos suite (kill scenario, seed
// 13): a task whose fetch of one input failed (its holder died) is placed
// on the same worker again while its other input is still in flight. When
// that input arrives the task must still wait for the first one; it once ran
// at once with an empty value in place of the missing input.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/worker/worker_state.hpp"

namespace tessera::actors {
namespace {

ComputeTask compute(TaskId id, std::vector<DepLocation> deps) {
  ComputeTask t;
  t.id = id;
  t.spec = std::make_shared<TaskSpec>(TaskSpec{Key("t" + std::to_string(id)), nullptr, {Arg(Value(1))}});
  t.deps = std::move(deps);
  return t;
}

DataReply found(std::vector<Value> values) {
  DataReply r;
  r.found.assign(values.size(), 1);
  r.values = std::move(values);
  return r;
}

TEST(WorkerRefetch, TaskPlacedAgainWaitsForEveryInput) {
  WorkerState w;
  caf::actor holder;  // handles only tell fetches apart here
  ComputeBatch first;
  first.push_back(compute(1, {{100, Key("a"), {holder}}, {200, Key("b"), {holder}}}));
  ASSERT_FALSE(w.add_tasks(std::move(first)).empty());
  // a's holder died: the task is reported missing data; b is still coming.
  auto failed = w.inputs_failed(holder.address(), {100});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].task, 1u);
  // The scheduler places it here again, a now held elsewhere.
  ComputeBatch again;
  again.push_back(compute(1, {{100, Key("a"), {holder}}, {200, Key("b"), {holder}}}));
  auto plan = w.add_tasks(std::move(again));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].second, std::vector<TaskId>{100});  // b is in flight already
  // b arrives: the task still waits for a.
  EXPECT_TRUE(w.inputs_arrived(holder.address(), {200}, found({Value(20)})).empty());
  EXPECT_FALSE(w.has_ready()) << "ran without input a";
  EXPECT_TRUE(w.inputs_arrived(holder.address(), {100}, found({Value(10)})).empty());
  auto runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].inputs.size(), 2u);
  EXPECT_EQ(runs[0].inputs[0].second, Value(10));
  EXPECT_EQ(runs[0].inputs[1].second, Value(20));
}

TEST(WorkerRefetch, TaskSentTwiceCountsEachInputOnce) {
  WorkerState w;
  caf::actor holder;
  for (int i = 0; i < 2; ++i) {
    ComputeBatch batch;
    batch.push_back(compute(1, {{100, Key("a"), {holder}}, {200, Key("b"), {holder}}}));
    w.add_tasks(std::move(batch));
  }
  EXPECT_TRUE(w.inputs_arrived(holder.address(), {200}, found({Value(20)})).empty());
  EXPECT_FALSE(w.has_ready()) << "ran without input a";
  EXPECT_TRUE(w.inputs_arrived(holder.address(), {100}, found({Value(10)})).empty());
  EXPECT_EQ(w.take_ready(10).size(), 1u);
}

/// Two distinct live handles, standing for two workers that hold data.
struct TwoHolders : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::actor dead = sys.spawn([]() -> caf::behavior { return {[](int) {}}; });
  caf::actor alive = sys.spawn([]() -> caf::behavior { return {[](int) {}}; });
  ~TwoHolders() override {
    caf::anon_send_exit(dead, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(alive, caf::exit_reason::user_shutdown);
  }
};

// The holder of a fetched input died before the fetch reached it (a request
// to such a node may never be answered). The scheduler re-sends the task with
// the input's remaining holder: the worker must fetch it from there instead
// of waiting on the first fetch, and a late miss from the dead holder must
// not fail the task.
TEST_F(TwoHolders, RefreshFetchesAgainWhenTheSourceLeft) {
  WorkerState w;
  ComputeBatch first;
  first.push_back(compute(1, {{100, Key("a"), {dead, alive}}}));
  auto plan = w.add_tasks(std::move(first));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].first, dead);

  // The same holders again: the fetch in flight goes on.
  ComputeBatch same;
  same.push_back(compute(1, {{100, Key("a"), {dead, alive}}}));
  EXPECT_TRUE(w.refresh(std::move(same)).empty());

  ComputeBatch refreshed;
  refreshed.push_back(compute(1, {{100, Key("a"), {alive}}}));
  plan = w.refresh(std::move(refreshed));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].first, alive);
  EXPECT_EQ(plan[0].second, std::vector<TaskId>{100});

  DataReply miss;
  miss.values = {Value()};
  miss.found = {0};
  EXPECT_TRUE(w.inputs_arrived(dead.address(), {100}, std::move(miss)).empty()) << "a stale miss failed the task";
  EXPECT_TRUE(w.inputs_failed(dead.address(), {100}).empty()) << "the dead holder's down failed the task";
  EXPECT_TRUE(w.inputs_arrived(alive.address(), {100}, found({Value(10)})).empty());
  auto runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].inputs[0].second, Value(10));
}

TEST_F(TwoHolders, RefreshWithNoHolderLeftPlansAnEmptySource) {
  WorkerState w;
  ComputeBatch first;
  first.push_back(compute(1, {{100, Key("a"), {dead}}}));
  w.add_tasks(std::move(first));
  ComputeBatch refreshed;
  refreshed.push_back(compute(1, {{100, Key("a"), {}}}));
  auto plan = w.refresh(std::move(refreshed));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_FALSE(plan[0].first) << "no holder is left: the worker reports the task";
  auto failed = w.inputs_failed(caf::actor_addr{}, {100});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].task, 1u);
}

}  // namespace
}  // namespace tessera::actors
