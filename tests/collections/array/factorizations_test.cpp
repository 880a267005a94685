// tensordot, tsqr (qr, svd), cholesky, solve, lstsq and norm against NumPy
// fixtures (make_fixtures.py): odd chunks, a single chunk, empty arrays, 0-d
// results. QR and SVD are compared up to LAPACK's sign choices: Q R and
// U S Vt against the input, |R|, |Vt| and the singular values against NumPy's.
#include <limits>

#include "array_test_util.hpp"
#include "collections/array/factorizations.hpp"
#include "collections/array/linalg.hpp"
#include "collections/array/tsqr.hpp"

namespace tessera::array::testing {
namespace {

class ArrayFactorizations : public ArraySchedulers {};

Array load(const std::string& name, const ChunkSpec& chunks) { return from_npy(fixture_path(name), chunks); }

std::vector<double> abs_of(std::vector<double> v) {
  for (auto& x : v) x = std::fabs(x);
  return v;
}

/// Row-major a (r, k) @ b (k, c), plainly.
std::vector<double> product(const std::vector<double>& a, const std::vector<double>& b, std::int64_t r, std::int64_t k,
                            std::int64_t c) {
  std::vector<double> out(static_cast<std::size_t>(r * c), 0.0);
  for (std::int64_t i = 0; i < r; ++i)
    for (std::int64_t p = 0; p < k; ++p)
      for (std::int64_t j = 0; j < c; ++j) out[i * c + j] += a[i * k + p] * b[p * c + j];
  return out;
}

void expect_near_rel(const std::vector<double>& got, const std::vector<double>& want, double scale,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12 * scale) << what << " [" << i << "]";
}

TEST_P(ArrayFactorizations, TensordotMatchesNumPy) {
  for (int c : {2, 3, 100}) {
    Array a = load("td_a", c), b = load("td_b", ChunkSpec::per_axis({3, 2, 4}));
    Array ab = tensordot(a, b, 2);
    EXPECT_EQ(ab.shape(), (Shape{3, 6}));
    expect_close(doubles(run(ab)), doubles(fixture("td_ab2")), "tensordot(a, b, 2)");
    Array ac = tensordot(a, load("td_c", ChunkSpec::per_axis({4, 1, 3})), {1, -1}, {2, 0});
    EXPECT_EQ(ac.shape(), (Shape{3, 2}));
    expect_close(doubles(run(ac)), doubles(fixture("td_ac")), "tensordot(a, c, ([1, 2], [2, 0]))");
  }
  Array v = load("td_v", 3);
  Array vv = tensordot(v, v, 1);
  EXPECT_EQ(vv.ndim(), 0u);
  expect_close(doubles(run(vv)), doubles(fixture("td_vv")), "0-d");
  Array outer = tensordot(load("td_a", 2)[{std::int64_t{0}}], v, 0);
  EXPECT_EQ(outer.shape(), (Shape{4, 5, 7}));
  expect_close(doubles(run(outer)), doubles(fixture("td_outer")), "outer");
  // An empty contracted axis sums nothing.
  Array z = tensordot(zeros({2, 0}, 2), zeros({0, 3}, 2), 1);
  EXPECT_EQ(values_of<double>(run(z)), std::vector<double>(6, 0.0));
}

TEST_P(ArrayFactorizations, QrIsTsqrAndMatchesNumPy) {
  const NDArray an = fixture("qr_a");
  const auto av = doubles(an);
  for (const auto& rows : std::vector<std::int64_t>{5, 3, 7, 100}) {  // blocks of 5 rows .. one block; 3 < 4 columns
    Array a = load("qr_a", ChunkSpec::per_axis({rows, -1}));
    auto [q, r] = qr(a);
    EXPECT_EQ(q.shape(), (Shape{23, 4}));
    EXPECT_EQ(r.shape(), (Shape{4, 4}));
    const auto qv = doubles(run(q)), rv = doubles(run(r));
    expect_near_rel(product(qv, rv, 23, 4, 4), av, 10, "Q R = A, rows " + std::to_string(rows));
    std::vector<double> eye(16, 0.0);
    for (int i = 0; i < 4; ++i) eye[i * 5] = 1.0;
    expect_near_rel(doubles(run(matmul(q.T(), q))), eye, 10, "Q^T Q = I");
    expect_near_rel(abs_of(rv), doubles(fixture("qr_r_abs")), 10, "|R|");
    for (int i = 1; i < 4; ++i)
      for (int j = 0; j < i; ++j) EXPECT_EQ(rv[i * 4 + j], 0.0);
  }
}

TEST_P(ArrayFactorizations, SvdMatchesNumPy) {
  const auto av = doubles(fixture("qr_a"));
  for (const auto& rows : std::vector<std::int64_t>{6, 23}) {
    auto [u, s, vt] = svd(load("qr_a", ChunkSpec::per_axis({rows, -1})));
    EXPECT_EQ(u.shape(), (Shape{23, 4}));
    EXPECT_EQ(s.shape(), (Shape{4}));
    const auto sv = doubles(run(s)), vv = doubles(run(vt));
    expect_close(sv, doubles(fixture("svd_s")), "singular values");
    expect_near_rel(abs_of(vv), doubles(fixture("svd_vt_abs")), 10, "|Vt|");
    auto us = doubles(run(u));
    for (std::size_t i = 0; i < us.size(); ++i) us[i] *= sv[i % 4];
    expect_near_rel(product(us, vv, 23, 4, 4), av, 10, "U S Vt = A");
  }
}

TEST_P(ArrayFactorizations, TallAndSkinnyEdgeCases) {
  // No rows: Q (0, 0), R (0, 3).
  auto [q, r] = qr(zeros({0, 3}, ChunkSpec::per_axis({2, -1})));
  EXPECT_EQ(run(q).shape(), (Shape{0, 0}));
  EXPECT_EQ(run(r).shape(), (Shape{0, 3}));
  // float32 in, float32 out.
  auto f = qr(from_array(kernels::astype(sample_f64({6, 2}), DType::float32), ChunkSpec::per_axis({4, -1})));
  EXPECT_EQ(f.q.dtype(), DType::float32);
  EXPECT_EQ(run(f.r).dtype(), DType::float32);
}

TEST_P(ArrayFactorizations, CholeskyMatchesNumPy) {
  const auto want = doubles(fixture("chol_l"));
  for (const ChunkSpec& c : {ChunkSpec(4), ChunkSpec(2), ChunkSpec(9), ChunkSpec::per_axis({5, 3})}) {
    Array a = load("chol_a", c);
    expect_close(doubles(run(cholesky(a, true))), want, "L");
    // dask's default: upper, L^T.
    const auto u = doubles(run(cholesky(a)));
    for (int i = 0; i < 9; ++i)
      for (int j = 0; j < 9; ++j) EXPECT_NEAR(u[i * 9 + j], want[j * 9 + i], 1e-12 * 10);
  }
  EXPECT_EQ(run(cholesky(zeros({0, 0}, 2))).shape(), (Shape{0, 0}));
  // Not positive definite: the task fails with NumPy's message.
  try {
    (void)run(cholesky(from_array(sample_f64({3, 3}), 2)));
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("not positive definite"), std::string::npos) << e.what();
  }
}

