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
  /// A view of `size` bytes at `data`, inside memory that `owner` keeps alive
  /// (a received frame, a mapped file). Array and column storage must be
  /// 64-byte aligned: whoever makes such a view checks that.
  Buffer(std::shared_ptr<const void> owner, const std::byte* data, std::size_t size);
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
  std::shared_ptr<const void> owner_;  // set for a view: the memory is not ours to free
};

using BufferPtr = std::shared_ptr<const Buffer>;

/// Allocates a buffer of `size` bytes; the caller fills it before sharing.
std::shared_ptr<Buffer> make_buffer(std::size_t size);

/// Alignment every Buffer's data has.
inline constexpr std::size_t buffer_alignment = 64;

}  // namespace tessera
