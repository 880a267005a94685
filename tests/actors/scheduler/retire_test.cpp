// SchedulerState::retire_workers: data moves off the retiring workers before
// they close; nothing is recomputed.
#include <gtest/gtest.h>

#include "runtime/util/error.hpp"
#include "tests/actors/scheduler/scheduler_test_support.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::actors::sched_test {
namespace {

using tessera::testing::error_of;
using Retire = SchedulerFixture;

std::vector<TaskId> ids_of(const std::vector<DepLocation>& locs) {
  std::vector<TaskId> ids;
  for (const auto& l : locs) ids.push_back(l.id);
  return ids;
}

TEST_F(Retire, UniqueDataIsCopiedThenTheWorkerClosesAndNothingIsRecomputed) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a"), root("b")}, {Key("a"), Key("b")}), out);
  finish(w0, take(w0));
  state.data_acquired(w1, {id("b")}, out);  // b also on w1: it needs no copy
  out = Outbox{};

  state.retire_workers({w0}, out);
  EXPECT_TRUE(out.compute.empty());
  EXPECT_TRUE(out.close.empty());
  ASSERT_EQ(out.acquire.size(), 1u);
  ASSERT_EQ(ids_of(out.acquire[w1]), std::vector<TaskId>{id("a")});
  EXPECT_EQ(out.acquire[w1][0].key, Key("a"));
  EXPECT_EQ(out.acquire[w1][0].holders, std::vector<caf::actor>{handle(w0)});
  EXPECT_TRUE(info_of(w0)->retiring);
  EXPECT_EQ(state.num_workers(), 1u);
  // New work goes elsewhere meanwhile.
  state.submit(client, submission({root("c")}, {Key("c")}), out);
  EXPECT_EQ(keys_of(take(w1)), std::vector<std::string>{"c"});
  out = Outbox{};

  state.data_acquired(w1, {id("a")}, out);
  EXPECT_EQ(out.close, std::vector<WorkerId>{w0});
  EXPECT_EQ(who_has("a"), std::vector<WorkerId>{w1});
  EXPECT_EQ(who_has("b"), std::vector<WorkerId>{w1});
  EXPECT_EQ(info_of(w0), nullptr);
  EXPECT_EQ(info_of(w1)->keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(out.compute.empty());
  // The actor closes it; its down message then changes nothing.
  out = Outbox{};
  state.remove_worker(w0, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(state_of("a"), TaskState::memory);
}

TEST_F(Retire, AssignedTasksAreOfferedToOthersAndStartedOnesFinishFirst) {
  auto w0 = add_worker("w0", 4);  // room for the three roots on idle threads
  auto w1 = add_worker("w1", 4);
  state.submit(client, submission({root("r0"), root("r1"), root("r2")}, {Key("r0"), Key("r1"), Key("r2")}), out);
  auto batch = take(w0);
  ASSERT_EQ(batch.size(), 3u);
  out = Outbox{};

  state.retire_workers({w0}, out);
  ASSERT_EQ(out.steal[w0].size(), 3u);
  EXPECT_TRUE(out.acquire.empty());
  out = Outbox{};
  // w0 had started r0; it gives up r1 and r2.
  state.steal_confirmed(w0, {id("r1"), id("r2")}, out);
  EXPECT_EQ(keys_of(take(w1)), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_TRUE(out.close.empty());
  state.tasks_finished(w0, {ok(id("r0"))}, out);
  ASSERT_EQ(ids_of(out.acquire[w1]), std::vector<TaskId>{id("r0")});
  EXPECT_TRUE(out.close.empty());
  state.data_acquired(w1, {id("r0")}, out);
  EXPECT_EQ(out.close, std::vector<WorkerId>{w0});
  EXPECT_EQ(rec("r0").suspicious, 0u);
}

TEST_F(Retire, CopiesGoToTheWorkerWithLeastData) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  auto w2 = add_worker("w2");
  state.scatter(client, {{Key("p"), Value(1)}, {Key("q"), Value(std::string(5000, 'q'))}, {Key("s"), Value(2)}}, false,
                out);
  ASSERT_EQ(who_has("q"), std::vector<WorkerId>{w1});
  out = Outbox{};
  // w0 holds p (small): it goes to w2, which holds less than w1.
  state.retire_workers({w0}, out);
  ASSERT_EQ(out.acquire.size(), 1u);
  EXPECT_EQ(ids_of(out.acquire[w2]), std::vector<TaskId>{id("p")});
}

TEST_F(Retire, AReceiverThatDiesIsReplaced) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  auto w2 = add_worker("w2");
  state.scatter(client, {{Key("p"), Value(1)}}, false, out);
  ASSERT_EQ(who_has("p"), std::vector<WorkerId>{w0});
  out = Outbox{};
  state.retire_workers({w0}, out);
  ASSERT_EQ(out.acquire.size(), 1u);
  auto receiver = out.acquire.begin()->first;
  auto other = receiver == w1 ? w2 : w1;
  out = Outbox{};
  state.remove_worker(receiver, out);
  EXPECT_EQ(ids_of(out.acquire[other]), std::vector<TaskId>{id("p")});
  EXPECT_EQ(state_of("p"), TaskState::memory);  // still on w0
  state.data_acquired(other, {id("p")}, out);
  EXPECT_EQ(out.close, std::vector<WorkerId>{w0});
}

TEST_F(Retire, RetiringTheLastWorkerWithDataIsRefused) {
  auto w0 = add_worker("w0");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  finish(w0, take(w0));
  out = Outbox{};
  auto msg = error_of([&] { state.retire_workers({w0}, out); });
  EXPECT_NE(msg.find("cannot retire w0"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no other worker would remain"), std::string::npos) << msg;
  EXPECT_THROW(state.retire_workers({w0}, out), ValueError);
  // Nothing changed: it still takes work and keeps its data.
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(info_of(w0)->retiring);
  state.submit(client, submission({root("b")}, {Key("b")}), out);
  EXPECT_EQ(keys_of(take(w0)), std::vector<std::string>{"b"});
}

TEST_F(Retire, RetiringEveryWorkerThatHoldsNothingClosesThem) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.retire_workers({w0, w1}, out);
  EXPECT_EQ(out.close, (std::vector<WorkerId>{w0, w1}));
  EXPECT_EQ(state.num_workers(), 0u);
}

TEST_F(Retire, UnknownWorkersAreRefusedByName) {
  auto w0 = add_worker("w0");
  auto msg = error_of([&] { state.retire_workers({w0, 5}, out); });
  EXPECT_EQ(msg, "retire_workers: no worker with id 5 is registered");
  EXPECT_THROW(state.retire_workers({5}, out), KeyError);
  EXPECT_FALSE(info_of(w0)->retiring);
}

TEST_F(Retire, ARetiringWorkerThatDiesLosesItsDataAsAnyOther) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  finish(w0, take(w0));
  state.retire_workers({w0}, out);
  out = Outbox{};
  state.remove_worker(w0, out);  // died before the copy arrived
  EXPECT_EQ(keys_of(take(w1)), std::vector<std::string>{"a"});  // recomputed from lineage
  EXPECT_TRUE(out.close.empty());
}

}  // namespace
}  // namespace tessera::actors::sched_test
