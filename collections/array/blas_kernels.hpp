#pragma once
// Block products through OpenBLAS (cblas_dgemm / cblas_sgemm).
//
// A task's product runs with one BLAS thread: the scheduler's threads already
// run one block product each, and OpenBLAS threads on top would oversubscribe
// the cores. set_blas_threads() changes that process-wide (the bench's
// openblas-direct engine uses every core, then restores one).
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::array::kernels {

/// Sum over k of op(a[k]) @ op(b[k]), op = transpose when trans_* is set.
/// float64 (or mixed) operands give float64 through dgemm, two float32 give
/// float32 through sgemm, integers int64 and two bools bool (NumPy's types).
/// Throws ValueError when the lists are empty, differ in length, or the
/// inner dimensions do not match.
NDArray matmul_blocks(const std::vector<NDArray>& a, const std::vector<NDArray>& b, bool trans_a, bool trans_b);

/// NumPy's result dtype of a @ b.
DType matmul_result(DType a, DType b) noexcept;

void set_blas_threads(int n);
/// Sets the one-thread default on first use (what every BLAS/LAPACK kernel calls before its work).
void ensure_blas_default();
int blas_threads();

}  // namespace tessera::array::kernels
