#pragma once
// HugePageAllocator: a std::allocator that backs blocks of 2 MiB or more with
// transparent huge pages (madvise(MADV_HUGEPAGE), for the common THP
// "madvise" setting). For tables probed at random, such as hash tables of
// tens of MiB: with 4 KiB pages nearly every probe also misses the TLB.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace tessera {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::align_val_t kLineAligned{alignof(T) < 64 ? 64 : alignof(T)};  // small blocks

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes, kLineAligned));
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without THP the pages stay small
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugePage) ::operator delete(p, kLineAligned);
    else std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

}  // namespace tessera
