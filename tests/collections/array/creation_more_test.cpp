// eye, empty, fromfunction (a registered function of the indices) and
// reshape, against NumPy fixtures and plain values.
#include "array_test_util.hpp"
#include "collections/array/map_blocks.hpp"
#include "collections/array/shape_ops.hpp"

namespace tessera::array::testing {

/// i * 10 + j over two float64 coordinate grids.
NDArray ten_i_plus_j(const NDArray& i, const NDArray& j) {
  return kernels::binary(kernels::BinaryOp::add, kernels::binary_scalar(kernels::BinaryOp::mul, i, Value(10.0), false), j);
}
TESSERA_FUNCTION_AS(ten_i_plus_j, "test.ten_i_plus_j");

namespace {

class ArrayCreationMore : public ArraySchedulers {};

TEST_P(ArrayCreationMore, EyeMatchesNumPy) {
  for (const ChunkSpec& c : {ChunkSpec(2), ChunkSpec(3), ChunkSpec(100)}) {
    Array e = eye(5, c, 7, 1);
    EXPECT_EQ(e.shape(), (Shape{5, 7}));
    EXPECT_EQ(run(e), fixture("eye_5x7_k1"));
    Array f = eye(6, c, std::nullopt, -2, DType::int32);
    EXPECT_EQ(run(f), fixture("eye_6_km2_i4"));
  }
  EXPECT_EQ(run(eye(0, 2)).shape(), (Shape{0, 0}));
  EXPECT_THROW((void)eye(-1, 2), ValueError);
}

TEST_P(ArrayCreationMore, EmptyIsZeros) {
  Array e = empty({3, 4}, 2, DType::uint8);
  EXPECT_EQ(e.dtype(), DType::uint8);
  EXPECT_EQ(values_of<std::uint8_t>(run(e)), std::vector<std::uint8_t>(12, 0));
}

TEST_P(ArrayCreationMore, FromfunctionMatchesNumPy) {
  for (const ChunkSpec& c : {ChunkSpec(3), ChunkSpec::per_axis({1, 4}), ChunkSpec(10)}) {
    Array x = fromfunction(&ten_i_plus_j, {4, 6}, c);
    EXPECT_EQ(run(x), fixture("fromfunction_4x6"));
  }
  EXPECT_EQ(run(fromfunction("test.ten_i_plus_j", {0, 6}, 2)).shape(), (Shape{0, 6}));
}

TEST_P(ArrayCreationMore, ReshapeKeepsRowMajorOrder) {
  const auto flat = [](std::int64_t n) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = i;
    return v;
  };
  Array x = reshape(arange(Value(0), Value(24), Value(1), 5), {4, 6});
  for (const Shape& s : std::vector<Shape>{{3, 8}, {2, 3, 4}, {24}, {-1, 12}, {6, -1}, {4, 3, 2}, {1, 24}, {24, 1}}) {
    Array y = reshape(x.rechunk(ChunkSpec::per_axis({3, 4})), s);
    NDArray r = run(y);
    EXPECT_EQ(shape_size(r.shape()), 24);
    EXPECT_EQ(values_of<std::int64_t>(r), flat(24));
  }
  EXPECT_EQ(reshape(x, {-1, 8}).shape(), (Shape{3, 8}));
  // 0-d and empty arrays.
  EXPECT_EQ(values_of<std::int64_t>(run(reshape(full({}, Value(std::int64_t{7}), 1), {1, 1}))), std::vector<std::int64_t>{7});
  EXPECT_EQ(run(reshape(full({1}, Value(std::int64_t{7}), 1), {})).shape(), Shape{});
  EXPECT_EQ(run(reshape(zeros({0, 4}, 2), {2, 0, 3})).shape(), (Shape{2, 0, 3}));
  // A long vector reshaped keeps several blocks.
  Array big = reshape(arange(Value(0), Value(1000), Value(1), 100), {10, 100});
  EXPECT_GT(big.chunks()[0].size(), 1u);
  EXPECT_EQ(values_of<std::int64_t>(run(big)), flat(1000));
  EXPECT_THROW((void)reshape(x, {5, 5}), ValueError);
  EXPECT_THROW((void)reshape(x, {-1, -1}), ValueError);
  EXPECT_THROW((void)reshape(x, {-1, 5}), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayCreationMore, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
