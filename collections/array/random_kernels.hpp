#pragma once
// Blocks of seeded random numbers. Each block has its own 64-bit seed (derived
// from the user's seed and the block's index when the graph is built), so a
// block is reproducible on its own, on any worker. The generator is
// xoshiro256+ run as four interleaved streams (vectorisable); the streams
// differ from NumPy's Mersenne Twister, as dask.array's differ per chunking.
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

/// SplitMix64's mixing function: seeds from seeds.
std::uint64_t mix_seed(std::uint64_t x) noexcept;

}  // namespace tessera::array::kernels
