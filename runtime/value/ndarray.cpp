#include "runtime/value/ndarray.hpp"

#include <cstring>
#include <string>

#include "runtime/util/error.hpp"

namespace tessera {

std::int64_t shape_size(const Shape& shape) noexcept {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

NDArray::NDArray(DType dtype, Shape shape, BufferPtr data)
    : dtype_(dtype), shape_(std::move(shape)), data_(std::move(data)) {
  for (auto d : shape_)
    if (d < 0) throw ValueError("NDArray: negative extent " + std::to_string(d) + " in shape");
  std::size_t want = static_cast<std::size_t>(shape_size(shape_)) * dtype_size(dtype_);
  std::size_t have = data_ ? data_->size() : 0;
  if (want != have)
    throw ValueError("NDArray: shape needs " + std::to_string(want) + " bytes of " +
                     std::string(dtype_name(dtype_)) + " but the buffer holds " +
                     std::to_string(have));
}

std::int64_t NDArray::size() const noexcept { return shape_size(shape_); }

NDArray NDArray::zeros(DType dtype, Shape shape) {
  auto buf = make_buffer(static_cast<std::size_t>(shape_size(shape)) * dtype_size(dtype));
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
