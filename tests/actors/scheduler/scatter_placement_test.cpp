// Scattering large values over the data plane, on the scheduler's side: it
// names the workers to push to, then records where the pushes landed.
#include <gtest/gtest.h>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

using ScatterPlacementTest = SchedulerFixture;

ScatterPlacement wanted(std::vector<std::string> keys, std::size_t nbytes = 1 << 20) {
  ScatterPlacement p;
  for (auto& k : keys) p.push_back(PlacedValue{Key(k), nbytes, {}});
  return p;
}

TEST_F(ScatterPlacementTest, PlacesRoundRobinOrEverywhereAndSkipsHeldKeys) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  auto one_each = state.place_scatter(wanted({"a", "b"}), false);
  ASSERT_EQ(one_each.size(), 2u);
  ASSERT_EQ(one_each[0].holders.size(), 1u);
  ASSERT_EQ(one_each[1].holders.size(), 1u);
  EXPECT_NE(one_each[0].holders[0], one_each[1].holders[0]);
  auto everywhere = state.place_scatter(wanted({"c"}), true);
  EXPECT_EQ(everywhere[0].holders, (std::vector<caf::actor>{handle(w0), handle(w1)}));
  EXPECT_EQ(state.info().tasks_total, 0u) << "placing alone changes nothing";

  state.scatter(client, {{Key("held"), Value(1)}}, false, out);
  auto placement = state.place_scatter(wanted({"held"}), true);
  EXPECT_TRUE(placement[0].holders.empty()) << "a key in memory needs no push";
}

TEST_F(ScatterPlacementTest, AdoptedValuesAreInMemoryWhereTheyLanded) {
  auto w0 = add_worker("w0");
  auto w1 = add_worker("w1");
  ScatterPlacement placed = wanted({"big"}, 5000);
  placed[0].holders = {handle(w1)};
  state.adopt_scattered(client, placed, out);
  EXPECT_EQ(state_of("big"), TaskState::memory);
  EXPECT_EQ(who_has("big"), std::vector<WorkerId>{w1});
  ASSERT_EQ(out.adopt[w1].size(), 1u);
  EXPECT_EQ(out.adopt[w1][0].id, id("big"));
  EXPECT_EQ(out.adopt[w1][0].key, Key("big"));
  EXPECT_TRUE(out.adopt.find(w0) == out.adopt.end());
  EXPECT_EQ(info_of(w1)->bytes_in_memory, 5000u);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::finished);

  // Pushed again to w0 while already held: w0 is told to drop its copy.
  out = Outbox{};
  placed[0].holders = {handle(w0)};
  state.adopt_scattered(client, placed, out);
  ASSERT_EQ(out.adopt[w0].size(), 1u);
  EXPECT_EQ(out.adopt[w0][0].id, TaskId{0});
  EXPECT_EQ(who_has("big"), std::vector<WorkerId>{w1});
}

TEST_F(ScatterPlacementTest, AValueWhoseWorkersAllLeftIsAnError) {
  auto w0 = add_worker("w0");
  auto gone = handle(w0);
  state.remove_worker(w0, out);
  out = Outbox{};
  ScatterPlacement placed = wanted({"lost"});
  placed[0].holders = {gone};
  state.adopt_scattered(client, placed, out);
  ASSERT_EQ(out.reports[client].size(), 1u);
  EXPECT_EQ(out.reports[client][0].status, KeyReport::Status::error);
  EXPECT_NE(out.reports[client][0].error_message.find("left before it was placed"), std::string::npos)
      << out.reports[client][0].error_message;
  EXPECT_TRUE(out.adopt.empty());
}

}  // namespace
}  // namespace tessera::actors::sched_test
