// The synchronous reference executor and scheduler configuration
// (runtime/exec/*.hpp), on graphs built by hand.
#include "runtime/exec/sync_executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "runtime/registry/make_function.hpp"

namespace tessera {
namespace {

const FunctionPtr inc = make_function("inc", [](std::int64_t x) { return x + 1; });
const FunctionPtr dbl = make_function("double", [](std::int64_t x) { return 2 * x; });
const FunctionPtr add = make_function("add", [](std::int64_t a, std::int64_t b) { return a + b; });
const FunctionPtr sum = make_function("sum", [](const std::vector<std::int64_t>& xs) {
  std::int64_t s = 0;
  for (auto x : xs) s += x;
  return s;
});
const FunctionPtr fail = make_function("fail", [](std::int64_t x) -> std::int64_t {
  throw std::runtime_error("boom " + std::to_string(x));
});

TaskSpec literal(const std::string& key, Value v) { return {Key(key), nullptr, {Arg(std::move(v))}}; }
TaskSpec make_task(const std::string& key, const FunctionPtr& fn, ArgList args) {
  return {Key(key), fn, std::move(args)};
}
Arg key_ref(const std::string& key) { return Arg(Key(key)); }

std::vector<Value> compute(const HighLevelGraph& g, std::vector<Key> outputs) {
  return get_executor("sync")->compute(g, outputs);
}

template <class F>
TaskError task_error_of(F&& f) {
  try {
    f();
  } catch (const TaskError& e) {
    return e;
  }
  ADD_FAILURE() << "no TaskError";
  return TaskError("", "", "");
}

TEST(SyncExecutor, Diamond) {
  // a = 1; b = inc(a); c = double(a); d = add(b, c)
  auto layer = make_layer("diamond", {literal("a", Value(1)), make_task("b", inc, {key_ref("a")}),
                                      make_task("c", dbl, {key_ref("a")}), make_task("d", add, {key_ref("b"), key_ref("c")})});
  HighLevelGraph g({layer});
  EXPECT_EQ(compute(g, {Key("d")}), std::vector<Value>{Value(4)});
  EXPECT_EQ(compute(g, {Key("b"), Key("d"), Key("c"), Key("d")}),
            (std::vector<Value>{Value(2), Value(4), Value(2), Value(4)}));
  EXPECT_EQ(compute(g, {Key("a")}), std::vector<Value>{Value(1)});
  EXPECT_TRUE(compute(g, {}).empty());
}

TEST(SyncExecutor, DirectlyAndThroughTheRegistryOfExecutors) {
  SyncExecutor ex;
  EXPECT_EQ(ex.name(), "sync");
  HighLevelGraph g({make_layer("one", {make_task("x", inc, {Arg(Value(41))})})});
  std::vector<Key> out{Key("x")};
  EXPECT_EQ(ex.compute(g, out), std::vector<Value>{Value(42)});
  EXPECT_EQ(get_executor("sync"), get_executor("sync"));  // one instance per name
  EXPECT_EQ(get_executor("single-threaded")->name(), "sync");
  EXPECT_EQ(get_executor("synchronous")->name(), "sync");
}

TEST(SyncExecutor, TenThousandWayFanIn) {
  std::vector<TaskSpec> xs;
  ArgList refs;
  for (int i = 0; i < 10'000; ++i) {
    xs.push_back(literal("x-" + std::to_string(i), Value(i)));
    refs.push_back(key_ref("x-" + std::to_string(i)));
  }
  auto inputs = make_layer("x", std::move(xs));
  auto total = make_layer("sum", {make_task("total", sum, {Arg(std::move(refs))})}, {inputs});
  EXPECT_EQ(compute(HighLevelGraph({total}), {Key("total")}), std::vector<Value>{Value(49'995'000)});
}

TEST(SyncExecutor, HundredThousandLongChainInOneLayer) {
  constexpr int n = 100'000;
  std::vector<TaskSpec> tasks{literal("c-0", Value(0))};
  for (int i = 1; i <= n; ++i) tasks.push_back(make_task("c-" + std::to_string(i), inc, {key_ref("c-" + std::to_string(i - 1))}));
  HighLevelGraph g({make_layer("chain", std::move(tasks))});
  EXPECT_EQ(compute(g, {Key("c-100000")}), std::vector<Value>{Value(n)});
  EXPECT_EQ(compute(g, {Key("c-50000"), Key("c-100000")}), (std::vector<Value>{Value(50'000), Value(n)}));
}

TEST(SyncExecutor, HundredThousandLongChainOfLayers) {
  constexpr int n = 100'000;
  LayerPtr layer = make_layer("c-0", {literal("c-0", Value(0))});
  for (int i = 1; i <= n; ++i)
    layer = make_layer("c-" + std::to_string(i), {make_task("c-" + std::to_string(i), inc, {key_ref("c-" + std::to_string(i - 1))})},
                       {layer});
  HighLevelGraph g({layer});
  layer.reset();
  EXPECT_EQ(compute(g, {Key("c-100000")}), std::vector<Value>{Value(n)});
}

TEST(SyncExecutor, SharedKeyIsComputedOnce) {
  std::atomic<int> calls{0};
  auto expensive = make_function("expensive", [&calls]() -> std::int64_t {
    ++calls;
    return 10;
  });
  // Two branches built separately, each with its own copy of the shared task.
  auto left = make_layer("left", {make_task("shared", expensive, {}), make_task("l", inc, {key_ref("shared")})});
  auto right = make_layer("right", {make_task("shared", expensive, {}), make_task("r", dbl, {key_ref("shared")})});
  auto top = make_layer("top", {make_task("t", add, {key_ref("l"), key_ref("r")})}, {left, right});
  EXPECT_EQ(compute(HighLevelGraph({top}), {Key("t")}), std::vector<Value>{Value(31)});
  EXPECT_EQ(calls.load(), 1);
}

TEST(SyncExecutor, FailingTaskBecomesTaskError) {
  HighLevelGraph g({make_layer("f", {literal("a", Value(7)), make_task("bad", fail, {key_ref("a")})})});
  auto e = task_error_of([&] { compute(g, {Key("bad")}); });
  EXPECT_EQ(e.key(), "bad");
  EXPECT_EQ(e.function(), "fail");
  EXPECT_EQ(e.original_message(), "boom 7");
  EXPECT_STREQ(e.what(), "task bad (fail) failed: boom 7");
}

TEST(SyncExecutor, FailureInADependencyNamesTheDependency) {
  // a -> bad -> after -> last: the failure is bad's, whatever runs it.
  HighLevelGraph g({make_layer("f", {literal("a", Value(3)), make_task("bad", fail, {key_ref("a")}),
                                     make_task("after", inc, {key_ref("bad")}), make_task("last", dbl, {key_ref("after")})})});
  auto e = task_error_of([&] { compute(g, {Key("last")}); });
  EXPECT_EQ(e.key(), "bad");
  EXPECT_EQ(e.function(), "fail");
  EXPECT_EQ(e.original_message(), "boom 3");

  // In a diamond, with a healthy sibling branch.
  HighLevelGraph d({make_layer("d", {literal("a", Value(5)), make_task("ok", inc, {key_ref("a")}),
                                     make_task("bad", fail, {key_ref("a")}), make_task("join", add, {key_ref("ok"), key_ref("bad")})})});
  auto e2 = task_error_of([&] { compute(d, {Key("join")}); });
  EXPECT_EQ(e2.key(), "bad");
  EXPECT_EQ(e2.original_message(), "boom 5");
}

TEST(SyncExecutor, WrongArgumentTypeIsReportedWithTheTask) {
  HighLevelGraph g({make_layer("t", {make_task("i", inc, {Arg(Value("not a number"))})})});
  auto e = task_error_of([&] { compute(g, {Key("i")}); });
  EXPECT_EQ(e.key(), "i");
  EXPECT_EQ(e.function(), "inc");
  EXPECT_EQ(e.original_message(), "inc() argument 1 must be int64: expected int64, got string 'not a number'");
}

TEST(SyncExecutor, UnknownOutputAndExternalKeys) {
  HighLevelGraph g({make_layer("t", {literal("a", Value(1))})});
  EXPECT_THROW(compute(g, {Key("nope")}), KeyError);
  HighLevelGraph ext({make_layer("t", {make_task("b", inc, {key_ref("on-cluster")})})});
  try {
    compute(ext, {Key("b")});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("on-cluster"), std::string::npos) << e.what();
  }
}

TEST(Scheduler, UnknownNameListsKnownSchedulers) {
  try {
    get_executor("nope");
    FAIL();
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("unknown scheduler 'nope' (known: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("sync"), std::string::npos) << msg;
    EXPECT_NE(msg.find("single-threaded"), std::string::npos) << msg;
  }
  EXPECT_THROW(config::set_scheduler("nope"), ValueError);
}

TEST(Scheduler, ScopedSchedulerSetsAndRestores) {
  const std::string before = config::scheduler();
  {
    config::ScopedScheduler s("sync");
    EXPECT_EQ(config::scheduler(), "sync");
    EXPECT_EQ(get_executor()->name(), "sync");
    HighLevelGraph g({make_layer("t", {make_task("x", inc, {Arg(Value(1))})})});
    std::vector<Key> out{Key("x")};
    EXPECT_EQ(get_executor()->compute(g, out), std::vector<Value>{Value(2)});
    {
      config::ScopedScheduler inner("single-threaded");
      EXPECT_EQ(config::scheduler(), "single-threaded");
    }
    EXPECT_EQ(config::scheduler(), "sync");
  }
  EXPECT_EQ(config::scheduler(), before);
  EXPECT_THROW(config::ScopedScheduler("nope"), ValueError);
  EXPECT_EQ(config::scheduler(), before);
}

TEST(Scheduler, DefaultExecutorOverridesTheName) {
  auto mine = std::make_shared<SyncExecutor>();
  {
    config::ScopedScheduler s("sync");
    config::set_default_executor(mine);
    EXPECT_EQ(get_executor(), mine);
  }  // the scope restores the previous default
  EXPECT_NE(get_executor("sync"), mine);
  config::set_default_executor(nullptr);
}

}  // namespace
}  // namespace tessera
