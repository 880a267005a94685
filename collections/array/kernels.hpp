#pragma once
// Block kernels: the NDArray -> NDArray work that array tasks do, as plain
// functions (array_functions.cpp registers them by name). Each is a tight
// loop over contiguous row-major buffers; nothing is boxed per element.
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

enum class BinaryOp : std::uint8_t { add, sub, mul, div, lt, le, gt, ge, eq, ne };
enum class UnaryOp : std::uint8_t { neg, abs, sqrt, exp };
enum class ReduceOp : std::uint8_t { sum, prod, min, max, any, all };

std::string_view binary_name(BinaryOp op) noexcept;
std::string_view unary_name(UnaryOp op) noexcept;
std::string_view reduce_name(ReduceOp op) noexcept;

/// NumPy's result dtype of `op` on operands of dtypes a and b (bool for
/// comparisons, float64 for true division).
DType binary_result(BinaryOp op, DType a, DType b) noexcept;
/// Throws TypeError for the combinations NumPy refuses (bool - bool).
void check_binary(BinaryOp op, DType a, DType b);
DType unary_result(UnaryOp op, DType a) noexcept;
DType reduce_result(ReduceOp op, DType a) noexcept;
/// The dtype NumPy gives a Python scalar next to an array of dtype `array`.
DType scalar_dtype(const Value& scalar);

/// An array of `dtype` holding `a`'s elements converted (a itself when equal).
NDArray astype(const NDArray& a, DType dtype);
/// a op b, element-wise; equal shapes required.
NDArray binary(BinaryOp op, const NDArray& a, const NDArray& b);
/// a op s (or s op a when `reflected`), for a scalar s (bool, int64 or float64).
NDArray binary_scalar(BinaryOp op, const NDArray& a, const Value& s, bool reflected);
NDArray unary(UnaryOp op, const NDArray& a);

/// A block filled with `fill` converted to `dtype`.
NDArray full(const Shape& shape, const Value& fill, DType dtype);
/// n values start + (offset + i) * step, i < n, of `dtype` (int64 or float64).
NDArray arange(const Value& start, const Value& step, std::int64_t offset, std::int64_t n, DType dtype);
/// NumPy's linspace values offset .. offset + n - 1 of a `num`-point linspace.
NDArray linspace(double start, double stop, std::int64_t num, bool endpoint, std::int64_t offset,
                 std::int64_t n);

/// The sub-array a[start[k] : stop[k] : step[k]] on each axis (a negative
/// step walks down from start; stop -1 then means "through index 0"),
/// dropping the axes whose `keep` is false (they must select one element).
NDArray getitem(const NDArray& a, const std::vector<std::int64_t>& start,
                const std::vector<std::int64_t>& stop, const std::vector<std::int64_t>& step,
                const std::vector<bool>& keep);
/// The same array with another shape of equal size (shares the buffer).
NDArray reshape(const NDArray& a, Shape shape);
/// Copies `block` into the row-major buffer `out` of shape `out_shape` (same
/// dtype and rank) at `origin`; `out` is being filled, not yet shared.
void place_block(std::byte* out, const Shape& out_shape, const NDArray& block,
                 const std::vector<std::int64_t>& origin);

/// A block reduced along `axis` (-1: all axes), reduced axes kept with extent 1.
NDArray reduce(ReduceOp op, const NDArray& a, std::int64_t axis);
/// Element-wise combination of equally shaped partials.
NDArray combine(ReduceOp op, const std::vector<NDArray>& partials);

/// Moments of a block along `axis` (-1: all): [count, sum] for mean,
/// [count, mean, M2] for var/std, arrays with the reduced axes kept as 1.
ValueList mean_chunk(const NDArray& a, std::int64_t axis);
ValueList mean_combine(const ValueList& partials);
NDArray mean_finalize(const ValueList& partial, const Shape& shape);
ValueList moment_chunk(const NDArray& a, std::int64_t axis);
/// Chan et al.'s pairwise update of (count, mean, M2).
ValueList moment_combine(const ValueList& partials);
NDArray var_finalize(const ValueList& partial, const Shape& shape, std::int64_t ddof, bool sqrt);

}  // namespace tessera::array::kernels
