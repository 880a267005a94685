#pragma once
// tessera::array::Array — a chunked n-dimensional array, as dask.array: a grid
// of NDArray blocks, each the output of one task keyed ('name', i, j, ...).
// Every operation adds one graph layer and returns a new Array; nothing runs
// until compute().
//
//   auto x = array::arange(0.0, 10.0, 1.0, 4);   // blocks (4, 4, 2)
//   auto y = (x * 2 + 1).sum();                  // 0-d, a tree of partial sums
//   NDArray r = y.compute();                     // 100.0
//
// An Array is immutable and cheap to copy (its layer is shared); it may be
// used from several threads at once.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "collections/array/chunks.hpp"
#include "collections/array/kernels.hpp"
#include "collections/delayed/delayed.hpp"
#include "runtime/graph/high_level_graph.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/ndarray.hpp"

namespace tessera::array {

/// An index out of the bounds of its axis (NumPy's IndexError).
class IndexError : public ValueError {
 public:
  using ValueError::ValueError;
};

/// start:stop:step on one axis; empty ends mean the whole axis, as Python's.
struct Slice {
  std::optional<std::int64_t> start = std::nullopt;
  std::optional<std::int64_t> stop = std::nullopt;
  std::int64_t step = 1;
};
/// A new axis of extent 1 (numpy.newaxis).
struct NewAxis {};
/// As many whole axes as the other entries leave (Python's `...`).
struct Ellipsis {};
/// Integer positions along one axis, in any order, repeats allowed (negative
/// count from the end), as NumPy's x[:, [3, 0, 3]].
struct IndexArray {
  std::vector<std::int64_t> indices;
};
/// A boolean mask along one axis (its length is the axis'): the positions
/// where it is true, as NumPy's x[:, mask].
struct BoolMask {
  std::vector<bool> mask;
};
/// One entry of an index: an integer (the axis is dropped), a slice, a new
/// axis, an ellipsis, or (on one axis at most) an integer array or a mask.
using Index = std::variant<std::int64_t, Slice, NewAxis, Ellipsis, IndexArray, BoolMask>;

struct FusedExpr;  // fused_expr.hpp

/// Options of a reduction, as dask.array's keyword arguments.
struct ReduceOptions {
  std::optional<std::int64_t> axis = std::nullopt;  // none: every axis
  bool keepdims = false;
  std::size_t split_every = 8;       // fan-in of the tree reduction
  std::int64_t ddof = 0;             // var and std only
};

class Array {
 public:
  /// An array whose block ('name', i, ...) is a task of `layer` (or of its
  /// dependencies). Throws ValueError when chunks do not fit shape.
  Array(std::string name, LayerPtr layer, Shape shape, Chunks chunks, DType dtype,
        std::shared_ptr<const FusedExpr> expr = nullptr);

