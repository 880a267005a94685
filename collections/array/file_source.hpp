#pragma once
// Arrays backed by files, as np.memmap / np.load(mmap_mode="r") wrapped in
// da.from_array: each block is a task that reads only its own byte ranges.
// The file is checked when the graph is built: a missing file, a bad .npy
// header or a file too short for the shape is a ValueError before anything runs.
#include <string>

#include "collections/array/array.hpp"

namespace tessera::array {

/// What a .npy header says (format versions 1.0, 2.0 and 3.0).
struct NpyHeader {
  DType dtype = DType::float64;
  Shape shape;
  std::int64_t data_offset = 0;  // where the row-major data begins
};

/// Parses the header of a .npy file. Throws ValueError naming the file for a
/// bad magic string or header, a big-endian or unsupported dtype, or
/// Fortran order.
NpyHeader read_npy_header(const std::string& path);

/// A raw little-endian row-major array of `shape` starting at byte `offset`
/// of `path` (np.memmap(path, dtype, "r", offset, shape)); the file may be
/// longer than the array.
Array from_raw(const std::string& path, DType dtype, const Shape& shape, const ChunkSpec& chunks,
               std::int64_t offset = 0);

/// The array stored in a .npy file.
Array from_npy(const std::string& path, const ChunkSpec& chunks);

}  // namespace tessera::array
