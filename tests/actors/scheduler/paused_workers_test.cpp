// SchedulerState: paused workers ("Paused workers" in scheduler_state.hpp).
// A worker past its memory pause threshold says so in a heartbeat: it gets
// no new task (roots, dependents, steals), its queued work is stolen by
// running workers, and with nobody running the work waits queued until a
// worker resumes. Swept over 1..3 workers where the count matters.
#include <gtest/gtest.h>

#include <set>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

class PausedWorkers : public SchedulerFixture {
 protected:
  /// A heartbeat saying whether the worker is paused.
  void set_paused(WorkerId w, bool paused) {
    WorkerMetrics m;
    m.paused = paused;
    ASSERT_TRUE(state.heartbeat(w, m, 0.0, out));
  }
  /// Every compute batch queued, by worker (taken out of the Outbox).
  std::map<WorkerId, ComputeBatch> take_all() {
    auto c = std::move(out.compute);
    out.compute.clear();
    return c;
  }
  void submit_roots(int n, const std::string& prefix = "r") {
    std::vector<TaskSpec> tasks;
    std::vector<Key> wanted;
    for (int i = 0; i < n; ++i) {
      tasks.push_back(root(prefix + std::to_string(i), i));
      wanted.push_back(tasks.back().key);
    }
    state.submit(client, submission(std::move(tasks), wanted), out);
  }
  /// Finishes whatever is queued, over and over, until nothing is left to run.
  std::size_t drain(std::set<WorkerId>* ran_on = nullptr) {
    std::size_t n = 0;
    for (int i = 0; i < 1000 && !out.compute.empty(); ++i)
      for (auto& [w, batch] : take_all()) {
        if (ran_on) ran_on->insert(w);
        n += batch.size();
        finish(w, batch);
      }
    return n;
  }
};

TEST_F(PausedWorkers, APausedWorkerGetsNoRootTasks) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  set_paused(w1, true);
  EXPECT_TRUE(info_of(w1)->metrics.paused);
  submit_roots(50);
  std::set<WorkerId> ran_on;
  EXPECT_EQ(drain(&ran_on), 50u);
  EXPECT_EQ(ran_on, std::set<WorkerId>{w0});
  EXPECT_EQ(state.info().tasks_memory, 50u);
}

TEST_F(PausedWorkers, APausedWorkerGetsNoDependentsEvenOfItsOwnData) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  set_paused(w0, true);  // x goes to w1
  state.submit(client, submission({root("x")}, {Key("x")}), out);
  auto batch = take(w1);
  ASSERT_EQ(keys_of(batch), std::vector<std::string>{"x"});
  finish(w1, batch, 1 << 20);
  set_paused(w0, false);
  set_paused(w1, true);  // w1 holds x but may start nothing
  take_all();
  state.submit(client, submission({task("y", {Arg(Key("x")), Value(std::int64_t{1})})}, {Key("y")}), out);
  EXPECT_TRUE(take(w1).empty());
  EXPECT_EQ(keys_of(take(w0)), std::vector<std::string>{"y"});
  EXPECT_EQ(rec("y").processing_on, std::optional<WorkerId>(w0));
}

TEST_F(PausedWorkers, WithEveryWorkerPausedTasksWaitAndResumingPlacesThemAtOnce) {
  for (std::size_t n = 1; n <= 3; ++n) {
    SCOPED_TRACE("workers: " + std::to_string(n));
    std::vector<WorkerId> ws;
    for (std::size_t i = 0; i < n; ++i) ws.push_back(add_worker("n" + std::to_string(n) + "-" + std::to_string(i)));
    // A root, computed while they run; then its dependents and more roots
    // arrive with every worker paused.
    const std::string p = "p" + std::to_string(n) + "-";
    state.submit(client, submission({root(p + "x")}, {Key(p + "x")}), out);
    ASSERT_EQ(drain(), 1u);
    for (auto w : ws) set_paused(w, true);
    std::vector<TaskSpec> tasks;
    std::vector<Key> wanted;
    for (int i = 0; i < 10; ++i) {
      tasks.push_back(task(p + "d" + std::to_string(i), {Arg(Key(p + "x")), Value(std::int64_t{i})}));
      tasks.push_back(root(p + "r" + std::to_string(i), i));
      wanted.push_back(tasks[tasks.size() - 2].key);
      wanted.push_back(tasks.back().key);
    }
    state.submit(client, submission(std::move(tasks), wanted), out);
    state.balance(out);
    EXPECT_TRUE(out.compute.empty()) << "a paused worker was given a task";
    EXPECT_TRUE(out.steal.empty());
    EXPECT_EQ(state.info().tasks_queued, 20u);
    EXPECT_EQ(state.info().tasks_processing, 0u);
    // A heartbeat that says one resumed: it gets work in the same call.
    set_paused(ws.back(), false);
    auto batches = take_all();
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches.begin()->first, ws.back());
    EXPECT_FALSE(batches.begin()->second.empty());
    out.compute = std::move(batches);
    std::set<WorkerId> ran_on;
    EXPECT_EQ(drain(&ran_on), 20u) << "every waiting task runs once";
    EXPECT_EQ(ran_on, std::set<WorkerId>{ws.back()});
    EXPECT_EQ(state.info().tasks_queued, 0u);
    EXPECT_EQ(state.info().tasks_processing, 0u);
    for (auto w : ws) set_paused(w, false);
    // Nothing was lost or duplicated: 21 results, each reported once.
    std::size_t finished = 0;
    for (const auto& r : out.reports[client]) finished += r.status == KeyReport::Status::finished;
    EXPECT_EQ(finished, 21u);
    wanted.push_back(Key(p + "x"));
    state.release(client, wanted, out);
    EXPECT_EQ(state.num_tasks(), 0u);
    out = Outbox{};
    for (auto w : ws) state.remove_worker(w, out);
    out = Outbox{};
  }
}

