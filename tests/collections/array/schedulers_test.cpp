// The same array expressions on "sync" and on the "threads" cluster give
// bit-identical results (the reduction tree fixes the order of every sum).
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

TEST(ArraySchedulersAgree, BitIdenticalResults) {
  Array x = from_array(sample_f64({23, 17}), ChunkSpec::per_axis({5, 4}));
  Array y = arange(0.0, 391.0, 1.0, 50)[{Slice{}}];
  const std::vector<Array> exprs{
      ((x * 2 + 1) / 3 - x).sum({.axis = 0}),
      sqrt(abs(x)).mean({.axis = 1, .keepdims = true}),
      x.var({.ddof = 1}),
      x[{Slice{1, {}, 3}, Slice{{}, {}, -2}}].max({.axis = -1}),
      (x > 0).any({.axis = 0}),
      exp(x / 10).prod({.split_every = 3}),
      y.std(),
  };
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    NDArray a = exprs[i].compute({.scheduler = "sync"});
    NDArray b = exprs[i].compute({.scheduler = "threads"});
    EXPECT_EQ(a, b) << "expression " << i;
    EXPECT_EQ(a.shape(), exprs[i].shape()) << "expression " << i;
  }
}

}  // namespace
}  // namespace tessera::array::testing