  const std::string& name() const noexcept { return name_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  HighLevelGraph graph() const { return HighLevelGraph({layer_}); }

  const Shape& shape() const noexcept { return shape_; }
  const Chunks& chunks() const noexcept { return chunks_; }
  std::vector<std::int64_t> numblocks() const { return array::numblocks(chunks_); }
  DType dtype() const noexcept { return dtype_; }
  std::size_t ndim() const noexcept { return shape_.size(); }
  std::int64_t size() const noexcept { return shape_size(shape_); }
  std::int64_t nbytes() const noexcept {
    return size() * static_cast<std::int64_t>(dtype_size(dtype_));
  }

  /// The key of block `index` (one entry per axis, none for a 0-d array).
  Key block_key(const std::vector<std::int64_t>& index) const { return Key(name_, index); }
  /// Every block key, row-major.
  std::vector<Key> keys() const;

  /// The element-wise expression the blocks evaluate, when the array is one
  /// (fused_expr.hpp); operations on it fuse into it instead of adding layers.
  const std::shared_ptr<const FusedExpr>& expr() const noexcept { return expr_; }

  /// Computes every block and assembles them into one row-major NDArray.
  NDArray compute(const ComputeOptions& options = {}) const;

  // Element-wise (elementwise.cpp).
  Array astype(DType dtype) const;
  Array operator-() const;

  // Reductions (reductions.cpp); each throws ValueError on a bad axis.
  Array sum(const ReduceOptions& o = {}) const;
  Array prod(const ReduceOptions& o = {}) const;
  Array min(const ReduceOptions& o = {}) const;
  Array max(const ReduceOptions& o = {}) const;
  Array any(const ReduceOptions& o = {}) const;
  Array all(const ReduceOptions& o = {}) const;
  Array mean(const ReduceOptions& o = {}) const;
  Array var(const ReduceOptions& o = {}) const;
  Array std(const ReduceOptions& o = {}) const;
  /// Running sum / product along an axis (scan.cpp); float32 and float64
  /// kept, integers and bool give int64, as NumPy.
  Array cumsum(std::int64_t axis) const;
  Array cumprod(std::int64_t axis) const;
  /// Indices of the minimum / maximum (int64): along an axis, or flat over
  /// the whole array; the first NaN wins and ties go to the first, as NumPy.
  Array argmin(const ReduceOptions& o = {}) const;
  Array argmax(const ReduceOptions& o = {}) const;
  /// Sums and means that skip NaNs (a mean of only NaNs is NaN, as NumPy's, without its warning).
  Array nansum(const ReduceOptions& o = {}) const;
  Array nanmean(const ReduceOptions& o = {}) const;

  /// The same array cut into other blocks (rechunk.cpp), as dask's rechunk:
  /// each new block is assembled from slices of the old blocks it overlaps,
  /// so a task holds at most one old block and one new block.
  Array rechunk(const ChunkSpec& chunks) const;

  // Transposes (transpose.cpp): axes reversed (T) or permuted as given
  // (negative axes count from the end); ValueError unless `axes` is a
  // permutation of the array's axes. Free: blocks are read transposed.
  Array transpose(const std::vector<std::int64_t>& axes = {}) const;
  Array T() const { return transpose(); }

  // Slicing (slicing.cpp): integers (negative count from the end) and slices
  // with any non-zero step, with Python's rules; missing trailing axes are
  // taken whole; newaxis, one ellipsis, and on one axis an integer array or a
  // boolean mask. Throws IndexError out of range, ValueError for step 0.
  Array getitem(const std::vector<Index>& index) const;
  Array operator[](const std::vector<Index>& index) const { return getitem(index); }

 private:
  std::string name_;
  LayerPtr layer_;
  Shape shape_;
  Chunks chunks_;
  DType dtype_;
  std::shared_ptr<const FusedExpr> expr_;

  Array basic_getitem(const std::vector<Index>& index) const;  // integers and slices only
};

/// `a op b` block by block. Shapes and chunks must be equal (ValueError
/// otherwise: rechunk is not implemented yet).
Array elementwise(kernels::BinaryOp op, const Array& a, const Array& b);
/// `a op s`, or `s op a` when `reflected`.
Array elementwise(kernels::BinaryOp op, const Array& a, const Value& s, bool reflected);
Array elementwise(kernels::UnaryOp op, const Array& a);

Array abs(const Array& a);
Array sqrt(const Array& a);
Array exp(const Array& a);
Array log(const Array& a);
Array sin(const Array& a);
Array cos(const Array& a);
Array tan(const Array& a);
Array isnan(const Array& a);        // bool; false for integers
Array logical_not(const Array& a);  // bool

/// numpy.where: x where c is true, else y, all broadcast together; the dtype
/// is NumPy's promotion of x's and y's (a scalar is a 0-d array of its own dtype).
Array where(const Array& c, const Array& x, const Array& y);
Array where(const Array& c, const Array& x, const Value& y);
Array where(const Array& c, const Value& x, const Array& y);
Array where(const Array& c, const Value& x, const Value& y);
/// numpy.clip with scalar bounds: minimum(maximum(a, lo), hi).
Array clip(const Array& a, const Value& lo, const Value& hi);

template <class S>
concept Scalar = std::is_arithmetic_v<S>;

#define TESSERA_ARRAY_BINARY(sym, op)                                                    \
  inline Array operator sym(const Array& a, const Array& b) {                            \
    return elementwise(kernels::BinaryOp::op, a, b);                                     \
  }                                                                                      \
  template <Scalar S>                                                                    \
  Array operator sym(const Array& a, S s) {                                              \
    return elementwise(kernels::BinaryOp::op, a, Value(s), false);                       \
  }                                                                                      \
  template <Scalar S>                                                                    \
  Array operator sym(S s, const Array& a) {                                              \
    return elementwise(kernels::BinaryOp::op, a, Value(s), true);                        \
  }
TESSERA_ARRAY_BINARY(+, add)
TESSERA_ARRAY_BINARY(-, sub)
TESSERA_ARRAY_BINARY(*, mul)
TESSERA_ARRAY_BINARY(/, div)
TESSERA_ARRAY_BINARY(<, lt)
TESSERA_ARRAY_BINARY(<=, le)
TESSERA_ARRAY_BINARY(>, gt)
TESSERA_ARRAY_BINARY(>=, ge)
TESSERA_ARRAY_BINARY(==, eq)
TESSERA_ARRAY_BINARY(!=, ne)
TESSERA_ARRAY_BINARY(%, mod)
#undef TESSERA_ARRAY_BINARY

/// The element-wise functions without a C++ operator, as NumPy's names
/// (floor_divide is Python's //, power is **).
#define TESSERA_ARRAY_FUNCTION(fn, op)                                                   \
  inline Array fn(const Array& a, const Array& b) { return elementwise(kernels::BinaryOp::op, a, b); } \
  template <Scalar S>                                                                    \
  Array fn(const Array& a, S s) {                                                        \
    return elementwise(kernels::BinaryOp::op, a, Value(s), false);                       \
  }                                                                                      \
  template <Scalar S>                                                                    \
  Array fn(S s, const Array& a) {                                                        \
    return elementwise(kernels::BinaryOp::op, a, Value(s), true);                        \
  }
TESSERA_ARRAY_FUNCTION(floor_divide, floordiv)
TESSERA_ARRAY_FUNCTION(mod, mod)
TESSERA_ARRAY_FUNCTION(power, pow)
TESSERA_ARRAY_FUNCTION(maximum, maximum)
TESSERA_ARRAY_FUNCTION(minimum, minimum)
TESSERA_ARRAY_FUNCTION(logical_and, logical_and)
TESSERA_ARRAY_FUNCTION(logical_or, logical_or)
TESSERA_ARRAY_FUNCTION(logical_xor, logical_xor)
#undef TESSERA_ARRAY_FUNCTION

/// The elements at `positions` along `axis` (numpy.take): one output block
/// per run of positions inside one source block. IndexError out of range.
Array take(const Array& a, const std::vector<std::int64_t>& positions, std::int64_t axis);

/// Normalises a possibly negative axis; throws ValueError naming the axis
/// and the number of dimensions when it is out of range.
std::int64_t normalize_axis(std::int64_t axis, std::size_t ndim);

}  // namespace tessera::array
