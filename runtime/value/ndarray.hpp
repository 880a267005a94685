#pragma once
// NDArray: an n-dimensional array of one dtype in one row-major (C order),
// strides-free buffer. Immutable once built; copies share the buffer.
#include <cstdint>
#include <vector>

#include "runtime/value/buffer.hpp"
#include "runtime/value/dtype.hpp"

namespace tessera {

using Shape = std::vector<std::int64_t>;

class NDArray {
 public:
  NDArray() = default;
  /// Wraps `data`, which must hold exactly product(shape) * dtype_size(dtype)
  /// bytes; throws ValueError otherwise.
  NDArray(DType dtype, Shape shape, BufferPtr data);
  /// A new zero-filled array.
  static NDArray zeros(DType dtype, Shape shape);
  /// A 1-d float64 array copied from `values`.
  static NDArray from_vector(const std::vector<double>& values);
  /// A 1-d int64 array copied from `values`.
  static NDArray from_vector(const std::vector<std::int64_t>& values);

  DType dtype() const noexcept { return dtype_; }
  const Shape& shape() const noexcept { return shape_; }
  std::size_t ndim() const noexcept { return shape_.size(); }
  std::int64_t size() const noexcept;  // number of elements
  std::size_t nbytes() const noexcept { return data_ ? data_->size() : 0; }
  const BufferPtr& buffer() const noexcept { return data_; }
  template <class T>
  std::span<const T> values() const noexcept {
    return data_ ? data_->as<T>() : std::span<const T>{};
  }

  friend bool operator==(const NDArray& a, const NDArray& b);

 private:
  DType dtype_ = DType::float64;
  Shape shape_;
  BufferPtr data_;
};

/// Product of the extents (1 for a 0-d shape).
std::int64_t shape_size(const Shape& shape) noexcept;
/// True when some extent is 0: the shape holds no elements whatever the others are.
bool has_zero_extent(const Shape& shape) noexcept;

}  // namespace tessera
