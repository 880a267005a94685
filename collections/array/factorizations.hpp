#pragma once
// Cholesky, solve and least squares on chunked arrays, as
// dask.array.linalg's (LAPACK per block: lapack_kernels.hpp).
//
// cholesky is blocked (right-looking): with square blocks A_ik,
//   L_kk = chol(A_kk - sum_{j<k} L_kj L_kj^T)                  one task per diagonal block
//   L_ik = (A_ik - sum_{j<k} L_ij L_kj^T) L_kk^-T,  i > k      one task per block below it
// so each task holds a block row of L at most. solve factors A in one task
// (LU with partial pivoting, as numpy.linalg.solve: A is rechunked to one
// block), then solves one task per column block of b. lstsq goes through
// tsqr (tsqr.hpp): x = V S^+ U^T Q^T b from the small R = U S V^T.
// All throw ValueError at graph-build time for a matrix of the wrong shape;
// a matrix that is not positive definite (cholesky) or singular (solve)
// fails its task with NumPy's message.
#include "collections/array/array.hpp"

namespace tessera::array {

/// The Cholesky factor of a symmetric positive-definite matrix, as
/// dask.array.linalg.cholesky: upper (a = U^T U) unless `lower` (a = L L^T,
/// numpy.linalg.cholesky's). Only the lower triangle of `a` is read, as NumPy.
/// Throws ValueError unless `a` is 2-D and square.
Array cholesky(const Array& a, bool lower = false);

/// x with a @ x = b (numpy.linalg.solve): a (n, n), b (n,) or (n, k).
/// Throws ValueError unless a is square and b has n rows.
Array solve(const Array& a, const Array& b);

struct LstsqResult {
  Array x;          // (n,) or (n, k)
  Array residuals;  // (1,) or (k,): the squared 2-norm of b - a x per column (always, as dask's)
  Array rank;       // 0-d int64: the effective rank of a
  Array s;          // (min(m, n),): a's singular values
};

/// numpy.linalg.lstsq(a, b, rcond=None): a (m, n) with one block of
/// columns (others are rechunked to one), b (m,) or (m, k). The minimum-norm
/// solution when a is rank-deficient. Throws ValueError for mismatched shapes.
LstsqResult lstsq(const Array& a, const Array& b);

}  // namespace tessera::array
