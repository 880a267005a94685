// matmul / dot through OpenBLAS against NumPy fixtures (make_fixtures.py):
// odd chunks, a single chunk, transposed operands handed to BLAS as such.
#include "array_test_util.hpp"
#include "collections/array/linalg.hpp"

namespace tessera::array::testing {
namespace {

class ArrayLinalg : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

TEST_P(ArrayLinalg, MatmulMatchesNumPy) {
  for (const auto& [ca, cb] : std::vector<std::pair<ChunkSpec, ChunkSpec>>{
           {ChunkSpec::per_axis({5, 3}), ChunkSpec::per_axis({3, 4})}, {ChunkSpec(100), ChunkSpec(100)}}) {
    Array a = load("mm_a", ca), b = load("mm_b", cb);
    Array ab = matmul(a, b);
    EXPECT_EQ(ab.shape(), (Shape{13, 9}));
    expect_close(doubles(run(ab)), doubles(fixture("mm_ab")), "a @ b");
    expect_close(doubles(run(dot(a, b))), doubles(fixture("mm_ab")), "dot");
    // An element-wise operand is computed first, then multiplied.
    std::vector<double> twice = doubles(fixture("mm_ab"));
    for (auto& v : twice) v *= 2;
    expect_close(doubles(run(matmul(a * 2, b))), twice, "(2a) @ b");
  }
  Array a = load("mm_a", ChunkSpec::per_axis({4, 3}));
  expect_close(doubles(run(matmul(a, a.T()))), doubles(fixture("mm_aat")), "a @ a.T");
  expect_close(doubles(run(matmul(a.T(), a))), doubles(fixture("mm_atb")), "a.T @ a");
}

TEST_P(ArrayLinalg, IntegerMatmulIsExact) {
  Array a = load("mm_ia", ChunkSpec::per_axis({4, 3})), b = load("mm_ib", ChunkSpec::per_axis({3, 2}));
  Array c = matmul(a, b);
  EXPECT_EQ(c.dtype(), DType::int64);
  EXPECT_EQ(run(c), fixture("mm_iaib"));
}

TEST_P(ArrayLinalg, DotOfVectorsAndEmptyInnerAxis) {
  Array x = arange(Value(1.0), Value(6.0), Value(1.0), 2);
  EXPECT_EQ(values_of<double>(run(dot(x, x))), std::vector<double>{55.0});
  Array e = zeros({3, 0}, 2), f = zeros({0, 2}, 2);
  EXPECT_EQ(values_of<double>(run(matmul(e, f))), std::vector<double>(6, 0.0));
}

TEST(ArrayLinalgGraph, TransposedOperandGoesToBlasWithoutACopy) {
  Array a = from_array(sample_f64({6, 4}), 3);
  Array g = matmul(a, a.T());
  const TaskGraph graph = g.graph().materialize();  // kept alive: tasks() refers into it
  for (const auto& task : graph.tasks()) EXPECT_NE(task.function_name(), "array.fused") << task.key.str();
  EXPECT_EQ(g.layer()->tasks.size(), 4u);
  EXPECT_EQ(g.layer()->tasks[0].fn->name, "array.matmul");
}

TEST(ArrayLinalgErrors, ShapesAndChunks) {
  Array a = from_array(sample_f64({4, 3}), 2), b = from_array(sample_f64({4, 3}), 2);
  try {
    (void)matmul(a, b);
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("mismatch"), std::string::npos) << e.what();
  }
  // Inner axes chunked (2, 1) and (3,): rechunked to match, not refused.
  Array c = from_array(sample_f64({3, 5}), ChunkSpec::per_axis({3, 5}));
  EXPECT_EQ(matmul(a, c).shape(), (Shape{4, 5}));
  EXPECT_THROW((void)matmul(arange(Value(0), Value(3), Value(1), 2), a), ValueError);
  EXPECT_THROW((void)dot(arange(Value(0), Value(3), Value(1), 2), arange(Value(0), Value(4), Value(1), 2)), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayLinalg, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
