// Tests for runtime/graph/optimize: cull, fuse_linear, order and optimize.
// Expected graphs and ranks are worked out by hand in the comments.
#include "runtime/graph/optimize.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <string>

#include "runtime/exec/sync_executor.hpp"
#include "runtime/registry/make_function.hpp"
#include "runtime/util/error.hpp"

namespace tessera {
namespace {

const FunctionPtr& inc_fn() {
  static const FunctionPtr f = make_function("inc", [](std::int64_t x) { return x + 1; });
  return f;
}

const FunctionPtr& add_fn() {
  static const FunctionPtr f =
      make_function("add", [](std::int64_t a, std::int64_t b) { return a + b; });
  return f;
}

const FunctionPtr& sum_fn() {
  static const FunctionPtr f = make_function("sum", [](std::span<const Value> xs) {
    std::int64_t s = 0;
    for (const auto& x : xs) s += x.as_int();
    return Value(s);
  });
  return f;
}

Key k(const std::string& name) { return Key(name); }

TaskSpec task(Key key, FunctionPtr fn, ArgList args) {
  return TaskSpec{std::move(key), std::move(fn), std::move(args)};
}
TaskSpec task(const std::string& key, FunctionPtr fn, ArgList args) {
  return task(Key(key), std::move(fn), std::move(args));
}

TaskSpec inc(Key key, Arg x) { return task(std::move(key), inc_fn(), {std::move(x)}); }
TaskSpec inc(const std::string& key, Arg x) { return inc(Key(key), std::move(x)); }

std::vector<std::string> keys_of(const TaskGraph& g) {
  std::vector<std::string> out;
  for (const auto& t : g.tasks()) out.push_back(t.key.str());
  return out;
}

// Values of finished tasks, looked up by key.
class MapLookup final : public ValueLookup {
 public:
  std::map<Key, Value> values;
  const Value& get(const Key& key) const override {
    auto it = values.find(key);
    if (it == values.end()) throw KeyError("key " + key.str() + " was not computed yet");
    return it->second;
  }
};

// Runs every task of `g` in the order given by `rank`, checking on the way
// that each task's dependencies have already run.
MapLookup run_in_order(const TaskGraph& g, const std::vector<std::int32_t>& rank) {
  const auto n = static_cast<std::int32_t>(g.size());
  std::vector<std::int32_t> by_rank(g.size(), -1);
  for (std::int32_t i = 0; i < n; ++i) by_rank[static_cast<std::size_t>(rank[static_cast<std::size_t>(i)])] = i;
  MapLookup lookup;
  for (auto i : by_rank) {
    EXPECT_GE(i, 0);
    lookup.values[g.task(i).key] = run_task(g.task(i), lookup);
  }
  return lookup;
}

// Deepest nesting of calls in `args` (0 when there is none).
std::size_t call_depth(const ArgList& args) {
  std::size_t depth = 0;
  for (const auto& a : args) {
    if (a.kind() == Arg::Kind::call) depth = std::max(depth, 1 + call_depth(a.call().args));
    if (a.kind() == Arg::Kind::list) depth = std::max(depth, call_depth(a.list()));
  }
  return depth;
}

// c0 = inc(start), c1 = inc(c0), ..., c{n-1}: a linear chain worth start + n.
std::vector<TaskSpec> chain(std::size_t n, std::int64_t start = 0) {
  std::vector<TaskSpec> tasks;
  tasks.reserve(n);
  tasks.push_back(inc("c0", Value(start)));
  for (std::size_t i = 1; i < n; ++i)
    tasks.push_back(inc("c" + std::to_string(i), k("c" + std::to_string(i - 1))));
  return tasks;
}

// ---------------------------------------------------------------------------
// cull

//   a ─► b ─► c ─► e ◄─ ext (external)
//   └──► d
TaskGraph cull_fixture() {
  return TaskGraph({task("a", nullptr, {Value(1)}), inc("b", k("a")), inc("c", k("b")),
                    inc("d", k("a")), task("e", add_fn(), {k("c"), k("ext")})});
}

TEST(CullTest, KeepsExactlyTheNeededTasks) {
  auto g = cull_fixture();
  std::vector<Key> want_c{k("c")};
  EXPECT_EQ(keys_of(cull(g, want_c)), (std::vector<std::string>{"a", "b", "c"}));
  std::vector<Key> want_d{k("d")};
  EXPECT_EQ(keys_of(cull(g, want_d)), (std::vector<std::string>{"a", "d"}));
  std::vector<Key> want_cd{k("d"), k("c"), k("d")};
  EXPECT_EQ(keys_of(cull(g, want_cd)), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(CullTest, KeepsExternalReferences) {
  auto g = cull_fixture();
  std::vector<Key> want{k("e")};
  auto culled = cull(g, want);
  EXPECT_EQ(keys_of(culled), (std::vector<std::string>{"a", "b", "c", "e"}));
  ASSERT_EQ(culled.external_keys().size(), 1u);
  EXPECT_EQ(culled.external_keys()[0], k("ext"));
}

TEST(CullTest, ExternalKeyMayBeAnOutput) {
  auto g = cull_fixture();
  std::vector<Key> want{k("ext")};
  EXPECT_EQ(cull(g, want).size(), 0u);
  std::vector<Key> want_both{k("ext"), k("b")};
  EXPECT_EQ(keys_of(cull(std::move(g), want_both)), (std::vector<std::string>{"a", "b"}));
}

TEST(CullTest, DeclaredExternalKeysSurviveOnlyWhenWanted) {
  // "saved" is declared external (persisted data) but no task references it.
  std::vector<Key> declared{k("saved")};
  std::vector<Key> want_saved{k("saved"), k("b")};
  TaskGraph g({inc("a", Value(1)), inc("b", k("a"))}, declared);
  auto kept = cull(g, want_saved);
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.external_keys(), declared);
  // All tasks needed and the declared key wanted: returned as it is.
  EXPECT_EQ(cull(TaskGraph({inc("a", Value(1)), inc("b", k("a"))}, declared), want_saved)
                .external_keys(),
            declared);
  // Not wanted: dropped, whether or not the tasks are all kept.
  std::vector<Key> want_b{k("b")};
  EXPECT_TRUE(cull(g, want_b).external_keys().empty());
  EXPECT_TRUE(cull(std::move(g), want_b).external_keys().empty());
}

TEST(CullTest, UnknownOutputIsAKeyError) {
  auto g = cull_fixture();
  std::vector<Key> want{k("c"), k("zzz")};
  try {
    (void)cull(g, want);
    FAIL() << "expected KeyError";
  } catch (const KeyError& e) {
    EXPECT_STREQ(e.what(), "key zzz is not in the graph");
  }
  EXPECT_THROW((void)cull(std::move(g), want), KeyError);
}

TEST(CullTest, RvalueReturnsTheSameTasksWhenAllAreNeeded) {
  TaskGraph g(chain(10));
  const TaskSpec* data = g.tasks().data();
  std::vector<Key> want{k("c9")};
  auto culled = cull(std::move(g), want);
  EXPECT_EQ(culled.tasks().data(), data);  // moved, not copied
  EXPECT_EQ(culled.size(), 10u);
  EXPECT_EQ(culled.find(k("c3")), 3);
}

TEST(CullTest, DeepChainIsCulledIteratively) {
  TaskGraph g(chain(100000));
  std::vector<Key> want{k("c49999")};
  auto culled = cull(g, want);
  EXPECT_EQ(culled.size(), 50000u);
  EXPECT_FALSE(culled.contains(k("c50000")));
}

// ---------------------------------------------------------------------------
// fuse_linear

TEST(FuseTest, ChainBecomesOneNestedTask) {
  // a = inc(1), b = inc(a), c = inc(b)  ⇒  c = inc(inc(inc(1))) = 4.
  TaskGraph g({inc("a", Value(1)), inc("b", k("a")), inc("c", k("b"))});
  std::vector<Key> out{k("c")};
  auto unfused = run_in_order(g, order(g));
  auto fused = fuse_linear(g, out);
  ASSERT_EQ(fused.size(), 1u);
  const auto& t = fused.task(0);
  EXPECT_EQ(t.key, k("c"));
  EXPECT_EQ(t.fn, inc_fn());
  ASSERT_EQ(t.args.size(), 1u);
  ASSERT_EQ(t.args[0].kind(), Arg::Kind::call);
  const Call& b = t.args[0].call();
  EXPECT_EQ(b.fn, inc_fn());
  ASSERT_EQ(b.args[0].kind(), Arg::Kind::call);
  const Call& a = b.args[0].call();
  ASSERT_EQ(a.args[0].kind(), Arg::Kind::literal);
  EXPECT_EQ(a.args[0].literal(), Value(1));
  MapLookup none;
  EXPECT_EQ(run_task(t, none), unfused.values.at(k("c")));
  EXPECT_EQ(run_task(t, none), Value(4));
}

TEST(FuseTest, FunctionLessTasksInlineAsTheirArgument) {
  // a = 5 (no function), b = inc(a), c = alias of b  ⇒  c = inc(5).
  TaskGraph g({task("a", nullptr, {Value(5)}), inc("b", k("a")), task("c", nullptr, {k("b")})});
  std::vector<Key> out{k("c")};
  auto fused = fuse_linear(g, out);
  ASSERT_EQ(fused.size(), 1u);
  const auto& t = fused.task(0);
  EXPECT_EQ(t.key, k("c"));
  EXPECT_EQ(t.fn, inc_fn());
  ASSERT_EQ(t.args.size(), 1u);
  ASSERT_EQ(t.args[0].kind(), Arg::Kind::literal);
  MapLookup none;
  EXPECT_EQ(run_task(t, none), Value(6));
}

TEST(FuseTest, ReferenceInsideAListIsReplaced) {
  // a = inc(1), b = f([a, 10])  ⇒  b = f([inc(1), 10]); the list evaluates to [2, 10].
  TaskGraph g({inc("a", Value(1)), task("b", sum_fn(), {ArgList{k("a"), Value(10)}})});
  std::vector<Key> out{k("b")};
  auto fused = fuse_linear(g, out);
  ASSERT_EQ(fused.size(), 1u);
  ASSERT_EQ(fused.task(0).args[0].kind(), Arg::Kind::list);
  EXPECT_EQ(fused.task(0).args[0].list()[0].kind(), Arg::Kind::call);
  MapLookup none;
  EXPECT_EQ(evaluate(fused.task(0).args[0], none), Value(ValueList{Value(2), Value(10)}));
}

TEST(FuseTest, ExternalReferencesDoNotBlockFusion) {
  // a = inc(1), b = add(a, ext): ext is not a task, so a is b's only dependency.
  TaskGraph g({inc("a", Value(1)), task("b", add_fn(), {k("a"), k("ext")})});
  std::vector<Key> out{k("b")};
  auto fused = fuse_linear(g, out);
  ASSERT_EQ(fused.size(), 1u);
  EXPECT_EQ(fused.external_keys(), std::vector<Key>{k("ext")});
  MapLookup lookup;
  lookup.values[k("ext")] = Value(40);
  EXPECT_EQ(run_task(fused.task(0), lookup), Value(42));
}

TEST(FuseTest, DeclaredExternalKeysAreKept) {
  std::vector<Key> declared{k("saved")};
  std::vector<Key> out{k("b")};
  TaskGraph g({inc("a", Value(1)), inc("b", k("a"))}, declared);
  auto copied = fuse_linear(g, out);
  ASSERT_EQ(copied.size(), 1u);
  EXPECT_EQ(copied.external_keys(), declared);
  auto moved = fuse_linear(std::move(g), out);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved.external_keys(), declared);
}

TEST(FuseTest, DiamondsAndFanOutsAreNotFused) {
  // Diamond: a → b, a → c, (b, c) → d. a has two dependents, d two dependencies.
  TaskGraph diamond({inc("a", Value(1)), inc("b", k("a")), inc("c", k("a")),
                     task("d", add_fn(), {k("b"), k("c")})});
  std::vector<Key> out_d{k("d")};
  EXPECT_EQ(keys_of(fuse_linear(diamond, out_d)), (std::vector<std::string>{"a", "b", "c", "d"}));
  // Fan-out: a → b, a → c, both wanted.
  TaskGraph fan({inc("a", Value(1)), inc("b", k("a")), inc("c", k("a"))});
  std::vector<Key> out_bc{k("b"), k("c")};
  EXPECT_EQ(keys_of(fuse_linear(fan, out_bc)), (std::vector<std::string>{"a", "b", "c"}));
  // Fan-in: (a, b) → c; neither a nor b is c's only dependency.
  TaskGraph fan_in({inc("a", Value(1)), inc("b", Value(2)), task("c", add_fn(), {k("a"), k("b")})});
  std::vector<Key> out_c{k("c")};
  EXPECT_EQ(fuse_linear(fan_in, out_c).size(), 3u);
}

TEST(FuseTest, ProducerReferencedTwiceIsNotFused) {
  // b = add(a, a): inlining a would compute it twice.
  TaskGraph g({inc("a", Value(1)), task("b", add_fn(), {k("a"), k("a")})});
  std::vector<Key> out{k("b")};
  EXPECT_EQ(fuse_linear(g, out).size(), 2u);
}

TEST(FuseTest, OutputInTheMiddleOfAChainIsKept) {
  // a → b → c with b wanted: a fuses into b; b stays a task that c reads.
  TaskGraph g({inc("a", Value(1)), inc("b", k("a")), inc("c", k("b"))});
  std::vector<Key> out{k("b"), k("c")};
  auto fused = fuse_linear(g, out);
  EXPECT_EQ(keys_of(fused), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(fused.task(0).args[0].kind(), Arg::Kind::call);
  EXPECT_EQ(fused.task(1).args[0].kind(), Arg::Kind::ref);
  auto values = run_in_order(fused, order(fused));
  EXPECT_EQ(values.values.at(k("b")), Value(3));
  EXPECT_EQ(values.values.at(k("c")), Value(4));
}

TEST(FuseTest, MaxChainCutsLongChains) {
  // 200 tasks, max_chain 64: segments c0..c63, c64..c127, c128..c191, c192..c199.
  TaskGraph g(chain(200, 7));
  std::vector<Key> out{k("c199")};
  auto fused = fuse_linear(g, out, 64);
  EXPECT_EQ(keys_of(fused), (std::vector<std::string>{"c63", "c127", "c191", "c199"}));
  EXPECT_EQ(call_depth(fused.task(0).args), 63u);  // c0 .. c62 nested inside c63
  EXPECT_EQ(call_depth(fused.task(1).args), 63u);  // c64 .. c126; c63 stays a ref
  EXPECT_EQ(call_depth(fused.task(3).args), 7u);   // c192 .. c198
  auto values = run_in_order(fused, order(fused));
  EXPECT_EQ(values.values.at(k("c199")), Value(207));
  // max_chain 1 fuses nothing; 0 is refused.
  EXPECT_EQ(fuse_linear(g, out, 1).size(), 200u);
  EXPECT_THROW((void)fuse_linear(g, out, 0), ValueError);
  // An exact multiple: 128 tasks in two full segments.
  TaskGraph g128(chain(128));
  std::vector<Key> out128{k("c127")};
  EXPECT_EQ(keys_of(fuse_linear(g128, out128, 64)), (std::vector<std::string>{"c63", "c127"}));
}

TEST(FuseTest, HundredThousandChainFusesWithoutStackOverflow) {
  constexpr std::size_t n = 100000;
  TaskGraph g(chain(n));
  std::vector<Key> out{k("c99999")};
  auto fused = fuse_linear(std::move(g), out);
  EXPECT_EQ(fused.size(), (n + 63) / 64);  // 1563 tasks
  std::size_t deepest = 0;
  for (const auto& t : fused.tasks()) deepest = std::max(deepest, call_depth(t.args));
  EXPECT_EQ(deepest, 63u);
  auto values = run_in_order(fused, order(fused));
  EXPECT_EQ(values.values.at(k("c99999")), Value(static_cast<std::int64_t>(n)));
}

TEST(FuseTest, RvalueReturnsTheSameTasksWhenNothingFuses) {
  TaskGraph g({inc("a", Value(1)), inc("b", k("a"))});
  std::vector<Key> out{k("a"), k("b")};
  const TaskSpec* data = g.tasks().data();
  auto fused = fuse_linear(std::move(g), out);
  EXPECT_EQ(fused.tasks().data(), data);
  EXPECT_EQ(fused.size(), 2u);
}

// ---------------------------------------------------------------------------
// order

void expect_topological(const TaskGraph& g, const std::vector<std::int32_t>& rank) {
  const auto n = static_cast<std::int32_t>(g.size());
  ASSERT_EQ(rank.size(), g.size());
  std::vector<std::int32_t> sorted(rank);
  std::sort(sorted.begin(), sorted.end());
  for (std::int32_t i = 0; i < n; ++i) ASSERT_EQ(sorted[static_cast<std::size_t>(i)], i);
  for (std::int32_t i = 0; i < n; ++i)
    for (auto d : g.dependencies(i))
      ASSERT_LT(rank[static_cast<std::size_t>(d)], rank[static_cast<std::size_t>(i)])
          << g.task(d).key.str() << " must run before " << g.task(i).key.str();
}

TEST(OrderTest, RandomDagsAreOrderedTopologically) {
  for (std::uint32_t seed : {1u, 2u, 3u, 42u, 1234u}) {
    std::mt19937 rng(seed);
    const int n = 300 + static_cast<int>(rng() % 300);
    // Node i depends on up to 4 earlier nodes; tasks are stored shuffled so
    // that task order says nothing about dependency order.
    std::vector<TaskSpec> tasks;
    for (int i = 0; i < n; ++i) {
      ArgList args;
      const int ndeps = i == 0 ? 0 : static_cast<int>(rng() % 5);
      for (int j = 0; j < ndeps; ++j) args.emplace_back(k("n" + std::to_string(rng() % i)));
      args.emplace_back(Value(i));
      tasks.push_back(task("n" + std::to_string(i), sum_fn(), std::move(args)));
    }
    std::shuffle(tasks.begin(), tasks.end(), rng);
    TaskGraph g(std::move(tasks));
    auto rank = order(g);
    expect_topological(g, rank);
    EXPECT_EQ(order(g), rank) << "order must be deterministic";
  }
}

TEST(OrderTest, SmallTreeRunsEachPairRightBeforeItsSum) {
  //        r
  //      /   \.
  //   s01     s23
  //   / \     / \.
  //  l0 l1   l2 l3
  // Stored scrambled; ranks follow the walk: l0 l1 s01 l2 l3 s23 r.
  TaskGraph g({task("r", add_fn(), {k("s01"), k("s23")}), inc("l3", Value(3)),
               task("s23", add_fn(), {k("l2"), k("l3")}), inc("l1", Value(1)),
               task("s01", add_fn(), {k("l0"), k("l1")}), inc("l2", Value(2)),
               inc("l0", Value(0))});
  auto rank = order(g);
  std::map<std::string, std::int32_t> by_key;
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(g.size()); ++i)
    by_key[g.task(i).key.str()] = rank[static_cast<std::size_t>(i)];
  EXPECT_EQ(by_key, (std::map<std::string, std::int32_t>{
                        {"l0", 0}, {"l1", 1}, {"s01", 2}, {"l2", 3}, {"l3", 4}, {"s23", 5}, {"r", 6}}));
}

// 100,000 (or `leaves`) inc tasks reduced by a fan-in-16 tree of sums, one
// layer per level. Returns the graph and the root key.
std::pair<HighLevelGraph, Key> tree_reduction(std::int64_t leaves, std::int64_t fan_in = 16) {
  std::vector<TaskSpec> level;
  level.reserve(static_cast<std::size_t>(leaves));
  for (std::int64_t i = 0; i < leaves; ++i)
    level.push_back(inc(Key("inc-leaf", {i}), Value(i)));
  auto layer = make_layer("inc-leaf", std::move(level));
  std::int64_t width = leaves;
  LayerPtr top = layer;
  std::string below = "inc-leaf";
  for (int depth = 1; width > 1; ++depth) {
    const std::string name = "sum-" + std::to_string(depth);
    std::vector<TaskSpec> sums;
    const std::int64_t next = (width + fan_in - 1) / fan_in;
    for (std::int64_t j = 0; j < next; ++j) {
      ArgList args;
      for (std::int64_t i = j * fan_in; i < std::min(width, (j + 1) * fan_in); ++i)
        args.emplace_back(Key(below, {i}));
      sums.push_back(TaskSpec{Key(name, {j}), sum_fn(), std::move(args)});
    }
    top = make_layer(name, std::move(sums), {top});
    below = name;
    width = next;
  }
  return {HighLevelGraph({top}), Key(below, {0})};
}

TEST(OrderTest, TreeReductionRunsEachGroupRightBeforeItsSum) {
  auto [hlg, root] = tree_reduction(256);
  auto g = hlg.materialize();
  ASSERT_EQ(g.size(), 256u + 16u + 1u);
  auto rank = order(g);
  expect_topological(g, rank);
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(g.size()); ++i) {
    if (g.task(i).key.name() != "sum-1") continue;
    // The 16 leaves of this sum hold the 16 ranks just before it.
    auto deps = g.dependencies(i);
    ASSERT_EQ(deps.size(), 16u);
    const auto r = rank[static_cast<std::size_t>(i)];
    for (std::size_t j = 0; j < deps.size(); ++j)
      EXPECT_EQ(rank[static_cast<std::size_t>(deps[j])], r - 16 + static_cast<std::int32_t>(j));
  }
  EXPECT_EQ(rank[static_cast<std::size_t>(g.find(root))], static_cast<std::int32_t>(g.size()) - 1);
}

TEST(OrderTest, EmptyAndSingleTaskGraphs) {
  TaskGraph empty;
  EXPECT_TRUE(order(empty).empty());
  std::vector<Key> none;
  EXPECT_EQ(cull(empty, none).size(), 0u);
  EXPECT_EQ(fuse_linear(empty, none).size(), 0u);
  auto opt = optimize(HighLevelGraph(), none);
  EXPECT_EQ(opt.graph.size(), 0u);
  EXPECT_TRUE(opt.priority.empty());

  TaskGraph one({inc("a", Value(1))});
  EXPECT_EQ(order(one), std::vector<std::int32_t>{0});
  std::vector<Key> want{k("a")};
  EXPECT_EQ(keys_of(cull(one, want)), std::vector<std::string>{"a"});
  EXPECT_EQ(keys_of(fuse_linear(one, want)), std::vector<std::string>{"a"});
  auto opt1 = optimize(HighLevelGraph({make_layer("a", {inc("a", Value(1))})}), want);
  EXPECT_EQ(opt1.graph.size(), 1u);
  EXPECT_EQ(opt1.priority, std::vector<std::int32_t>{0});
}

TEST(OrderTest, CycleIsAValueError) {
  TaskGraph g({inc("out", k("a")), inc("a", k("b")), inc("b", k("a"))});
  EXPECT_THROW((void)order(g), ValueError);
  TaskGraph closed({inc("a", k("b")), inc("b", k("a"))});  // nothing outside the cycle
  EXPECT_THROW((void)order(closed), ValueError);
}

// ---------------------------------------------------------------------------
// optimize

TEST(OptimizeTest, ChainThroughTheSyncExecutorMatchesUnfused) {
  // optimize() culls the unused branch and fuses the chain into 157 tasks.
  auto tasks = chain(10000, 1);
  tasks.push_back(inc("unused", k("c5")));
  HighLevelGraph hlg({make_layer("chain", std::move(tasks))});
  std::vector<Key> out{k("c9999")};
  auto opt = optimize(hlg, out);
  EXPECT_EQ(opt.graph.size(), 157u);  // ceil(10,000 / 64)
  expect_topological(opt.graph, opt.priority);
  SyncExecutor sync;
  EXPECT_EQ(sync.compute(hlg, out), std::vector<Value>{Value(10001)});
}

TEST(OptimizeTest, TreeReductionOfHundredThousandTasks) {
  auto [hlg, root] = tree_reduction(100000);
  std::vector<Key> out{root};
#ifdef __SANITIZE_ADDRESS__
  constexpr int reps = 1;  // timing means nothing under sanitizers
#else
  constexpr int reps = 3;
#endif
  double best_ms = 1e9;
  OptimizedGraph opt;
  for (int rep = 0; rep < reps; ++rep) {
    opt = OptimizedGraph{};  // free the previous result outside the timed region
    auto t0 = std::chrono::steady_clock::now();
    opt = optimize(hlg, out);
    auto t1 = std::chrono::steady_clock::now();
    best_ms = std::min(best_ms, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf("[ timing   ] optimize() of %zu tasks: %.1f ms (best of %d)\n", opt.graph.size(),
              best_ms, reps);
  ASSERT_EQ(opt.graph.size(), 106669u);  // nothing culled, nothing fused
  expect_topological(opt.graph, opt.priority);
  auto values = run_in_order(opt.graph, opt.priority);
  // sum of (i + 1) for i < 100,000.
  EXPECT_EQ(values.values.at(root), Value(std::int64_t{100000} * 100001 / 2));
}

}  // namespace
}  // namespace tessera