TEST_F(PausedWorkers, RunningWorkersStealAPausedWorkersQueueAndAPausedOneNeverSteals) {
  auto w0 = add_worker("w0", 1);
  // 40 tasks that all need x, which w0 holds: they all go to w0. x is heavy
  // (stealing from a running worker would not move them).
  state.submit(client, submission({root("x")}, {Key("x")}), out);
  auto xb = take(w0);
  ASSERT_EQ(xb.size(), 1u);
  finish(w0, xb, std::size_t{1} << 30, 0.02);
  std::vector<TaskSpec> tasks;
  std::vector<Key> wanted;
  for (int i = 0; i < 40; ++i) {
    tasks.push_back(task("d" + std::to_string(i), {Arg(Key("x")), Value(std::int64_t{i})}));
    wanted.push_back(tasks.back().key);
  }
  state.submit(client, submission(std::move(tasks), wanted), out);
  ASSERT_EQ(take(w0).size(), 40u);
  auto w1 = add_worker("w1", 1);
  EXPECT_TRUE(out.steal.empty()) << "heavy inputs: not worth stealing from a running worker";

  // A paused w1 never steals, even idle.
  set_paused(w1, true);
  state.balance(out);
  EXPECT_TRUE(out.steal.empty());
  set_paused(w1, false);

  // w0 pauses: w1 takes all but the one w0 may be running.
  set_paused(w0, true);
  ASSERT_EQ(out.steal.count(w0), 1u);
  auto requested = out.steal[w0];
  out.steal.clear();
  EXPECT_EQ(requested.size(), 39u);
  state.steal_confirmed(w0, requested, out);
  EXPECT_EQ(take(w1).size(), 39u);
  EXPECT_TRUE(take(w0).empty()) << "nothing goes back to the paused victim";
  EXPECT_EQ(info_of(w0)->processing, 1u);
  EXPECT_EQ(info_of(w1)->processing, 39u);
}

TEST_F(PausedWorkers, StolenTasksNobodyRunningCanTakeWaitQueued) {
  auto w0 = add_worker("w0", 1);
  auto w1 = add_worker("w1", 1);
  submit_roots(2);
  auto b0 = take(w0), b1 = take(w1);
  ASSERT_EQ(b0.size() + b1.size(), 2u);
  // Both pause; an answer to an earlier steal request hands a task back.
  set_paused(w0, true);
  set_paused(w1, true);
  auto& mine = b0.empty() ? b1 : b0;
  auto victim = b0.empty() ? w1 : w0;
  out = Outbox{};
  state.steal_confirmed(victim, {mine.front().id}, out);
  EXPECT_TRUE(out.compute.empty());
  EXPECT_EQ(state_of(mine.front().spec->key.str()), TaskState::queued);
  set_paused(victim == w0 ? w1 : w0, false);
  auto placed = take(victim == w0 ? w1 : w0);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed.front().id, mine.front().id);
}

TEST_F(PausedWorkers, ScatteredDataPrefersRunningWorkers) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  set_paused(w0, true);
  ScatterBatch items;
  for (int i = 0; i < 4; ++i) items.push_back({Key("s" + std::to_string(i)), Value(std::int64_t{i})});
  state.scatter(client, std::move(items), false, out);
  EXPECT_EQ(out.store.count(w0), 0u);
  EXPECT_EQ(out.store[w1].size(), 4u);
  // Everyone paused: the data still has to go somewhere.
  set_paused(w1, true);
  out = Outbox{};
  state.scatter(client, ScatterBatch{ScatterItem{Key("t"), Value(std::int64_t{7})}}, false, out);
  EXPECT_EQ(out.store.size(), 1u);
}

}  // namespace
}  // namespace tessera::actors::sched_test
