#pragma once
// Chunk specifications and their normal form, as dask.array.normalize_chunks.
// A normalised chunking lists, for every axis, the sizes of its blocks:
// shape (5, 4) in blocks of 2 is {{2, 2, 1}, {2, 2}}.
#include <cstdint>
#include <variant>
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::array {

/// Block sizes per axis (the normal form).
using Chunks = std::vector<std::vector<std::int64_t>>;

/// What a user may write for chunks:
///   ChunkSpec(2)            blocks of 2 along every axis (the last may be smaller);
///   ChunkSpec::per_axis({2, 3})   blocks of 2 on axis 0, 3 on axis 1 (-1 = the whole axis);
///   ChunkSpec(Chunks{{2, 2, 1}, {4}})   explicit block sizes;
///   ChunkSpec::automatic()  blocks of about 128 MiB, as square as the shape allows ("auto").
struct AutoChunks {
  std::int64_t bytes = std::int64_t{128} << 20;  // target bytes per block
};

class ChunkSpec {
 public:
  ChunkSpec(std::int64_t size) : v_(size) {}  // NOLINT: implicit, as dask's chunks=2
  ChunkSpec(int size) : v_(static_cast<std::int64_t>(size)) {}  // NOLINT
  ChunkSpec(Chunks explicit_sizes) : v_(std::move(explicit_sizes)) {}  // NOLINT
  static ChunkSpec automatic(std::int64_t bytes = std::int64_t{128} << 20) {
    ChunkSpec s(0);
    s.v_ = AutoChunks{bytes};
    return s;
  }
  static ChunkSpec per_axis(std::vector<std::int64_t> sizes) {
    ChunkSpec s(0);
    s.v_ = std::move(sizes);
    return s;
  }
  const std::variant<std::int64_t, std::vector<std::int64_t>, Chunks, AutoChunks>& get() const noexcept {
    return v_;
  }

 private:
  std::variant<std::int64_t, std::vector<std::int64_t>, Chunks, AutoChunks> v_;
};

/// The normal form of `spec` for `shape` (elements of `dtype`, for "auto").
/// Throws ValueError when a block size is zero or negative (except on an
/// empty axis), when explicit sizes do not sum to the axis' extent, or when
/// the number of axes does not match.
Chunks normalize_chunks(const ChunkSpec& spec, const Shape& shape, DType dtype = DType::float64);

/// The finest chunking with every block boundary of `a` and of `b` (both
/// chunk the same extent): what two operands are rechunked to before they
/// are combined block by block.
std::vector<std::int64_t> common_chunks(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);

/// Number of blocks per axis.
std::vector<std::int64_t> numblocks(const Chunks& chunks);

/// Start offset of every block along one axis, plus the extent at the end
/// ({2, 2, 1} -> {0, 2, 4, 5}).
std::vector<std::int64_t> offsets(const std::vector<std::int64_t>& sizes);

/// Every block index of the grid, in row-major order (one empty index for a 0-d grid).
std::vector<std::vector<std::int64_t>> block_indices(const Chunks& chunks);

/// The extent of block `index` ({chunks[0][index[0]], ...}).
Shape block_shape(const Chunks& chunks, const std::vector<std::int64_t>& index);

/// "((2, 2, 1), (4,))", for messages.
std::string chunks_repr(const Chunks& chunks);

}  // namespace tessera::array
