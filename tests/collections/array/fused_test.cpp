// Transposes and fused element-wise expressions against NumPy fixtures
// (make_fixtures.py): odd chunks, a single chunk, blocks larger than one
// evaluation tile, and the shape of the graph (one task per block).
#include "array_test_util.hpp"
#include "collections/array/fused_expr.hpp"

namespace tessera::array::testing {
namespace {

class ArrayFused : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

TEST_P(ArrayFused, TransposeMatchesNumPy) {
  for (const ChunkSpec& chunks : {ChunkSpec::per_axis({3, 4, 2}), ChunkSpec(100)}) {
    Array t = load("t_4x6x5", chunks);
    Array p = t.transpose({2, 0, 1});
    EXPECT_EQ(p.shape(), (Shape{5, 4, 6}));
    EXPECT_EQ(run(p), fixture("t_201"));
    expect_close(doubles(run(p + p * 2)), doubles(fixture("t_201_plus")), "p + p * 2");
    expect_close(doubles(run(t.transpose({1, 2, 0}).sum({.axis = 0}))), doubles(fixture("t_sum_axis0")), "sum");
    // Transposing back is the identity; negative axes count from the end.
    EXPECT_EQ(run(p.transpose({1, 2, 0})), run(t));
    EXPECT_EQ(run(t.transpose({-1, 0, 1})), fixture("t_201"));
  }
  Array x = load("x_11x11", 4);
  EXPECT_EQ(run(x.T().T()), run(x));
  const auto xs = values_of<double>(run(x)), xt = values_of<double>(run(x.T()));
  for (int i = 0; i < 11; ++i)
    for (int j = 0; j < 11; ++j) ASSERT_EQ(xt[i * 11 + j], xs[j * 11 + i]);
}

TEST_P(ArrayFused, ExpressionsWithTransposesMatchNumPy) {
  for (const ChunkSpec& chunks : {ChunkSpec(4), ChunkSpec(11), ChunkSpec(Chunks{{2, 5, 4}, {2, 5, 4}})}) {
    Array x = load("x_11x11", chunks);
    expect_close(doubles(run((x + x.T()).mean({.axis = 0}))), doubles(fixture("sym_mean_axis0")), "sym mean");
    expect_close(doubles(run((x + x.T()).mean({.axis = 0}).sum())), doubles(fixture("sym_mean_sum")), "sum");
    expect_close(doubles(run(((x * 2 - x.T()) / 3).std())), doubles(fixture("expr_std")), "std");
    expect_close(doubles(run((abs(x.T()) + 1).var({.axis = 1, .ddof = 1}))), doubles(fixture("expr_var_axis1")),
                 "var");
    expect_close(doubles(run((x - x.T()).max({.axis = 1}))), doubles(fixture("expr_max_axis1")), "max");
    expect_close(doubles(run((x.T() * x).sum({.axis = 0}))), doubles(fixture("expr_sum_axis0")), "sum axis 0");
  }
}

TEST_P(ArrayFused, BlocksLargerThanATile) {
  // 300 x 300 blocks hold 90,000 elements: several evaluation tiles each.
  const std::int64_t n = 450;
  NDArray data = sample_f64({n, n});
  Array x = from_array(data, 300);
  const auto v = values_of<double>(data);
  std::vector<double> colmean(n, 0.0), rowmax(n, -1e300);
  double total = 0;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      const double s = v[i * n + j] * 2 + v[j * n + i];
      colmean[j] += s / n;
      rowmax[i] = std::max(rowmax[i], s);
      total += s;
    }
  Array s = x * 2 + x.T();
  std::vector<double> got = values_of<double>(run(s.mean({.axis = 0})));
  for (std::int64_t j = 0; j < n; ++j) EXPECT_NEAR(got[j], colmean[j], 1e-9 * std::fabs(colmean[j]) + 1e-9);
  EXPECT_EQ(values_of<double>(run(s.max({.axis = 1}))), rowmax);
  EXPECT_NEAR(values_of<double>(run(s.sum()))[0], total, 1e-9 * std::fabs(total));
  const auto whole = values_of<double>(run(s));
  for (std::int64_t i = 0; i < n; i += 37)
    for (std::int64_t j = 0; j < n; j += 41) ASSERT_EQ(whole[i * n + j], v[i * n + j] * 2 + v[j * n + i]);
}

TEST_P(ArrayFused, IntegerAndBoolExpressions) {
  Array t = from_array(sample_i64({3, 4, 2}), ChunkSpec::per_axis({2, 3, 1}));
  Array e = (t.transpose({2, 1, 0}) * 3 > 1).astype(DType::int64) + t.transpose({2, 1, 0});
  const auto a = values_of<std::int64_t>(sample_i64({3, 4, 2}));
  const auto got = values_of<std::int64_t>(run(e));
  ASSERT_EQ(got.size(), 24u);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) {
        const std::int64_t src = a[static_cast<std::size_t>(k * 8 + j * 2 + i)];
        EXPECT_EQ(got[static_cast<std::size_t>(i * 12 + j * 3 + k)], (src * 3 > 1 ? 1 : 0) + src);
      }
}

TEST(ArrayFusedGraph, OneTaskPerBlockOverTheSourceBlocks) {
  Array x = from_array(sample_f64({6, 6}), 3);
  Array y = (x + x.T()) * 2 - 1;
  ASSERT_EQ(y.layer()->tasks.size(), 4u);
  EXPECT_EQ(y.layer()->tasks[0].fn->name, "array.fused");
  EXPECT_EQ(y.graph().materialize().size(), 8u);  // x's 4 blocks and y's 4: no intermediate layers
  ASSERT_TRUE(y.expr());
  EXPECT_EQ(y.expr()->leaves.size(), 2u);  // x, and x read transposed
  // Block (0, 1) reads x's blocks (0, 1) and (1, 0).
  std::vector<Key> deps = dependencies(y.layer()->tasks[1]);
  EXPECT_EQ(deps, (std::vector<Key>{x.block_key({0, 1}), x.block_key({1, 0})}));
  // A reduction over it evaluates the expression inside its chunk step.
  Array m = y.mean({.axis = 0});
  const TaskGraph graph = m.graph().materialize();  // kept alive: tasks() refers into it
  for (const auto& task : graph.tasks()) EXPECT_NE(task.function_name(), "array.fused") << task.key.str();
  EXPECT_EQ(x.transpose({0, 1}).name(), x.name());
  EXPECT_EQ((x + x.T()).name(), (x + x.T()).name());
  EXPECT_NE((x + x.T()).name(), (x.T() + x).name());
}

TEST(ArrayFusedErrors, BadTransposeAxes) {
  Array t = from_array(sample_f64({2, 3, 4}), 2);
  EXPECT_THROW((void)t.transpose({0, 1}), ValueError);
  EXPECT_THROW((void)t.transpose({0, 1, 1}), ValueError);
  EXPECT_THROW((void)t.transpose({0, 1, 3}), ValueError);
  // Non-square chunks: x + x.T is computed on chunks unified by rechunking.
  Array r = from_array(sample_f64({4, 4}), ChunkSpec::per_axis({2, 4}));
  const auto v = values_of<double>(sample_f64({4, 4}));
  const auto s = values_of<double>((r + r.T()).compute({.scheduler = "sync"}));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(s[i * 4 + j], v[i * 4 + j] + v[j * 4 + i]);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayFused, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
