#pragma once
// Reading one block of an array stored row-major in a raw little-endian file.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::array::kernels {

/// The block at `start` of extent `shape` of an array of `file_shape` whose
/// data begins at byte `offset` of `path`. Reads only the block's own byte
/// ranges (one pread per contiguous run). Throws ValueError naming the file
/// when it cannot be opened or ends early.
NDArray read_raw_block(const std::string& path, DType dtype, std::int64_t offset, const Shape& file_shape,
                       const std::vector<std::int64_t>& start, const Shape& shape);

}  // namespace tessera::array::kernels
