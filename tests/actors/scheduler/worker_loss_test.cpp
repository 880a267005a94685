// SchedulerState::remove_worker and missing-data outcomes, step by step
// ("Worker loss" in scheduler_state.hpp), without actors.
#include <gtest/gtest.h>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

using WorkerLoss = SchedulerFixture;

bool has_error_report(const Outbox& out) {
  for (const auto& [c, reports] : out.reports)
    for (const auto& r : reports)
      if (r.status == KeyReport::Status::error) return true;
  return false;
}

TEST_F(WorkerLoss, ProcessingTasksMoveToASurvivor) {
  auto w0 = add_worker("w0", 4);  // room for the three roots on idle threads
  auto w1 = add_worker("w1", 4);
  state.submit(client, submission({root("r0"), root("r1"), root("r2")}, {Key("r0"), Key("r1"), Key("r2")}), out);
  auto first = take(w0);  // co-assigned: a run of roots goes to one worker
  ASSERT_EQ(keys_of(first), (std::vector<std::string>{"r0", "r1", "r2"}));
  EXPECT_TRUE(out.compute.empty());

  state.remove_worker(w0, out);
  auto moved = take(w1);
  EXPECT_EQ(keys_of(moved), (std::vector<std::string>{"r0", "r1", "r2"}));
  std::vector<TaskId> before, after;
  for (const auto& ct : first) before.push_back(ct.id);
  for (const auto& ct : moved) after.push_back(ct.id);
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  EXPECT_EQ(after, before);  // the same tasks, not new ones
  EXPECT_EQ(rec("r0").suspicious, 1u);
  EXPECT_FALSE(has_error_report(out));
  EXPECT_EQ(state.num_workers(), 1u);

  finish(w1, moved);
  ASSERT_EQ(out.reports[client].size(), 3u);
  for (const auto& r : out.reports[client]) EXPECT_EQ(r.status, KeyReport::Status::finished);
  EXPECT_EQ(who_has("r1"), std::vector<WorkerId>{w1});
}

TEST_F(WorkerLoss, WithNoWorkerLeftTasksWaitForOneToJoin) {
  auto w0 = add_worker("w0");
  state.submit(client, submission({root("a"), task("b", {Arg(Key("a")), Value(1)})}, {Key("b")}), out);
  finish(w0, take(w0));
  auto b = take(w0);
  ASSERT_EQ(keys_of(b), std::vector<std::string>{"b"});

  out = Outbox{};
  state.remove_worker(w0, out);
  EXPECT_TRUE(out.compute.empty());
  EXPECT_EQ(state.num_workers(), 0u);
  // a was only on w0 and b still needs it: a waits to run again, b waits on it.
  EXPECT_EQ(state_of("a"), TaskState::queued);
  EXPECT_EQ(state_of("b"), TaskState::waiting);

  auto w1 = add_worker("w1");
  auto a = take(w1);
  ASSERT_EQ(keys_of(a), std::vector<std::string>{"a"});
  finish(w1, a);
  auto again = take(w1);
  ASSERT_EQ(keys_of(again), std::vector<std::string>{"b"});
  EXPECT_EQ(again[0].id, b[0].id);  // the same task, not a new one
  finish(w1, again);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::finished);
  EXPECT_EQ(rec("b").suspicious, 1u);
  EXPECT_EQ(rec("a").suspicious, 0u);  // it was in memory, not processing, when w0 died
}

