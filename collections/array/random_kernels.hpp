#pragma once
// Blocks of seeded random numbers. Each block has its own 64-bit seed (derived
// from the user's seed and the block's index when the graph is built), so a
// block is reproducible on its own, on any worker. The streams differ from
// NumPy's Mersenne Twister, as dask.array's differ per chunking.
//
// Uniform numbers are counter-based (wyrand: element i of a block is a pure
// function of the block's seed and i), so any element can be made without
// the ones before it: a fused expression over a uniform array generates the
// tiles it reads, in any order (a transpose too), instead of reading a
// materialised block from memory (fused_kernels.hpp). Normal and randint
// numbers use xoshiro256+ run as four interleaved streams.
#include <cstdint>
#include <string_view>

#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

enum class Distribution : std::uint8_t { uniform, normal, randint };

std::string_view distribution_name(Distribution d) noexcept;
/// Throws ValueError naming the known distributions.
Distribution parse_distribution(std::string_view name);

/// A block of `shape`: uniform on [a, b) (float64, 52 random bits), normal
/// with mean a and standard deviation b (float64, Marsaglia's polar method),
/// or randint on [a, b) (int64, unbiased: Lemire's method).
NDArray random_block(Distribution d, std::uint64_t seed, const Shape& shape, const Value& a, const Value& b);

/// Element `index` of a uniform block on [low, high) with `seed`.
inline double uniform_at(std::uint64_t seed, std::uint64_t index, double low, double width) noexcept;
/// Elements [first, first + n) of a uniform block, into `out`.
void fill_uniform_at(std::uint64_t seed, std::uint64_t first, std::int64_t n, double low, double high, double* out);

/// SplitMix64's mixing function: seeds from seeds.
std::uint64_t mix_seed(std::uint64_t x) noexcept;

/// wyrand: the 128-bit product of the counter and the counter with its
/// constant flipped, folded to 64 bits (passes BigCrush and PractRand).
inline std::uint64_t wyrand_at(std::uint64_t seed, std::uint64_t index) noexcept {
  const std::uint64_t s = seed + (index + 1) * 0xa0761d6478bd642fULL;
  const unsigned __int128 m = static_cast<unsigned __int128>(s) * (s ^ 0xe7037ed1a0b428dbULL);
  return static_cast<std::uint64_t>(m >> 64) ^ static_cast<std::uint64_t>(m);
}

inline double uniform_at(std::uint64_t seed, std::uint64_t index, double low, double width) noexcept {
  // [0, 1) from the top 52 bits: the exponent of 1.0 with random mantissa, minus 1.
  const std::uint64_t bits = (wyrand_at(seed, index) >> 12) | 0x3FF0000000000000ULL;
  double d;
  __builtin_memcpy(&d, &bits, sizeof d);
  return low + width * (d - 1.0);
}

}  // namespace tessera::array::kernels
