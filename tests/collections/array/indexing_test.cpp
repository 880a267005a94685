// newaxis, ellipsis, an integer array and a boolean mask on one axis,
// against NumPy fixtures (make_fixtures.py).
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayIndexing : public ArraySchedulers {};

TEST_P(ArrayIndexing, MatchesNumPy) {
  for (const ChunkSpec& c : {ChunkSpec::per_axis({3, 4, 2}), ChunkSpec(100)}) {
    Array t = from_npy(fixture_path("t_4x6x5"), c);
    Array a = t[{Ellipsis{}, NewAxis{}, Slice{1, 3}}];
    EXPECT_EQ(a.shape(), (Shape{4, 6, 1, 2}));
    EXPECT_EQ(run(a), fixture("i_newaxis"));
    EXPECT_EQ(run(t[{1, Ellipsis{}, Slice{{}, {}, -2}}]), fixture("i_ellipsis"));
    EXPECT_EQ(run(t[{Slice{}, IndexArray{{4, 0, 4, -1}}}]), fixture("i_take"));
    EXPECT_EQ(run(t[{Ellipsis{}, BoolMask{{true, false, true, true, false}}}]), fixture("i_mask"));
    EXPECT_EQ(run(t[{NewAxis{}, IndexArray{{3, 1}}, 2}]), fixture("i_take_newaxis"));
    // A reduction over a taken array.
    expect_close(doubles(run(t[{Slice{}, IndexArray{{4, 0, 4, -1}}}].sum({.axis = 1}))),
                 doubles(run(from_array(fixture("i_take"), 100).sum({.axis = 1}))), "sum of take");
  }
  Array e = from_array(sample_f64({5}), 2)[{IndexArray{{}}}];
  EXPECT_EQ(run(e).shape(), (Shape{0}));
}

TEST(ArrayIndexingErrors, AtGraphBuildTime) {
  Array t = from_array(sample_f64({4, 6, 5}), 3);
  EXPECT_THROW((void)(t[{Ellipsis{}, 0, Ellipsis{}}]), IndexError);
  EXPECT_THROW((void)(t[{0, 0, 0, 0}]), IndexError);
  EXPECT_THROW((void)(t[{IndexArray{{6}}}]), IndexError);
  EXPECT_THROW((void)(t[{Slice{}, BoolMask{{true, false}}}]), IndexError);
  EXPECT_THROW((void)(t[{IndexArray{{1}}, IndexArray{{1}}}]), IndexError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayIndexing, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
