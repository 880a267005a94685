#include "collections/array/lapack_kernels.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "collections/array/blas_kernels.hpp"
#include "collections/array/kernels.hpp"
#include "runtime/util/error.hpp"

// LAPACK's Fortran entry points (OpenBLAS exports them; there is no LAPACKE
// header in the build's dependencies). Trailing string lengths as gfortran passes them.
extern "C" {
void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work, const int* lwork,
             int* info);
void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda, const double* tau, double* work,
             const int* lwork, int* info);
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
             const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* iwork, int* info,
             std::size_t jobz_len);
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t uplo_len);
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetrs_(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda, const int* ipiv,
             double* b, const int* ldb, int* info, std::size_t trans_len);
}

namespace tessera::array::kernels {
namespace {

std::pair<std::int64_t, std::int64_t> dims2(const NDArray& a, const char* what) {
  if (a.ndim() != 2)
    throw ValueError(std::string(what) + ": " + std::to_string(a.ndim()) +
                     "-dimensional array given. Array must be two-dimensional");
  return {a.shape()[0], a.shape()[1]};
}

int as_int(std::int64_t v) {
  if (v > std::numeric_limits<int>::max()) throw ValueError("array linalg: extent " + std::to_string(v) + " is too large for LAPACK");
  return static_cast<int>(v);
}

/// A 2-D block as a column-major float64 copy.
std::vector<double> col_major(const NDArray& a) {
  ensure_blas_default();  // LAPACK runs on OpenBLAS's threads too
  const auto [r, c] = dims2(a, "array linalg");
  const NDArray f = astype(a, DType::float64);
  const auto v = f.values<double>();
  std::vector<double> out(static_cast<std::size_t>(r * c));
  for (std::int64_t i = 0; i < r; ++i)
    for (std::int64_t j = 0; j < c; ++j) out[static_cast<std::size_t>(j * r + i)] = v[static_cast<std::size_t>(i * c + j)];
  return out;
}

/// Rows x cols of a column-major matrix with leading dimension ld, as a row-major block.
NDArray row_major(const double* m, std::int64_t rows, std::int64_t cols, std::int64_t ld) {
  auto buf = make_buffer(static_cast<std::size_t>(rows * cols) * sizeof(double));
  auto* out = buf->mutable_as<double>().data();
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) out[i * cols + j] = m[j * ld + i];
  return NDArray(DType::float64, {rows, cols}, std::move(buf));
}

NDArray f64_copy(const NDArray& a) {
  const NDArray f = astype(a, DType::float64);
  auto buf = make_buffer(f.nbytes());
  if (f.nbytes()) std::memcpy(buf->mutable_data(), f.buffer()->data(), f.nbytes());
  return NDArray(DType::float64, f.shape(), std::move(buf));
}

double* data_of(NDArray& a) { return const_cast<double*>(a.values<double>().data()); }  // a fresh, unshared copy

}  // namespace

