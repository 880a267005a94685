#pragma once
// Helpers shared by the block kernels' sources (not a public header): dtype
// dispatch, typed views with conversion, buffer allocation.
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::array::kernels::detail {

template <class T>
struct Tag {
  using type = T;
};

/// Calls f(Tag<C>{}) with the C type that stores `t` (bool as uint8_t).
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::boolean: return f(Tag<std::uint8_t>{});
    case DType::uint8: return f(Tag<std::uint8_t>{});
    case DType::int32: return f(Tag<std::int32_t>{});
    case DType::int64: return f(Tag<std::int64_t>{});
    case DType::float32: return f(Tag<float>{});
    case DType::float64: break;
  }
  return f(Tag<double>{});
}

inline bool is_float(DType t) noexcept { return t == DType::float32 || t == DType::float64; }

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, double>) return DType::float64;
  else if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  else return DType::boolean;
}

/// `a`'s elements as T: the buffer itself when the dtype matches, else
/// converted into `scratch`. T = uint8_t means bool (non-zero is true).
template <class T>
std::span<const T> typed(const NDArray& a, std::vector<T>& scratch) {
  if (a.dtype() == dtype_of<T>()) return a.values<T>();
  scratch.resize(static_cast<std::size_t>(a.size()));
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    auto src = a.values<S>();
    for (std::size_t i = 0; i < scratch.size(); ++i) {
      if constexpr (std::is_same_v<T, std::uint8_t>) scratch[i] = src[i] != S(0);
      else scratch[i] = static_cast<T>(src[i]);
    }
  });
  return scratch;
}

inline std::shared_ptr<Buffer> alloc(DType t, std::int64_t n) {
  return make_buffer(static_cast<std::size_t>(n) * dtype_size(t));
}

}  // namespace tessera::array::kernels::detail
