// TaskGraph, TaskSpec helpers and HighLevelGraph (runtime/graph/*.hpp).
#include "runtime/graph/task_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "runtime/graph/high_level_graph.hpp"
#include "runtime/registry/make_function.hpp"

namespace tessera {
namespace {

FunctionPtr add_fn() {
  static auto fn = make_function("add", [](std::int64_t a, std::int64_t b) { return a + b; });
  return fn;
}

TaskSpec literal(const std::string& key, Value v) { return {Key(key), nullptr, {Arg(std::move(v))}}; }
TaskSpec add(const std::string& key, Arg a, Arg b) { return {Key(key), add_fn(), {std::move(a), std::move(b)}}; }

std::vector<std::string> keys_of(const TaskGraph& g, std::span<const std::int32_t> ids) {
  std::vector<std::string> out;
  for (auto i : ids) out.push_back(g.task(i).key.str());
  return out;
}

using Strings = std::vector<std::string>;

TEST(TaskGraph, DependenciesAndDependents) {
  // A diamond: a -> b, a -> c, (b, c) -> d.
  TaskGraph g({literal("a", Value(1)), add("b", Arg(Key("a")), Arg(Value(1))),
               add("c", Arg(Key("a")), Arg(Key("a"))), add("d", Arg(Key("b")), Arg(Key("c")))});
  ASSERT_EQ(g.size(), 4u);
  auto a = g.find(Key("a")), b = g.find(Key("b")), c = g.find(Key("c")), d = g.find(Key("d"));
  EXPECT_EQ(g.find(Key("zz")), -1);
  EXPECT_TRUE(g.contains(Key("d")));
  EXPECT_TRUE(g.dependencies(a).empty());
  EXPECT_EQ(keys_of(g, g.dependencies(b)), Strings{"a"});
  EXPECT_EQ(keys_of(g, g.dependencies(c)), Strings{"a"});  // referenced twice, one edge
  EXPECT_EQ(keys_of(g, g.dependencies(d)), (Strings{"b", "c"}));
  EXPECT_EQ(keys_of(g, g.dependents(a)), (Strings{"b", "c"}));
  EXPECT_EQ(keys_of(g, g.dependents(b)), Strings{"d"});
  EXPECT_TRUE(g.dependents(d).empty());
  EXPECT_TRUE(g.external_keys().empty());
}

TEST(TaskGraph, DuplicateKeysKeepTheFirstTask) {
  TaskGraph g({literal("x", Value(1)), literal("y", Value(2)), literal("x", Value(99))});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g.task(g.find(Key("x"))).args[0].literal(), Value(1));
}

TEST(TaskGraph, ExternalKeysAndNestedRefs) {
  auto call = std::make_shared<const Call>(Call{add_fn(), {Arg(Key("ext-2")), Arg(Key("a"))}, Key()});
  TaskGraph g({literal("a", Value(1)),
               TaskSpec{Key("t"), nullptr,
                        {Arg(ArgList{Arg(Key("ext-1")), Arg(ArgList{Arg(Key("a")), Arg(Key("ext-1"))}),
                                     Arg(call)})}}});
  EXPECT_EQ(g.external_keys(), (std::vector<Key>{Key("ext-1"), Key("ext-2")}));
  EXPECT_EQ(keys_of(g, g.dependencies(g.find(Key("t")))), Strings{"a"});
  EXPECT_EQ(dependencies(g.task(g.find(Key("t")))), (std::vector<Key>{Key("ext-1"), Key("a"), Key("ext-2")}));
  std::vector<Key> all;
  collect_refs(g.task(g.find(Key("t"))).args, all);
  EXPECT_EQ(all.size(), 5u);  // duplicates kept
}

TEST(TaskGraph, ManyRepeatedRefsAreDistinctDependencies) {
  ArgList refs;
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 20; ++i) refs.emplace_back(Key("k-" + std::to_string(i)));
  TaskSpec t{Key("sum"), nullptr, {Arg(refs)}};
  auto deps = dependencies(t);
  ASSERT_EQ(deps.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(deps[static_cast<std::size_t>(i)], Key("k-" + std::to_string(i)));
}

TEST(TaskGraph, Release) {
  TaskGraph g({literal("a", Value(1)), literal("b", Value(2))});
  auto tasks = std::move(g).release();
  EXPECT_EQ(tasks.size(), 2u);
}

TEST(HighLevelGraph, MaterializeOverSharedLayers) {
  // base (2 tasks) -> left, base -> right, (left, right) -> top; a graph
  // over [left, top] reaches base twice and must see it once.
  auto base = make_layer("base", {literal("b-0", Value(1)), literal("b-1", Value(2))});
  auto left = make_layer("left", {add("l", Arg(Key("b-0")), Arg(Key("b-1")))}, {base});
  auto right = make_layer("right", {add("r", Arg(Key("b-1")), Arg(Value(10))),
                                    literal("b-0", Value(1))},  // same key again: deduplicated
                          {base});
  auto top = make_layer("top", {add("t", Arg(Key("l")), Arg(Key("r")))}, {left, right});
  HighLevelGraph hlg({left, top});
  auto layers = hlg.layers();
  EXPECT_EQ(layers.size(), 4u);
  Strings names;
  for (const auto* l : layers) names.push_back(l->name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (Strings{"base", "left", "right", "top"}));
  TaskGraph g = hlg.materialize();
  EXPECT_EQ(g.size(), 5u);
  Strings keys;
  for (const auto& t : g.tasks()) keys.push_back(t.key.str());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (Strings{"b-0", "b-1", "l", "r", "t"}));
  EXPECT_TRUE(g.external_keys().empty());
  // Only the left branch: base and left.
  EXPECT_EQ(HighLevelGraph({left}).materialize().size(), 3u);
  EXPECT_EQ(HighLevelGraph().materialize().size(), 0u);
}

TEST(HighLevelGraph, LongLayerChainsWalkAndDropWithoutRecursion) {
  constexpr int n = 100'000;
  LayerPtr layer = make_layer("l-0", {literal("k-0", Value(0))});
  for (int i = 1; i < n; ++i)
    layer = make_layer("l-" + std::to_string(i),
                       {add("k-" + std::to_string(i), Arg(Key("k-" + std::to_string(i - 1))), Arg(Value(1)))},
                       {layer});
  HighLevelGraph hlg({layer});
  EXPECT_EQ(hlg.layers().size(), static_cast<std::size_t>(n));
  auto g = hlg.materialize();
  EXPECT_EQ(g.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(keys_of(g, g.dependencies(g.find(Key("k-99999")))), Strings{"k-99998"});
  hlg = HighLevelGraph();
  layer.reset();  // drops 100,000 layers: must not overflow the stack
  SUCCEED();
}

}  // namespace
}  // namespace tessera
