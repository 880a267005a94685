// WorkerState driven directly: readiness, fetch plans, priorities, the store.
#include <gtest/gtest.h>

#include "actors/worker/worker_state.hpp"
#include "runtime/util/error.hpp"

#include <algorithm>

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
  EXPECT_TRUE(w.inputs_arrived({}, {200}, std::move(reply)).empty());
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
  auto failed = w.inputs_arrived({}, {200}, std::move(reply));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].task, 1u);
  EXPECT_EQ(failed[0].dep, 200u);
  EXPECT_EQ(failed[0].key, Key("y"));
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

TEST(WorkerState, ReleaseUnstartedGivesUpQueuedAndWaitingTasksOnly) {
  WorkerState w;
  ComputeBatch batch(3);
  for (std::size_t i = 0; i < 3; ++i) {
    batch[i].id = i + 1;
    batch[i].priority = static_cast<std::int64_t>(i);
    TaskSpec spec;
    spec.key = Key("t-" + std::to_string(i));
    batch[i].spec = std::make_shared<const TaskSpec>(std::move(spec));
  }
  // Task 3 waits for an input held elsewhere.
  batch[2].deps.push_back(DepLocation{100, Key("in"), {}});
  w.add_tasks(std::move(batch));
  auto started = w.take_ready(1);  // task 1 starts
  ASSERT_EQ(started.size(), 1u);
  auto released = w.release_unstarted({1, 2, 3, 99});
  std::sort(released.begin(), released.end());
  EXPECT_EQ(released, (std::vector<TaskId>{2, 3}));
  EXPECT_FALSE(w.has_ready());
  EXPECT_EQ(w.num_pending(), 0u);
  // The input's fetch goes on; when it arrives nothing becomes ready.
  DataReply reply;
  reply.values = {Value(std::int64_t{1})};
  reply.found = {1};
  EXPECT_TRUE(w.inputs_arrived({}, {100}, std::move(reply)).empty());
  EXPECT_FALSE(w.has_ready());
}

// A paused worker holds its fetches back; what its tasks no longer need by
// the time it resumes (they were stolen) is forgotten, not fetched.
TEST(WorkerState, FetchesHeldBackKeepOnlyWhatTasksStillWaitFor) {
  WorkerState w;
  caf::actor peer;
  ComputeBatch batch;
  batch.push_back(compute(1, 0, {{100, Key("x"), {peer}}, {200, Key("y"), {peer}}}));
  batch.push_back(compute(2, 1, {{200, Key("y"), {peer}}}));
  auto plan = w.add_tasks(std::move(batch));
  ASSERT_EQ(plan.size(), 1u);
  ASSERT_EQ(plan[0].second, (std::vector<TaskId>{100, 200}));
  EXPECT_EQ(w.release_unstarted({1}), std::vector<TaskId>{1});  // stolen while paused
  auto left = w.still_needed(plan);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].second, std::vector<TaskId>{200});  // task 2 still waits for y
  EXPECT_EQ(w.input_key(100), Key());                   // x is forgotten
  EXPECT_TRUE(w.still_needed(left).size() == 1u);       // asking again changes nothing
  EXPECT_EQ(w.release_unstarted({2}), std::vector<TaskId>{2});
  EXPECT_TRUE(w.still_needed(left).empty());
  // Once forgotten, a late answer is still kept (a value is a value) and fails nothing.
  DataReply reply;
  reply.values = {Value(5)};
  reply.found = {1};
  EXPECT_TRUE(w.inputs_arrived({}, {200}, std::move(reply)).empty());
  EXPECT_EQ(w.num_pending(), 0u);
}

TEST(WorkerState, LargeValuesAreAnsweredOnTheDataPlane) {
  WorkerState w;
  auto shared = std::make_shared<SharedValues>(1024);
  w.store(1, Value(NDArray::from_vector(std::vector<double>(64, 1.0))));  // 512 bytes: in the message
  w.store(2, Value(NDArray::from_vector(std::vector<double>(512, 2.0))));  // 4 KiB: on the data plane
  w.share_large_values(shared, "tcp://127.0.0.1:4000");  // values stored before are shared too
  w.store(3, Value(NDArray::from_vector(std::vector<double>(256, 3.0))));  // 2 KiB
  EXPECT_EQ(shared->size(), 2u);

  auto r = w.get_data({1, 2, 3, 4});
  EXPECT_EQ(r.found, (std::vector<char>{1, 1, 1, 0}));
  EXPECT_EQ(r.on_data_plane, (std::vector<char>{0, 1, 1, 0}));
  EXPECT_EQ(r.data_address, "tcp://127.0.0.1:4000");
  EXPECT_EQ(r.values[0].as_ndarray().values<double>()[0], 1.0);
  EXPECT_TRUE(r.values[1].is_none());  // not in the message
  auto served = shared->find(2, "");
  ASSERT_TRUE(served);
  EXPECT_EQ(served->as_ndarray().values<double>()[511], 2.0);

  w.free({2});
  EXPECT_FALSE(shared->find(2, ""));
  w.clear();
  EXPECT_EQ(shared->size(), 0u);
  // Small values only: no data-plane fields at all.
  w.store(5, Value(std::int64_t{5}));
  auto small = w.get_data({5});
  EXPECT_TRUE(small.on_data_plane.empty());
}

TEST(WorkerState, ClearDropsTasksAndData) {
  WorkerState w;
  w.store(1, Value(std::string(100, 'x')));
  ComputeBatch batch(1);
  batch[0].id = 5;
  TaskSpec spec;
  spec.key = Key("t");
  batch[0].spec = std::make_shared<const TaskSpec>(std::move(spec));
  w.add_tasks(std::move(batch));
  w.clear();
  EXPECT_EQ(w.num_stored(), 0u);
  EXPECT_EQ(w.bytes_stored(), 0u);
  EXPECT_FALSE(w.has_ready());
}

// A value pushed to the data server waits aside until the scheduler has the
// worker adopt it under the key's id; a push of a key already held is dropped.
TEST(WorkerState, PushedValuesAreAdoptedUnderTheScheduledIds) {
  WorkerState w;
  auto shared = std::make_shared<SharedValues>(16);
  w.share_large_values(shared, "tcp://127.0.0.1:1");
  EXPECT_EQ(w.data_address(), "tcp://127.0.0.1:1");
  shared->store(0, "big", Value(std::string(100, 'x')));
  shared->store(0, "dup", Value(std::string(100, 'y')));
  EXPECT_EQ(shared->num_pushed(), 2u);
  EXPECT_FALSE(w.find(7)) << "not in the store before the scheduler says so";
  auto missing = w.adopt_pushed({DepLocation{7, Key("big"), {}}, DepLocation{0, Key("dup"), {}},
                                 DepLocation{8, Key("never-pushed"), {}}});
  EXPECT_EQ(missing, std::vector<Key>{Key("never-pushed")});
  ASSERT_TRUE(w.find(7));
  EXPECT_EQ(*w.find(7), Value(std::string(100, 'x')));
  EXPECT_EQ(shared->num_pushed(), 0u);
  EXPECT_TRUE(shared->find(7, "big")) << "served to peers like any large value";
  EXPECT_EQ(w.num_stored(), 1u);
}

}  // namespace
}  // namespace tessera::actors
