// // % ** maximum minimum, logical ops, isnan, sin/cos/tan/log, where and
// clip against NumPy fixtures (make_fixtures.py), NaN and negative operands
// included.
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayMath : public ArraySchedulers {};

Array load(const std::string& name) { return from_npy(fixture_path(name), 3); }

void expect_same(const NDArray& got, const NDArray& want, const std::string& what) {
  EXPECT_EQ(got.dtype(), want.dtype()) << what;
  expect_close(doubles(got), doubles(want), what);
}

TEST_P(ArrayMath, IntegerAndFloatDivisionMatchNumPy) {
  const Array xf = load("m_xf"), xi = load("m_xi"), yi = load("m_yi");
  expect_same(run(floor_divide(xi, yi)), fixture("m_floordiv_i"), "xi // yi");
  expect_same(run(xi % yi), fixture("m_mod_i"), "xi % yi");
  expect_same(run(floor_divide(xf, 1.5)), fixture("m_floordiv_f"), "xf // 1.5");
  expect_same(run(xf % -1.5), fixture("m_mod_f"), "xf % -1.5");
  expect_same(run(floor_divide(7.0, xf)), fixture("m_rfloordiv_f"), "7.0 // xf");
  expect_same(run(power(xi, 3)), fixture("m_pow_i"), "xi ** 3");
  expect_same(run(power(abs(xf), 0.5)), fixture("m_pow_f"), "abs(xf) ** 0.5");
  expect_same(run(power(2, abs(xi))), fixture("m_rpow_i"), "2 ** abs(xi)");
  EXPECT_THROW((void)power(xi, -1), ValueError);  // as NumPy: integers to negative powers
}

TEST_P(ArrayMath, ExtremaLogicAndTrigonometryMatchNumPy) {
  const Array xf = load("m_xf"), xi = load("m_xi");
  expect_same(run(maximum(xf, 0.25)), fixture("m_max_f"), "maximum");
  expect_same(run(minimum(xf, xi)), fixture("m_min_fi"), "minimum");
  expect_same(run(log(abs(xf) + 1)), fixture("m_log"), "log");
  expect_same(run(sin(xf)), fixture("m_sin"), "sin");
  expect_same(run(cos(xf)), fixture("m_cos"), "cos");
  expect_same(run(tan(xf)), fixture("m_tan"), "tan");
  EXPECT_EQ(run(isnan(xf)), fixture("m_isnan"));
  EXPECT_EQ(run(logical_and(xf > 0, xi > 0)), fixture("m_and"));
  EXPECT_EQ(run(logical_or(xf > 0, xi > 0)), fixture("m_or"));
  EXPECT_EQ(run(logical_xor(xf > 0, xi)), fixture("m_xor"));
  EXPECT_EQ(run(logical_not(xi)), fixture("m_not"));
  EXPECT_EQ(run(isnan(xi)).dtype(), DType::boolean);
}

TEST_P(ArrayMath, WhereAndClipMatchNumPy) {
  const Array xf = load("m_xf"), xi = load("m_xi");
  expect_same(run(where(xf > 0, xf, xi)), fixture("m_where"), "where");
  expect_same(run(where(xi > 0, Value(1.5), xi)), fixture("m_where_scalar"), "where scalar");
  expect_same(run(clip(xf, Value(std::int64_t{-1}), Value(2.5))), fixture("m_clip"), "clip");
  // where broadcasts its three operands.
  Array col = from_array(sample_f64({3, 1}), 2), row = from_array(sample_f64({4}), 3);
  Array w = where(col > row, col, row);
  EXPECT_EQ(w.shape(), (Shape{3, 4}));
  const auto c = values_of<double>(sample_f64({3, 1})), r = values_of<double>(sample_f64({4}));
  const auto got = values_of<double>(run(w));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(got[i * 4 + j], std::max(c[i], r[j]));
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayMath, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