TEST_F(WorkerLoss, LostDataIsRecomputedThroughInputsWhoseDataWasReleased) {
  // x → a → b; b wanted. When w0 dies running b, a (only on w0) is needed
  // again, and so is x, whose data was already released.
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client,
               submission({root("x"), task("a", {Arg(Key("x")), Value(1)}), task("b", {Arg(Key("a")), Value(1)})},
                          {Key("b")}),
               out);
  finish(w0, take(w0));  // x
  auto a = take(w0);     // on w0: it holds x
  ASSERT_EQ(keys_of(a), std::vector<std::string>{"a"});
  finish(w0, a);
  EXPECT_EQ(out.free[w0], std::vector<TaskId>{id("x")});  // x released: b does not need it
  EXPECT_EQ(state_of("x"), TaskState::released);
  ASSERT_EQ(keys_of(take(w0)), std::vector<std::string>{"b"});
  out = Outbox{};

  state.remove_worker(w0, out);
  EXPECT_EQ(keys_of(take(w1)), std::vector<std::string>{"x"});  // only what can run now
  EXPECT_EQ(state_of("a"), TaskState::waiting);
  EXPECT_EQ(state_of("b"), TaskState::waiting);
  EXPECT_TRUE(out.reports.empty());

  state.tasks_finished(w1, {ok(id("x"))}, out);
  ASSERT_EQ(keys_of(take(w1)), std::vector<std::string>{"a"});
  state.tasks_finished(w1, {ok(id("a"))}, out);
  // x is released again once a finished (its waiters were counted again).
  EXPECT_EQ(out.free[w1], std::vector<TaskId>{id("x")});
  ASSERT_EQ(keys_of(take(w1)), std::vector<std::string>{"b"});
  out = Outbox{};
  state.tasks_finished(w1, {ok(id("b"))}, out);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::finished);
  ASSERT_EQ(out.reports[client][0].holders.size(), 1u);
  EXPECT_EQ(out.reports[client][0].holders[0], handle(w1));
  EXPECT_EQ(out.free[w1], std::vector<TaskId>{id("a")});

  out = Outbox{};
  state.release(client, {Key("b")}, out);
  EXPECT_EQ(state.num_tasks(), 0u);
  EXPECT_EQ(info_of(w1)->keys_in_memory, 0u);
  EXPECT_EQ(info_of(w1)->bytes_in_memory, 0u);
}

TEST_F(WorkerLoss, LostInputsOfWaitingTasksAreRecomputed) {
  // a is in memory on w0; c = a + y waits for y, running on w1 (more threads:
  // more room for roots). When w0 dies, c still needs a: it runs again.
  auto w0 = add_worker("w0");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  finish(w0, take(w0));
  auto w1 = add_worker("w1", 4);
  state.submit(client, submission({root("y"), task("c", {Arg(Key("a")), Arg(Key("y"))})}, {Key("c")}), out);
  auto y = take(w1);
  ASSERT_EQ(keys_of(y), std::vector<std::string>{"y"});
  EXPECT_EQ(state_of("c"), TaskState::waiting);
  out = Outbox{};

  state.remove_worker(w0, out);
  EXPECT_EQ(keys_of(take(w1)), std::vector<std::string>{"a"});
  EXPECT_EQ(state_of("c"), TaskState::waiting);
  state.tasks_finished(w1, {ok(id("a")), ok(y[0].id)}, out);
  EXPECT_EQ(keys_of(take(w1)), std::vector<std::string>{"c"});
  EXPECT_FALSE(has_error_report(out));
}

TEST_F(WorkerLoss, KeysHeldElsewhereStayAndFetchersGetTheHoldersLeft) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  auto w2 = add_worker("w2");
  // x on w0 (small), y on w1 (large): z = x + y runs on w1 and fetches x from w0.
  state.scatter(client, {{Key("x"), Value(1)}, {Key("y"), Value(std::string(1000, 'y'))}}, false, out);
  ASSERT_EQ(who_has("x"), std::vector<WorkerId>{w0});
  ASSERT_EQ(who_has("y"), std::vector<WorkerId>{w1});
  state.submit(client, submission({task("z", {Arg(Key("x")), Arg(Key("y"))})}, {Key("z")}), out);
  auto z = take(w1);
  ASSERT_EQ(keys_of(z), std::vector<std::string>{"z"});
  state.data_acquired(w2, {id("x")}, out);  // a copy of x on w2
  out = Outbox{};

  state.remove_worker(w0, out);
  EXPECT_TRUE(out.compute.empty());  // nothing recomputed, nothing moved
  EXPECT_EQ(state_of("x"), TaskState::memory);
  EXPECT_EQ(who_has("x"), std::vector<WorkerId>{w2});
  ASSERT_EQ(out.refresh[w1].size(), 1u);
  const auto& again = out.refresh[w1][0];
  EXPECT_EQ(again.id, z[0].id);
  ASSERT_EQ(again.deps.size(), 2u);
  for (const auto& d : again.deps) {
    ASSERT_EQ(d.holders.size(), 1u);
    EXPECT_EQ(d.holders[0], d.key == Key("x") ? handle(w2) : handle(w1));
  }
  EXPECT_EQ(rec("z").suspicious, 0u);
  EXPECT_EQ(info_of(w0), nullptr);  // gone from info
}

