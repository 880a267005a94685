#include "collections/array/scan_kernels.hpp"

#include <string>

#include "collections/array/kernel_util.hpp"
#include "collections/array/kernels.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

using namespace detail;

struct Lines {
  std::int64_t outer = 1, len = 1, inner = 1;
};

Lines lines(const Shape& shape, std::int64_t axis) {
  if (axis < 0 || axis >= static_cast<std::int64_t>(shape.size()))
    throw ValueError("array.scan: axis " + std::to_string(axis) + " is out of bounds for a block of " +
                     std::to_string(shape.size()) + " dimensions");
  Lines l;
  for (std::int64_t k = 0; k < axis; ++k) l.outer *= shape[static_cast<std::size_t>(k)];
  l.len = shape[static_cast<std::size_t>(axis)];
  for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < shape.size(); ++k) l.inner *= shape[k];
  return l;
}

/// Calls f(T{}) with the storage type of a scan's dtype.
template <class F>
void visit_scan(DType t, F&& f) {
  if (t == DType::float32) f(float{});
  else if (t == DType::float64) f(double{});
  else f(std::int64_t{});
}

template <class T>
T step(bool prod, T a, T b) {
  if constexpr (std::is_integral_v<T>) {  // wraps, as NumPy's
    const auto x = static_cast<std::uint64_t>(a), y = static_cast<std::uint64_t>(b);
    return static_cast<T>(prod ? x * y : x + y);
  } else {
    return prod ? a * b : a + b;
  }
}

}  // namespace

DType scan_result(DType a) noexcept {
  return a == DType::float32 || a == DType::float64 ? a : DType::int64;
}

NDArray scan_block(const NDArray& a, std::int64_t axis, bool prod) {
  const Lines l = lines(a.shape(), axis);
  const DType out = scan_result(a.dtype());
  NDArray x = astype(a, out);
  auto buf = alloc(out, a.size());
  visit_scan(out, [&](auto tag) {
    using T = decltype(tag);
    const T* src = x.values<T>().data();
    T* dst = buf->template mutable_as<T>().data();
    for (std::int64_t o = 0; o < l.outer; ++o)
      for (std::int64_t j = 0; j < l.len; ++j)
        for (std::int64_t i = 0; i < l.inner; ++i) {
          const std::int64_t at = (o * l.len + j) * l.inner + i;
          dst[at] = j == 0 ? src[at] : step(prod, dst[at - l.inner], src[at]);
        }
  });
  return NDArray(out, a.shape(), std::move(buf));
}

NDArray scan_carry(const Value& previous, const NDArray& scanned, std::int64_t axis, bool prod) {
  const Lines l = lines(scanned.shape(), axis);
  Shape shape = scanned.shape();
  shape[static_cast<std::size_t>(axis)] = 1;
  auto buf = alloc(scanned.dtype(), l.outer * l.inner);
  visit_scan(scanned.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = scanned.values<T>().data();
    T* dst = buf->template mutable_as<T>().data();
    const T* prev = previous.is_none() ? nullptr : previous.as_ndarray().values<T>().data();
    for (std::int64_t o = 0; o < l.outer; ++o)
      for (std::int64_t i = 0; i < l.inner; ++i) {
        const T last = l.len ? src[(o * l.len + l.len - 1) * l.inner + i] : T(prod ? 1 : 0);
        dst[o * l.inner + i] = prev ? step(prod, prev[o * l.inner + i], last) : last;
      }
  });
  return NDArray(scanned.dtype(), std::move(shape), std::move(buf));
}

NDArray apply_carry(const NDArray& scanned, const NDArray& carry, std::int64_t axis, bool prod) {
  const Lines l = lines(scanned.shape(), axis);
  if (carry.size() != l.outer * l.inner || carry.dtype() != scanned.dtype())
    throw ValueError("array.apply_carry: the carry does not fit the block");
  auto buf = alloc(scanned.dtype(), scanned.size());
  visit_scan(scanned.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = scanned.values<T>().data();
    const T* c = carry.values<T>().data();
    T* dst = buf->template mutable_as<T>().data();
    for (std::int64_t o = 0; o < l.outer; ++o)
      for (std::int64_t j = 0; j < l.len; ++j)
        for (std::int64_t i = 0; i < l.inner; ++i) {
          const std::int64_t at = (o * l.len + j) * l.inner + i;
          dst[at] = step(prod, c[o * l.inner + i], src[at]);
        }
  });
  return NDArray(scanned.dtype(), scanned.shape(), std::move(buf));
}

}  // namespace tessera::array::kernels
