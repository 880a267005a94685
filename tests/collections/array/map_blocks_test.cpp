// map_blocks, blockwise and map_overlap with registered functions, against
// NumPy fixtures (make_fixtures.py) and plain computations: odd chunks, a
// single chunk, every boundary condition.
#include "array_test_util.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/map_blocks.hpp"
#include "collections/array/overlap.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera::array::testing {

/// a * x + b, as float64.
NDArray affine(const NDArray& x, double a, double b) {
  auto v = doubles(x);
  for (auto& e : v) e = a * e + b;
  return NDArray(DType::float64, x.shape(), NDArray::from_vector(v).buffer());
}
TESSERA_FUNCTION_AS(affine, "test.affine");

NDArray add_blocks(const NDArray& x, const NDArray& y) { return kernels::binary(kernels::BinaryOp::add, x, y); }
TESSERA_FUNCTION_AS(add_blocks, "test.add_blocks");

/// Sums of each row of a 2-D block (the axis dropped).
NDArray row_sums(const NDArray& x) {
  const auto v = doubles(x);
  std::vector<double> out(static_cast<std::size_t>(x.shape()[0]), 0.0);
  for (std::int64_t i = 0; i < x.shape()[0]; ++i)
    for (std::int64_t j = 0; j < x.shape()[1]; ++j) out[i] += v[i * x.shape()[1] + j];
  return NDArray::from_vector(out);
}
TESSERA_FUNCTION_AS(row_sums, "test.row_sums");

/// The block's first index plus 100 times its block number, as a (n, 1) block.
NDArray tag_block(const NDArray& x, const std::vector<std::int64_t>& id) {
  auto v = doubles(x);
  for (auto& e : v) e += 100.0 * static_cast<double>(id.at(0));
  return NDArray(DType::float64, {x.shape()[0], 1}, NDArray::from_vector(v).buffer());
}
TESSERA_FUNCTION_AS(tag_block, "test.tag_block");

NDArray product_sum(const std::vector<NDArray>& a, const std::vector<NDArray>& b) {
  return kernels::matmul_blocks(a, b, false, false);
}
TESSERA_FUNCTION_AS(product_sum, "test.product_sum");

/// The sum of each element's +-1 neighbours inside the block (1-D or 2-D).
NDArray box3(const NDArray& x) {
  const auto v = doubles(x);
  const std::int64_t r = x.shape()[0], c = x.ndim() == 2 ? x.shape()[1] : 1;
  std::vector<double> out(v.size(), 0.0);
  for (std::int64_t i = 0; i < r; ++i)
    for (std::int64_t j = 0; j < c; ++j)
      for (std::int64_t di = -1; di <= 1; ++di)
        for (std::int64_t dj = (x.ndim() == 2 ? -1 : 0); dj <= (x.ndim() == 2 ? 1 : 0); ++dj) {
          const std::int64_t a = i + di, b = j + dj;
          if (a >= 0 && a < r && b >= 0 && b < c) out[i * c + j] += v[a * c + b];
        }
  return NDArray(DType::float64, x.shape(), NDArray::from_vector(out).buffer());
}
TESSERA_FUNCTION_AS(box3, "test.box3");

namespace {

class ArrayMapBlocks : public ArraySchedulers {};

TEST_P(ArrayMapBlocks, MapBlocksWithArgumentsAndBroadcast) {
  const NDArray data = sample_f64({7, 5});
  std::vector<double> want = doubles(data);
  for (auto& e : want) e = 2 * e + 1;
  for (const ChunkSpec& c : {ChunkSpec(3), ChunkSpec(100), ChunkSpec::per_axis({2, 5})}) {
    Array x = from_array(data, c);
    Array y = map_blocks(&affine, {x}, {.args = {Value(2.0), Value(1.0)}});
    EXPECT_EQ(y.chunks(), x.chunks());
    expect_close(doubles(run(y)), want, "affine");
    // By name; a second array of other chunks is rechunked to match.
    Array z = map_blocks("test.add_blocks", {x, from_array(data, 4)});
    std::vector<double> twice = doubles(data);
    for (auto& e : twice) e *= 2;
    expect_close(doubles(run(z)), twice, "x + x");
  }
  // Empty arrays: one empty block.
  EXPECT_EQ(run(map_blocks(&affine, {zeros({0, 3}, 2)}, {.args = {Value(2.0), Value(1.0)}})).shape(), (Shape{0, 3}));
}

TEST_P(ArrayMapBlocks, DropAxisNewAxisChunksAndBlockId) {
  const NDArray data = sample_f64({7, 5});
  Array x = from_array(data, ChunkSpec::per_axis({3, 2}));
  Array s = map_blocks(&row_sums, {x}, {.drop_axis = {1}});  // column blocks concatenated first
  EXPECT_EQ(s.shape(), (Shape{7}));
  const auto v = doubles(data);
  std::vector<double> want(7, 0.0);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 5; ++j) want[i] += v[i * 5 + j];
  expect_close(doubles(run(s)), want, "row sums");
  Array t = map_blocks(&tag_block, {s}, {.new_axis = {1}, .block_id = true});
  EXPECT_EQ(t.shape(), (Shape{7, 1}));
  for (int i = 0; i < 7; ++i) want[i] += 100.0 * (i / 3);
  expect_close(doubles(run(t)), want, "block ids");
  // Explicit chunks: a wrong one is caught when the block is checked.
  Array wrong = map_blocks(&affine, {x}, {.chunks = Chunks{{2}, {2}}, .args = {Value(1.0), Value(0.0)}});
  EXPECT_EQ(wrong.shape(), (Shape{6, 6}));
  EXPECT_THROW((void)run(wrong), std::exception);
}