TEST_F(WorkerLoss, ScatteredDataThatIsLostErrsWithItsDependents) {
  auto w0 = add_worker("w0");
  add_worker("w1");
  state.scatter(client, {{Key("x"), Value(1)}}, false, out);
  ASSERT_EQ(who_has("x"), std::vector<WorkerId>{w0});
  state.submit(client, submission({task("z", {Arg(Key("x")), Value(1)})}, {Key("z")}), out);
  ASSERT_EQ(keys_of(take(w0)), std::vector<std::string>{"z"});
  out = Outbox{};

  state.remove_worker(w0, out);
  EXPECT_TRUE(out.compute.empty());
  auto& reports = out.reports[client];
  ASSERT_EQ(reports.size(), 2u);
  for (const auto& r : reports) {
    EXPECT_EQ(r.status, KeyReport::Status::error);
    EXPECT_EQ(r.error_key, "x");
    EXPECT_NE(r.error_message.find("was lost with w0"), std::string::npos) << r.error_message;
    EXPECT_NE(r.error_message.find("scattered"), std::string::npos) << r.error_message;
  }
}

TEST_F(WorkerLoss, AfterAllowedFailuresTheTaskErrsWithKilledWorker) {
  // r keeps killing its workers; d depends on it.
  state.submit(client, submission({root("r"), task("d", {Arg(Key("r")), Value(1)})}, {Key("r"), Key("d")}), out);
  for (int i = 0; i < 3; ++i) {  // allowed_failures = 3 deaths are survived
    auto w = add_worker("w" + std::to_string(i));
    ASSERT_EQ(keys_of(take(w)), std::vector<std::string>{"r"}) << i;
    out = Outbox{};
    state.remove_worker(w, out);
    EXPECT_EQ(rec("r").suspicious, static_cast<std::uint32_t>(i + 1));
    EXPECT_EQ(state_of("r"), TaskState::queued);
    EXPECT_TRUE(out.reports.empty());
  }
  auto last = add_worker("w3");
  ASSERT_EQ(keys_of(take(last)), std::vector<std::string>{"r"});
  out = Outbox{};
  state.remove_worker(last, out);
  EXPECT_EQ(state_of("r"), TaskState::erred);
  EXPECT_EQ(state_of("d"), TaskState::erred);
  auto& reports = out.reports[client];
  ASSERT_EQ(reports.size(), 2u);
  for (const auto& r : reports) {
    EXPECT_EQ(r.status, KeyReport::Status::error);
    EXPECT_EQ(r.error_type, "KilledWorker");
    EXPECT_EQ(r.error_key, "r");
    EXPECT_EQ(r.error_message,
              "Attempted to run task r on 4 different workers, but all those workers died while running it. "
              "The last worker that attempted to run the task was w3.");
  }
  // A worker that joins now gets nothing of it.
  auto w4 = add_worker("w4");
  EXPECT_TRUE(take(w4).empty());
}

class StrictWorkerLoss : public SchedulerFixture {
 protected:
  StrictWorkerLoss() : SchedulerFixture(SchedulerOptions{.allowed_failures = 0}) {}
};

TEST_F(StrictWorkerLoss, ZeroAllowedFailuresErrsOnTheFirstDeath) {
  auto w0 = add_worker("w0");
  add_worker("w1");
  state.submit(client, submission({root("r")}, {Key("r")}), out);
  ASSERT_EQ(keys_of(take(w0)), std::vector<std::string>{"r"});
  state.remove_worker(w0, out);
  EXPECT_EQ(state_of("r"), TaskState::erred);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].error_type, "KilledWorker");
  EXPECT_TRUE(out.compute.empty());
}

