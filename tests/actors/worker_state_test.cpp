// WorkerState driven directly: readiness, fetch plans, priorities, the store.
#include <gtest/gtest.h>

#include "actors/worker/worker_state.hpp"

namespace tessera::actors {
namespace {

ComputeTask compute(TaskId id, std::int64_t priority, std::vector<DepLocation> deps = {}) {
  ComputeTask t;
  t.id = id;
  t.spec = std::make_shared<TaskSpec>(TaskSpec{Key("t" + std::to_string(id)), nullptr, {Arg(Value(1))}});
  t.priority = priority;
  t.deps = std::move(deps);
  return t;
}

TEST(WorkerState, ReadyTasksComeOutByPriority) {
  WorkerState w;
  ComputeBatch batch;
  batch.push_back(compute(1, 30));
  batch.push_back(compute(2, 10));
  batch.push_back(compute(3, 20));
  EXPECT_TRUE(w.add_tasks(std::move(batch)).empty());
  auto runs = w.take_ready(2);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, 2u);
  EXPECT_EQ(runs[1].id, 3u);
  EXPECT_EQ(w.num_ready(), 1u);
}

TEST(WorkerState, MissingInputsAreFetchedOnceAndAttached) {
  WorkerState w;
  w.store(100, Value(7));
  caf::actor nobody;  // a default handle stands for "some peer" here
  ComputeBatch batch;
  batch.push_back(compute(1, 0, {{100, Key("x"), {}}, {200, Key("y"), {nobody}}}));
  batch.push_back(compute(2, 1, {{200, Key("y"), {nobody}}}));
  auto plan = w.add_tasks(std::move(batch));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].second, std::vector<TaskId>{200});  // asked for once
  EXPECT_FALSE(w.has_ready());

  DataReply reply;
  reply.values = {Value(35)};
  reply.found = {1};
  EXPECT_TRUE(w.inputs_arrived({200}, std::move(reply)).empty());
  auto runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_EQ(runs[0].inputs.size(), 2u);
  EXPECT_EQ(runs[0].inputs[0].first, Key("x"));
  EXPECT_EQ(runs[0].inputs[0].second, Value(7));
  EXPECT_EQ(runs[0].inputs[1].second, Value(35));
}

TEST(WorkerState, InputThatIsGoneFailsItsTasks) {
  WorkerState w;
  ComputeBatch batch;
  batch.push_back(compute(1, 0, {{200, Key("y"), {caf::actor{}}}}));
  w.add_tasks(std::move(batch));
  DataReply reply;
  reply.values = {Value()};
  reply.found = {0};
  auto failed = w.inputs_arrived({200}, std::move(reply));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].first, 1u);
  EXPECT_EQ(failed[0].second, Key("y"));
}

TEST(WorkerState, StoreCountsBytesAndFrees) {
  WorkerState w;
  w.store(1, Value(std::string(1000, 'x')));
  w.store(2, Value(3));
  EXPECT_EQ(w.num_stored(), 2u);
  EXPECT_GE(w.bytes_stored(), 1000u);
  auto data = w.get_data({1, 3});
  EXPECT_TRUE(data.found[0]);
  EXPECT_FALSE(data.found[1]);
  w.free({1, 2, 3});
  EXPECT_EQ(w.num_stored(), 0u);
  EXPECT_EQ(w.bytes_stored(), 0u);
}

}  // namespace
}  // namespace tessera::actors
