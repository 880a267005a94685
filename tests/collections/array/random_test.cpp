// Seeded random arrays: reproducible on every scheduler and chunk by chunk,
// in range, with the moments of their distribution.
#include <set>

#include "array_test_util.hpp"
#include "collections/array/random.hpp"

namespace tessera::array::testing {
namespace {

class ArrayRandom : public ArraySchedulers {};

TEST_P(ArrayRandom, ReproducibleFromTheSeed) {
  RandomState a(42), b(42), c(43);
  Array x = a.random_sample({37, 23}, ChunkSpec::per_axis({10, 7}));
  Array y = b.random_sample({37, 23}, ChunkSpec::per_axis({10, 7}));
  EXPECT_EQ(x.name(), y.name());
  EXPECT_EQ(run(x), run(y));
  EXPECT_EQ(run(x), x.compute({.scheduler = "sync"}));
  EXPECT_NE(run(x), run(c.random_sample({37, 23}, ChunkSpec::per_axis({10, 7}))));
  // A second call draws a new stream, as NumPy's state advances.
  Array x2 = a.random_sample({37, 23}, ChunkSpec::per_axis({10, 7}));
  EXPECT_NE(x2.name(), x.name());
  EXPECT_NE(run(x2), run(x));
  // A block computed alone equals the same block of the whole array.
  const auto whole = values_of<double>(run(x));
  const auto part = values_of<double>(run(x[{Slice{10, 20}, Slice{7, 14}}]));
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 7; ++j) ASSERT_EQ(part[static_cast<std::size_t>(i * 7 + j)], whole[static_cast<std::size_t>((10 + i) * 23 + 7 + j)]);
}

TEST_P(ArrayRandom, UniformInRangeWithItsMoments) {
  RandomState rs(7);
  const auto u = values_of<double>(run(rs.random_sample({400, 500}, 128)));
  double sum = 0, sq = 0;
  for (double v : u) {
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
    sum += v;
    sq += v * v;
  }
  const double n = static_cast<double>(u.size()), mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 0.005);                     // sd of the mean: 0.29 / sqrt(200000) = 0.00065
  EXPECT_NEAR(sq / n - mean * mean, 1.0 / 12, 0.002);
  const auto w = values_of<double>(run(rs.uniform(-3.0, 5.0, {1000}, 300)));
  for (double v : w) {
    ASSERT_GE(v, -3.0);
    ASSERT_LT(v, 5.0);
  }
}

TEST_P(ArrayRandom, NormalHasItsMeanAndDeviation) {
  RandomState rs(11);
  Array x = rs.normal(3.0, 2.0, {300, 700}, ChunkSpec::per_axis({128, 300}));
  EXPECT_NEAR(values_of<double>(run(x.mean()))[0], 3.0, 0.03);  // sd of the mean: 2 / sqrt(210000) = 0.0044
  EXPECT_NEAR(values_of<double>(run(x.std()))[0], 2.0, 0.03);
  // About 68.3% within one deviation.
  const double within = values_of<double>(run((abs(x - 3.0) < 2.0).astype(DType::float64).mean()))[0];
  EXPECT_NEAR(within, 0.6827, 0.01);
}

TEST_P(ArrayRandom, RandintCoversItsRangeOnly) {
  RandomState rs(5);
  Array x = rs.randint(-3, 4, {50, 40}, 17);
  EXPECT_EQ(x.dtype(), DType::int64);
  std::set<std::int64_t> seen;
  for (auto v : values_of<std::int64_t>(run(x))) {
    ASSERT_GE(v, -3);
    ASSERT_LT(v, 4);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  // A range wider than 2^62 still works (no overflow in the bound).
  auto big = values_of<std::int64_t>(run(rs.randint(INT64_MIN / 2 - 5, INT64_MAX / 2 + 5, {100}, 30)));
  for (auto v : big) {
    ASSERT_GE(v, INT64_MIN / 2 - 5);
    ASSERT_LT(v, INT64_MAX / 2 + 5);
  }
}

TEST_P(ArrayRandom, EmptyAndZeroDimensional) {
  RandomState rs(1);
  EXPECT_EQ(run(rs.random_sample({0, 4}, 2)).size(), 0);
  const auto s = values_of<double>(run(rs.random_sample({}, 1)));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_GE(s[0], 0.0);
}

TEST_P(ArrayRandom, FusedTasksGenerateTheSameNumbersAsTheBlocks) {
  // Uniform blocks are made inside the fused tasks that read them (as
  // generators, not data): the numbers must be those of the blocks.
  RandomState rs(3);
  const std::int64_t n = 45;
  Array x = rs.uniform(-1.0, 2.0, {n, n}, ChunkSpec::per_axis({16, 16}));  // blocks 16, 16, 13
  const auto xv = values_of<double>(run(x));
  Array sym = x + x.T();
  EXPECT_TRUE(sym.layer()->dependencies.empty());  // nothing of x is computed or held
  const auto y = values_of<double>(run(sym));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      ASSERT_EQ(y[static_cast<std::size_t>(i * n + j)],
                xv[static_cast<std::size_t>(i * n + j)] + xv[static_cast<std::size_t>(j * n + i)]);
  // Reductions of the array itself generate their tiles too.
  double total = 0;
  for (double v : xv) total += v;
  EXPECT_NEAR(values_of<double>(run(x.sum()))[0], total, 1e-9);
  const auto col = values_of<double>(run((x * 2.0).sum({.axis = 0})));
  for (std::int64_t j = 0; j < n; ++j) {
    double c = 0;
    for (std::int64_t i = 0; i < n; ++i) c += 2.0 * xv[static_cast<std::size_t>(i * n + j)];
    ASSERT_NEAR(col[static_cast<std::size_t>(j)], c, 1e-12);
  }
  // Three axes read through a permutation, and a 0-d array.
  Array z = rs.random_sample({5, 6, 7}, 3);
  const auto zv = values_of<double>(run(z));
  const auto zt = values_of<double>(run(z.transpose({2, 0, 1}) + 0.0));
  for (int a = 0; a < 7; ++a)
    for (int b = 0; b < 5; ++b)
      for (int c = 0; c < 6; ++c)
        ASSERT_EQ(zt[static_cast<std::size_t>((a * 5 + b) * 6 + c)], zv[static_cast<std::size_t>((b * 6 + c) * 7 + a)]);
  Array s = rs.random_sample({}, 1);
  EXPECT_EQ(values_of<double>(run(s + 1.0))[0], values_of<double>(run(s))[0] + 1.0);
}

TEST(ArrayRandomErrors, BadArguments) {
  RandomState rs(0);
  EXPECT_THROW((void)rs.randint(5, 5, {3}, 1), ValueError);
  EXPECT_THROW((void)rs.normal(0.0, -1.0, {3}, 1), ValueError);
  EXPECT_THROW((void)rs.random_sample({-1}, 1), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayRandom, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