ValueList qr_block(const NDArray& a) {
  const auto [r, n] = dims2(a, "qr");
  const std::int64_t k = std::min(r, n);
  if (k == 0) return {Value(NDArray::zeros(DType::float64, {r, 0})), Value(NDArray::zeros(DType::float64, {0, n}))};
  std::vector<double> m = col_major(a), tau(static_cast<std::size_t>(k));
  const int ir = as_int(r), in = as_int(n), ik = as_int(k);
  int info = 0, lwork = -1;
  double query = 0;
  dgeqrf_(&ir, &in, m.data(), &ir, tau.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<double> work(static_cast<std::size_t>(lwork));
  dgeqrf_(&ir, &in, m.data(), &ir, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw ValueError("qr: LAPACK dgeqrf failed (info " + std::to_string(info) + ")");
  auto rbuf = make_buffer(static_cast<std::size_t>(k * n) * sizeof(double));
  auto* rr = rbuf->mutable_as<double>().data();
  for (std::int64_t i = 0; i < k; ++i)
    for (std::int64_t j = 0; j < n; ++j) rr[i * n + j] = j >= i ? m[static_cast<std::size_t>(j * r + i)] : 0.0;
  lwork = -1;
  dorgqr_(&ir, &ik, &ik, m.data(), &ir, tau.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  work.resize(static_cast<std::size_t>(lwork));
  dorgqr_(&ir, &ik, &ik, m.data(), &ir, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw ValueError("qr: LAPACK dorgqr failed (info " + std::to_string(info) + ")");
  return {Value(row_major(m.data(), r, k, r)), Value(NDArray(DType::float64, {k, n}, std::move(rbuf)))};
}

ValueList tsqr_stack(const std::vector<ValueList>& pairs) {
  if (pairs.empty()) throw ValueError("tsqr: no row blocks");
  std::int64_t rows = 0, n = -1;
  for (const auto& p : pairs) {
    if (p.size() != 2) throw ValueError("tsqr: a row block's result is not a [Q, R] pair");
    const auto [k, c] = dims2(p[1].as_ndarray(), "tsqr");
    if (n >= 0 && c != n) throw ValueError("tsqr: row blocks' R factors differ in columns");
    n = c;
    rows += k;
  }
  auto buf = make_buffer(static_cast<std::size_t>(rows * n) * sizeof(double));
  std::byte* at = buf->mutable_data();
  for (const auto& p : pairs) {
    const NDArray& r = p[1].as_ndarray();
    if (r.nbytes()) std::memcpy(at, r.buffer()->data(), r.nbytes());
    at += r.nbytes();
  }
  return qr_block(NDArray(DType::float64, {rows, n}, std::move(buf)));
}

NDArray tsqr_q(const ValueList& pair, const ValueList& stack, std::int64_t offset) {
  const NDArray& q = pair.at(0).as_ndarray();
  const NDArray& q2 = stack.at(0).as_ndarray();
  const auto [r, ki] = dims2(q, "tsqr");
  const auto [rows2, k] = dims2(q2, "tsqr");
  if (offset < 0 || offset + ki > rows2) throw ValueError("tsqr: row block's piece of Q2 is out of range");
  auto buf = make_buffer(static_cast<std::size_t>(r * k) * sizeof(double));
  if (r * k == 0) return NDArray(DType::float64, {r, k}, std::move(buf));
  if (ki == 0) {
    std::memset(buf->mutable_data(), 0, buf->size());
    return NDArray(DType::float64, {r, k}, std::move(buf));
  }
  ensure_blas_default();
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, as_int(r), as_int(k), as_int(ki), 1.0, q.values<double>().data(),
              as_int(ki), q2.values<double>().data() + offset * k, as_int(k), 0.0, buf->mutable_as<double>().data(),
              as_int(k));
  return NDArray(DType::float64, {r, k}, std::move(buf));
}

Value list_item(const ValueList& list, std::int64_t i) {
  if (i < 0 || i >= static_cast<std::int64_t>(list.size()))
    throw ValueError("array.list_item: index " + std::to_string(i) + " of a list of " + std::to_string(list.size()));
  return list[static_cast<std::size_t>(i)];
}

ValueList svd_block(const NDArray& a) {
  const auto [m, n] = dims2(a, "svd");
  const std::int64_t k = std::min(m, n);
  if (k == 0)
    return {Value(NDArray::zeros(DType::float64, {m, 0})), Value(NDArray::zeros(DType::float64, {0})),
            Value(NDArray::zeros(DType::float64, {0, n}))};
  std::vector<double> x = col_major(a), s(static_cast<std::size_t>(k)), u(static_cast<std::size_t>(m * k)),
      vt(static_cast<std::size_t>(k * n));
  std::vector<int> iwork(static_cast<std::size_t>(8 * k));
  const int im = as_int(m), in = as_int(n), ik = as_int(k);
  int info = 0, lwork = -1;
  double query = 0;
  const char jobz = 'S';
  dgesdd_(&jobz, &im, &in, x.data(), &im, s.data(), u.data(), &im, vt.data(), &ik, &query, &lwork, iwork.data(), &info, 1);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<double> work(static_cast<std::size_t>(lwork));
  dgesdd_(&jobz, &im, &in, x.data(), &im, s.data(), u.data(), &im, vt.data(), &ik, work.data(), &lwork, iwork.data(),
          &info, 1);
  if (info > 0) throw ValueError("svd: SVD did not converge");
  if (info < 0) throw ValueError("svd: LAPACK dgesdd failed (info " + std::to_string(info) + ")");
  return {Value(row_major(u.data(), m, k, m)), Value(NDArray::from_vector(s)), Value(row_major(vt.data(), k, n, k))};
}

NDArray cholesky_diag(const NDArray& a_kk, const std::vector<NDArray>& l_kj) {
  const auto [n, c] = dims2(a_kk, "cholesky");
  if (n != c) throw ValueError("cholesky: diagonal block is not square");
  NDArray b = f64_copy(a_kk);
  if (n == 0) return b;
  double* bd = data_of(b);
  ensure_blas_default();
  for (const auto& l : l_kj) {
    const NDArray lf = astype(l, DType::float64);
    const auto p = lf.shape()[1];
    if (p == 0) continue;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, as_int(n), as_int(n), as_int(p), -1.0,
                lf.values<double>().data(), as_int(p), lf.values<double>().data(), as_int(p), 1.0, bd, as_int(n));
  }
  // Row-major lower triangle = the column-major view's upper one: dpotrf('U') of the view is L L^T.
  const int in = as_int(n);
  int info = 0;
  const char uplo = 'U';
  dpotrf_(&uplo, &in, bd, &in, &info, 1);
  if (info > 0) throw ValueError("cholesky: Matrix is not positive definite");
  if (info < 0) throw ValueError("cholesky: LAPACK dpotrf failed (info " + std::to_string(info) + ")");
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i + 1; j < n; ++j) bd[i * n + j] = 0.0;
  return b;
}

NDArray cholesky_offdiag(const NDArray& a_ik, const std::vector<NDArray>& l_ij, const std::vector<NDArray>& l_kj,
                         const NDArray& l_kk) {
  const auto [m, n] = dims2(a_ik, "cholesky");
  if (l_ij.size() != l_kj.size()) throw ValueError("cholesky: unequal block lists");
  NDArray b = f64_copy(a_ik);
  if (m == 0 || n == 0) return b;
  double* bd = data_of(b);
  ensure_blas_default();
  for (std::size_t j = 0; j < l_ij.size(); ++j) {
    const NDArray x = astype(l_ij[j], DType::float64), y = astype(l_kj[j], DType::float64);
    const auto p = x.shape()[1];
    if (p == 0) continue;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, as_int(m), as_int(n), as_int(p), -1.0, x.values<double>().data(),
                as_int(p), y.values<double>().data(), as_int(p), 1.0, bd, as_int(n));
  }
  const NDArray l = astype(l_kk, DType::float64);
  cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, as_int(m), as_int(n), 1.0,
              l.values<double>().data(), as_int(n), bd, as_int(n));
  return b;
}

