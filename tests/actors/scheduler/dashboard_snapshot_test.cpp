// The dashboard's snapshot of SchedulerState (fill_dashboard) and the
// DashboardActivity the scheduler actor feeds: counts, prefixes, task
// stream lanes, the ring's bound, graph and task details. Driven as the
// actor drives them: activity first, then the state.
#include <gtest/gtest.h>

#include "actors/scheduler/dashboard_activity.hpp"
#include "actors/scheduler/dashboard_snapshot.hpp"
#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

class DashboardSnapshotTest : public SchedulerFixture {
 protected:
  DashboardActivity activity{100};

  void report(WorkerId w, const OutcomeBatch& outcomes) {
    activity.tasks_finished(state, w, outcomes);
    state.tasks_finished(w, outcomes, out);
  }
  /// Runs everything queued, each batch's tasks back to back from t = 1000 s.
  void run_recorded() {
    double t = 1000;
    while (!out.compute.empty()) {
      auto compute = std::move(out.compute);
      out.compute.clear();
      for (auto& [w, batch] : compute) {
        OutcomeBatch outcomes;
        for (const auto& ct : batch) {
          auto o = ok(ct.id, 8, 0.01);
          o.start = t;
          o.stop = t += 0.01;
          outcomes.push_back(o);
        }
        report(w, outcomes);
      }
    }
  }
  DashboardSnapshot snapshot(DashboardQuery q = {}) {
    DashboardSnapshot s;
    s.time = 2000;
    state.fill_dashboard(s, q);
    activity.fill(s, q.stream_since);
    return s;
  }
  static const PrefixProgress* prefix(const DashboardSnapshot& s, const std::string& name) {
    for (const auto& p : s.prefixes)
      if (p.prefix == name) return &p;
    return nullptr;
  }
};

TEST_F(DashboardSnapshotTest, CountsWorkersTasksAndPrefixes) {
  add_worker("w0", 2);
  add_worker("w1", 1);
  state.submit(client,
               submission({root("inc-1"), root("inc-2"), root("inc-3"),
                           task("total-1", {Arg(Key("inc-1")), Arg(Key("inc-2"))})},
                          {Key("total-1"), Key("inc-3")}),
               out);
  auto before = snapshot();
  ASSERT_EQ(before.workers.size(), 2u);
  EXPECT_EQ(before.workers[0].name, "w0");
  EXPECT_EQ(before.workers[0].nthreads, 2u);
  EXPECT_EQ(before.tasks_total, 4u);
  EXPECT_EQ(before.tasks_by_state[static_cast<int>(TaskState::waiting)], 1u);  // total-1
  const auto* inc = prefix(before, "inc");
  ASSERT_NE(inc, nullptr);
  EXPECT_EQ(inc->processing + inc->waiting, 3u);
  EXPECT_EQ(inc->done, 0u);

  run_recorded();
  auto after = snapshot();
  EXPECT_EQ(after.tasks_by_state[static_cast<int>(TaskState::memory)], 2u);  // inc-3, total-1
  EXPECT_EQ(after.tasks_finished, 4u);
  inc = prefix(after, "inc");
  ASSERT_NE(inc, nullptr);
  EXPECT_EQ(inc->done, 3u);    // inc-1 and inc-2 were released after use: still done
  EXPECT_EQ(inc->memory, 1u);  // inc-3 is wanted
  EXPECT_EQ(inc->total(), 3u);
  EXPECT_EQ(prefix(after, "total")->done, 1u);
  EXPECT_EQ(after.durations.count, 4u);
  EXPECT_EQ(after.stream.size(), 4u);
}

TEST_F(DashboardSnapshotTest, StreamLanesFollowOverlapWithinAWorker) {
  auto w = add_worker("w0", 2);
  state.submit(client, submission({root("a-1"), root("a-2"), root("a-3")}, {Key("a-1"), Key("a-2"), Key("a-3")}), out);
  auto batch = take(w);
  ASSERT_EQ(batch.size(), 3u);
  OutcomeBatch outcomes;
  double times[3][2] = {{10, 11}, {10.5, 11.5}, {11, 12}};  // the third starts as the first ends
  for (int i = 0; i < 3; ++i) {
    auto o = ok(batch[i].id);
    o.start = times[i][0];
    o.stop = times[i][1];
    outcomes.push_back(o);
  }
  report(w, outcomes);
  auto s = snapshot();
  ASSERT_EQ(s.stream.size(), 3u);
  EXPECT_EQ(s.stream[0].lane, 0u);
  EXPECT_EQ(s.stream[1].lane, 1u);
  EXPECT_EQ(s.stream[2].lane, 0u);
  EXPECT_EQ(s.stream[0].prefix, "a");
  // ?since: only what stopped later.
  EXPECT_EQ(snapshot({.stream_since = 11.2}).stream.size(), 2u);
}

