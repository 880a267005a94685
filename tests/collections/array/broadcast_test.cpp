// NumPy broadcasting of element-wise operations against NumPy fixtures
// (make_fixtures.py): missing leading axes, stretched extents of 1, 0-d
// operands, with transposes and reductions fused in.
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayBroadcast : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

TEST_P(ArrayBroadcast, MatchesNumPy) {
  for (int c : {2, 100}) {
    Array a = load("bc_a", c), b = load("bc_b", c);
    Array s = a + b;
    EXPECT_EQ(s.shape(), (Shape{4, 5, 3}));
    expect_close(doubles(run(s)), doubles(fixture("bc_a_plus_b")), "a + b");
    expect_close(doubles(run(b + a)), doubles(fixture("bc_a_plus_b")), "b + a");
    expect_close(doubles(run((a - b).mean({.axis = 0}))), doubles(fixture("bc_a_minus_b_mean0")), "mean");
    Array m = load("bc_m", ChunkSpec::per_axis({4, c})), v = load("bc_v", c), k = load("bc_c", 4);
    expect_close(doubles(run(m * v)), doubles(fixture("bc_m_times_v")), "m * v");
    expect_close(doubles(run((m.T() / k.T()).sum({.axis = 1}))), doubles(fixture("bc_mt_div_c_sum1")), "m.T / c.T");
    expect_close(doubles(run(load("f8_0d", 1) + m)), doubles(fixture("bc_scalar_plus_m")), "0-d + m");
  }
}

TEST_P(ArrayBroadcast, ResultChunksComeFromTheOperandThatIsNotStretched) {
  Array m = from_array(sample_f64({6, 4}), ChunkSpec::per_axis({4, 3}));
  Array row = from_array(sample_f64({1, 4}), ChunkSpec::per_axis({1, 3}));
  Array col = from_array(sample_f64({6, 1}), ChunkSpec::per_axis({4, 1}));
  EXPECT_EQ((m + row).chunks(), m.chunks());
  EXPECT_EQ((row + col).chunks(), (Chunks{{4, 2}, {3, 1}}));
  const auto r = values_of<double>(run(row - col));
  const auto rv = values_of<double>(sample_f64({1, 4})), cv = values_of<double>(sample_f64({6, 1}));
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(r[static_cast<std::size_t>(i * 4 + j)], rv[j] - cv[i]);
  // An empty axis broadcasts against 1, as NumPy: (0, 4) + (1, 4) is (0, 4).
  EXPECT_EQ(run(zeros({0, 4}, 2) + row.astype(DType::float64)).shape(), (Shape{0, 4}));
}

TEST(ArrayBroadcastErrors, IncompatibleShapesAndChunks) {
  Array a = zeros({4, 3}, 2);
  try {
    (void)(a + zeros({4}, 2));
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("could not be broadcast"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)(a + zeros({3}, 2)));  // axis 1 chunked (2, 1) on both sides
  EXPECT_EQ((a + zeros({3}, 3)).chunks(), a.chunks());  // (3,) rechunked to (2, 1)
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayBroadcast, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
