// SchedulerState driven directly, without actors: placement, completion,
// error propagation, release and forgetting, step by step.
#include <gtest/gtest.h>

#include "actors/scheduler/scheduler_state.hpp"
#include "runtime/registry/make_function.hpp"

namespace tessera::actors {
namespace {

FunctionPtr add_fn() {
  static auto fn = make_function("add", [](std::int64_t a, std::int64_t b) { return a + b; });
  return fn;
}

TaskSpec task(const std::string& key, ArgList args) { return TaskSpec{Key(key), add_fn(), std::move(args)}; }

GraphSubmissionPtr submission(std::vector<TaskSpec> tasks, std::vector<Key> wanted) {
  auto s = std::make_shared<GraphSubmission>();
  s->graph = optimize(HighLevelGraph({make_layer("g", std::move(tasks))}), wanted,
                      OptimizeOptions{.cull = true, .fuse = false});
  s->wanted = std::move(wanted);
  return s;
}

/// `n` independent tasks r0, r1, ..., all wanted.
GraphSubmissionPtr roots(int n) {
  std::vector<TaskSpec> tasks;
  std::vector<Key> wanted;
  for (int i = 0; i < n; ++i) {
    tasks.push_back(task("r" + std::to_string(i), {Value(i), Value(0)}));
    wanted.push_back(Key("r" + std::to_string(i)));
  }
  return submission(std::move(tasks), std::move(wanted));
}

TaskOutcome ok(TaskId id, std::size_t nbytes = 8) {
  TaskOutcome o;
  o.id = id;
  o.nbytes = nbytes;
  return o;
}

class SchedulerStateTest : public ::testing::Test {
 protected:
  SchedulerStateTest() {
    worker = state.add_worker(caf::actor{}, "w0", 2, out);
    client = state.add_client(caf::actor{});
  }
  /// Takes the compute batch sent to the worker (and clears the outbox).
  ComputeBatch take_compute() {
    auto batch = std::move(out.compute[worker]);
    out = Outbox{};
    return batch;
  }
  SchedulerState state;
  Outbox out;
  WorkerId worker = 0;
  ClientId client = 0;
};

TEST_F(SchedulerStateTest, DiamondRunsInDependencyOrderAndIsForgottenOnRelease) {
  // a, b roots; c = a + b; d = c + a.
  state.submit(client, submission({task("a", {Value(1), Value(1)}), task("b", {Value(2), Value(2)}),
                                   task("c", {Arg(Key("a")), Arg(Key("b"))}),
                                   task("d", {Arg(Key("c")), Arg(Key("a"))})},
                                  {Key("d")}),
               out);
  auto first = take_compute();
  ASSERT_EQ(first.size(), 2u);  // only the roots are ready
  EXPECT_EQ(state.info().tasks_processing, 2u);
  EXPECT_EQ(state.info().tasks_waiting, 2u);

  state.tasks_finished(worker, {ok(first[0].id), ok(first[1].id)}, out);
  auto second = take_compute();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].spec->key, Key("c"));
  ASSERT_EQ(second[0].deps.size(), 2u);

  state.tasks_finished(worker, {ok(second[0].id)}, out);
  auto third_out = out;  // b is no longer needed once c finished: freed
  auto third = take_compute();
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].spec->key, Key("d"));
  ASSERT_EQ(third_out.free[worker].size(), 1u);

  state.tasks_finished(worker, {ok(third[0].id)}, out);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].key, Key("d"));
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::finished);
  out = Outbox{};
  EXPECT_EQ(state.info().tasks_memory, 1u);  // only d: a and c were freed

  state.release(client, {Key("d")}, out);
  EXPECT_EQ(state.num_tasks(), 0u);
  EXPECT_EQ(out.free[worker].size(), 1u);
  EXPECT_EQ(state.info().workers[0].keys_in_memory, 0u);
}