TEST_F(DashboardSnapshotTest, AbuttingTasksReportedByCompletionStayOnTheirThreadsLanes) {
  // Two threads, each running 20 ms tasks back to back, slightly out of step.
  // Records arrive in order of completion: thread B's second task ends after
  // thread A's third starts. First fit would open a third lane; there are two.
  auto w = add_worker("w0", 2);
  std::vector<TaskSpec> roots;
  std::vector<Key> keys;
  for (int i = 0; i < 4; ++i) {
    roots.push_back(root("t-" + std::to_string(i)));
    keys.emplace_back("t-" + std::to_string(i));
  }
  state.submit(client, submission(roots, keys), out);
  auto batch = take(w);
  ASSERT_EQ(batch.size(), 4u);
  // A: [0, 20] [20.1, 40.3]; B: [1, 21] [21, 40.2]; completion order: A1, B1, B2, A2.
  // First fit put B2 on A's lane (free since 20), and A2 then found none free.
  double times[4][2] = {{0, 20}, {1, 21}, {21, 40.2}, {20.1, 40.3}};
  for (int i = 0; i < 4; ++i) {
    auto o = ok(batch[i].id);
    o.start = times[i][0];
    o.stop = times[i][1];
    report(w, OutcomeBatch{o});
  }
  auto s = snapshot();
  ASSERT_EQ(s.stream.size(), 4u);
  for (const auto& r : s.stream) EXPECT_LT(r.lane, 2u) << r.key;
  EXPECT_EQ(s.stream[0].lane, s.stream[3].lane);  // A's tasks share a lane
  EXPECT_EQ(s.stream[1].lane, s.stream[2].lane);  // and B's the other
}

TEST_F(DashboardSnapshotTest, TransfersAndSpillsAreBarsOfTheirOwnKind) {
  auto w = add_worker("w0", 1);
  std::vector<WorkerActivity> activity_batch{
      {WorkerActivity::transfer, 20.0, 20.5, 8 << 20, 3, "('x', 0)"},
      {WorkerActivity::spill, 20.2, 20.3, 1 << 20, 1, "('y', 1)"},
      {WorkerActivity::unspill, 21.0, 21.1, 1 << 20, 1, "('y', 1)"}};
  activity.worker_activity(w, activity_batch);
  auto s = snapshot();
  ASSERT_EQ(s.stream.size(), 3u);
  EXPECT_EQ(s.stream[0].kind, WorkerActivity::transfer);
  EXPECT_STREQ(stream_kind_name(s.stream[0].kind), "transfer");
  EXPECT_EQ(s.stream[0].prefix, "transfer");
  EXPECT_EQ(s.stream[0].key, "('x', 0) and 2 more");
  EXPECT_EQ(s.stream[0].bytes, 8u << 20);
  EXPECT_EQ(s.stream[0].worker, w);
  EXPECT_EQ(s.stream[1].lane, 1u);  // overlaps the transfer: a row of its own
  EXPECT_STREQ(stream_kind_name(s.stream[1].kind), "spill");
  EXPECT_EQ(s.stream[2].key, "('y', 1)");
  EXPECT_STREQ(stream_kind_name(s.stream[2].kind), "unspill");
  // They are not tasks: no prefix progress, no durations.
  EXPECT_EQ(prefix(s, "transfer"), nullptr);
  EXPECT_EQ(s.durations.count, 0u);
  EXPECT_STREQ(stream_kind_name(0), "task");
}

TEST_F(DashboardSnapshotTest, StaleAndMissingDataOutcomesAreNotRecorded) {
  auto w0 = add_worker("w0", 1);
  auto w1 = add_worker("w1", 1);
  state.submit(client, submission({root("a-1")}, {Key("a-1")}), out);
  auto ran_on = out.compute.count(w0) ? w0 : w1;
  auto other = ran_on == w0 ? w1 : w0;
  auto batch = take(ran_on);
  ASSERT_EQ(batch.size(), 1u);
  report(other, {ok(batch[0].id)});  // not processing there
  auto m = missing(batch[0].id, 0, caf::actor{});
  report(ran_on, {m});
  auto s = snapshot();
  EXPECT_TRUE(s.stream.empty());
  EXPECT_EQ(s.tasks_finished, 0u);
}

