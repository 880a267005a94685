#pragma once
// Dense block factorizations through LAPACK (the LAPACK that OpenBLAS bundles:
// dgeqrf/dorgqr, dgesdd, dpotrf, dgetrf/dgetrs) and the block steps of the
// chunked algorithms built on them (tsqr.hpp, factorizations.hpp). Blocks are
// row-major float64 (other dtypes are converted); LAPACK sees column-major
// copies. Every kernel is a plain function of its blocks, registered by name
// in array_functions.cpp. Failures (a matrix that is not positive definite, a
// singular one) throw ValueError with NumPy's LinAlgError wording.
#include <cstdint>
#include <vector>

#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

/// Economic QR of an (r, n) block: [Q (r, k), R (k, n)], k = min(r, n).
ValueList qr_block(const NDArray& a);
/// tsqr's second stage: the R's of the row blocks ([Q_i, R_i] pairs) stacked
/// and factored again: [Q2 (sum k_i, k), R (k, n)].
ValueList tsqr_stack(const std::vector<ValueList>& pairs);
/// tsqr's last stage for row block i: Q_i @ Q2[offset : offset + k_i].
NDArray tsqr_q(const ValueList& pair, const ValueList& stack, std::int64_t offset);
/// Item `i` of a list value (picks one result of a task returning several).
Value list_item(const ValueList& list, std::int64_t i);
/// SVD of a small block as numpy.linalg.svd(full_matrices=False): [U, S, Vt].
ValueList svd_block(const NDArray& a);

/// Blocked Cholesky (lower): the diagonal block L_kk of
/// A_kk - sum_j L_kj L_kj^T. Throws ValueError when not positive definite.
NDArray cholesky_diag(const NDArray& a_kk, const std::vector<NDArray>& l_kj);
/// The block L_ik = (A_ik - sum_j L_ij L_kj^T) L_kk^-T below the diagonal.
NDArray cholesky_offdiag(const NDArray& a_ik, const std::vector<NDArray>& l_ij,
                         const std::vector<NDArray>& l_kj, const NDArray& l_kk);

/// LU factors of a square block with partial pivoting: [LU (column-major), pivots (int32)].
/// Throws ValueError("Singular matrix") when a pivot is zero.
ValueList lu_factor(const NDArray& a);
/// X with A X = B from lu_factor's result; B is (n,) or (n, c).
NDArray lu_solve(const ValueList& lu, const NDArray& b);

/// Least squares from tsqr's R and Q^T b (n, c) through the SVD of R, as
/// numpy.linalg.lstsq (minimum-norm when rank-deficient; rcond = eps * max(m, n)):
/// [x (n, c), rank (0-d int64), singular values (k,)].
ValueList lstsq_small(const NDArray& r, const NDArray& qtb, std::int64_t m);

/// The block with its axes permuted (out axis i is a's axis axes[i]).
NDArray permute(const NDArray& a, const std::vector<std::int64_t>& axes);
/// tensordot's block product: sum over p of a[p] . b[p] contracting a's
/// `a_axes` with b's `b_axes` (one BLAS product per pair, as matmul_blocks).
NDArray tensordot_blocks(const std::vector<NDArray>& a, const std::vector<NDArray>& b,
                         const std::vector<std::int64_t>& a_axes, const std::vector<std::int64_t>& b_axes);

}  // namespace tessera::array::kernels
