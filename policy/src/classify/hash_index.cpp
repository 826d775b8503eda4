// SPDX-License-Identifier: BSD-3-Clause
#include "classify/hash_index.hpp"

#include <algorithm>
#include <bit>

namespace tg {
namespace {

// poly(s) = sum of (s[k] + 1) * kBase^(n - 1 - k), modulo 2^64; +1 so NUL bytes count.
constexpr std::uint64_t kBase = 0x100000001b3ULL;

struct Powers {
  std::uint64_t p[DeletionHashes::kMax + 1]{};
  constexpr Powers() {
    p[0] = 1;
    for (std::size_t i = 1; i <= DeletionHashes::kMax; ++i) p[i] = p[i - 1] * kBase;
  }
};
constexpr Powers kPowers;

constexpr std::uint64_t step(std::uint64_t h, char c) noexcept {
  return h * kBase + static_cast<unsigned char>(c) + 1U;
}

constexpr std::uint64_t avalanche(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0;
  for (const char c : s) h = step(h, c);
  return avalanche(h ^ s.size());
}

std::uint64_t hash_without(std::string_view s, std::size_t skip) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != skip) h = step(h, s[i]);
  }
  return avalanche(h ^ (s.size() - (skip < s.size() ? 1 : 0)));
}

// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): only [0, n] is used, and written here.
DeletionHashes::DeletionHashes(std::string_view s) noexcept : s_(s) {
  if (s.size() > kMax) return;
  const std::size_t n = s.size();
  prefix_[0] = 0;
  suffix_[n] = 0;
  for (std::size_t i = 0; i < n; ++i) prefix_[i + 1] = step(prefix_[i], s[i]);
  for (std::size_t i = n; i-- > 0;) {
    suffix_[i] = suffix_[i + 1] + (static_cast<unsigned char>(s[i]) + 1U) * kPowers.p[n - 1 - i];
  }
}

std::uint64_t DeletionHashes::without(std::size_t i) const noexcept {
  const std::size_t n = s_.size();
  if (n > kMax) return hash_without(s_, i);
  const std::uint64_t h = prefix_[i] * kPowers.p[n - 1 - i] + suffix_[i + 1];
  return avalanche(h ^ (n - 1));
}

std::uint64_t DeletionHashes::whole() const noexcept {
  if (s_.size() > kMax) return hash_bytes(s_);
  return avalanche(prefix_[s_.size()] ^ s_.size());
}

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
  std::size_t i = 0;
  while (i < pending_.size()) {
    const std::uint64_t h = pending_[i].first;
    const auto begin = static_cast<std::uint32_t>(values_.size());
    while (i < pending_.size() && pending_[i].first == h) values_.push_back(pending_[i++].second);
    std::uint64_t slot = h & mask_;
    while (slots_[slot].count != 0) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{h, begin, static_cast<std::uint32_t>(values_.size()) - begin};
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

std::span<const std::uint32_t> HashIndex::find(std::uint64_t hash) const noexcept {
  if (slots_.empty()) return {};
  std::uint64_t slot = hash & mask_;
  while (slots_[slot].count != 0) {
    if (slots_[slot].hash == hash) {
      return {values_.data() + slots_[slot].begin, slots_[slot].count};
    }
    slot = (slot + 1) & mask_;
  }
  return {};
}

std::size_t HashIndex::memory_bytes() const noexcept {
  return values_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(Slot);
}

}  // namespace tg