TEST_F(DashboardSnapshotTest, RingKeepsTheLastTasks) {
  DashboardActivity small{4};
  auto w = add_worker("w0", 1);
  std::vector<TaskSpec> tasks;
  std::vector<Key> keys;
  for (int i = 0; i < 6; ++i) {
    tasks.push_back(root("r-" + std::to_string(i), i));
    keys.push_back(Key("r-" + std::to_string(i)));
  }
  state.submit(client, submission(tasks, keys), out);
  double t = 0;
  while (!out.compute.empty()) {
    auto batch = take(w);
    ASSERT_FALSE(batch.empty());
    for (const auto& ct : batch) {
      auto o = ok(ct.id);
      o.start = t;
      o.stop = t += 1;
      small.tasks_finished(state, w, {o});
      state.tasks_finished(w, {o}, out);
    }
  }
  DashboardSnapshot s;
  small.fill(s, 0);
  EXPECT_EQ(small.size(), 4u);
  ASSERT_EQ(s.stream.size(), 4u);
  EXPECT_EQ(s.stream.front().stop, 3.0);  // the oldest two were dropped
  EXPECT_EQ(s.stream.back().stop, 6.0);
  EXPECT_EQ(s.tasks_finished, 6u);
}

TEST_F(DashboardSnapshotTest, AnIdlePrefixCountsAfreshForANewComputation) {
  add_worker("w0", 2);
  state.submit(client, submission({root("inc-1"), root("inc-2")}, {Key("inc-1"), Key("inc-2")}), out);
  run_recorded();
  EXPECT_EQ(prefix(snapshot(), "inc")->done, 2u);  // nothing left to do: idle from here
  state.release(client, {Key("inc-1"), Key("inc-2")}, out);
  state.submit(client, submission({root("inc-7", 7)}, {Key("inc-7")}), out);
  run_recorded();
  auto s = snapshot();
  EXPECT_EQ(prefix(s, "inc")->done, 1u);
  EXPECT_EQ(prefix(s, "inc")->total(), 1u);
}

TEST_F(DashboardSnapshotTest, GraphAndTaskDetails) {
  auto w = add_worker("w0", 1);
  state.submit(client,
               submission({root("x-1"), root("x-2"), task("sum-1", {Arg(Key("x-1")), Arg(Key("x-2"))})},
                          {Key("sum-1")}),
               out);
  auto s = snapshot({.graph = true, .task = "sum-1"});
  ASSERT_TRUE(s.graph_included);
  ASSERT_EQ(s.graph.size(), 3u);
  const GraphNode* sum = nullptr;
  for (const auto& n : s.graph)
    if (n.key == "sum-1") sum = &n;
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->state, "waiting");
  ASSERT_EQ(sum->deps.size(), 2u);
  for (auto d : sum->deps) EXPECT_EQ(s.graph[d].prefix, "x");
  ASSERT_TRUE(s.task);
  EXPECT_EQ(s.task->state, "waiting");
  EXPECT_EQ(s.task->dependencies, (std::vector<std::string>{"x-1", "x-2"}));
  EXPECT_EQ(s.task->wanted_by.size(), 1u);

  auto x = snapshot({.task = "x-1"});
  ASSERT_TRUE(x.task);
  EXPECT_EQ(x.task->dependents, std::vector<std::string>{"sum-1"});
  EXPECT_FALSE(x.graph_included);  // not asked for
  EXPECT_EQ(x.task->processing_on.empty(), x.task->state != "processing");
  (void)w;
  EXPECT_FALSE(snapshot({.task = "nope-1"}).task);
}

TEST_F(DashboardSnapshotTest, LargeGraphsAreNotIncluded) {
  std::vector<TaskSpec> tasks;
  std::vector<Key> keys;
  for (std::size_t i = 0; i <= DashboardQuery::max_graph_tasks; ++i) {
    tasks.push_back(root("big-" + std::to_string(i), static_cast<std::int64_t>(i)));
    keys.push_back(Key("big-" + std::to_string(i)));
  }
  state.submit(client, submission(std::move(tasks), std::move(keys)), out);
  auto s = snapshot({.graph = true});
  EXPECT_FALSE(s.graph_included);
  EXPECT_TRUE(s.graph.empty());
  EXPECT_EQ(s.tasks_total, DashboardQuery::max_graph_tasks + 1);
}

TEST(DurationHistogram, CumulativeBuckets) {
  DurationHistogram h;
  h.add(0.0002);
  h.add(2.0);
  h.add(100.0);
  EXPECT_EQ(h.count, 3u);
  EXPECT_DOUBLE_EQ(h.sum, 102.0002);
  EXPECT_EQ(h.counts[0], 0u);  // <= 0.0001
  EXPECT_EQ(h.counts[1], 1u);  // <= 0.0005
  EXPECT_EQ(h.counts[9], 2u);  // <= 5
  EXPECT_EQ(h.counts.back(), 2u);  // <= 60: the 100 s task only in +Inf (count)
}

}  // namespace
}  // namespace tessera::actors::sched_test
