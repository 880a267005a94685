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

enum class BinaryOp : std::uint8_t {
  add, sub, mul, div, lt, le, gt, ge, eq, ne,
  floordiv, mod, pow, maximum, minimum, logical_and, logical_or, logical_xor
};
constexpr int binary_op_count = 18;
enum class UnaryOp : std::uint8_t { neg, abs, sqrt, exp, log, sin, cos, tan, isnan, logical_not };
constexpr int unary_op_count = 10;
enum class ReduceOp : std::uint8_t { sum, prod, min, max, any, all };

std::string_view binary_name(BinaryOp op) noexcept;
std::string_view unary_name(UnaryOp op) noexcept;
std::string_view reduce_name(ReduceOp op) noexcept;

/// NumPy's promotion of two array dtypes (numpy.result_type): bool <
/// uint8 < int32 < int64, float32 < float64; float32 with int32 or int64 is float64.
DType result_type(DType a, DType b) noexcept;
/// NumPy's result dtype of `op` on operands of dtypes a and b (bool for
/// comparisons, a float for true division).
DType binary_result(BinaryOp op, DType a, DType b) noexcept;
/// Throws TypeError for the combinations NumPy refuses (bool - bool).
void check_binary(BinaryOp op, DType a, DType b);
/// True for the ops whose result is bool (comparisons and logical ops).
bool is_predicate(BinaryOp op) noexcept;
DType unary_result(UnaryOp op, DType a) noexcept;
DType reduce_result(ReduceOp op, DType a) noexcept;
/// The dtype of a scalar on its own (bool, int64, float64); TypeError otherwise.
DType scalar_dtype(const Value& scalar);
/// The dtype a scalar takes next to an array of dtype `array` (NumPy's
/// value-based casting): a float array keeps its dtype, an int that fits the
/// array's integer type takes it.
DType scalar_operand_dtype(DType array, const Value& scalar);

/// An array of `dtype` holding `a`'s elements converted (a itself when equal).
NDArray astype(const NDArray& a, DType dtype);
/// a op b, element-wise; equal shapes required.
NDArray binary(BinaryOp op, const NDArray& a, const NDArray& b);
/// a op s (or s op a when `reflected`), for a scalar s (bool, int64 or float64).
NDArray binary_scalar(BinaryOp op, const NDArray& a, const Value& s, bool reflected);
/// numpy.where(c, x, y) on equally shaped blocks; the dtype is result_type(x, y).
NDArray where(const NDArray& c, const NDArray& x, const NDArray& y);
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

/// The block's elements at local `positions` along `axis`.
NDArray take(const NDArray& a, const std::vector<std::int64_t>& positions, std::int64_t axis);

/// One block from a grid of pieces (row-major; `sizes[k]` lists the pieces'
/// extents along axis k): rechunk's merge step. Throws ValueError when a
/// piece does not have its grid cell's shape or the pieces differ in dtype.
NDArray assemble(const std::vector<NDArray>& pieces, const std::vector<std::vector<std::int64_t>>& sizes);

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
