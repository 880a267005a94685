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

}  // namespace tessera::array
