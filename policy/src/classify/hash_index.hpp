// SPDX-License-Identifier: BSD-3-Clause
// A compact read-only multimap from 64-bit string hashes to entry numbers, built at load time.
// Lookups are one probe sequence in a flat table; callers confirm candidates against the real
// strings, so hash collisions cost time, never correctness.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace tg {

/// 64-bit hash of a byte string (a polynomial hash with a final avalanche). Stable across runs.
[[nodiscard]] std::uint64_t hash_bytes(std::string_view s) noexcept;

/// hash_bytes(s with the byte at `skip` removed), without building that string.
[[nodiscard]] std::uint64_t hash_without(std::string_view s, std::size_t skip) noexcept;

/// The hashes of all one-byte deletions of one string, each in O(1) after an O(n) set-up
/// (prefix and suffix sums of the polynomial hash). Strings longer than kMax bytes are hashed
/// through hash_without instead. Equal to hash_without(s, i) for every i.
class DeletionHashes {
 public:
  static constexpr std::size_t kMax = 256;
  explicit DeletionHashes(std::string_view s) noexcept;
  /// hash_without(s, i); i must be < s.size().
  [[nodiscard]] std::uint64_t without(std::size_t i) const noexcept;
  /// hash_bytes(s).
  [[nodiscard]] std::uint64_t whole() const noexcept;

 private:
  std::string_view s_;
  std::uint64_t prefix_[kMax + 1];  // poly(s[0, i)); only [0, n] is written and read
  std::uint64_t suffix_[kMax + 1];  // poly(s[i, n)); only [0, n] is written and read
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
  /// Number of (hash, value) pairs stored.
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// Bytes held by the frozen index.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t begin = 0;
    std::uint32_t count = 0;  // 0 marks an empty slot
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pending_;
  std::vector<std::uint32_t> values_;
  std::vector<Slot> slots_;
  std::uint64_t mask_ = 0;
};

}  // namespace tg
