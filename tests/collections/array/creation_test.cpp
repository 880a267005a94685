#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayCreationOn : public ArraySchedulers {};

TEST_P(ArrayCreationOn, FromArrayRoundTrips) {
  for (const Shape& shape : {Shape{7}, Shape{5, 4}, Shape{3, 4, 5}}) {
    NDArray data = sample_f64(shape);
    for (const ChunkSpec& c : {ChunkSpec(2), ChunkSpec(3), ChunkSpec(100)}) {
      Array x = from_array(data, c);
      EXPECT_EQ(x.shape(), shape);
      EXPECT_EQ(x.dtype(), DType::float64);
      EXPECT_EQ(x.nbytes(), shape_size(shape) * 8);
      EXPECT_EQ(run(x), data);
    }
  }
  NDArray ints = sample_i64({4, 6});
  Array y = from_array(ints, Chunks{{1, 3}, {2, 3, 1}});
  EXPECT_EQ(y.numblocks(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(y.ndim(), 2u);
  EXPECT_EQ(run(y), ints);
}

TEST_P(ArrayCreationOn, ArangeMatchesNumpy) {
  Array a = arange(0, 10, 1, 3);
  EXPECT_EQ(a.dtype(), DType::int64);
  EXPECT_EQ(a.chunks(), (Chunks{{3, 3, 3, 1}}));
  EXPECT_EQ(values_of<std::int64_t>(run(a)), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(values_of<std::int64_t>(run(arange(10, 1, -3, 2))), (std::vector<std::int64_t>{10, 7, 4}));
  EXPECT_EQ(arange(5, 5, 1, 2).shape(), (Shape{0}));
  Array f = arange(0.0, 1.0, 0.25, 3);
  EXPECT_EQ(f.dtype(), DType::float64);
  expect_close(values_of<double>(run(f)), {0.0, 0.25, 0.5, 0.75});
  EXPECT_EQ(arange(0.0, 1.0, 0.3, 2).shape(), (Shape{4}));  // ceil(1/0.3)
  EXPECT_THROW(arange(0, 1, 0, 2), ValueError);
}

TEST_P(ArrayCreationOn, LinspaceMatchesNumpy) {
  expect_close(values_of<double>(run(linspace(0.0, 1.0, 5, 2))), {0.0, 0.25, 0.5, 0.75, 1.0});
  expect_close(values_of<double>(run(linspace(0.0, 1.0, 4, 3, false))), {0.0, 0.25, 0.5, 0.75});
  expect_close(values_of<double>(run(linspace(2.0, 3.0, 1, 1))), {2.0});
  std::vector<double> want;
  for (int i = 0; i < 11; ++i) want.push_back(-1.0 + i * (3.0 / 10));
  want.back() = 2.0;
  expect_close(values_of<double>(run(linspace(-1.0, 2.0, 11, 4))), want);
}

TEST_P(ArrayCreationOn, FullZerosOnes) {
  Array z = zeros({3, 5}, 2);
  EXPECT_EQ(z.dtype(), DType::float64);
  EXPECT_EQ(run(z), NDArray::zeros(DType::float64, {3, 5}));
  Array o = ones({4}, 3, DType::int64);
  EXPECT_EQ(values_of<std::int64_t>(run(o)), (std::vector<std::int64_t>{1, 1, 1, 1}));
  Array f = full({2, 2, 3}, 2.5, 2);
  EXPECT_EQ(f.numblocks(), (std::vector<std::int64_t>{1, 1, 2}));
  expect_close(values_of<double>(run(f)), std::vector<double>(12, 2.5));
  Array b = full({3}, true, 2);
  EXPECT_EQ(b.dtype(), DType::boolean);
  EXPECT_EQ(values_of<std::uint8_t>(run(b)), (std::vector<std::uint8_t>{1, 1, 1}));
}

TEST(ArrayCreation, KeysAreDeterministic) {
  EXPECT_EQ(arange(0, 10, 1, 3).name(), arange(0, 10, 1, 3).name());
  EXPECT_NE(arange(0, 10, 1, 3).name(), arange(0, 10, 1, 4).name());
  Array x = zeros({4, 4}, 2);
  EXPECT_EQ(x.keys().size(), 4u);
  EXPECT_EQ(x.block_key({1, 0}), Key(x.name(), {1, 0}));
  EXPECT_THROW(zeros({4}, 0), ValueError);
  EXPECT_THROW(from_array(sample_f64({5}), Chunks{{2, 2}}), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayCreationOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
