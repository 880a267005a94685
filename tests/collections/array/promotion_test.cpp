// NumPy's type promotion for + - * / < over bool, uint8, int32, int64,
// float32 and float64, and for scalars, against NumPy's own table
// (make_fixtures.py writes promotion_*.npy).
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayPromotion : public ArraySchedulers {};

constexpr DType all_dtypes[] = {DType::boolean, DType::uint8, DType::int32,
                                DType::int64,   DType::float32, DType::float64};
constexpr kernels::BinaryOp ops[] = {kernels::BinaryOp::add, kernels::BinaryOp::sub, kernels::BinaryOp::mul,
                                     kernels::BinaryOp::div, kernels::BinaryOp::lt};

Array operand(const std::vector<std::int64_t>& v, DType dtype) {
  return from_array(kernels::astype(NDArray::from_vector(v), dtype), 2);
}

TEST_P(ArrayPromotion, BinaryOpsMatchNumPy) {
  const auto codes = values_of<std::int32_t>(fixture("promotion_codes"));
  const auto values = values_of<double>(fixture("promotion_values"));
  for (std::size_t o = 0; o < 5; ++o)
    for (std::size_t i = 0; i < 6; ++i)
      for (std::size_t j = 0; j < 6; ++j) {
        const std::string what = std::string(kernels::binary_name(ops[o])) + " " +
                                 std::string(dtype_name(all_dtypes[i])) + " " + std::string(dtype_name(all_dtypes[j]));
        const Array a = operand({0, 1, 2, 3, 4}, all_dtypes[i]), b = operand({3, 2, 1, 1, 2}, all_dtypes[j]);
        const std::int32_t code = codes[(o * 6 + i) * 6 + j];
        if (code < 0) {
          EXPECT_THROW((void)elementwise(ops[o], a, b), TypeError) << what;
          continue;
        }
        const Array r = elementwise(ops[o], a, b);
        ASSERT_EQ(r.dtype(), all_dtypes[code]) << what;
        const NDArray got = run(r);
        ASSERT_EQ(got.dtype(), all_dtypes[code]) << what;
        const std::vector<double> want(values.begin() + static_cast<std::ptrdiff_t>(((o * 6 + i) * 6 + j) * 5),
                                       values.begin() + static_cast<std::ptrdiff_t>(((o * 6 + i) * 6 + j) * 5 + 5));
        const auto g = doubles(got);
        for (std::size_t k = 0; k < 5; ++k)
          EXPECT_NEAR(g[k], want[k], all_dtypes[code] == DType::float32 ? 1e-6 * std::fabs(want[k]) : 1e-12 * std::fabs(want[k]))
              << what << " [" << k << "]";
      }
}

TEST_P(ArrayPromotion, UnaryOpsMatchNumPy) {
  const auto codes = values_of<std::int32_t>(fixture("promotion_unary"));
  const kernels::UnaryOp uops[] = {kernels::UnaryOp::neg, kernels::UnaryOp::abs, kernels::UnaryOp::sqrt};
  for (std::size_t u = 0; u < 3; ++u)
    for (std::size_t i = 0; i < 6; ++i) {
      const Array a = operand({0, 1, 2, 3, 4}, all_dtypes[i]);
      const std::int32_t code = codes[u * 6 + i];
      if (code == -1) {
        EXPECT_THROW((void)elementwise(uops[u], a), TypeError) << u << " " << i;
        continue;
      }
      // NumPy's sqrt of bool and uint8 is float16, which Tessera lacks: float32, the narrowest float here.
      const DType want = code == -2 ? DType::float32 : all_dtypes[code];
      const Array r = elementwise(uops[u], a);
      EXPECT_EQ(r.dtype(), want) << u << " " << i;
      EXPECT_EQ(run(r).dtype(), want) << u << " " << i;
    }
}

TEST_P(ArrayPromotion, ScalarsTakeTheArraysKindWhenTheyFit) {
  const Array u8 = operand({250, 1}, DType::uint8), i32 = operand({1, 2}, DType::int32);
  const Array f32 = operand({1, 2}, DType::float32), b = operand({0, 1}, DType::boolean);
  EXPECT_EQ((u8 + 3).dtype(), DType::uint8);
  EXPECT_EQ(values_of<std::uint8_t>(run(u8 + 10)), (std::vector<std::uint8_t>{4, 11}));  // wraps, as NumPy
  EXPECT_EQ((u8 + 1000).dtype(), DType::int32);
  EXPECT_EQ((i32 * 2).dtype(), DType::int32);
  EXPECT_EQ((i32 * (std::int64_t{1} << 40)).dtype(), DType::int64);
  EXPECT_EQ((i32 + 0.5).dtype(), DType::float64);
  EXPECT_EQ((f32 * 2.5).dtype(), DType::float32);
  EXPECT_EQ((f32 + 7).dtype(), DType::float32);
  EXPECT_EQ((b + 1).dtype(), DType::int64);
  EXPECT_EQ((b + true).dtype(), DType::boolean);
  EXPECT_EQ((u8 / 2).dtype(), DType::float64);
  EXPECT_EQ(values_of<float>(run(f32 * 2.5)), (std::vector<float>{2.5f, 5.0f}));
  // int32 overflow wraps instead of being undefined.
  const Array big = operand({2147483647}, DType::int32);
  EXPECT_EQ(values_of<std::int32_t>(run(big + 1)), std::vector<std::int32_t>{-2147483647 - 1});
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayPromotion, ::testing::Values("sync"));

}  // namespace
}  // namespace tessera::array::testing
