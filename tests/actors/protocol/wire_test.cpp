// Every protocol message survives CAF's binary serialisation (what the
// middleman does between processes), and malformed bytes are an error, never
// a crash.
#include <gtest/gtest.h>

#include <caf/all.hpp>

#include <cmath>
#include <limits>

#include "actors/protocol/message_types.hpp"
#include "actors/protocol/messages.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {
namespace {

std::int64_t wire_twice(std::int64_t x) { return 2 * x; }
TESSERA_FUNCTION_AS(wire_twice, "wiretest.twice");

class WireTest : public ::testing::Test {
 protected:
  WireTest() {
    add_message_types(cfg_);
    cfg_.set("logger.console", caf::atom("none"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
  }

  template <class T>
  T round_trip(T x) {
    std::vector<char> buf;
    caf::binary_serializer sink{*sys_, buf};
    auto err = sink(x);
    EXPECT_FALSE(err) << sys_->render(err);
    T y{};
    caf::binary_deserializer source{*sys_, buf};
    err = source(y);
    EXPECT_FALSE(err) << sys_->render(err);
    return y;
  }

  template <class T>
  std::vector<char> bytes_of(T x) {
    std::vector<char> buf;
    caf::binary_serializer sink{*sys_, buf};
    EXPECT_FALSE(sink(x));
    return buf;
  }

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
};

TaskSpec twice_task(const std::string& key, Arg arg) {
  TaskSpec t;
  t.key = Key(key);
  t.fn = Registry::global().get("wiretest.twice");
  t.args.push_back(std::move(arg));
  return t;
}

TEST_F(WireTest, ComputeTaskKeepsSpecPriorityAndDependencies) {
  ComputeTask ct;
  ct.id = (std::uint64_t{7} << 32) | 3;
  ct.priority = -42;
  ct.spec = std::make_shared<const TaskSpec>(twice_task("b-1", Arg(Key("a-1"))));
  ct.deps.push_back(DepLocation{5, Key("a-1"), {}});
  auto batch = round_trip(ComputeBatch{ct});
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].id, ct.id);
  EXPECT_EQ(batch[0].priority, -42);
  ASSERT_TRUE(batch[0].spec);
  EXPECT_EQ(batch[0].spec->key, Key("b-1"));
  EXPECT_EQ(batch[0].spec->function_name(), "wiretest.twice");
  ASSERT_EQ(batch[0].deps.size(), 1u);
  EXPECT_EQ(batch[0].deps[0].key, Key("a-1"));
  EXPECT_EQ(batch[0].deps[0].id, 5u);
}

TEST_F(WireTest, ValuesOfEveryKindRoundTrip) {
  ValueDict d;
  d["n"] = Value(std::int64_t{3});
  d["s"] = Value("héllo");
  std::vector<Value> values{Value(), Value(true), Value(std::int64_t{-5}), Value(2.5), Value("text"),
                            Value(ValueList{Value(1.0), Value("x")}), Value(d),
                            Value(NDArray::from_vector(std::vector<double>{1, 2, 3}))};
  ScatterBatch items;
  for (std::size_t i = 0; i < values.size(); ++i) items.push_back({Key("v-" + std::to_string(i)), values[i]});
  auto back = round_trip(items);
  ASSERT_EQ(back.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(back[i].key, items[i].key);
    EXPECT_EQ(back[i].value, values[i]) << values[i].repr();
  }
}

TEST_F(WireTest, OutcomesAndReportsKeepErrors) {
  TaskOutcome o;
  o.id = 9;
  o.ok = false;
  o.error_key = "('x', 1)";
  o.error_function = "f";
  o.error_message = "boom";
  o.start = 1.5;
  o.stop = 2.5;
  auto back = round_trip(OutcomeBatch{o});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_FALSE(back[0].ok);
  EXPECT_EQ(back[0].error_key, "('x', 1)");
  EXPECT_EQ(back[0].error_message, "boom");
  EXPECT_DOUBLE_EQ(back[0].stop, 2.5);

  KeyReport r;
  r.key = Key("x", {1});
  r.status = KeyReport::Status::error;
  r.error_message = "bad";
  auto reports = round_trip(KeyReportBatch{r});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].key.str(), "('x', 1)");
  EXPECT_EQ(reports[0].status, KeyReport::Status::error);
  EXPECT_EQ(reports[0].error_message, "bad");
}

TEST_F(WireTest, GraphSubmissionRebuildsTheGraph) {
  std::vector<TaskSpec> tasks{twice_task("a-1", Arg(Value(std::int64_t{1}))),
                              twice_task("b-1", Arg(Key("a-1")))};
  auto s = std::make_shared<GraphSubmission>();
  s->graph.graph = TaskGraph(std::move(tasks));
  s->graph.priority = {0, 1};
  s->wanted = {Key("b-1")};
  auto back = round_trip(GraphSubmissionPtr(s));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->graph.graph.size(), 2u);
  auto b = back->graph.graph.find(Key("b-1"));
  ASSERT_GE(b, 0);
  ASSERT_EQ(back->graph.graph.dependencies(b).size(), 1u);
  EXPECT_EQ(back->graph.graph.task(back->graph.graph.dependencies(b)[0]).key, Key("a-1"));
  EXPECT_EQ(back->wanted, std::vector<Key>{Key("b-1")});
}

TEST_F(WireTest, UnknownFunctionsTravelByNameAndFailWhenRun) {
  // A scheduler routes tasks of functions it does not have; a worker
  // without the function fails the task, naming it, instead of crashing.
  auto t = twice_task("a-1", Arg(Value(std::int64_t{1})));
  auto fn = std::make_shared<Function>(*t.fn);
  fn->name = "nowhere.registered";
  t.fn = fn;
  ComputeTask ct;
  ct.spec = std::make_shared<const TaskSpec>(t);
  auto back = round_trip(ComputeBatch{ct});
  ASSERT_TRUE(back[0].spec);
  EXPECT_EQ(back[0].spec->function_name(), "nowhere.registered");
  EXPECT_THROW(back[0].spec->fn->call({}), KeyError);
}

TEST_F(WireTest, InfinitiesAndNaNsTravel) {
  // CAF 0.17's own double encoding never returns for these (fuzz.wire_message).
  WorkerMetrics m;
  m.cpu = std::numeric_limits<double>::infinity();
  m.time = std::numeric_limits<double>::quiet_NaN();
  auto back = round_trip(m);
  EXPECT_EQ(back.cpu, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(back.time));
  TaskOutcome o;
  o.start = -std::numeric_limits<double>::infinity();
  o.stop = 1.5;
  auto outcomes = round_trip(OutcomeBatch{o});
  EXPECT_EQ(outcomes.at(0).start, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(outcomes.at(0).stop, 1.5);
}

TEST_F(WireTest, MalformedBytesAreAnErrorNotACrash) {
  auto good = bytes_of(ScatterBatch{{Key("k"), Value(NDArray::from_vector(std::vector<double>(100, 1.0)))}});
  // Truncations and bit flips at many positions: each must decode or fail cleanly.
  for (std::size_t cut = 0; cut < good.size(); cut += 7) {
    std::vector<char> bad(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
    ScatterBatch out;
    caf::binary_deserializer source{*sys_, bad};
    EXPECT_TRUE(static_cast<bool>(source(out))) << "truncated at " << cut;
  }
  for (std::size_t i = 0; i < good.size(); i += 5) {
    auto bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    ScatterBatch out;
    caf::binary_deserializer source{*sys_, bad};
    (void)source(out);  // either outcome is fine; no crash, no sanitizer report
  }
}

}  // namespace
}  // namespace tessera::actors
