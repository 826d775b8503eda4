// SPDX-License-Identifier: BSD-3-Clause
// A compact read-only multimap from 64-bit string hashes (name/name_hash.hpp) to entry numbers,
// built at load time, and a fingerprint set of such hashes for the screen. Lookups are one
// probe sequence in a flat table; callers confirm candidates against the real strings, so hash
// collisions cost time, never correctness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "classify/huge_page_allocator.hpp"
#include "name/name_hash.hpp"

namespace tg {

/// A set of 64-bit hashes kept as 16-bit fingerprints in one flat table a third full (6 bytes a
/// hash, so 1.2 MiB for the 200,000 hashes of 10,000 protected domains, in one 2 MiB huge page:
/// HugePageAllocator).
/// It never answers no for a hash that was added; it answers yes for one that was not when
/// another hash in its probe sequence has the same fingerprint (about one lookup in 10^5), so
/// every yes must be confirmed elsewhere. Immutable after build(); lookups never allocate.
class FingerprintSet {
 public:
  /// Stores `hashes` (duplicates allowed); replaces what was there. May throw std::bad_alloc.
  void build(std::vector<std::uint64_t> hashes);
  /// Whether `hash` may have been added (see the class comment). Empty set: false.
  [[nodiscard]] bool contains(std::uint64_t hash) const noexcept {
    std::size_t slot = first_slot(hash);
    std::uint16_t f = slots_[slot];
    if (f == 0) return false;  // the common answer, before the fingerprint is computed
    const std::uint16_t want = fingerprint(hash);
    while (f != want) {
      if (++slot == slots_.size()) slot = 0;
      f = slots_[slot];
      if (f == 0) return false;
    }
    return true;
  }
  /// Bytes held.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return HugePageAllocator<std::uint16_t>::footprint(slots_.capacity() * sizeof(std::uint16_t));
  }

 private:
  static constexpr std::size_t kMinSlots = 16;
  /// The slot a hash starts at: the high bits of its spread, scaled to the table (any size).
  [[nodiscard]] std::size_t first_slot(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>(((hashing::spread(hash) >> 32U) * slots_.size()) >> 32U);
  }
  /// The top 16 bits of a second multiplication, never 0 (0 marks an empty slot).
  static std::uint16_t fingerprint(std::uint64_t hash) noexcept {
    return static_cast<std::uint16_t>((hash * 0xC2B2AE3D27D4EB4FULL) >> 48U) | 1U;
  }
  HugePageVector<std::uint16_t> slots_ = HugePageVector<std::uint16_t>(kMinSlots, 0);
};

/// Which (first bytes, length) pairs occur among a set of strings: one 64-bit word per hash of
/// a string's first kPrefix bytes (all of it when shorter), one bit per length (bit 63: 63 or
/// more). The screen asks it before it computes and probes a tail's one-byte deletions: those
/// that keep the tail's first kPrefix bytes share one word, so one load answers "no string of
/// this start and length" for most of them. Never answers no for a pair that was added; answers
/// yes for others when their word is shared (a few percent). Immutable after build(); lookups
/// never allocate.
class PrefixLengthFilter {
 public:
  /// The bytes of a string's start that choose its word.
  static constexpr std::size_t kPrefix = 5;
  /// Records `s`'s pair. May throw std::bad_alloc.
  void add(std::string_view s);
  /// Sizes the table for what was added (about two pairs a word) and fills it; replaces what
  /// was there. May throw std::bad_alloc.
  void build();
  /// The lengths word of strings whose first min(kPrefix, size) bytes hash (hash_bytes) to
  /// `start`: test it with has(). Empty filter: 0.
  [[nodiscard]] std::uint64_t lengths(std::uint64_t start) const noexcept {
    return words_[hashing::spread(start) >> shift_];
  }
  /// Whether a lengths word has `length`.
  [[nodiscard]] static bool has(std::uint64_t lengths, std::size_t length) noexcept {
    return ((lengths >> std::min<std::size_t>(length, 63)) & 1U) != 0;
  }
  /// Bytes held.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return HugePageAllocator<std::uint64_t>::footprint(words_.capacity() * sizeof(std::uint64_t));
  }

 private:
  std::vector<std::pair<std::uint64_t, std::uint8_t>> pending_;  // (start hash, length bit)
  HugePageVector<std::uint64_t> words_ = HugePageVector<std::uint64_t>(2, 0);
  unsigned shift_ = 63;  // 64 - log2(words); at least two words, so never a shift by 64
};

/// Hash → entry numbers. Add everything, call build() once, then only find().
class HashIndex {
 public:
  /// Records that `value` is reachable under `hash` (duplicates are kept once).
  void add(std::uint64_t hash, std::uint32_t value);
  /// Freezes the index. Must be called before find(); may throw std::bad_alloc.
  void build();
  /// Entry numbers stored under `hash` (empty span if none). Never allocates.
  [[nodiscard]] std::span<const std::uint32_t> find(std::uint64_t hash) const noexcept;
  /// Bytes held by the frozen index.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;
  /// Appends every distinct hash stored (after build()) to `out`.
  void append_hashes(std::vector<std::uint64_t>& out) const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t begin = 0;  // into values_; with count 1, the value itself
    std::uint32_t count = 0;  // 0 marks an empty slot
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pending_;
  std::vector<std::uint32_t> values_;
  std::vector<Slot> slots_;
  std::uint64_t mask_ = 0;
  unsigned shift_ = 64;  // 64 - log2(slots) once built
};

}  // namespace tg
