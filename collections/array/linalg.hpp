#pragma once
// Linear algebra on chunked arrays, as dask.array's: each output block is one
// task that sums the block products along the shared axis through BLAS
// (blas_kernels.hpp). A transposed operand (x.T) is handed to BLAS as
// transposed: no block is copied.
#include <optional>
#include <string>
#include <vector>

#include "collections/array/array.hpp"

namespace tessera::array {

/// a @ b for 2-D arrays. Throws ValueError when the inner dimensions differ
/// or are chunked differently (rechunk one of them), or an operand is not 2-D.
Array matmul(const Array& a, const Array& b);

/// numpy.dot: matmul for 2-D arrays, the inner product (0-d) for 1-D ones.
Array dot(const Array& a, const Array& b);

/// numpy.tensordot(a, b, axes=(a_axes, b_axes)): the sum over the paired
/// axes (negative count from the end); the result's axes are a's others
/// then b's others. The paired axes are rechunked to a common chunking; one
/// task per output block sums the block products through BLAS. Throws
/// ValueError when the lists differ in length, repeat an axis, name an axis
/// out of range, or pair axes of different extents.
Array tensordot(const Array& a, const Array& b, const std::vector<std::int64_t>& a_axes,
                const std::vector<std::int64_t>& b_axes);
/// numpy.tensordot(a, b, axes=n): a's last n axes with b's first n.
Array tensordot(const Array& a, const Array& b, std::int64_t axes = 2);

/// The `ord` of numpy.linalg.norm: none (the 2-norm of vectors, Frobenius of
/// matrices), a number (inf and -inf included), or "fro" / "nuc".
class NormOrd {
 public:
  enum class Kind : std::uint8_t { none, number, fro, nuc };
  NormOrd() = default;
  NormOrd(double p) : kind_(Kind::number), p_(p) {}  // NOLINT: implicit, as ord=2
  NormOrd(int p) : kind_(Kind::number), p_(p) {}     // NOLINT
  /// "fro" or "nuc"; ValueError otherwise.
  NormOrd(const char* name);  // NOLINT
  Kind kind() const noexcept { return kind_; }
  double p() const noexcept { return p_; }
  std::string str() const;

 private:
  Kind kind_ = Kind::none;
  double p_ = 0;
};

/// numpy.linalg.norm(x, ord, axis, keepdims). Vector norms along one axis
/// (ord none/2, 1, inf, -inf, 0, any p), matrix norms over two axes (ord
/// none/"fro", 1, -1, inf, -inf; 2, -2 and "nuc" through the singular
/// values, for 2-D arrays only). With no axis: the 2-norm of the flattened
/// array when ord is none, else a 1-D array's vector norm or a 2-D array's
/// matrix norm. Integers and bools are converted to float64. Throws ValueError
/// for a bad axis, an order that does not apply, or more than two axes.
Array norm(const Array& x, const NormOrd& ord = {}, const std::optional<std::vector<std::int64_t>>& axis = {},
           bool keepdims = false);

}  // namespace tessera::array
