// argmin / argmax (ties go to the first, the first NaN wins) and cumsum /
// cumprod against NumPy fixtures (make_fixtures.py), over odd chunks.
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayArgScan : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

TEST_P(ArrayArgScan, ArgMinMaxMatchNumPy) {
  for (const ChunkSpec& c : {ChunkSpec::per_axis({4, 3}), ChunkSpec(100), ChunkSpec(1)}) {
    Array ai = load("r_ai", c), af = load("r_af", c);
    EXPECT_EQ(run(ai.argmax({.axis = 0})), fixture("r_argmax0"));
    EXPECT_EQ(run(ai.argmin({.axis = 1, .split_every = 2})), fixture("r_argmin1"));
    EXPECT_EQ(run(ai.argmax()), fixture("r_argmax_all"));
    EXPECT_EQ(run(ai.argmin()), fixture("r_argmin_all"));
    EXPECT_EQ(run(af.argmin({.axis = 1})), fixture("r_af_argmin1"));
    EXPECT_EQ(run(af.argmax()), fixture("r_af_argmax_all"));
    // Over a fused expression: the expression is computed, then reduced.
    EXPECT_EQ(run((ai * -1).argmin({.axis = 0})), fixture("r_argmax0"));
  }
  EXPECT_EQ(load("r_ai", 4).argmax({.axis = 1, .keepdims = true}).shape(), (Shape{6, 1}));
  EXPECT_THROW((void)zeros({0, 3}, 2).argmax(), ValueError);
}

TEST_P(ArrayArgScan, CumulativeMatchNumPy) {
  for (const ChunkSpec& c : {ChunkSpec::per_axis({4, 3}), ChunkSpec(100), ChunkSpec(2)}) {
    Array cf = load("r_cf", c), ai = load("r_ai", c);
    expect_close(doubles(run(cf.cumsum(0))), doubles(fixture("r_cumsum0")), "cumsum 0");
    expect_close(doubles(run(cf.cumsum(-1))), doubles(fixture("r_cumsum1")), "cumsum 1");
    expect_close(doubles(run((cf / 2 + 1).cumprod(1))), doubles(fixture("r_cumprod1")), "cumprod 1");
    EXPECT_EQ(run((ai + 1).cumprod(0)), fixture("r_cumprod_i0"));
    EXPECT_EQ(run((ai > 1).cumsum(1)), fixture("r_cumsum_b1"));
  }
  EXPECT_THROW((void)load("r_cf", 3).cumsum(2), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayArgScan, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
