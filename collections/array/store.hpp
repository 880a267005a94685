#pragma once
// Writing an array to a .npy file block by block, as dask.array.store into
// a np.lib.format.open_memmap target: nothing holds the whole array.
//
//   create   one task: writes the header and sizes the file (ftruncate)
//   write    one task per block, after create: pwrite of the block's own
//            byte ranges (one per contiguous run), returning the bytes written
//   check    one task over the writes' byte counts: every byte written and
//            the file of the right size, else ValueError naming the file
//
// The header is NumPy's own (version 1.0, or 2.0 for huge headers), so
// numpy.load and from_npy read the file. On a multi-process cluster the path
// must be on a filesystem every worker sees.
#include <cstdint>
#include <string>
#include <vector>

#include "collections/array/array.hpp"

namespace tessera::array {

/// The graph that writes `x` to `path` (dask's store(compute=False)): its
/// value is the number of data bytes written. Throws ValueError at
/// graph-build time when the directory does not exist.
Delayed<std::int64_t> store_npy(const Array& x, const std::string& path);

/// Writes `x` to `path` now; returns the number of data bytes written.
std::int64_t to_npy(const Array& x, const std::string& path, const ComputeOptions& options = {});

/// NumPy's .npy header for an array of `dtype` and `shape` (magic, version,
/// length, padded dict): the bytes numpy.save writes before the data.
std::string npy_header(DType dtype, const Shape& shape);

namespace kernels {

/// Creates (or truncates) `path` with the header and room for the data; returns the data offset.
std::int64_t npy_create(const std::string& path, DType dtype, const Shape& shape);
/// Writes `block`, the block at `start` of an array of `file_shape` whose data begins at `data_offset`.
std::int64_t npy_write_block(const std::string& path, std::int64_t data_offset, const Shape& file_shape,
                             const std::vector<std::int64_t>& start, const NDArray& block);
/// Checks that the writes cover `expected` bytes and the file holds them.
std::int64_t npy_check(const std::string& path, std::int64_t data_offset, std::int64_t expected,
                       const std::vector<std::int64_t>& written);

}  // namespace kernels
}  // namespace tessera::array
