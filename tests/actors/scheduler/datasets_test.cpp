// SchedulerState: published datasets hold their keys; clients take
// references to existing keys.
#include <gtest/gtest.h>

#include "runtime/util/error.hpp"
#include "tests/actors/scheduler/scheduler_test_support.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::actors::sched_test {
namespace {

using tessera::testing::error_of;

class Datasets : public SchedulerFixture {
 protected:
  Datasets() {
    w0 = add_worker("w0");
    state.submit(client, submission({root("a"), root("b")}, {Key("a"), Key("b")}), out);
    finish(w0, take(w0));
    out = Outbox{};
  }
  WorkerId w0 = 0;
};

TEST_F(Datasets, APublishedDatasetKeepsItsKeysUntilUnpublished) {
  state.publish_dataset("ds", {Key("a"), Key("b")}, out);
  EXPECT_EQ(state.get_dataset("ds"), (std::vector<Key>{Key("a"), Key("b")}));
  EXPECT_EQ(state.list_datasets(), std::vector<std::string>{"ds"});
  EXPECT_TRUE(out.reports.empty());  // the dataset is not a client to report to
  state.release(client, {Key("a"), Key("b")}, out);
  state.remove_client(client, out);
  EXPECT_TRUE(out.free.empty());
  EXPECT_EQ(state_of("a"), TaskState::memory);
  EXPECT_EQ(state.info().clients, 0u);

  state.unpublish_dataset("ds", out);
  EXPECT_EQ(out.free[w0].size(), 2u);
  EXPECT_EQ(state.num_tasks(), 0u);
  EXPECT_TRUE(state.list_datasets().empty());
}

TEST_F(Datasets, AnotherClientTakesReferencesToADatasetsKeys) {
  state.publish_dataset("ds", {Key("a")}, out);
  auto a = id("a");
  auto other = state.add_client(caf::actor{});
  state.want_keys(other, state.get_dataset("ds"), out);
  ASSERT_EQ(out.reports[other].size(), 1u);  // finished already: reported at once
  EXPECT_EQ(out.reports[other][0].key, Key("a"));
  EXPECT_EQ(out.reports[other][0].status, KeyReport::Status::finished);
  EXPECT_EQ(out.reports[other][0].holders, std::vector<caf::actor>{handle(w0)});
  out = Outbox{};
  state.unpublish_dataset("ds", out);
  state.release(client, {Key("a")}, out);
  EXPECT_TRUE(out.free.empty());  // `other` still holds a
  state.release(other, {Key("a")}, out);
  EXPECT_EQ(out.free[w0], std::vector<TaskId>{a});
}

TEST_F(Datasets, BadNamesAndKeysAreRefusedClearly) {
  EXPECT_EQ(error_of([&] { (void)state.get_dataset("nope"); }), "Dataset 'nope' not found");
  EXPECT_THROW((void)state.get_dataset("nope"), KeyError);
  EXPECT_THROW(state.unpublish_dataset("nope", out), KeyError);
  EXPECT_EQ(error_of([&] { state.publish_dataset("ds", {Key("a"), Key("zzz")}, out); }),
            "publish_dataset: key zzz of dataset 'ds' is not on the cluster");
  EXPECT_TRUE(state.list_datasets().empty());  // nothing published
  EXPECT_THROW(state.publish_dataset("", {Key("a")}, out), ValueError);
  state.publish_dataset("ds", {Key("a")}, out);
  EXPECT_EQ(error_of([&] { state.publish_dataset("ds", {Key("b")}, out); }), "Dataset 'ds' already exists");
  EXPECT_EQ(error_of([&] { state.want_keys(client, {Key("zzz")}, out); }), "key zzz is not on the cluster");
  EXPECT_THROW(state.want_keys(42, {Key("a")}, out), KeyError);
}

TEST_F(Datasets, OverrideReplacesTheKeysAndKeepsSharedOnes) {
  state.publish_dataset("ds", {Key("a")}, out);
  auto a = id("a");
  state.release(client, {Key("a"), Key("b")}, out);
  ASSERT_EQ(out.free[w0].size(), 1u);  // b
  out = Outbox{};
  state.submit(client, submission({root("c")}, {Key("c")}), out);
  finish(w0, take(w0));
  state.publish_dataset("ds", {Key("a"), Key("c")}, out, /*override=*/true);
  EXPECT_TRUE(out.free.empty());
  EXPECT_EQ(state.get_dataset("ds"), (std::vector<Key>{Key("a"), Key("c")}));
  state.publish_dataset("ds", {Key("c")}, out, true);
  EXPECT_EQ(out.free[w0], std::vector<TaskId>{a});  // only the dataset held a
}

TEST_F(Datasets, ListIsSorted) {
  state.publish_dataset("zeta", {Key("a")}, out);
  state.publish_dataset("alpha", {Key("b")}, out);
  EXPECT_EQ(state.list_datasets(), (std::vector<std::string>{"alpha", "zeta"}));
}

}  // namespace
}  // namespace tessera::actors::sched_test
