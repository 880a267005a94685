#include "collections/array/kernels.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "collections/array/kernel_util.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

using namespace detail;

}  // namespace

NDArray full(const Shape& shape, const Value& fill, DType dtype) {
  NDArray one = binary_scalar(BinaryOp::add, NDArray::zeros(scalar_dtype(fill), {}), fill, false);
  NDArray v = astype(one, dtype);
  const std::int64_t n = shape_size(shape);
  auto buf = alloc(dtype, n);
  const std::size_t e = dtype_size(dtype);
  for (std::int64_t i = 0; i < n; ++i) std::memcpy(buf->mutable_data() + i * e, v.buffer()->data(), e);
  return NDArray(dtype, shape, std::move(buf));
}

NDArray arange(const Value& start, const Value& step, std::int64_t offset, std::int64_t n, DType dtype) {
  auto buf = alloc(dtype, n);
  if (dtype == DType::int64) {
    const std::int64_t s = start.as_int(), d = step.as_int();
    auto* r = buf->mutable_as<std::int64_t>().data();
    for (std::int64_t i = 0; i < n; ++i) r[i] = s + (offset + i) * d;
  } else if (dtype == DType::float64) {
    const double s = start.as_float(), d = (start.as_float() + step.as_float()) - s;  // as NumPy
    auto* r = buf->mutable_as<double>().data();
    for (std::int64_t i = 0; i < n; ++i) r[i] = s + static_cast<double>(offset + i) * d;
  } else {
    throw ValueError("arange: dtype must be int64 or float64, got " + std::string(dtype_name(dtype)));
  }
  return NDArray(dtype, {n}, std::move(buf));
}

NDArray linspace(double start, double stop, std::int64_t num, bool endpoint, std::int64_t offset,
                 std::int64_t n) {
  const std::int64_t div = endpoint ? num - 1 : num;
  const double delta = stop - start;
  const double step = div > 0 ? delta / static_cast<double>(div) : std::nan("");
  auto buf = alloc(DType::float64, n);
  auto* r = buf->mutable_as<double>().data();
  for (std::int64_t i = 0; i < n; ++i) {
    const double k = static_cast<double>(offset + i);
    double y;
    if (div > 0) y = step == 0 ? k / static_cast<double>(div) * delta : k * step;
    else y = k * delta;
    r[i] = y + start;
    if (endpoint && num > 1 && offset + i == num - 1) r[i] = stop;
  }
  return NDArray(DType::float64, {n}, std::move(buf));
}
}  // namespace tessera::array::kernels
