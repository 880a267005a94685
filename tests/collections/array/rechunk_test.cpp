// rechunk and "auto" chunks: values unchanged through any re-cutting, the
// split/merge graph, unchanged blocks reused, dask's auto sizes.
#include "array_test_util.hpp"

namespace tessera::array::testing {
namespace {

class ArrayRechunk : public ArraySchedulers {};

TEST_P(ArrayRechunk, ValuesAreUnchangedByAnyCut) {
  const NDArray data = sample_f64({7, 10, 3});
  Array x = from_array(data, ChunkSpec::per_axis({3, 4, 2}));
  for (const ChunkSpec& spec : {ChunkSpec(2), ChunkSpec(100), ChunkSpec::per_axis({7, 1, -1}),
                                ChunkSpec(Chunks{{1, 6}, {5, 5}, {1, 1, 1}}), ChunkSpec::automatic(64)}) {
    Array y = x.rechunk(spec);
    EXPECT_EQ(y.chunks(), normalize_chunks(spec, y.shape()));
    EXPECT_EQ(run(y), data);
    expect_close(doubles(run(y.sum({.axis = 1}))), doubles(run(x.sum({.axis = 1}))), "sum");
  }
  Array i = from_array(sample_i64({9}), 4).rechunk(Chunks{{2, 7}});
  EXPECT_EQ(run(i), sample_i64({9}));
  EXPECT_EQ(run(zeros({0, 5}, 2).rechunk(3)).shape(), (Shape{0, 5}));
  EXPECT_EQ(run(from_array(sample_f64({}), 1).rechunk(1)), sample_f64({}));
}

TEST(ArrayRechunkGraph, SplitsOnlyWhereBlocksAreCut) {
  Array x = from_array(sample_f64({8, 8}), 4);
  EXPECT_EQ(x.rechunk(4).name(), x.name());
  // Rows cut in halves, columns unchanged: each new block is one slice of one old block.
  Array y = x.rechunk(ChunkSpec::per_axis({2, 4}));
  EXPECT_EQ(y.layer()->tasks.size(), 8u);
  // Merging two old blocks into one whole block takes no split at all.
  Array z = x.rechunk(ChunkSpec::per_axis({8, 4}));
  EXPECT_EQ(z.graph().materialize().size(), 4u + 2u);
}

TEST(ArrayAutoChunks, AboutTheTargetAndBalanced) {
  // 20000 x 20000 float64 in 128 MiB: 4096 would be square, balanced to 5 x 4000 (as dask).
  const Chunks c = normalize_chunks(ChunkSpec::automatic(), {20000, 20000}, DType::float64);
  EXPECT_EQ(c, (Chunks{std::vector<std::int64_t>(5, 4000), std::vector<std::int64_t>(5, 4000)}));
  // A small axis is taken whole and leaves its share to the others.
  const Chunks d = normalize_chunks(ChunkSpec::automatic(1 << 20), {3, 1000000}, DType::float64);
  EXPECT_EQ(d[0], (std::vector<std::int64_t>{3}));
  EXPECT_LE(d[1][0] * 3 * 8, (1 << 20) + 3 * 8);
  EXPECT_GE(d[1][0] * 3 * 8, (1 << 20) / 2);
  // int32 elements are half the size of float64: twice as many per block.
  const Chunks e = normalize_chunks(ChunkSpec::automatic(1 << 20), {1 << 22}, DType::int32);
  EXPECT_EQ(e[0].front(), 1 << 18);
  EXPECT_THROW((void)normalize_chunks(ChunkSpec::automatic(0), {4}, DType::int32), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayRechunk, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
