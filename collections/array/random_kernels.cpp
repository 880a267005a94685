#include "collections/array/random_kernels.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "runtime/util/error.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tessera::array::kernels {
namespace {

constexpr int lanes = 4;

// Four lanes in one vector (GCC/Clang vector extensions): SSE2 pairs in the
// portable build, one AVX register with -march=native.
using u64x4 = std::uint64_t __attribute__((vector_size(32)));

/// Four xoshiro256+ generators run side by side; lane l of each step is
/// element l of the output.
class Xoshiro4 {
 public:
  explicit Xoshiro4(std::uint64_t seed) {
    std::uint64_t x = seed;
    u64x4* words[] = {&s0_, &s1_, &s2_, &s3_};
    for (auto* w : words)
      for (int l = 0; l < lanes; ++l) (*w)[l] = mix_seed(x += 0x9E3779B97F4A7C15ULL);
  }
  u64x4 next() noexcept {
    const u64x4 out = s0_ + s3_;
    const u64x4 t = s1_ << 17;
    s2_ ^= s0_;
    s3_ ^= s1_;
    s1_ ^= s2_;
    s0_ ^= s3_;
    s2_ ^= t;
    s3_ = (s3_ << 45) | (s3_ >> 19);
    return out;
  }
  void next(std::uint64_t* out) noexcept {
    const u64x4 r = next();
    std::memcpy(out, &r, sizeof r);
  }

 private:
  u64x4 s0_, s1_, s2_, s3_;
};

/// [0, 1) from the top 52 bits: the exponent of 1.0 with random mantissa, minus 1.
inline double unit(std::uint64_t x) noexcept {
  const std::uint64_t bits = (x >> 12) | 0x3FF0000000000000ULL;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d - 1.0;
}


void fill_normal(Xoshiro4& g, double* out, std::int64_t n, double loc, double scale) {
  std::uint64_t r[lanes];
  std::int64_t i = 0;
  while (i < n) {
    g.next(r);
    for (int l = 0; l + 1 < lanes && i < n; l += 2) {
      const double u = 2.0 * unit(r[l]) - 1.0, v = 2.0 * unit(r[l + 1]) - 1.0;
      const double s = u * u + v * v;
      if (s >= 1.0 || s == 0.0) continue;
      const double f = std::sqrt(-2.0 * std::log(s) / s);
      out[i++] = loc + scale * u * f;
      if (i < n) out[i++] = loc + scale * v * f;
    }
  }
}

void fill_randint(Xoshiro4& g, std::int64_t* out, std::int64_t n, std::int64_t low, std::int64_t high) {
  const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t threshold = (0 - range) % range;
  std::uint64_t r[lanes];
  std::int64_t i = 0;
  while (i < n) {
    g.next(r);
    for (int l = 0; l < lanes && i < n; ++l) {
      const unsigned __int128 m = static_cast<unsigned __int128>(r[l]) * range;
      if (static_cast<std::uint64_t>(m) < threshold) continue;  // rejected: keeps it unbiased
      out[i++] = static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + static_cast<std::uint64_t>(m >> 64));
    }
  }
}

}  // namespace

void fill_uniform_at(std::uint64_t seed, std::uint64_t first, std::int64_t n, double low, double high, double* out) {
  const double width = high - low;
  std::int64_t i = 0;
#if defined(__SSE2__)
  // A block is far larger than the caches: stream the stores past them (no
  // read for ownership of each line; the block is read back from memory anyway).
  if (n >= (1 << 20) && reinterpret_cast<std::uintptr_t>(out) % 16 == 0) {
    for (; i + 2 <= n; i += 2)
      _mm_stream_pd(out + i, __m128d{uniform_at(seed, first + static_cast<std::uint64_t>(i), low, width),
                                     uniform_at(seed, first + static_cast<std::uint64_t>(i) + 1, low, width)});
    _mm_sfence();
  }
#endif
  for (; i < n; ++i) out[i] = uniform_at(seed, first + static_cast<std::uint64_t>(i), low, width);
}

std::uint64_t mix_seed(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string_view distribution_name(Distribution d) noexcept {
  static constexpr std::string_view names[] = {"uniform", "normal", "randint"};
  return names[static_cast<int>(d)];
}

Distribution parse_distribution(std::string_view name) {
  for (int i = 0; i < 3; ++i)
    if (distribution_name(static_cast<Distribution>(i)) == name) return static_cast<Distribution>(i);
  throw ValueError("array.random: unknown distribution '" + std::string(name) + "' (uniform, normal, randint)");
}

NDArray random_block(Distribution d, std::uint64_t seed, const Shape& shape, const Value& a, const Value& b) {
  const std::int64_t n = shape_size(shape);
  Xoshiro4 g(seed);
  if (d == Distribution::randint) {
    const std::int64_t low = a.as_int(), high = b.as_int();
    if (high <= low) throw ValueError("randint: low >= high (" + std::to_string(low) + " >= " + std::to_string(high) + ")");
    auto buf = make_buffer(static_cast<std::size_t>(n) * sizeof(std::int64_t));
    fill_randint(g, buf->mutable_as<std::int64_t>().data(), n, low, high);
    return NDArray(DType::int64, shape, std::move(buf));
  }
  auto buf = make_buffer(static_cast<std::size_t>(n) * sizeof(double));
  double* out = buf->mutable_as<double>().data();
  if (d == Distribution::uniform) fill_uniform_at(seed, 0, n, a.as_float(), b.as_float(), out);
  else fill_normal(g, out, n, a.as_float(), b.as_float());
  return NDArray(DType::float64, shape, std::move(buf));
}

}  // namespace tessera::array::kernels