ValueList lu_factor(const NDArray& a) {
  const auto [n, c] = dims2(a, "solve");
  if (n != c) throw ValueError("solve: Last 2 dimensions of the array must be square");
  std::vector<double> m = col_major(a);
  auto piv = make_buffer(static_cast<std::size_t>(n) * sizeof(std::int32_t));
  if (n > 0) {
    const int in = as_int(n);
    int info = 0;
    dgetrf_(&in, &in, m.data(), &in, reinterpret_cast<int*>(piv->mutable_data()), &info);
    if (info > 0) throw ValueError("solve: Singular matrix");
    if (info < 0) throw ValueError("solve: LAPACK dgetrf failed (info " + std::to_string(info) + ")");
  }
  auto lu = make_buffer(m.size() * sizeof(double));
  if (!m.empty()) std::memcpy(lu->mutable_data(), m.data(), lu->size());
  return {Value(NDArray(DType::float64, {n, n}, std::move(lu))), Value(NDArray(DType::int32, {n}, std::move(piv)))};
}

NDArray lu_solve(const ValueList& lu, const NDArray& b) {
  const NDArray& f = lu.at(0).as_ndarray();
  const NDArray& piv = lu.at(1).as_ndarray();
  const std::int64_t n = f.shape()[0];
  if (b.ndim() < 1 || b.ndim() > 2 || b.shape()[0] != n) throw ValueError("solve: right-hand side block does not match");
  const bool vec = b.ndim() == 1;
  const std::int64_t c = vec ? 1 : b.shape()[1];
  std::vector<double> x = col_major(reshape(b, {n, c}));
  if (n > 0 && c > 0) {
    const int in = as_int(n), ic = as_int(c);
    int info = 0;
    const char trans = 'N';
    dgetrs_(&trans, &in, &ic, f.values<double>().data(), &in, piv.values<std::int32_t>().data(), x.data(), &in, &info, 1);
    if (info != 0) throw ValueError("solve: LAPACK dgetrs failed (info " + std::to_string(info) + ")");
  }
  NDArray out = row_major(x.data(), n, c, n);
  return vec ? reshape(out, {n}) : out;
}

