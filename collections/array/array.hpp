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
/// One axis of an index: an integer (the axis is dropped) or a slice.
using Index = std::variant<std::int64_t, Slice>;

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
  Array(std::string name, LayerPtr layer, Shape shape, Chunks chunks, DType dtype);

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

  // Slicing (slicing.cpp): integers (negative count from the end) and slices
  // with any non-zero step, with Python's rules; missing trailing axes are
  // taken whole. Throws IndexError out of range, ValueError for step 0.
  Array getitem(const std::vector<Index>& index) const;
  Array operator[](const std::vector<Index>& index) const { return getitem(index); }

 private:
  std::string name_;
  LayerPtr layer_;
  Shape shape_;
  Chunks chunks_;
  DType dtype_;
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
#undef TESSERA_ARRAY_BINARY

/// Normalises a possibly negative axis; throws ValueError naming the axis
/// and the number of dimensions when it is out of range.
std::int64_t normalize_axis(std::int64_t axis, std::size_t ndim);

}  // namespace tessera::array
