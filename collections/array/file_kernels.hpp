#pragma once
// Reading one block of an array stored row-major in a raw little-endian file.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::array::kernels {

/// Calls run(first, count) for each contiguous run of the block at `start`
/// of extent `shape` (non-empty) in a row-major array of `file_shape`, in
/// the block's row-major order: `first` is the run's first element as an
/// index into the whole array, `count` its elements. The block's trailing
/// axes that span their whole file axis are one run.
void for_each_file_run(const Shape& file_shape, const std::vector<std::int64_t>& start, const Shape& shape,
                       const std::function<void(std::int64_t first, std::int64_t count)>& run);

/// The block at `start` of extent `shape` of an array of `file_shape` whose
/// data begins at byte `offset` of `path`. Reads only the block's own byte
/// ranges (one pread per contiguous run). Throws ValueError naming the file
/// when it cannot be opened or ends early.
NDArray read_raw_block(const std::string& path, DType dtype, std::int64_t offset, const Shape& file_shape,
                       const std::vector<std::int64_t>& start, const Shape& shape);

}  // namespace tessera::array::kernels