TEST_P(ArrayMapBlocks, BlockwiseContractsLetters) {
  Array a = from_npy(fixture_path("mm_a"), ChunkSpec::per_axis({5, 3}));
  Array b = from_npy(fixture_path("mm_b"), ChunkSpec::per_axis({2, 4}));  // j chunked (3,3,1) and (2,2,2,1): unified
  Array c = blockwise("test.product_sum", "ik", {{a, "ij"}, {b, "jk"}}, {.dtype = DType::float64});
  EXPECT_EQ(c.shape(), (Shape{13, 9}));
  expect_close(doubles(run(c)), doubles(fixture("mm_ab")), "blockwise matmul");
  // Outer sum with broadcasting of a (n, 1) against (1, m) and a literal.
  Array col = from_array(sample_f64({4, 1}), 2), row = from_array(sample_f64({1, 3}), 2);
  Array o = blockwise(&add_blocks, "ij", {{col, "ij"}, {row, "ij"}});
  EXPECT_THROW((void)run(o), std::exception);  // blocks are (n,1) and (1,m): add needs equal shapes
  Array twice = blockwise(&affine, "ij", {{col, "ij"}, Value(2.0), Value(0.0)});
  EXPECT_EQ(twice.shape(), (Shape{4, 1}));
  std::vector<double> want = doubles(sample_f64({4, 1}));
  for (auto& e : want) e *= 2;
  expect_close(doubles(run(twice)), want, "literal arguments");
}

TEST_P(ArrayMapBlocks, MapOverlapMatchesNumPyForEveryBoundary) {
  const std::vector<std::pair<std::string, Boundary>> boundaries{{"none", Boundary::none()},
                                                                 {"constant", Boundary::constant(Value(0.5))},
                                                                 {"periodic", Boundary::periodic()},
                                                                 {"reflect", Boundary::reflect()}};
  for (const auto& [tag, b] : boundaries) {
    for (const ChunkSpec& c : {ChunkSpec(5), ChunkSpec(13), ChunkSpec(Chunks{{2, 5, 6}})}) {
      Array x = from_npy(fixture_path("mo_x1"), c);
      Array y = map_overlap(&box3, x, {.depth = {2}, .boundary = {b}});
      EXPECT_EQ(y.chunks(), x.chunks());
      expect_close(doubles(run(y)), doubles(fixture("mo_x1_" + tag)), "1-D " + tag);
    }
    for (const ChunkSpec& c : {ChunkSpec(Chunks{{3, 4}, {3, 3, 3}}), ChunkSpec(100), ChunkSpec::per_axis({4, 2})}) {
      Array x = from_npy(fixture_path("mo_x2"), c);
      Array y = map_overlap(&box3, x, {.depth = {2, 1}, .boundary = {b}});
      expect_close(doubles(run(y)), doubles(fixture("mo_x2_" + tag)), "2-D " + tag);
    }
  }
  // nearest: the edge element repeated.
  Array x = from_array(NDArray::from_vector(std::vector<double>{1, 2, 3, 4, 5}), 2);
  expect_close(doubles(run(map_overlap(&box3, x, {.depth = {1}, .boundary = {Boundary::nearest()}}))),
               {4, 6, 9, 12, 14}, "nearest");
  // The ghosted blocks themselves.
  Array g = overlap(x, {.depth = {1}, .boundary = {Boundary::periodic()}});
  EXPECT_EQ(g.chunks(), (Chunks{{4, 4, 3}}));
  expect_close(doubles(run(g)), {5, 1, 2, 3, 2, 3, 4, 5, 4, 5, 1}, "periodic ghosts");
}

TEST(ArrayMapBlocksErrors, AtGraphBuildTime) {
  const auto expect_error = [](auto f, const std::string& needle) {
    try {
      f();
      ADD_FAILURE() << "no ValueError; wanted: " << needle;
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  Array x = from_array(sample_f64({6, 4}), 2);
  expect_error([&] { (void)map_blocks("test.no_such_function", {x}); }, "no function is registered");
  expect_error([&] { (void)map_blocks(&add_blocks, {x, from_array(sample_f64({5, 4}), 2)}); }, "do not broadcast");
  expect_error([&] { (void)map_blocks(&affine, {x}, {.drop_axis = {2}}); }, "out of bounds");
  expect_error([&] { (void)map_blocks(&affine, {x}, {.chunks = Chunks{{1, 2}, {2}}}); }, "blocks on axis 0");
  expect_error([&] { (void)blockwise(&affine, "ij", {{x, "i"}}); }, "has 1 letters");
  expect_error([&] { (void)blockwise(&affine, "ik", {{x, "ij"}}); }, "appears in no input");
  expect_error([&] { (void)overlap(x, {.depth = {3}}); }, "larger than the smallest block");
  expect_error([&] { (void)overlap(x, {.depth = {1, 1, 1}}); }, "for 3 axes");
  expect_error([&] { (void)overlap(x, {.depth = {-1}}); }, "negative");
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayMapBlocks, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