TEST_P(ArrayFactorizations, SolveMatchesNumPy) {
  for (int c : {3, 8}) {
    Array a = load("solve_a", c);
    expect_close(doubles(run(solve(a, load("solve_b", ChunkSpec::per_axis({5, 2}))))), doubles(fixture("solve_ab")),
                 "solve(a, B)");
    Array x = solve(a, load("solve_v", c));
    EXPECT_EQ(x.shape(), (Shape{8}));
    expect_close(doubles(run(x)), doubles(fixture("solve_av")), "solve(a, v)");
  }
  try {
    (void)run(solve(zeros({3, 3}, 2), ones({3}, 2)));
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("Singular matrix"), std::string::npos) << e.what();
  }
}

TEST_P(ArrayFactorizations, LstsqMatchesNumPy) {
  for (int rows : {5, 17}) {
    Array a = load("lstsq_a", ChunkSpec::per_axis({rows, 3}));  // two column blocks: rechunked to one
    auto r = lstsq(a, load("lstsq_b", 4));
    EXPECT_EQ(r.x.shape(), (Shape{4}));
    expect_close(doubles(run(r.x)), doubles(fixture("lstsq_x")), "x");
    expect_close(doubles(run(r.residuals)), doubles(fixture("lstsq_res")), "residuals");
    expect_close(doubles(run(r.s)), doubles(fixture("lstsq_s")), "s");
    EXPECT_EQ(values_of<std::int64_t>(run(r.rank)), std::vector<std::int64_t>{4});
    auto r2 = lstsq(a, load("lstsq_b2", ChunkSpec::per_axis({6, 1})));
    expect_close(doubles(run(r2.x)), doubles(fixture("lstsq_x2")), "x2");
    expect_close(doubles(run(r2.residuals)), doubles(fixture("lstsq_res2")), "residuals2");
  }
  // Rank-deficient: the minimum-norm solution, rank 1.
  auto r = lstsq(ones({4, 2}, 3), ones({4}, 3));
  EXPECT_EQ(values_of<std::int64_t>(run(r.rank)), std::vector<std::int64_t>{1});
  expect_close(doubles(run(r.x)), {0.5, 0.5}, "minimum norm");
}

