#include "collections/array/random_kernels.hpp"

#include <cmath>
#include <cstring>
#include <string>

#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

constexpr int lanes = 4;

/// Four xoshiro256+ generators, state stored word-major so that one step of
/// all four is a handful of vector instructions.
class Xoshiro4 {
 public:
  explicit Xoshiro4(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (int w = 0; w < 4; ++w)
      for (int l = 0; l < lanes; ++l) s_[w][l] = mix_seed(x += 0x9E3779B97F4A7C15ULL);
  }
  void next(std::uint64_t* out) noexcept {
    for (int l = 0; l < lanes; ++l) out[l] = s_[0][l] + s_[3][l];
    for (int l = 0; l < lanes; ++l) {
      const std::uint64_t t = s_[1][l] << 17;
      s_[2][l] ^= s_[0][l];
      s_[3][l] ^= s_[1][l];
      s_[1][l] ^= s_[2][l];
      s_[0][l] ^= s_[3][l];
      s_[2][l] ^= t;
      s_[3][l] = (s_[3][l] << 45) | (s_[3][l] >> 19);
    }
  }

 private:
  std::uint64_t s_[4][lanes];
};

/// [0, 1) from the top 52 bits: the exponent of 1.0 with random mantissa, minus 1.
inline double unit(std::uint64_t x) noexcept {
  const std::uint64_t bits = (x >> 12) | 0x3FF0000000000000ULL;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d - 1.0;
}

void fill_uniform(Xoshiro4& g, double* out, std::int64_t n, double low, double high) {
  std::uint64_t r[lanes];
  const double width = high - low;
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    g.next(r);
    for (int l = 0; l < lanes; ++l) out[i + l] = low + width * unit(r[l]);
  }
  if (i < n) {
    g.next(r);
    for (int l = 0; i < n; ++i, ++l) out[i] = low + width * unit(r[l]);
  }
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
  if (d == Distribution::uniform) fill_uniform(g, out, n, a.as_float(), b.as_float());
  else fill_normal(g, out, n, a.as_float(), b.as_float());
  return NDArray(DType::float64, shape, std::move(buf));
}

}  // namespace tessera::array::kernels
