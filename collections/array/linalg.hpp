#pragma once
// Linear algebra on chunked arrays, as dask.array's: each output block is one
// task that sums the block products along the shared axis through BLAS
// (blas_kernels.hpp). A transposed operand (x.T) is handed to BLAS as
// transposed: no block is copied.
#include "collections/array/array.hpp"

namespace tessera::array {

/// a @ b for 2-D arrays. Throws ValueError when the inner dimensions differ
/// or are chunked differently (rechunk one of them), or an operand is not 2-D.
Array matmul(const Array& a, const Array& b);

/// numpy.dot: matmul for 2-D arrays, the inner product (0-d) for 1-D ones.
Array dot(const Array& a, const Array& b);

}  // namespace tessera::array
