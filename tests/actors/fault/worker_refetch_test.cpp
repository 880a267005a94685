// WorkerState after a fault, found by the chaos suite (kill scenario, seed
// 13): a task whose fetch of one input failed (its holder died) is placed
// on the same worker again while its other input is still in flight. When
// that input arrives the task must still wait for the first one; it once ran
// at once with an empty value in place of the missing input.
#include <gtest/gtest.h>

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
  auto failed = w.inputs_failed({100});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].task, 1u);
  // The scheduler places it here again, a now held elsewhere.
  ComputeBatch again;
  again.push_back(compute(1, {{100, Key("a"), {holder}}, {200, Key("b"), {holder}}}));
  auto plan = w.add_tasks(std::move(again));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].second, std::vector<TaskId>{100});  // b is in flight already
  // b arrives: the task still waits for a.
  EXPECT_TRUE(w.inputs_arrived({200}, found({Value(20)})).empty());
  EXPECT_FALSE(w.has_ready()) << "ran without input a";
  EXPECT_TRUE(w.inputs_arrived({100}, found({Value(10)})).empty());
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
  EXPECT_TRUE(w.inputs_arrived({200}, found({Value(20)})).empty());
  EXPECT_FALSE(w.has_ready()) << "ran without input a";
  EXPECT_TRUE(w.inputs_arrived({100}, found({Value(10)})).empty());
  EXPECT_EQ(w.take_ready(10).size(), 1u);
}

}  // namespace
}  // namespace tessera::actors