TEST_P(ArrayFactorizations, NormMatchesNumPy) {
  const double inf = std::numeric_limits<double>::infinity();
  for (int c : {2, 100}) {
    Array x = load("norm_x", c);
    std::vector<double> mats;
    for (const NormOrd& o : std::vector<NormOrd>{NormOrd{}, "fro", "nuc", inf, -inf, 1, -1, 2, -2}) {
      Array n = norm(x, o);
      EXPECT_EQ(n.ndim(), 0u) << o.str();
      mats.push_back(doubles(run(n)).at(0));
    }
    expect_close(mats, doubles(fixture("norm_mat")), "matrix norms");
    Array v = load("norm_v", c);
    std::vector<double> vecs;
    for (const NormOrd& o : std::vector<NormOrd>{NormOrd{}, inf, -inf, 0, 1, 2, 3, 0.5})
      vecs.push_back(doubles(run(norm(v, o))).at(0));
    expect_close(vecs, doubles(fixture("norm_vec")), "vector norms");
    expect_close(doubles(run(norm(x, {}, std::vector<std::int64_t>{1}))), doubles(fixture("norm_axis1")), "axis 1");
    expect_close(doubles(run(norm(x, 1, std::vector<std::int64_t>{0}))), doubles(fixture("norm_ord1_axis0")), "ord 1 axis 0");
    Array t = load("norm_3", c);
    expect_close(doubles(run(norm(t, {}, std::vector<std::int64_t>{0, 2}))), doubles(fixture("norm_3_axes02")), "(0, 2)");
    expect_close(doubles(run(norm(t, inf, std::vector<std::int64_t>{2, 1}))), doubles(fixture("norm_3_inf_axes21")),
                 "inf (2, 1)");
    expect_close(doubles(run(norm(t))), doubles(fixture("norm_3_all")), "flattened");
    EXPECT_EQ(norm(t, {}, std::nullopt, true).shape(), (Shape{1, 1, 1}));
    EXPECT_EQ(norm(x, "fro", std::vector<std::int64_t>{0, 1}, true).shape(), (Shape{1, 1}));
    EXPECT_EQ(norm(t, 2, std::vector<std::int64_t>{1}, true).shape(), (Shape{3, 1, 5}));
  }
  // Integers become float64; an empty vector's norm is 0.
  EXPECT_EQ(values_of<double>(run(norm(arange(Value(-2), Value(3), Value(1), 2), 1))), std::vector<double>{6.0});
  EXPECT_EQ(values_of<double>(run(norm(zeros({0}, 1)))), std::vector<double>{0.0});
}

TEST(ArrayFactorizationErrors, AtGraphBuildTime) {
  const auto expect_error = [](auto f, const std::string& needle) {
    try {
      f();
      ADD_FAILURE() << "no ValueError; wanted: " << needle;
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  Array a = from_array(sample_f64({6, 4}), 2);
  expect_error([&] { (void)qr(a); }, "single block of columns");
  expect_error([&] { (void)svd(from_array(sample_f64({6}), 2)); }, "2-D");
  expect_error([&] { (void)cholesky(a); }, "square");
  expect_error([&] { (void)solve(a, ones({6}, 2)); }, "square");
  expect_error([&] { (void)solve(from_array(sample_f64({4, 4}), 2), ones({5}, 2)); }, "4 rows needed");
  expect_error([&] { (void)lstsq(a, ones({5}, 2)); }, "Incompatible dimensions");
  expect_error([&] { (void)tensordot(a, a, {0}, {1}); }, "shape-mismatch");
  expect_error([&] { (void)tensordot(a, a, {1, 1}, {0, 1}); }, "repeated axis");
  expect_error([&] { (void)tensordot(a, a, {2}, {0}); }, "out of bounds");
  expect_error([&] { (void)tensordot(a, a, 3); }, "does not fit");
  expect_error([&] { (void)norm(a, "nuc", std::vector<std::int64_t>{0}); }, "for vectors");
  expect_error([&] { (void)norm(a, 3, std::vector<std::int64_t>{0, 1}); }, "for matrices");
  expect_error([&] { (void)norm(a, {}, std::vector<std::int64_t>{1, -1}); }, "Duplicate axes");
  expect_error([&] { (void)norm(a, {}, std::vector<std::int64_t>{2}); }, "out of bounds");
  expect_error([&] { (void)norm(from_array(sample_f64({2, 2, 2}), 2), 1); }, "Improper number of dimensions");
  expect_error([&] { (void)NormOrd("max"); }, "Invalid norm order");
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayFactorizations, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing
