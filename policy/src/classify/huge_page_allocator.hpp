// SPDX-License-Identifier: BSD-3-Clause
// An allocator for the screen's tables, which every query probes at a dozen random places:
// with 4 KiB pages each probe can cost a page walk on top of its cache miss, and a resolver's
// own working set keeps the TLB full. Blocks of kThreshold bytes or more are mapped on 2 MiB
// boundaries, whole 2 MiB pages, and marked for transparent huge pages (madvise), so a table
// of up to 2 MiB needs one TLB entry; smaller blocks come from operator new.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace tg {

/// A std::allocator replacement for vectors of trivial types. allocate() throws
/// std::bad_alloc when the memory cannot be had; deallocate() never fails. The huge-page hint
/// is only a hint: with transparent_hugepage "never" the mapping is ordinary pages (still
/// correct, and still 2 MiB-rounded).
template <class T>
struct HugePageAllocator {
  using value_type = T;  // NOLINT(readability-identifier-naming): the name allocators must use
  /// The huge-page size (x86-64, arm64 with 4 KiB base pages).
  static constexpr std::size_t kHuge = std::size_t{2} << 20U;
  /// Blocks from this size on are mapped as huge pages (smaller ones would waste most of one).
  static constexpr std::size_t kThreshold = std::size_t{256} << 10U;

  HugePageAllocator() noexcept = default;
  template <class U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}

  [[nodiscard]] T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kThreshold) return static_cast<T*>(::operator new(bytes));
    const std::size_t size = footprint(bytes);
    // Map one huge page more than needed, then trim both ends to a 2 MiB boundary.
    void* const raw =
        ::mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    char* const begin = static_cast<char*>(raw);
    const std::size_t head = (kHuge - reinterpret_cast<std::uintptr_t>(begin) % kHuge) % kHuge;
    char* const aligned = begin + head;
    if (head > 0) ::munmap(begin, head);
    if (kHuge > head) ::munmap(aligned + size, kHuge - head);
    (void)::madvise(aligned, size, MADV_HUGEPAGE);  // a hint
    return reinterpret_cast<T*>(aligned);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kThreshold) {
      ::operator delete(p);
    } else {
      ::munmap(p, footprint(bytes));
    }
  }

  /// The bytes a block of `bytes` really holds (2 MiB-rounded from kThreshold on).
  [[nodiscard]] static constexpr std::size_t footprint(std::size_t bytes) noexcept {
    return bytes < kThreshold ? bytes : (bytes + kHuge - 1) & ~(kHuge - 1);
  }

  friend bool operator==(const HugePageAllocator& /*a*/, const HugePageAllocator& /*b*/) noexcept {
    return true;
  }
};

/// A vector whose block comes from HugePageAllocator.
template <class T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace tg
