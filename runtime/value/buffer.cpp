#include "runtime/value/buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace tessera {
namespace {
constexpr std::size_t alignment = 64;

std::byte* allocate(std::size_t size) {
  std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (rounded == 0) rounded = alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<std::byte*>(p);
}
}  // namespace

Buffer::Buffer(std::size_t size) : data_(allocate(size)), size_(size) {}

Buffer::Buffer(const void* data, std::size_t size) : Buffer(size) {
  if (size > 0) std::memcpy(data_, data, size);
}

Buffer::~Buffer() { std::free(data_); }

std::shared_ptr<Buffer> make_buffer(std::size_t size) { return std::make_shared<Buffer>(size); }

}  // namespace tessera
