#include "array_test_util.hpp"
#include "runtime/graph/optimize.hpp"

namespace tessera::array::testing {
namespace {

class ArrayElementwise : public ArraySchedulers {};

TEST_P(ArrayElementwise, ScalarArithmetic) {
  NDArray data = sample_f64({5, 3});
  const auto v = values_of<double>(data);
  Array x = from_array(data, ChunkSpec::per_axis({2, 2}));
  auto check = [&](const Array& r, auto f, const char* what) {
    std::vector<double> want;
    for (double e : v) want.push_back(f(e));
    EXPECT_EQ(r.dtype(), DType::float64) << what;
    EXPECT_EQ(r.chunks(), x.chunks()) << what;
    expect_close(values_of<double>(run(r)), want, what);
  };
  check(x + 2, [](double e) { return e + 2; }, "x + 2");
  check(x - 1.5, [](double e) { return e - 1.5; }, "x - 1.5");
  check(3 * x, [](double e) { return 3 * e; }, "3 * x");
  check(x / 4, [](double e) { return e / 4; }, "x / 4");
  check(1.0 - x, [](double e) { return 1.0 - e; }, "1 - x");
  check(2.0 / (x + 10), [](double e) { return 2.0 / (e + 10); }, "2 / (x + 10)");
  check(-x, [](double e) { return -e; }, "-x");
  check(abs(x), [](double e) { return std::fabs(e); }, "abs");
  check(sqrt(abs(x)), [](double e) { return std::sqrt(std::fabs(e)); }, "sqrt");
  check(exp(x), [](double e) { return std::exp(e); }, "exp");
  // A chain of steps, each referencing the previous block: fused when run.
  check(((x + 1) * 2 - 3) / 5, [](double e) { return ((e + 1) * 2 - 3) / 5; }, "chain");
}

TEST_P(ArrayElementwise, IntegerSemantics) {
  Array i = arange(-4, 7, 1, 4);
  const std::vector<std::int64_t> v{-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6};
  Array sum = i + 3;
  EXPECT_EQ(sum.dtype(), DType::int64);
  std::vector<std::int64_t> want;
  for (auto e : v) want.push_back(e + 3);
  EXPECT_EQ(values_of<std::int64_t>(run(sum)), want);
  Array neg = -(i * 2);
  want.clear();
  for (auto e : v) want.push_back(-(e * 2));
  EXPECT_EQ(neg.dtype(), DType::int64);
  EXPECT_EQ(values_of<std::int64_t>(run(neg)), want);
  want.clear();
  for (auto e : v) want.push_back(e < 0 ? -e : e);
  EXPECT_EQ(values_of<std::int64_t>(run(abs(i))), want);
  // int64 / int64 is float64, as NumPy's true division.
  Array q = i / 2;
  EXPECT_EQ(q.dtype(), DType::float64);
  std::vector<double> wq;
  for (auto e : v) wq.push_back(static_cast<double>(e) / 2);
  expect_close(values_of<double>(run(q)), wq);
  // int64 array with a float scalar is float64.
  EXPECT_EQ((i + 0.5).dtype(), DType::float64);
  EXPECT_EQ(sqrt(i).dtype(), DType::float64);
}

TEST_P(ArrayElementwise, ArrayArithmetic) {
  NDArray a = sample_f64({3, 4, 5});
  NDArray b = sample_i64({3, 4, 5});
  Array x = from_array(a, 2);
  Array y = from_array(b, 2);
  const auto va = values_of<double>(a);
  const auto vb = values_of<std::int64_t>(b);
  std::vector<double> w_add, w_mul, w_div;
  for (std::size_t k = 0; k < va.size(); ++k) {
    w_add.push_back(va[k] + static_cast<double>(vb[k]));
    w_mul.push_back(va[k] * static_cast<double>(vb[k]));
    w_div.push_back(static_cast<double>(vb[k]) / (va[k] + 100));
  }
  expect_close(values_of<double>(run(x + y)), w_add, "x + y");
  expect_close(values_of<double>(run(x * y)), w_mul, "x * y");
  expect_close(values_of<double>(run(y / (x + 100))), w_div, "y / (x + 100)");
  Array yy = y - y;
  EXPECT_EQ(yy.dtype(), DType::int64);
  EXPECT_EQ(run(yy), NDArray::zeros(DType::int64, {3, 4, 5}));
  Array yd = y / y;  // 0/0 is nan, as NumPy
  EXPECT_EQ(yd.dtype(), DType::float64);
  auto r = values_of<double>(run(yd));
  for (std::size_t k = 0; k < vb.size(); ++k) {
    if (vb[k] == 0) EXPECT_TRUE(std::isnan(r[k]));
    else EXPECT_EQ(r[k], 1.0);
  }
}

TEST_P(ArrayElementwise, ComparisonsAndAstype) {
  Array x = arange(0, 9, 1, 4);
  Array c = x > 4;
  EXPECT_EQ(c.dtype(), DType::boolean);
  EXPECT_EQ(values_of<std::uint8_t>(run(c)), (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(values_of<std::uint8_t>(run(x <= 2.5)), (std::vector<std::uint8_t>{1, 1, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(values_of<std::uint8_t>(run(3 == x)), (std::vector<std::uint8_t>{0, 0, 0, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(values_of<std::uint8_t>(run(x != x)), std::vector<std::uint8_t>(9, 0));
  Array y = arange(8, -1, -1, 4);
  EXPECT_EQ(values_of<std::uint8_t>(run(x < y)), (std::vector<std::uint8_t>{1, 1, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(values_of<std::uint8_t>(run(x >= y)), (std::vector<std::uint8_t>{0, 0, 0, 0, 1, 1, 1, 1, 1}));
  Array f = (x / 2).astype(DType::int64);  // truncation, as NumPy's astype
  EXPECT_EQ(values_of<std::int64_t>(run(f)), (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2, 3, 3, 4}));
  Array b = (x - 3).astype(DType::boolean);
  EXPECT_EQ(values_of<std::uint8_t>(run(b)), (std::vector<std::uint8_t>{1, 1, 1, 0, 1, 1, 1, 1, 1}));
  Array back = c.astype(DType::float64) * 2;
  expect_close(values_of<double>(run(back)), {0, 0, 0, 0, 0, 2, 2, 2, 2});
  // bool + bool is logical or and bool * int is int64, as NumPy; bool - bool is refused.
  Array cc = c + (x < 1);
  EXPECT_EQ(cc.dtype(), DType::boolean);
  EXPECT_EQ(values_of<std::uint8_t>(run(cc)), (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 1, 1, 1, 1}));
  Array ci = c * 3;
  EXPECT_EQ(ci.dtype(), DType::int64);
  EXPECT_EQ(values_of<std::int64_t>(run(ci)), (std::vector<std::int64_t>{0, 0, 0, 0, 0, 3, 3, 3, 3}));
  EXPECT_THROW((void)(c - c), TypeError);
}

TEST(ArrayElementwiseErrors, AtGraphBuildTime) {
  Array a = zeros({4, 3}, 2);
  try {
    (void)(a + zeros({3, 4}, 2));
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(4, 3) (3, 4)"), std::string::npos) << e.what();
  }
  // Differently chunked operands are rechunked to the common refinement.
  Array m = a * zeros({4, 3}, 3);
  EXPECT_EQ(m.chunks(), (Chunks{{2, 1, 1}, {2, 1}}));
  EXPECT_EQ(m.compute({.scheduler = "sync"}), NDArray::zeros(DType::float64, {4, 3}));
}

TEST(ArrayElementwiseGraph, OneTaskPerBlockAndRegisteredFunctions) {
  Array x = arange(0.0, 10.0, 1.0, 3);
  Array y = (x + 1) * 2;
  ASSERT_EQ(y.layer()->tasks.size(), 4u);
  const auto& t = y.layer()->tasks[2];
  EXPECT_EQ(t.key, Key(y.name(), {2}));
  // Element-wise steps fuse when the graph is built: one task per block
  // evaluates (x + 1) * 2 over the arange block.
  EXPECT_EQ(t.fn->name, "array.fused");
  EXPECT_TRUE(t.fn->registered);
  EXPECT_EQ(Registry::global().get("array.add_scalar")->name, "array.add_scalar");
  EXPECT_EQ(y.graph().materialize().size(), 8u);
  // arange -> fused per block fuses into one task per block when run.
  const auto keys = y.keys();
  TaskGraph fused = fuse_linear(y.graph().materialize(), keys);
  EXPECT_EQ(fused.size(), 4u);
  EXPECT_EQ((x + 1).name(), (x + 1).name());
  EXPECT_NE((x + 1).name(), (x + 2).name());
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayElementwise, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