TEST_F(SchedulerStateTest, ErrorPropagatesToDependentsOnly) {
  state.submit(client, submission({task("a", {Value(1), Value(1)}), task("b", {Value(2), Value(2)}),
                                   task("c", {Arg(Key("a")), Value(1)}),
                                   task("d", {Arg(Key("b")), Value(1)})},
                                  {Key("c"), Key("d")}),
               out);
  auto roots = take_compute();
  ASSERT_EQ(roots.size(), 2u);
  TaskOutcome failed;
  failed.id = roots[0].spec->key == Key("a") ? roots[0].id : roots[1].id;
  failed.ok = false;
  failed.error_function = "add";
  failed.error_message = "boom";
  TaskId other = failed.id == roots[0].id ? roots[1].id : roots[0].id;
  state.tasks_finished(worker, {failed, ok(other)}, out);
  auto reports = out.reports[client];
  ASSERT_EQ(reports.size(), 1u);  // c erred (a's error); d is now running
  EXPECT_EQ(reports[0].key, Key("c"));
  EXPECT_EQ(reports[0].status, KeyReport::Status::error);
  EXPECT_EQ(reports[0].error_key, "a");
  EXPECT_EQ(reports[0].error_message, "boom");
  auto next = take_compute();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].spec->key, Key("d"));
}

TEST_F(SchedulerStateTest, KnownKeysAreNotRecomputed) {
  state.submit(client, submission({task("a", {Value(1), Value(1)})}, {Key("a")}), out);
  auto batch = take_compute();
  state.tasks_finished(worker, {ok(batch[0].id)}, out);
  out = Outbox{};
  // A second graph that uses a: only its new task runs.
  state.submit(client, submission({task("a", {Value(1), Value(1)}), task("b", {Arg(Key("a")), Value(5)})},
                                  {Key("b")}),
               out);
  auto second = take_compute();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].spec->key, Key("b"));
}

TEST_F(SchedulerStateTest, RootsAreFedInPriorityOrderUpToCapacity) {
  state.submit(client, roots(5000), out);
  auto batch = take_compute();
  EXPECT_GT(batch.size(), 0u);
  EXPECT_LT(batch.size(), 5000u);  // the rest wait in the scheduler's queue
  for (std::size_t i = 1; i < batch.size(); ++i) EXPECT_LT(batch[i - 1].priority, batch[i].priority);
  EXPECT_EQ(state.info().tasks_queued, 5000u - batch.size());
}

// Root tasks go to idle threads first: three roots submitted one by one with
// three idle one-thread workers run at once, not queued on one worker
// (a 1 ms task once waited behind a 300 ms one while two workers idled).
TEST(SchedulerPlacement, RootsSpreadOverIdleWorkersBeforeQueueing) {
  SchedulerState state;
  Outbox out;
  std::vector<WorkerId> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(state.add_worker(caf::actor{}, "w" + std::to_string(i), 1, out));
  auto client = state.add_client(caf::actor{});
  for (int i = 0; i < 3; ++i) {
    auto key = "root" + std::to_string(i);
    state.submit(client, submission({task(key, {Value(i), Value(1)})}, {Key(key)}), out);
  }
  for (auto w : workers) EXPECT_EQ(out.compute[w].size(), 1u) << "worker " << w;

  // More roots than threads: every thread gets one, the rest are queued by capacity.
  SchedulerState busy;
  Outbox out2;
  auto a = busy.add_worker(caf::actor{}, "a", 2, out2);
  auto b = busy.add_worker(caf::actor{}, "b", 2, out2);
  auto c2 = busy.add_client(caf::actor{});
  busy.submit(c2, roots(100), out2);
  EXPECT_GE(out2.compute[a].size(), 2u);
  EXPECT_GE(out2.compute[b].size(), 2u);
}

TEST_F(SchedulerStateTest, CancelReportsAndForgets) {
  state.submit(client, submission({task("a", {Value(1), Value(1)})}, {Key("a")}), out);
  auto batch = take_compute();
  state.cancel(client, {Key("a")}, out);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::cancelled);
  EXPECT_EQ(state.num_tasks(), 0u);
  out = Outbox{};
  // The late result of the forgotten task is freed on the worker.
  state.tasks_finished(worker, {ok(batch[0].id)}, out);
  EXPECT_EQ(out.free[worker].size(), 1u);
}

}  // namespace
}  // namespace tessera::actors
