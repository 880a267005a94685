// swapaxes, expand_dims, squeeze, concatenate, stack, nansum and nanmean
// against NumPy fixtures (make_fixtures.py).
#include "array_test_util.hpp"
#include "collections/array/shape_ops.hpp"

namespace tessera::array::testing {
namespace {

class ArrayShapeOps : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

TEST_P(ArrayShapeOps, MatchNumPy) {
  Array t = load("t_4x6x5", ChunkSpec::per_axis({3, 4, 2}));
  EXPECT_EQ(run(swapaxes(t, 0, 2)), fixture("s_swap02"));
  EXPECT_EQ(run(swapaxes(t, -1, 0)), fixture("s_swap02"));
  Array e = expand_dims(t, 1);
  EXPECT_EQ(e.shape(), (Shape{4, 1, 6, 5}));
  EXPECT_EQ(expand_dims(t, -1).shape(), (Shape{4, 6, 5, 1}));
  EXPECT_EQ(values_of<double>(run(e)), values_of<double>(fixture("t_4x6x5")));
  EXPECT_EQ(run(squeeze(e)), fixture("t_4x6x5"));
  EXPECT_EQ(run(squeeze(expand_dims(expand_dims(t, 0), 3), {0})).shape(), (Shape{4, 6, 1, 5}));
  Array c = concatenate({t, t * 2, t[{Slice{}, Slice{0, 2}}]}, 1);
  EXPECT_EQ(c.shape(), (Shape{4, 14, 5}));
  EXPECT_EQ(run(c), fixture("s_concat1"));
  EXPECT_EQ(run(stack({t, -t}, 2)), fixture("s_stack2"));
  // Mixed dtypes are promoted, as NumPy.
  Array mixed = concatenate({arange(Value(0), Value(3), Value(1), 2), arange(Value(0.5), Value(2.0), Value(1.0), 1)});
  EXPECT_EQ(mixed.dtype(), DType::float64);
  EXPECT_EQ(values_of<double>(run(mixed)), (std::vector<double>{0, 1, 2, 0.5, 1.5}));
}

TEST_P(ArrayShapeOps, NanReductionsMatchNumPy) {
  for (int c : {2, 10}) {
    Array x = load("nan_2d", c);
    expect_close(doubles(run(x.nansum({.axis = 0}))), doubles(fixture("nan_sum0")), "nansum 0");
    expect_close(doubles(run(x.nanmean({.axis = 1}))), doubles(fixture("nan_mean1")), "nanmean 1");
    expect_close(doubles(run(x.nanmean({.axis = 0}))), doubles(fixture("nan_mean0")), "nanmean 0");
    expect_close(doubles(run(x.nansum())), doubles(fixture("nan_sum_all")), "nansum");
  }
  Array i = arange(Value(0), Value(5), Value(1), 2);
  EXPECT_EQ(values_of<std::int64_t>(run(i.nansum())), std::vector<std::int64_t>{10});
}

TEST(ArrayShapeOpsErrors, AtGraphBuildTime) {
  Array t = from_array(sample_f64({2, 3}), 2);
  EXPECT_THROW((void)squeeze(t, {0}), ValueError);
  EXPECT_THROW((void)swapaxes(t, 0, 2), ValueError);
  EXPECT_THROW((void)concatenate({t, from_array(sample_f64({3, 3}), 2)}, 1), ValueError);
  EXPECT_THROW((void)concatenate({t, from_array(sample_f64({3}), 2)}), ValueError);
  EXPECT_THROW((void)concatenate({}), ValueError);
  EXPECT_THROW((void)stack({t, from_array(sample_f64({3, 2}), 2)}), ValueError);
  EXPECT_EQ(concatenate({t, from_array(sample_f64({3, 3}), 2)}, 0).shape(), (Shape{5, 3}));
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayShapeOps, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
