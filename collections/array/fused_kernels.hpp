#pragma once
// Evaluating a fused element-wise program (fused_expr.hpp) on blocks. The
// output is produced in tiles of whole rows along axis 0 (about 32K
// elements), so every intermediate stays in cache; a reduction's chunk step
// folds the tiles as they come and the output block never exists.
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/registry/function.hpp"
#include "runtime/util/mapped_range.hpp"
#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

using AxesList = std::vector<std::vector<std::int64_t>>;

/// A leaf's block as a task receives it: the block itself; the generator of
/// a uniform random block (["array.uniform", seed, low, high, shape]), whose
/// tiles are made where they are read (random_kernels.hpp); or where the
/// block lies in a raw file (["array.file", path, dtype, offset, file_shape,
/// start, shape], read_raw's arguments), whose tiles are copied straight out
/// of a mapping of the file, so the block is never read whole.
struct LeafBlock {
  static constexpr const char* generator_tag = "array.uniform";
  static constexpr const char* file_tag = "array.file";
  enum class Source { block, generated, file };
  Source source = Source::block;
  NDArray array;  // a block
  Shape inline_shape;  // a generated or file block's shape
  // generated
  std::uint64_t seed = 0;
  double low = 0, high = 1;
  // file: the mapped bytes from the block's first element to its last, the
  // element type, and the file array's row-major element strides.
  std::shared_ptr<const MappedRange> map;
  DType dtype = DType::float64;
  std::vector<std::int64_t> strides;

  bool generated() const noexcept { return source == Source::generated; }
  const Shape& shape() const noexcept { return source == Source::block ? array.shape() : inline_shape; }
  /// Throws ValueError for anything else than a block, a generator or a
  /// file block; maps a file block's bytes (a ValueError names a file that
  /// is missing or too short).
  static LeafBlock of(const Value& v);
};
std::vector<LeafBlock> leaf_blocks(const ValueList& values);

/// Rows [r0, r1) along axis 0 of the output block of shape `out` that reads
/// `block` through `axes` (out[i] = block[j], j[axes[k]] = i[k]; axes[k] = -1
/// broadcasts along k; unread axes of `block` have extent 1), as a new
/// row-major array. Throws ValueError when `block` does not fit `out`.
NDArray permuted_rows(const NDArray& block, const std::vector<std::int64_t>& axes, const Shape& out,
                      std::int64_t r0, std::int64_t r1);

/// The whole output block (of `shape`) of `program` over `blocks`, each read
/// through its axes. Throws ValueError when a block does not fit or the
/// program is malformed.
NDArray eval_fused(const ValueList& program, const AxesList& axes, const ValueList& blocks, const Shape& shape);

/// chunk(output block, axis), computed as combine of chunk over row tiles
/// when `axis` is 0 or -1 (all), or on the whole block otherwise.
Value reduce_fused(const Function& chunk, const Function& combine, const ValueList& program,
                   const AxesList& axes, const ValueList& blocks, const Shape& shape, std::int64_t axis);

}  // namespace tessera::array::kernels