TEST_F(WorkerLoss, QueuedMessagesForTheDeadWorkerAreDroppedAndItIsNoHolderInOthers) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.scatter(client, {{Key("x"), Value(1)}, {Key("y"), Value(std::string(1000, 'y'))}}, false, out);
  state.data_acquired(w1, {id("x")}, out);  // x on w0 and w1
  state.submit(client, submission({task("z", {Arg(Key("x")), Arg(Key("y"))}), root("r")}, {Key("z"), Key("r")}),
               out);
  // Not sent yet: the store of x for w0, z for w1 listing w0 as a holder of x.
  ASSERT_FALSE(out.store[w0].empty());
  ASSERT_EQ(keys_of(out.compute[w1]), std::vector<std::string>{"z"});
  ASSERT_EQ(keys_of(out.compute[w0]), std::vector<std::string>{"r"});

  state.remove_worker(w0, out);
  EXPECT_EQ(out.store.count(w0), 0u);
  EXPECT_EQ(out.compute.count(w0), 0u);
  EXPECT_EQ(out.free.count(w0), 0u);
  EXPECT_EQ(keys_of(out.compute[w1]), (std::vector<std::string>{"r", "z"}));  // r moved
  for (const auto& ct : out.compute[w1])
    for (const auto& d : ct.deps)
      for (const auto& h : d.holders) EXPECT_NE(h, handle(w0)) << d.key.str();
  EXPECT_EQ(who_has("x"), std::vector<WorkerId>{w1});
  // Removing it again, or an unknown worker, changes nothing.
  Outbox again;
  state.remove_worker(w0, again);
  state.remove_worker(99, again);
  EXPECT_TRUE(again.empty());
}

TEST_F(WorkerLoss, MissingDataDropsTheStaleHolderAndRecomputesWithoutErring) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  // p on w0, y (large) on w1; x computed on w0; z = x + y on w1 fetches x from w0.
  state.scatter(client, {{Key("p"), Value(1)}, {Key("y"), Value(std::string(1000, 'y'))}}, false, out);
  state.submit(client, submission({root("x"), task("z", {Arg(Key("x")), Arg(Key("y"))})}, {Key("z")}), out);
  finish(w0, take(w0));
  auto z = take(w1);
  ASSERT_EQ(keys_of(z), std::vector<std::string>{"z"});
  out = Outbox{};

  // w1 could not get x from w0 (w0 had lost it): x is recomputed, z waits.
  state.tasks_finished(w1, {missing(z[0].id, id("x"), handle(w0))}, out);
  EXPECT_FALSE(has_error_report(out));
  EXPECT_EQ(out.free[w0], std::vector<TaskId>{id("x")});
  EXPECT_EQ(state_of("z"), TaskState::waiting);
  EXPECT_EQ(rec("z").suspicious, 0u);
  ComputeBatch rerun;
  for (auto& [w, batch] : out.compute) rerun.insert(rerun.end(), batch.begin(), batch.end());
  ASSERT_EQ(keys_of(rerun), std::vector<std::string>{"x"});
  auto rerun_on = out.compute.begin()->first;
  out = Outbox{};
  finish(rerun_on, rerun);
  auto z2 = take(w1);  // y's holder again
  ASSERT_EQ(keys_of(z2), std::vector<std::string>{"z"});
  finish(w1, z2);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::finished);
}

TEST_F(WorkerLoss, MissingDataWithAnotherHolderLeftJustPlacesTheTaskAgain) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  auto w2 = add_worker("w2");
  state.scatter(client, {{Key("x"), Value(1)}, {Key("y"), Value(std::string(1000, 'y'))}}, false, out);
  state.data_acquired(w2, {id("x")}, out);
  state.submit(client, submission({task("z", {Arg(Key("x")), Arg(Key("y"))})}, {Key("z")}), out);
  auto z = take(w1);
  ASSERT_EQ(keys_of(z), std::vector<std::string>{"z"});
  out = Outbox{};

  state.tasks_finished(w1, {missing(z[0].id, id("x"), handle(w0))}, out);
  EXPECT_EQ(who_has("x"), std::vector<WorkerId>{w2});
  auto again = take(w1);
  ASSERT_EQ(keys_of(again), std::vector<std::string>{"z"});
  for (const auto& d : again[0].deps) {
    if (d.key == Key("x")) {
      EXPECT_EQ(d.holders, std::vector<caf::actor>{handle(w2)});
    }
  }
  EXPECT_TRUE(out.compute.empty());  // x was not recomputed
  EXPECT_FALSE(has_error_report(out));
}

TEST_F(WorkerLoss, AStaleMissingDataReportIsIgnored) {
  auto w0 = add_worker("w0");
  state.submit(client, submission({root("x"), task("z", {Arg(Key("x")), Value(1)})}, {Key("z")}), out);
  finish(w0, take(w0));
  auto z = take(w0);
  finish(w0, z);
  out = Outbox{};
  state.tasks_finished(w0, {missing(z[0].id, id("x"), handle(w0))}, out);  // z is in memory
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(state_of("z"), TaskState::memory);
}

}  // namespace
}  // namespace tessera::actors::sched_test
