#include <gtest/gtest.h>

#include "collections/core/tree_reduce.hpp"
#include "runtime/exec/sync_executor.hpp"
#include "runtime/registry/make_function.hpp"

namespace tessera {
namespace {

FunctionPtr sum_fn() {
  static auto fn = make_function("t.sum", [](const std::vector<std::int64_t>& xs) {
    std::int64_t s = 0;
    for (auto x : xs) s += x;
    return s;
  });
  return fn;
}

std::pair<std::vector<Key>, LayerPtr> leaves(int n) {
  std::vector<TaskSpec> tasks;
  std::vector<Key> keys;
  for (int i = 0; i < n; ++i) {
    Key k("leaf", {i});
    tasks.push_back(TaskSpec{k, nullptr, {Arg(Value(i + 1))}});
    keys.push_back(k);
  }
  return {keys, make_layer("leaf", std::move(tasks))};
}

TEST(TreeReduce, SumsAndShapesTheTree) {
  for (int n : {1, 2, 7, 8, 9, 64, 65, 1000}) {
    auto [keys, layer] = leaves(n);
    auto r = tree_reduce(keys, {layer}, {"sum", sum_fn(), nullptr, 8});
    SyncExecutor sync;
    Key out[] = {r.key};
    EXPECT_EQ(sync.compute(HighLevelGraph({r.layer}), out)[0], Value(std::int64_t{n} * (n + 1) / 2)) << n;
    // ceil(n/8) + ceil(n/64) + ... combine tasks, plus the aggregate.
    std::size_t expected = 1;
    for (std::size_t width = static_cast<std::size_t>(n); width > 8; width = (width + 7) / 8)
      expected += (width + 7) / 8;
    EXPECT_EQ(r.layer->tasks.size(), expected) << n;
  }
}

TEST(TreeReduce, KeysAreDeterministicAndInputsMatter) {
  auto [a, la] = leaves(20);
  auto [b, lb] = leaves(21);
  auto r1 = tree_reduce(a, {la}, {"sum", sum_fn(), nullptr, 4});
  auto r2 = tree_reduce(a, {la}, {"sum", sum_fn(), nullptr, 4});
  auto r3 = tree_reduce(b, {lb}, {"sum", sum_fn(), nullptr, 4});
  EXPECT_EQ(r1.key, r2.key);
  EXPECT_NE(r1.key, r3.key);
}

TEST(TreeReduce, RejectsBadInput) {
  EXPECT_THROW(tree_reduce({}, {}, {"sum", sum_fn(), nullptr, 8}), ValueError);
  auto [a, la] = leaves(3);
  EXPECT_THROW(tree_reduce(a, {la}, {"sum", sum_fn(), nullptr, 1}), ValueError);
}

}  // namespace
}  // namespace tessera
