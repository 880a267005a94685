#include "array_test_util.hpp"

#include <algorithm>
#include <functional>

namespace tessera::array::testing {
namespace {

class ArrayReductions : public ArraySchedulers {};

/// Reference: reduce a row-major (outer, len, inner) view with plain loops.
struct Ref {
  std::int64_t outer = 1, len = 1, inner = 1;
  Ref(const Shape& shape, std::optional<std::int64_t> axis) {
    if (!axis) {
      len = shape_size(shape);
      return;
    }
    for (std::int64_t k = 0; k < *axis; ++k) outer *= shape[k];
    len = shape[*axis];
    for (std::size_t k = *axis + 1; k < shape.size(); ++k) inner *= shape[k];
  }
  template <class T, class F>
  std::vector<double> fold(const std::vector<T>& x, F f) const {
    std::vector<double> out;
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        std::vector<double> row;
        for (std::int64_t j = 0; j < len; ++j) row.push_back(static_cast<double>(x[(o * len + j) * inner + i]));
        out.push_back(f(row));
      }
    return out;
  }
};

double r_sum(const std::vector<double>& r) { double s = 0; for (double v : r) s += v; return s; }
double r_prod(const std::vector<double>& r) { double s = 1; for (double v : r) s *= v; return s; }
double r_min(const std::vector<double>& r) { return *std::min_element(r.begin(), r.end()); }
double r_max(const std::vector<double>& r) { return *std::max_element(r.begin(), r.end()); }
double r_mean(const std::vector<double>& r) { return r_sum(r) / static_cast<double>(r.size()); }
double r_var(const std::vector<double>& r, int ddof) {
  double m = r_mean(r), s = 0;
  for (double v : r) s += (v - m) * (v - m);
  return s / static_cast<double>(static_cast<std::int64_t>(r.size()) - ddof);
}

Shape out_shape(const Shape& shape, std::optional<std::int64_t> axis, bool keepdims) {
  Shape s;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const bool red = !axis || static_cast<std::int64_t>(k) == *axis;
    if (!red) s.push_back(shape[k]);
    else if (keepdims) s.push_back(1);
  }
  return s;
}

TEST_P(ArrayReductions, FloatReductionsOverEveryAxis) {
  for (const Shape& shape : {Shape{13}, Shape{7, 5}, Shape{4, 3, 5}}) {
    NDArray data = sample_f64(shape);
    const auto v = values_of<double>(data);
    for (const ChunkSpec& chunks : {ChunkSpec(2), ChunkSpec(3), ChunkSpec(1000)}) {
      Array x = from_array(data, chunks);
      std::vector<std::optional<std::int64_t>> axes{std::nullopt};
      for (std::int64_t a = 0; a < static_cast<std::int64_t>(shape.size()); ++a) axes.push_back(a);
      axes.push_back(-1);
      for (auto axis : axes) {
        std::optional<std::int64_t> norm = axis;
        if (axis && *axis < 0) norm = *axis + static_cast<std::int64_t>(shape.size());
        Ref ref(shape, norm);
        for (bool keepdims : {false, true}) {
          ReduceOptions o{.axis = axis, .keepdims = keepdims, .split_every = 2};
          const std::string what = "shape " + std::to_string(shape.size()) + "-d axis " +
                                   (axis ? std::to_string(*axis) : "None") + (keepdims ? " keepdims" : "");
          auto check = [&](const Array& r, std::vector<double> want, const char* op) {
            EXPECT_EQ(r.shape(), out_shape(shape, norm, keepdims)) << what << " " << op;
            EXPECT_EQ(r.dtype(), DType::float64) << what << " " << op;
            NDArray got = run(r);
            EXPECT_EQ(got.shape(), r.shape()) << what << " " << op;
            expect_close(values_of<double>(got), want, what + " " + op);
          };
          check(x.sum(o), ref.fold(v, r_sum), "sum");
          check(x.prod(o), ref.fold(v, r_prod), "prod");
          check(x.min(o), ref.fold(v, r_min), "min");
          check(x.max(o), ref.fold(v, r_max), "max");
          check(x.mean(o), ref.fold(v, r_mean), "mean");
          check(x.var(o), ref.fold(v, [](const auto& r) { return r_var(r, 0); }), "var");
          ReduceOptions o1 = o;
          o1.ddof = 1;
          check(x.std(o1), ref.fold(v, [](const auto& r) { return std::sqrt(r_var(r, 1)); }), "std ddof=1");
        }
      }
    }
  }
}

