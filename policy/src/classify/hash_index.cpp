// SPDX-License-Identifier: BSD-3-Clause
#include "classify/hash_index.hpp"

#include <algorithm>
#include <bit>

namespace tg {
void HashIndex::add(std::uint64_t hash, std::uint32_t value) { pending_.emplace_back(hash, value); }

void HashIndex::build() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  values_.clear();
  values_.reserve(pending_.size());
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || pending_[i].first != pending_[i - 1].first) ++distinct;
  }
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, distinct * 2));
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  shift_ = 64U - static_cast<unsigned>(std::countr_zero(capacity));
  std::size_t i = 0;
  while (i < pending_.size()) {
    const std::uint64_t h = pending_[i].first;
    std::size_t end = i;
    while (end < pending_.size() && pending_[end].first == h) ++end;
    Slot entry{h, 0, static_cast<std::uint32_t>(end - i)};
    if (entry.count == 1) {
      entry.begin = pending_[i].second;  // kept in the slot: no second cache line to read
    } else {
      entry.begin = static_cast<std::uint32_t>(values_.size());
      for (std::size_t k = i; k < end; ++k) values_.push_back(pending_[k].second);
    }
    std::uint64_t slot = hashing::spread(h) >> shift_;
    while (slots_[slot].count != 0) slot = (slot + 1) & mask_;
    slots_[slot] = entry;
    i = end;
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

std::span<const std::uint32_t> HashIndex::find(std::uint64_t hash) const noexcept {
  if (slots_.empty()) return {};
  std::uint64_t slot = hashing::spread(hash) >> shift_;
  while (slots_[slot].count != 0) {
    const Slot& entry = slots_[slot];
    if (entry.hash == hash) {
      if (entry.count == 1) return {&entry.begin, 1};
      return {values_.data() + entry.begin, entry.count};
    }
    slot = (slot + 1) & mask_;
  }
  return {};
}

void HashIndex::append_hashes(std::vector<std::uint64_t>& out) const {
  for (const Slot& s : slots_) {
    if (s.count != 0) out.push_back(s.hash);
  }
}

void FingerprintSet::build(std::vector<std::uint64_t> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  // A third full: most probes for an absent hash end at their first slot. Any size (the first
  // slot is scaled, not masked), so the table is not rounded up to a power of two.
  slots_.assign(std::max(kMinSlots, hashes.size() * 3), 0);
  for (const std::uint64_t h : hashes) {
    std::size_t slot = first_slot(h);
    while (slots_[slot] != 0) {
      if (++slot == slots_.size()) slot = 0;
    }
    slots_[slot] = fingerprint(h);
  }
}

void PrefixLengthFilter::add(std::string_view s) {
  const auto bit = static_cast<std::uint8_t>(std::min<std::size_t>(s.size(), 63));
  pending_.emplace_back(hash_bytes(s.substr(0, std::min(kPrefix, s.size()))), bit);
}

void PrefixLengthFilter::build() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  // About two pairs a word: a few percent of absent pairs share a word with a present one of
  // the same length (a small table stays in the CPU's caches; its misses cost a few probes).
  const std::size_t words = std::bit_ceil(std::max<std::size_t>(2, pending_.size() / 2));
  words_.assign(words, 0);
  shift_ = 64U - static_cast<unsigned>(std::countr_zero(words));
  for (const auto& [start, bit] : pending_) {
    words_[hashing::spread(start) >> shift_] |= std::uint64_t{1} << bit;
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

std::size_t HashIndex::memory_bytes() const noexcept {
  return values_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(Slot);
}

}  // namespace tg
