#pragma once
// map_blocks and blockwise, as dask.array's: a registered function applied
// block by block, one task per output block.
//
//   NDArray smooth(const NDArray& block, double w);   // a C++ function
//   TESSERA_FUNCTION(smooth);                         // registered: any worker can run it
//   auto y = array::map_blocks(&smooth, {x}, {.args = {Value(0.5)}});
//
// The function receives the blocks (NDArrays) first, then `args`, then the
// block index (a list of int64) when `block_id` is set. Its result must be a
// block of the output's chunks and dtype: compute() checks every block.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collections/array/array.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera::array {

/// The function a block task calls: a registered name, a C++ function
/// registered with TESSERA_FUNCTION (found by its address), or a FunctionPtr
/// (an unregistered one only runs on in-process schedulers). ValueError at
/// construction for an unknown name or an unregistered address.
class BlockFunction {
 public:
  BlockFunction(const std::string& name);  // NOLINT: implicit, as map_blocks("my.fn", ...)
  BlockFunction(const char* name) : BlockFunction(std::string(name)) {}  // NOLINT
  BlockFunction(FunctionPtr fn);  // NOLINT
  template <class R, class... A>
  BlockFunction(R (*fn)(A...)) : BlockFunction(by_address(reinterpret_cast<const void*>(fn))) {}  // NOLINT
  const FunctionPtr& get() const noexcept { return fn_; }

 private:
  static FunctionPtr by_address(const void* address);
  FunctionPtr fn_;
};

struct MapBlocksOptions {
  std::optional<DType> dtype{};  // default: the first array's
  /// The output's chunks, when the function changes block shapes: per axis
  /// every block size, or one size that every block of the axis has (dask's chunks=(2, ...)).
  std::optional<Chunks> chunks{};
  std::vector<std::int64_t> drop_axis{};  // input axes the function removes (their blocks are concatenated)
  std::vector<std::int64_t> new_axis{}; // output axes the function adds (blocks of 1 unless chunks say)
  ValueList args{};                      // literal arguments after the blocks
  bool block_id = false;                 // pass the block index as the last argument
  std::string name{};                    // key prefix; default the function's name
};

/// fn applied to each block of `arrays` (dask.array.map_blocks). Arrays are
/// aligned on their last axes; their block grids must match (an axis of one
/// block broadcasts); equally shaped axes with different chunks are rechunked
/// to a common chunking. Throws ValueError for grids that do not match,
/// chunks that do not fit the grid, or a bad drop/new axis.
Array map_blocks(const BlockFunction& fn, const std::vector<Array>& arrays, const MapBlocksOptions& o = {});

/// An input of blockwise: an array with one index letter per axis, or a
/// literal passed to every task as it is (`index` empty).
struct BlockwiseInput {
  BlockwiseInput(Array a, std::string index) : array(std::move(a)), index(std::move(index)) {}
  BlockwiseInput(Value v) : literal(std::move(v)) {}  // NOLINT
  std::optional<Array> array;
  std::string index;
  Value literal;
};

struct BlockwiseOptions {
  std::optional<DType> dtype{};             // default: the first array's
  std::map<char, std::int64_t> new_axes{};  // output letters no input has, and their extents (one block)
  bool concatenate = false;                 // contracted letters: one concatenated block, not nested lists
  std::optional<Chunks> chunks{};           // as MapBlocksOptions::chunks
  ValueList args{};
  bool block_id = false;
  std::string name{};
};

/// dask.array.blockwise: output block (i, j, ...) of `out_index` calls fn on
/// each input's block at the letters' block numbers. A letter an input has
/// but the output does not is contracted: the input passes the list of its
/// blocks along it (nested lists for several letters, in the input's order),
/// or one concatenated block with `concatenate`. Letters are unified across
/// inputs (common chunks; extent 1 with one block broadcasts). Throws ValueError
/// when an index does not match its array's dimensions, a letter's extents
/// do not broadcast, or an output letter has no source.
Array blockwise(const BlockFunction& fn, const std::string& out_index, const std::vector<BlockwiseInput>& inputs,
                const BlockwiseOptions& o = {});

}  // namespace tessera::array
