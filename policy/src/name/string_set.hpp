// SPDX-License-Identifier: BSD-3-Clause
// A read-only set of strings in flat arrays, looked up by string_view without building a
// std::string: for tables consulted per name (the public suffix rules).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "name/name_hash.hpp"

namespace tg {

/// Strings added once, then only looked up. Lookups hash the view (hash_bytes) and compare
/// at most a few stored strings; they never allocate.
class StringSet {
 public:
  /// Adds `s` (a duplicate is kept once) and rebuilds the table; load-time only. May throw
  /// std::bad_alloc.
  void insert(std::string_view s) {
    if (contains(s)) return;
    strings_.emplace_back(s);
    if (strings_.size() * 2 > slots_.size()) {
      rebuild(std::bit_ceil(std::max<std::size_t>(16, strings_.size() * 4)));
    } else {
      place(static_cast<std::uint32_t>(strings_.size() - 1));
    }
  }
  /// Whether `s` was added.
  [[nodiscard]] bool contains(std::string_view s) const noexcept {
    if (slots_.empty()) return false;
    const std::uint64_t h = hash_bytes(s);
    for (std::uint64_t slot = hashing::spread(h) >> shift_;; slot = (slot + 1) & mask_) {
      const Slot& e = slots_[slot];
      if (e.index == kEmpty) return false;
      if (e.hash == h && strings_[e.index] == s) return true;
    }
  }
  /// Number of strings.
  [[nodiscard]] std::size_t size() const noexcept { return strings_.size(); }
  /// Whether nothing was added.
  [[nodiscard]] bool empty() const noexcept { return strings_.empty(); }

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t index = kEmpty;
  };
  void rebuild(std::size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = 64U - static_cast<unsigned>(std::countr_zero(capacity));
    for (std::uint32_t i = 0; i < strings_.size(); ++i) place(i);
  }
  void place(std::uint32_t index) {
    const std::uint64_t h = hash_bytes(strings_[index]);
    std::uint64_t slot = hashing::spread(h) >> shift_;
    while (slots_[slot].index != kEmpty) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{h, index};
  }
  std::vector<std::string> strings_;
  std::vector<Slot> slots_;
  std::uint64_t mask_ = 0;
  unsigned shift_ = 64;
};

}  // namespace tg
