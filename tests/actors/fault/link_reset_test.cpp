// What the scheduler does for the fault injector's faults, without actors:
// a worker whose link is reset (lost messages) is removed without counting
// towards KilledWorker, and a client that wants a key is told its holders
// again when one of them goes (it gathers from the holders it was told of).
#include <gtest/gtest.h>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

using LinkReset = SchedulerFixture;

TEST_F(LinkReset, ResetWorkerDoesNotCountAsADeath) {
  auto w = add_worker("w0");
  state.submit(client, submission({root("r")}, {Key("r")}), out);
  ASSERT_EQ(keys_of(take(w)), std::vector<std::string>{"r"});
  // Five resets while it runs: more than allowed_failures (3) deaths allow.
  for (int i = 1; i <= 5; ++i) {
    state.remove_worker(w, out, /*count_deaths=*/false);
    w = add_worker("w" + std::to_string(i));
    ASSERT_EQ(keys_of(take(w)), std::vector<std::string>{"r"}) << "reset " << i;
  }
  EXPECT_EQ(rec("r").suspicious, 0u);
  EXPECT_TRUE(out.reports.empty());
  finish(w, {ComputeTask{id("r"), nullptr, 0, {}}});
  EXPECT_EQ(state_of("r"), TaskState::memory);
}

TEST_F(LinkReset, DeathsDoCount) {  // the same churn with deaths: KilledWorker
  auto w = add_worker("w0");
  state.submit(client, submission({root("r")}, {Key("r")}), out);
  take(w);
  for (int i = 1; i <= 4; ++i) {
    state.remove_worker(w, out);
    w = add_worker("w" + std::to_string(i));
    take(w);
  }
  EXPECT_EQ(state_of("r"), TaskState::erred);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].error_type, "KilledWorker");
}

TEST_F(LinkReset, ClientsAreToldTheHoldersLeftWhenOneGoes) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  finish(w0, take(w0));
  state.data_acquired(w1, {id("a")}, out);  // a copy on w1 too
  ASSERT_EQ(who_has("a"), (std::vector<WorkerId>{w0, w1}));
  out = Outbox{};
  state.remove_worker(w0, out);
  ASSERT_EQ(out.reports[client].size(), 1u);
  const auto& r = out.reports[client][0];
  EXPECT_EQ(r.key, Key("a"));
  EXPECT_EQ(r.status, KeyReport::Status::finished);
  EXPECT_EQ(r.holders, std::vector<caf::actor>{handle(w1)});
  EXPECT_TRUE(out.compute.empty());  // nothing recomputed
}

TEST_F(LinkReset, ClientsAreToldTheHoldersLeftWhenOneLostItsCopy) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a"), task("b", {Arg(Key("a")), Value(1)})}, {Key("a"), Key("b")}),
               out);
  finish(w0, take(w0));
  state.data_acquired(w1, {id("a")}, out);
  auto b = take(w0);
  ASSERT_EQ(keys_of(b), std::vector<std::string>{"b"});
  out = Outbox{};
  // b's worker could not get a from w1 (say w1 dropped it): w1 no longer counts.
  state.tasks_finished(w0, {missing(id("b"), id("a"), handle(w1))}, out);
  ASSERT_FALSE(out.reports[client].empty());
  EXPECT_EQ(out.reports[client][0].key, Key("a"));
  EXPECT_EQ(out.reports[client][0].holders, std::vector<caf::actor>{handle(w0)});
}

TEST_F(LinkReset, UnwantedKeysAreNotReported) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a"), task("b", {Arg(Key("a")), Value(1)})}, {Key("b")}), out);
  finish(w0, take(w0));
  state.data_acquired(w1, {id("a")}, out);
  out = Outbox{};
  state.remove_worker(w0, out);
  EXPECT_TRUE(out.reports.empty());
}

}  // namespace
}  // namespace tessera::actors::sched_test
