#pragma once
// Seeded random arrays, as dask.array.random.RandomState:
//
//   array::RandomState rs(42);
//   auto x = rs.random_sample({20000, 20000}, 2000);   // 100 blocks, each its own task
//
// Reproducible: the same seed, shape, chunks and sequence of calls give the
// same numbers on any scheduler. Each call draws a new stream (as NumPy's
// state advances); each block's seed is mixed from the stream and the block's
// index. The numbers differ from NumPy's (another generator: see
// random_kernels.hpp). Not thread-safe: one RandomState per thread, as NumPy's.
#include <cstdint>

#include "collections/array/array.hpp"

namespace tessera::array {

class RandomState {
 public:
  explicit RandomState(std::uint64_t seed) : seed_(seed) {}

  /// Uniform on [0, 1), float64.
  Array random_sample(const Shape& shape, const ChunkSpec& chunks);
  /// Uniform on [low, high), float64.
  Array uniform(double low, double high, const Shape& shape, const ChunkSpec& chunks);
  /// Normal with mean `loc` and standard deviation `scale` (ValueError if negative).
  Array normal(double loc, double scale, const Shape& shape, const ChunkSpec& chunks);
  /// Integers on [low, high), int64 (ValueError unless low < high).
  Array randint(std::int64_t low, std::int64_t high, const Shape& shape, const ChunkSpec& chunks);

 private:
  Array make(std::string_view dist, const Value& a, const Value& b, const Shape& shape, const ChunkSpec& chunks,
             DType dtype);

  std::uint64_t seed_;
  std::uint64_t calls_ = 0;
};

}  // namespace tessera::array
