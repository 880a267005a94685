#pragma once
// Element-wise expressions fused when the graph is built, as dask's blockwise
// fusion: `(x + x.T) * 2` is one layer whose task per block evaluates the
// whole expression over the blocks of x it reads, instead of three layers of
// intermediate blocks. A transpose is free: a leaf is read through an axis
// permutation. Reductions of a fused array evaluate the expression tile by
// tile inside their chunk step, so the expression's blocks are never
// materialised (fused_kernels.hpp).
//
// Program: postfix instructions, each a list (a Value, so a task can carry it):
//   ["leaf", k]                  push leaf k's block (read through its axes)
//   ["unary", op]                UnaryOp on the top
//   ["binary", op]               BinaryOp on the two top entries
//   ["scalar", op, s, reflected] top op s (s op top when reflected)
//   ["astype", dtype]            the top converted
//   ["where"]                    where(c, x, y) of the three top entries
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collections/array/array.hpp"

namespace tessera::array {

/// An input of a fused expression: out[i] = array[j] with j[axes[k]] = i[k].
/// axes[k] = -1 broadcasts: output axis k reads no axis of the array. The
/// array's axes that no output axis reads have extent 1 (NumPy's stretched
/// axes), and are read at index 0.
struct FusedLeaf {
  Array array;
  std::vector<std::int64_t> axes;
};

struct FusedExpr {
  std::vector<FusedLeaf> leaves;
  ValueList program;
};

/// `a`'s expression, or a one-leaf expression reading `a` as it is.
FusedExpr expr_of(const Array& a);
/// Appends `b`'s program to `a`'s, sharing leaves that are the same array
/// read through the same axes.
FusedExpr merge_exprs(FusedExpr a, const FusedExpr& b);
/// The expression read through a transpose by `axes` (already validated).
FusedExpr transpose_expr(const FusedExpr& e, const std::vector<std::int64_t>& axes);
/// The expression of an array of `shape` broadcast to `out_ndim` axes where
/// `stretched[k]` marks the output axes (of the broadcast result) on which
/// the array has extent 1 but the result does not.
FusedExpr broadcast_expr(const FusedExpr& e, std::size_t ndim, std::size_t out_ndim, const std::vector<bool>& stretched);

/// The array whose blocks evaluate `e`; every leaf, read through its axes,
/// must have `shape` and `chunks`.
Array fused_array(std::string_view prefix, FusedExpr e, Shape shape, Chunks chunks, DType dtype);

/// True when `a`'s blocks are uniform random numbers that a fused task can
/// generate itself (counter-based: random_kernels.hpp), so reading `a` needs
/// neither its tasks nor its data.
bool is_generated(const Array& a);
/// True when `a` is read straight from a raw file (from_raw, from_npy): a
/// fused task copies the tiles it needs out of a mapping of the file.
bool is_file_backed(const Array& a);
/// Either of the above: a fused task reads `a` without its layer.
bool is_inlined(const Array& a);
/// Block `j` of an inlined array as a task argument (a LeafBlock's generator
/// or file block, fused_kernels.hpp); nullopt when `a` is not inlined.
std::optional<Value> inline_block(const Array& a, const std::vector<std::int64_t>& j);

/// The block key of leaf `leaf` read for output block `idx`.
Key leaf_block_key(const FusedLeaf& leaf, const std::vector<std::int64_t>& idx);
/// The program, the leaves' axes and a shape, as task arguments.
Value shape_value(const Shape& shape);
Value program_value(const FusedExpr& e);
Value leaf_axes_value(const FusedExpr& e);
/// The leaves' blocks for output block `idx`, as a list argument.
Arg leaf_blocks_arg(const FusedExpr& e, const std::vector<std::int64_t>& idx);
/// The layers of the leaves (a fused layer's dependencies).
std::vector<LayerPtr> leaf_layers(const FusedExpr& e);

/// When `a` is a plain array, or a plain array read through a transpose of
/// its two axes, the source array and whether it is transposed (what BLAS
/// can take without a copy); nullopt otherwise.
struct PlainOrTransposed {
  Array source;
  bool transposed;
};
std::optional<PlainOrTransposed> plain_or_transposed(const Array& a);

}  // namespace tessera::array
