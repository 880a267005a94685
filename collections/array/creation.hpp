#pragma once
// Creating arrays, as dask.array's creation functions. Each block is one task
// that builds only its own block (from_array embeds each block's data).
#include <optional>

#include "collections/array/array.hpp"

namespace tessera::array {

/// An array whose blocks are the pieces of `data` cut by `chunks`.
Array from_array(const NDArray& data, const ChunkSpec& chunks);

/// Evenly spaced values in [start, stop), as numpy.arange. The dtype is
/// int64 when start, stop and step are all integers, else float64, unless
/// given. Throws ValueError when step is 0.
Array arange(const Value& start, const Value& stop, const Value& step, const ChunkSpec& chunks,
             std::optional<DType> dtype = {});

/// `num` evenly spaced float64 values from start to stop (stop included
/// when `endpoint`), as numpy.linspace.
Array linspace(double start, double stop, std::int64_t num, const ChunkSpec& chunks, bool endpoint = true);

/// An array of one value; the dtype defaults to the value's (bool, int64, float64).
Array full(const Shape& shape, const Value& fill, const ChunkSpec& chunks, std::optional<DType> dtype = {});
Array zeros(const Shape& shape, const ChunkSpec& chunks, DType dtype = DType::float64);
Array ones(const Shape& shape, const ChunkSpec& chunks, DType dtype = DType::float64);
/// numpy.empty: Tessera never hands out uninitialised memory, so its blocks are zeros.
Array empty(const Shape& shape, const ChunkSpec& chunks, DType dtype = DType::float64);

/// numpy.eye(n, m, k): ones on the k-th diagonal (k > 0 above the main one),
/// zeros elsewhere; m defaults to n. Each block is one task that builds only
/// itself. Throws ValueError for a negative n or m.
Array eye(std::int64_t n, const ChunkSpec& chunks, std::optional<std::int64_t> m = {}, std::int64_t k = 0,
          DType dtype = DType::float64);

/// numpy.fromfunction(fn, shape, dtype): each block is fn(i, j, ..., args...)
/// called with the block's coordinate grids (one array of `dtype` per axis,
/// numpy.indices' values), as dask.array.fromfunction; fn is registered
/// (map_blocks.hpp's BlockFunction) and must return a block of `dtype`.
class BlockFunction;
Array fromfunction(const BlockFunction& fn, const Shape& shape, const ChunkSpec& chunks, DType dtype = DType::float64,
                   const ValueList& args = {});

namespace kernels {
/// Block (rows, cols) at (row0, col0) of an eye with ones where col - row == k.
NDArray eye_block(const Shape& shape, std::int64_t row0, std::int64_t col0, std::int64_t k, DType dtype);
/// numpy.indices' grid for `axis` over the block at `origin` of extent `shape`, as `dtype`.
NDArray indices_block(const std::vector<std::int64_t>& origin, const Shape& shape, std::int64_t axis, DType dtype);
}  // namespace kernels

}  // namespace tessera::array
