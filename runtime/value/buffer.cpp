#include "runtime/value/buffer.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace tessera {
namespace {

constexpr std::size_t alignment = buffer_alignment;

// Large buffers (array chunks, transferred values) are mapped directly,
// aligned to 2 MiB and marked for transparent huge pages: filling a fresh
// 256 MiB buffer then takes 128 page faults instead of 65,536, which on this
// kind of machine is most of the cost of producing or receiving it.
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t mapped_threshold = std::size_t{4} << 20;

bool is_mapped(std::size_t size) { return size >= mapped_threshold; }

std::byte* map_aligned(std::size_t size) {
  const std::size_t span = size + huge_page;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(raw);
  auto aligned = (start + huge_page - 1) & ~(huge_page - 1);
  // Give back the unaligned head and the unused tail.
  if (aligned > start) ::munmap(raw, aligned - start);
  auto end = aligned + size;
  auto span_end = start + span;
  auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto tail = (end + page - 1) & ~(page - 1);
  if (span_end > tail) ::munmap(reinterpret_cast<void*>(tail), span_end - tail);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice only: failure is harmless
  return reinterpret_cast<std::byte*>(aligned);
}

std::byte* allocate(std::size_t size) {
  if (is_mapped(size)) return map_aligned(size);
  std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (rounded == 0) rounded = alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<std::byte*>(p);
}

void release(std::byte* data, std::size_t size) {
  if (is_mapped(size)) ::munmap(data, size);
  else std::free(data);
}

}  // namespace

Buffer::Buffer(std::size_t size) : data_(allocate(size)), size_(size) {}

Buffer::Buffer(const void* data, std::size_t size) : Buffer(size) {
  if (size > 0) std::memcpy(data_, data, size);
}

Buffer::Buffer(std::shared_ptr<const void> owner, const std::byte* data, std::size_t size)
    : data_(const_cast<std::byte*>(data)), size_(size), owner_(std::move(owner)) {}

Buffer::~Buffer() {
  if (!owner_) release(data_, size_);
}

std::shared_ptr<Buffer> make_buffer(std::size_t size) { return std::make_shared<Buffer>(size); }

}  // namespace tessera
