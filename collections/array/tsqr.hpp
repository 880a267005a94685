#pragma once
// QR and SVD of tall-and-skinny arrays by tsqr (Demmel et al.; as
// dask.array.linalg.tsqr). The array must be 2-D with one block of columns:
//
//   A = [A_0; A_1; ...]          one task per row block: A_i = Q_i R_i
//   [R_0; R_1; ...] = Q2 R       one task: the stacked R's factored again
//   Q = [Q_0 Q2_0; Q_1 Q2_1; ...] one task per row block (Q2_i: Q2's rows of block i)
//
// so no task holds more than one row block and the small (sum k_i, n) stack.
// svd adds one small task: R = U_r S Vt, then U = Q @ U_r.
// Results are float64 (float32 for float32 input), with NumPy's reduced shapes:
// Q (m, k), R (k, n), U (m, k), S (k,), Vt (k, n), k = min(m, n). Signs of
// the columns of Q (and U, V) follow LAPACK's per-block choices, so they may
// differ from numpy.linalg's; Q R and U S Vt do not.
#include "collections/array/array.hpp"

namespace tessera::array {

struct QRResult {
  Array q, r;
};

struct SVDResult {
  Array u, s, vt;  // as numpy.linalg.svd(a, full_matrices=False): a = u @ diag(s) @ vt
};

/// Q and R of `a` (m, n) by tsqr. Throws ValueError at graph-build time
/// unless `a` is 2-D with a single block of columns (rechunk it with
/// ChunkSpec::per_axis({rows, -1}) first).
QRResult tsqr(const Array& a);
/// numpy.linalg.qr(a) (mode "reduced") for a tall-and-skinny array: tsqr.
QRResult qr(const Array& a);
/// numpy.linalg.svd(a, full_matrices=False) for a tall-and-skinny array.
SVDResult svd(const Array& a);

}  // namespace tessera::array
