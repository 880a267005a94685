#pragma once
// An immutable, 64-byte aligned block of bytes: the storage behind bytes
// values, NDArray and Table columns. Shared by shared_ptr<const Buffer>, so
// passing a value around inside a process never copies the data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tessera {

class Buffer {
 public:
  /// Allocates `size` uninitialised bytes (aligned to 64).
  explicit Buffer(std::size_t size);
  /// Allocates and copies `size` bytes from `data`.
  Buffer(const void* data, std::size_t size);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  std::size_t size() const noexcept { return size_; }
  const std::byte* data() const noexcept { return data_; }
  /// Writable access, for the producer only: a buffer is immutable once shared.
  std::byte* mutable_data() noexcept { return data_; }
  template <class T>
  std::span<const T> as() const noexcept {
    return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)};
  }
  template <class T>
  std::span<T> mutable_as() noexcept {
    return {reinterpret_cast<T*>(data_), size_ / sizeof(T)};
  }

 private:
  std::byte* data_;
  std::size_t size_;
};

using BufferPtr = std::shared_ptr<const Buffer>;

/// Allocates a buffer of `size` bytes; the caller fills it before sharing.
std::shared_ptr<Buffer> make_buffer(std::size_t size);

}  // namespace tessera
