#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArraySlicing : public ArraySchedulers {};

/// Reference slicing of a row-major 2-d vector.
std::vector<double> slice2(const std::vector<double>& v, std::int64_t cols, std::vector<std::int64_t> rows,
                           std::vector<std::int64_t> cs) {
  std::vector<double> out;
  for (auto r : rows)
    for (auto c : cs) out.push_back(v[r * cols + c]);
  return out;
}
std::vector<std::int64_t> range(std::int64_t a, std::int64_t b, std::int64_t s = 1) {
  std::vector<std::int64_t> r;
  for (auto i = a; i < b; i += s) r.push_back(i);
  return r;
}

TEST_P(ArraySlicing, SlicesWithSteps2d) {
  NDArray data = sample_f64({9, 7});
  const auto v = values_of<double>(data);
  Array x = from_array(data, ChunkSpec::per_axis({4, 3}));
  struct Case {
    std::vector<Index> index;
    Shape shape;
    std::vector<std::int64_t> rows, cols;
  };
  const std::vector<Case> cases{
      {{Slice{1, 8}, Slice{2, 6}}, {7, 4}, range(1, 8), range(2, 6)},
      {{Slice{{}, {}, 2}, Slice{1, {}, 3}}, {5, 2}, range(0, 9, 2), range(1, 7, 3)},
      {{Slice{-4, {}}}, {4, 7}, range(5, 9), range(0, 7)},
      {{Slice{3, 100, 5}, Slice{{}, -1}}, {2, 6}, range(3, 9, 5), range(0, 6)},
      {{Slice{2, 3}, Slice{}}, {1, 7}, {2}, range(0, 7)},
  };
  for (const auto& c : cases) {
    Array s = x[c.index];
    EXPECT_EQ(s.shape(), c.shape);
    NDArray got = run(s);
    EXPECT_EQ(got.shape(), c.shape);
    expect_close(values_of<double>(got), slice2(v, 7, c.rows, c.cols));
  }
  // An empty selection.
  Array e = x[{Slice{5, 2}}];
  EXPECT_EQ(e.shape(), (Shape{0, 7}));
  EXPECT_EQ(run(e).size(), 0);
}

TEST_P(ArraySlicing, IntegersDropAxes) {
  NDArray data = sample_f64({9, 7});
  const auto v = values_of<double>(data);
  Array x = from_array(data, ChunkSpec::per_axis({4, 3}));
  Array row = x[{5}];
  EXPECT_EQ(row.shape(), (Shape{7}));
  expect_close(values_of<double>(run(row)), slice2(v, 7, {5}, range(0, 7)));
  Array col = x[{Slice{}, -1}];
  EXPECT_EQ(col.shape(), (Shape{9}));
  EXPECT_EQ(col.chunks(), (Chunks{{4, 4, 1}}));
  expect_close(values_of<double>(run(col)), slice2(v, 7, range(0, 9), {6}));
  Array one = x[{4, 3}];
  EXPECT_EQ(one.shape(), Shape{});
  expect_close(values_of<double>(run(one)), {v[4 * 7 + 3]});
  // Slicing composes with element-wise steps and reductions.
  Array r = (x[{Slice{{}, {}, 2}, 2}] * 2).sum();
  double want = 0;
  for (std::int64_t i = 0; i < 9; i += 2) want += 2 * v[i * 7 + 2];
  expect_close(values_of<double>(run(r)), {want});
}

TEST_P(ArraySlicing, NegativeSteps) {
  NDArray data = sample_i64({11});
  const auto v = values_of<std::int64_t>(data);
  Array x = from_array(data, 4);  // blocks 4 4 3
  auto pick = [&](std::vector<std::int64_t> at) {
    std::vector<std::int64_t> out;
    for (auto i : at) out.push_back(v[i]);
    return out;
  };
  struct Case {
    Slice s;
    std::vector<std::int64_t> at;
  };
  const std::vector<Case> cases{
      {{{}, {}, -1}, {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
      {{{}, {}, -3}, {10, 7, 4, 1}},
      {{8, 2, -2}, {8, 6, 4}},
      {{-2, {}, -4}, {9, 5, 1}},
      {{5, -100, -1}, {5, 4, 3, 2, 1, 0}},
      {{100, 7, -1}, {10, 9, 8}},
      {{2, 5, -1}, {}},
  };
  for (const auto& c : cases) {
    Array r = x[{c.s}];
    EXPECT_EQ(r.shape(), (Shape{static_cast<std::int64_t>(c.at.size())}));
    EXPECT_EQ(values_of<std::int64_t>(run(r)), pick(c.at));
  }
  NDArray d2 = sample_f64({5, 6});
  const auto v2 = values_of<double>(d2);
  Array y = from_array(d2, ChunkSpec::per_axis({2, 4}));
  std::vector<double> want;
  for (std::int64_t i = 4; i >= 0; i -= 2)
    for (std::int64_t j = 1; j < 6; j += 2) want.push_back(v2[i * 6 + j]);
  expect_close(values_of<double>(run(y[{Slice{{}, {}, -2}, Slice{1, {}, 2}}])), want);
}

TEST_P(ArraySlicing, ThreeD) {
  NDArray data = sample_i64({4, 5, 6});
  const auto v = values_of<std::int64_t>(data);
  Array x = from_array(data, 3);
  Array s = x[{Slice{1, 4, 2}, -2, Slice{{}, {}, 4}}];
  EXPECT_EQ(s.shape(), (Shape{2, 2}));
  std::vector<std::int64_t> want;
  for (std::int64_t i = 1; i < 4; i += 2)
    for (std::int64_t k = 0; k < 6; k += 4) want.push_back(v[(i * 5 + 3) * 6 + k]);
  EXPECT_EQ(values_of<std::int64_t>(run(s)), want);
}

TEST(ArraySlicingErrors, AtGraphBuildTime) {
  Array x = zeros({9, 7}, 4);
  try {
    (void)x[{9}];
    FAIL();
  } catch (const IndexError& e) {
    EXPECT_STREQ(e.what(), "index 9 is out of bounds for axis 0 with size 9");
  }
  auto index = [&](std::vector<Index> i) { return x.getitem(i); };
  EXPECT_THROW(index({Slice{}, -8}), IndexError);
  EXPECT_THROW(index({0, 0, 0}), IndexError);
  EXPECT_THROW(index({Slice{{}, {}, 0}}), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArraySlicing, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
