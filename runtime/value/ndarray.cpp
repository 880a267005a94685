#include "runtime/value/ndarray.hpp"

#include <cstring>
#include <string>

#include "runtime/util/error.hpp"

namespace tessera {

bool has_zero_extent(const Shape& shape) noexcept {
  for (auto d : shape)
    if (d == 0) return true;
  return false;
}

std::int64_t shape_size(const Shape& shape) noexcept {
  // A zero extent anywhere makes the product zero, even if the other extents
  // multiplied in order would overflow first (a shape read off the wire).
  if (has_zero_extent(shape)) return 0;
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

namespace {

/// Bytes a shape needs, or an error naming the shape when it cannot exist.
std::size_t checked_nbytes(const Shape& shape, DType dtype) {
  std::int64_t elements = 1;
  bool overflow = false;
  for (auto d : shape) {
    if (d < 0) throw ValueError("NDArray: negative extent " + std::to_string(d) + " in shape");
    overflow = overflow || __builtin_mul_overflow(elements, d, &elements);
  }
  if (has_zero_extent(shape)) return 0;
  std::int64_t bytes = 0;
  if (overflow || __builtin_mul_overflow(elements, static_cast<std::int64_t>(dtype_size(dtype)), &bytes))
    throw ValueError("NDArray: a shape of " + std::to_string(shape.size()) + " extents of " +
                     std::string(dtype_name(dtype)) + " is too large to address");
  return static_cast<std::size_t>(bytes);
}

}  // namespace

NDArray::NDArray(DType dtype, Shape shape, BufferPtr data)
    : dtype_(dtype), shape_(std::move(shape)), data_(std::move(data)) {
  std::size_t want = checked_nbytes(shape_, dtype_);
  std::size_t have = data_ ? data_->size() : 0;
  if (want != have)
    throw ValueError("NDArray: shape needs " + std::to_string(want) + " bytes of " +
                     std::string(dtype_name(dtype_)) + " but the buffer holds " +
                     std::to_string(have));
}

std::int64_t NDArray::size() const noexcept { return shape_size(shape_); }

NDArray NDArray::zeros(DType dtype, Shape shape) {
  auto buf = make_buffer(checked_nbytes(shape, dtype));
  std::memset(buf->mutable_data(), 0, buf->size());
  return NDArray(dtype, std::move(shape), std::move(buf));
}

NDArray NDArray::from_vector(const std::vector<double>& values) {
  auto buf = std::make_shared<Buffer>(values.data(), values.size() * sizeof(double));
  return NDArray(DType::float64, {static_cast<std::int64_t>(values.size())}, std::move(buf));
}

NDArray NDArray::from_vector(const std::vector<std::int64_t>& values) {
  auto buf = std::make_shared<Buffer>(values.data(), values.size() * sizeof(std::int64_t));
  return NDArray(DType::int64, {static_cast<std::int64_t>(values.size())}, std::move(buf));
}

bool operator==(const NDArray& a, const NDArray& b) {
  if (a.dtype_ != b.dtype_ || a.shape_ != b.shape_) return false;
  if (a.data_ == b.data_) return true;
  return a.nbytes() == b.nbytes() &&
         (a.nbytes() == 0 || std::memcmp(a.data_->data(), b.data_->data(), a.nbytes()) == 0);
}

}  // namespace tessera