ValueList lstsq_small(const NDArray& r, const NDArray& qtb, std::int64_t m) {
  const ValueList usv = svd_block(r);
  const NDArray& u = usv[0].as_ndarray();
  const NDArray& s = usv[1].as_ndarray();
  const NDArray& vt = usv[2].as_ndarray();
  const auto [k, n] = dims2(r, "lstsq");
  const auto [kb, c] = dims2(qtb, "lstsq");
  if (kb != k) throw ValueError("lstsq: Q^T b has " + std::to_string(kb) + " rows, R has " + std::to_string(k));
  const std::int64_t kk = s.shape()[0];
  const auto sv = s.values<double>(), uv = u.values<double>(), vv = vt.values<double>();
  const NDArray b = astype(qtb, DType::float64);
  const auto bv = b.values<double>();
  const double smax = kk > 0 ? *std::max_element(sv.begin(), sv.end()) : 0.0;
  const double cutoff = std::numeric_limits<double>::epsilon() * static_cast<double>(std::max(m, n)) * smax;
  std::int64_t rank = 0;
  std::vector<double> t(static_cast<std::size_t>(kk * c), 0.0);  // diag(1/s) U^T b
  for (std::int64_t i = 0; i < kk; ++i) {
    if (!(sv[static_cast<std::size_t>(i)] > cutoff)) continue;
    ++rank;
    for (std::int64_t p = 0; p < k; ++p) {
      const double w = uv[static_cast<std::size_t>(p * kk + i)];
      for (std::int64_t j = 0; j < c; ++j) t[static_cast<std::size_t>(i * c + j)] += w * bv[static_cast<std::size_t>(p * c + j)];
    }
    for (std::int64_t j = 0; j < c; ++j) t[static_cast<std::size_t>(i * c + j)] /= sv[static_cast<std::size_t>(i)];
  }
  auto xb = make_buffer(static_cast<std::size_t>(n * c) * sizeof(double));
  auto* x = xb->mutable_as<double>().data();
  std::fill(x, x + n * c, 0.0);
  for (std::int64_t i = 0; i < kk; ++i)
    for (std::int64_t a = 0; a < n; ++a) {
      const double w = vv[static_cast<std::size_t>(i * n + a)];
      for (std::int64_t j = 0; j < c; ++j) x[a * c + j] += w * t[static_cast<std::size_t>(i * c + j)];
    }
  auto rb = make_buffer(sizeof(std::int64_t));
  rb->mutable_as<std::int64_t>()[0] = rank;
  return {Value(NDArray(DType::float64, {n, c}, std::move(xb))), Value(NDArray(DType::int64, {}, std::move(rb))), usv[1]};
}

