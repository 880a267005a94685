#include "runtime/value/buffer.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

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

/// Mapped lengths are whole huge pages, so a freed mapping fits the next
/// buffer of the same size class.
std::size_t mapped_length(std::size_t size) { return (size + huge_page - 1) & ~(huge_page - 1); }

/// Recently freed mappings, reused before the kernel is asked for new ones:
/// a fresh mapping's pages are zero-filled on first touch, which costs about
/// as much as receiving the data (a 256 MiB value moved again and again, a
/// chunk made and dropped each step). Bounded so that idle memory stays small.
class MappingCache {
 public:
  static constexpr std::size_t max_bytes = std::size_t{512} << 20;
  static constexpr std::size_t max_entries = 8;

  std::byte* take(std::size_t length) {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
      if (it->length == length) {
        auto* data = it->data;
        bytes_ -= length;
        entries_.erase(std::next(it).base());
        return data;
      }
    return nullptr;
  }

  /// Keeps the mapping, or returns false when the caller should unmap it.
  bool keep(std::byte* data, std::size_t length) {
    if (length > max_bytes) return false;
    std::vector<Entry> evicted;
    {
      std::lock_guard lock(mutex_);
      while (!entries_.empty() && (bytes_ + length > max_bytes || entries_.size() >= max_entries)) {
        evicted.push_back(entries_.front());  // the oldest goes first
        bytes_ -= entries_.front().length;
        entries_.erase(entries_.begin());
      }
      entries_.push_back({data, length});
      bytes_ += length;
    }
    for (auto& e : evicted) ::munmap(e.data, e.length);
    return true;
  }

 private:
  struct Entry {
    std::byte* data;
    std::size_t length;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
  std::size_t bytes_ = 0;
};

MappingCache& mapping_cache() {
  static auto* cache = new MappingCache;  // never destroyed: buffers may outlive static destruction
  return *cache;
}

std::byte* allocate(std::size_t size) {
  if (is_mapped(size)) {
    auto length = mapped_length(size);
    if (auto* reused = mapping_cache().take(length)) return reused;
    return map_aligned(length);
  }
  std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (rounded == 0) rounded = alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<std::byte*>(p);
}

void release(std::byte* data, std::size_t size) {
  if (is_mapped(size)) {
    auto length = mapped_length(size);
    if (!mapping_cache().keep(data, length)) ::munmap(data, length);
  }
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