TEST_P(ArrayReductions, FullReductionIsZeroD) {
  Array x = arange(0, 100, 1, 7);
  Array s = x.sum();
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(s.ndim(), 0u);
  EXPECT_EQ(s.dtype(), DType::int64);
  NDArray r = run(s);
  EXPECT_EQ(r.ndim(), 0u);
  EXPECT_EQ(values_of<std::int64_t>(r), std::vector<std::int64_t>{4950});
  EXPECT_EQ(values_of<std::int64_t>(run(x.min())), std::vector<std::int64_t>{0});
  EXPECT_EQ(values_of<std::int64_t>(run(x.max())), std::vector<std::int64_t>{99});
  EXPECT_EQ(x.max().dtype(), DType::int64);
  expect_close(values_of<double>(run(x.mean())), {49.5});
  expect_close(values_of<double>(run(x.var())), {833.25});  // (n^2 - 1) / 12
  expect_close(values_of<double>(run(x.std({.ddof = 1}))), {std::sqrt(841.6666666666666)});
  Array k = x.sum({.keepdims = true});
  EXPECT_EQ(k.shape(), Shape{1});
  EXPECT_EQ(values_of<std::int64_t>(run(k)), std::vector<std::int64_t>{4950});
  // A reduction of a reduction, and element-wise on a 0-d array.
  EXPECT_EQ(values_of<std::int64_t>(run(x.sum().sum() * 2)), std::vector<std::int64_t>{9900});
  // Single chunk.
  EXPECT_EQ(values_of<std::int64_t>(run(arange(1, 6, 1, 10).prod())), std::vector<std::int64_t>{120});
}

TEST_P(ArrayReductions, IntegerAndBoolean) {
  NDArray data = sample_i64({6, 7});
  const auto v = values_of<std::int64_t>(data);
  Array x = from_array(data, Chunks{{1, 5}, {3, 3, 1}});
  Ref ref({6, 7}, 1);
  auto as_int = [](std::vector<double> d) {
    std::vector<std::int64_t> o;
    for (double e : d) o.push_back(static_cast<std::int64_t>(e));
    return o;
  };
  EXPECT_EQ(values_of<std::int64_t>(run(x.sum({.axis = 1}))), as_int(ref.fold(v, r_sum)));
  EXPECT_EQ(values_of<std::int64_t>(run(x.min({.axis = 1}))), as_int(ref.fold(v, r_min)));
  Array pos = x > 0;
  Array any = pos.any({.axis = 1});
  Array all = pos.all({.axis = 1});
  EXPECT_EQ(any.dtype(), DType::boolean);
  std::vector<std::uint8_t> want_any, want_all;
  for (double d : ref.fold(v, [](const auto& r) { return double(r_max(r) > 0); })) want_any.push_back(d != 0);
  for (double d : ref.fold(v, [](const auto& r) { return double(r_min(r) > 0); })) want_all.push_back(d != 0);
  EXPECT_EQ(values_of<std::uint8_t>(run(any)), want_any);
  EXPECT_EQ(values_of<std::uint8_t>(run(all)), want_all);
  EXPECT_EQ(values_of<std::uint8_t>(run(pos.any())), std::vector<std::uint8_t>{1});
  EXPECT_EQ(values_of<std::uint8_t>(run(pos.all())), std::vector<std::uint8_t>{0});
  // sum of bools counts them, as NumPy (int64).
  std::int64_t npos = 0;
  for (auto e : v) npos += e > 0;
  EXPECT_EQ(pos.sum().dtype(), DType::int64);
  EXPECT_EQ(values_of<std::int64_t>(run(pos.sum())), std::vector<std::int64_t>{npos});
}

TEST_P(ArrayReductions, VarianceIsNumericallySound) {
  // A large offset: a naive sum-of-squares variance loses every digit here.
  Array x = arange(0.0, 1000.0, 1.0, 37) + 1e9;
  expect_close(values_of<double>(run(x.var())), {(1000.0 * 1000.0 - 1) / 12});
  expect_close(values_of<double>(run(x.mean())), {1e9 + 499.5});
}

TEST(ArrayReductionGraph, SplitEveryShapesTheTree) {
  Array x = arange(0, 64, 1, 1);  // 64 blocks
  auto tasks = [](const Array& a) { return a.graph().materialize().size(); };
  // 64 arange + 64 chunk + combines + aggregate + finalize.
  EXPECT_EQ(tasks(x.sum({.split_every = 8})), 64u + 64u + 8u + 1u + 1u);
  EXPECT_EQ(tasks(x.sum({.split_every = 4})), 64u + 64u + 16u + 4u + 1u + 1u);
  EXPECT_THROW(x.sum({.split_every = 1}), ValueError);
}

TEST(ArrayReductionErrors, BadAxis) {
  Array x = zeros({3, 4}, 2);
  try {
    (void)x.sum({.axis = 2});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "axis 2 is out of bounds for array of dimension 2");
  }
  EXPECT_THROW((void)x.mean({.axis = -3}), ValueError);
  EXPECT_NO_THROW((void)x.mean({.axis = -2}));
  EXPECT_THROW((void)zeros({0}, 2).max(), ValueError);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayReductions, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