NDArray permute(const NDArray& a, const std::vector<std::int64_t>& axes) {
  const std::size_t nd = a.ndim();
  if (axes.size() != nd) throw ValueError("array.permute: " + std::to_string(axes.size()) + " axes for " + std::to_string(nd));
  bool identity = true;
  for (std::size_t k = 0; k < nd; ++k) identity = identity && axes[k] == static_cast<std::int64_t>(k);
  if (identity) return a;
  Shape shape;
  std::vector<std::int64_t> stride(nd, 1), ostride;  // a's strides, read in output order
  for (std::size_t k = nd; k-- > 1;) stride[k - 1] = stride[k] * a.shape()[k];
  for (auto ax : axes) {
    shape.push_back(a.shape()[static_cast<std::size_t>(ax)]);
    ostride.push_back(stride[static_cast<std::size_t>(ax)]);
  }
  const std::size_t e = dtype_size(a.dtype());
  auto buf = make_buffer(a.nbytes());
  if (a.size() == 0) return NDArray(a.dtype(), shape, std::move(buf));
  const std::byte* src = a.buffer()->data();
  std::byte* dst = buf->mutable_data();
  std::vector<std::int64_t> idx(nd, 0);
  std::int64_t off = 0;
  for (std::int64_t i = 0, total = a.size(); i < total; ++i) {
    std::memcpy(dst + static_cast<std::size_t>(i) * e, src + static_cast<std::size_t>(off) * e, e);
    for (std::size_t k = nd; k-- > 0;) {
      off += ostride[k];
      if (++idx[k] < shape[k]) break;
      off -= ostride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return NDArray(a.dtype(), std::move(shape), std::move(buf));
}

NDArray tensordot_blocks(const std::vector<NDArray>& a, const std::vector<NDArray>& b,
                         const std::vector<std::int64_t>& a_axes, const std::vector<std::int64_t>& b_axes) {
  if (a.empty() || a.size() != b.size()) throw ValueError("array.tensordot: unequal block lists");
  Shape out_shape;
  std::vector<NDArray> a2, b2;
  for (std::size_t p = 0; p < a.size(); ++p) {
    std::vector<std::int64_t> pa, pb;
    std::int64_t m = 1, k = 1, n = 1;
    Shape free_a, free_b;
    for (std::size_t ax = 0; ax < a[p].ndim(); ++ax)
      if (std::find(a_axes.begin(), a_axes.end(), static_cast<std::int64_t>(ax)) == a_axes.end()) {
        pa.push_back(static_cast<std::int64_t>(ax));
        free_a.push_back(a[p].shape()[ax]);
        m *= a[p].shape()[ax];
      }
    for (auto ax : a_axes) {
      pa.push_back(ax);
      k *= a[p].shape()[static_cast<std::size_t>(ax)];
    }
    pb = b_axes;
    std::int64_t kb = 1;
    for (auto ax : b_axes) kb *= b[p].shape()[static_cast<std::size_t>(ax)];
    for (std::size_t ax = 0; ax < b[p].ndim(); ++ax)
      if (std::find(b_axes.begin(), b_axes.end(), static_cast<std::int64_t>(ax)) == b_axes.end()) {
        pb.push_back(static_cast<std::int64_t>(ax));
        free_b.push_back(b[p].shape()[ax]);
        n *= b[p].shape()[ax];
      }
    a2.push_back(reshape(permute(a[p], pa), {m, k}));
    b2.push_back(reshape(permute(b[p], pb), {kb, n}));
    if (p == 0) {
      out_shape = free_a;
      out_shape.insert(out_shape.end(), free_b.begin(), free_b.end());
    }
  }
  return reshape(matmul_blocks(a2, b2, false, false), out_shape);
}

}  // namespace tessera::array::kernels
