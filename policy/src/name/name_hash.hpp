// SPDX-License-Identifier: BSD-3-Clause
// The 64-bit hash of a name or any part of it, the one hash every index and the screen use:
// a polynomial hash xor the length, computable for every substring (and every substring with
// one byte deleted) in O(1) from prefix sums. It is not mixed: its low bits depend on few
// input bits, so tables place it by hashing::spread(), which takes the well-mixed high bits of
// one multiplication.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tg {

namespace hashing {

/// poly(s) = sum of (s[k] + 1) * kBase^(n - 1 - k), modulo 2^64; +1 so NUL bytes count.
inline constexpr std::uint64_t kBase = 0x100000001b3ULL;

/// Longest string whose substring hashes PrefixHashes computes.
inline constexpr std::size_t kMaxPrefix = 256;

/// kBase^0 .. kBase^kMaxPrefix.
struct Powers {
  std::uint64_t p[kMaxPrefix + 1]{};
  constexpr Powers() {
    p[0] = 1;
    for (std::size_t i = 1; i <= kMaxPrefix; ++i) p[i] = p[i - 1] * kBase;
  }
};
inline constexpr Powers kPowers;

/// poly(s + c) from poly(s).
constexpr std::uint64_t step(std::uint64_t h, char c) noexcept {
  return h * kBase + static_cast<unsigned char>(c) + 1U;
}

/// What a table places a hash by: multiplied by 2^64 / golden ratio, whose high bits depend
/// on every bit of the hash (Fibonacci hashing). Take slots and fingerprints from the top.
constexpr std::uint64_t spread(std::uint64_t h) noexcept { return h * 0x9E3779B97F4A7C15ULL; }

}  // namespace hashing

/// 64-bit hash of a byte string: its polynomial hash xor its length. Stable across runs.
[[nodiscard]] std::uint64_t hash_bytes(std::string_view s) noexcept;

/// hash_bytes(s with the byte at `skip` removed), without building that string.
[[nodiscard]] std::uint64_t hash_without(std::string_view s, std::size_t skip) noexcept;

/// The hash_bytes() of every substring of one string, and the hash_without() of every
/// substring with one byte deleted, each in O(1) after an O(n) set-up (prefix sums of the
/// polynomial hash). Strings of up to kMax bytes, given at once (assign) or by a reader that
/// hashes as it copies (set_prefix); no allocation. Everything is inline: it runs per query.
class PrefixHashes {
 public:
  static constexpr std::size_t kMax = hashing::kMaxPrefix;
  /// An empty string; assign() or set_prefix()/resize() give it content.
  PrefixHashes() noexcept { prefix_[0] = 0; }
  /// s.size() must be <= kMax.
  explicit PrefixHashes(std::string_view s) noexcept : PrefixHashes() { assign(s); }
  /// Back to the empty string.
  void clear() noexcept { size_ = 0; }
  /// Replaces the string with `s` (s.size() <= kMax).
  void assign(std::string_view s) noexcept {
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      h = hashing::step(h, s[i]);
      prefix_[i + 1] = h;
    }
    size_ = s.size();
  }
  /// For readers that hash while they copy, one byte at a time with hashing::step(): records
  /// poly(s[0, i)) (i >= 1, written in increasing order), then resize(n) ends the string at n.
  void set_prefix(std::size_t i, std::uint64_t poly) noexcept { prefix_[i] = poly; }
  void resize(std::size_t n) noexcept { size_ = n; }
  /// Bytes so far.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// hash_bytes(s.substr(begin, end - begin)); begin <= end <= size().
  [[nodiscard]] std::uint64_t hash(std::size_t begin, std::size_t end) const noexcept {
    return poly(begin, end) ^ (end - begin);
  }
  /// hash_without(s.substr(begin, end - begin), skip - begin); begin <= skip < end <= size().
  [[nodiscard]] std::uint64_t hash_without(std::size_t begin, std::size_t end,
                                           std::size_t skip) const noexcept {
    const std::uint64_t h =
        poly(begin, skip) * hashing::kPowers.p[end - skip - 1] + poly(skip + 1, end);
    return h ^ (end - begin - 1);
  }
  /// Calls fn(hash_without(begin, end, skip)) for skip = begin .. end - 1 until fn returns
  /// true; returns whether it did. A few instructions a deletion: with C = poly(begin, end)
  /// less the first byte's term, poly without s[i] = C' + B^(end-i-1) * (P[i] - P[i+1]).
  template <class Fn>
  [[nodiscard]] bool any_without(std::size_t begin, std::size_t end, Fn&& fn) const noexcept {
    return any_without_from(begin, end, begin, fn);
  }
  /// As any_without(), for skip = from .. end - 1 only (begin <= from).
  template <class Fn>
  [[nodiscard]] bool any_without_from(std::size_t begin, std::size_t end, std::size_t from,
                                      Fn&& fn) const noexcept {
    if (end <= begin) return false;
    const std::uint64_t base = prefix_[end] - prefix_[begin] * hashing::kPowers.p[end - begin - 1];
    const std::uint64_t length = end - begin - 1;
    for (std::size_t i = from; i < end; ++i) {
      const std::uint64_t h =
          base + hashing::kPowers.p[end - i - 1] * (prefix_[i] - prefix_[i + 1]);
      if (fn(h ^ length)) return true;
    }
    return false;
  }

 private:
  /// poly(s[begin, end)).
  [[nodiscard]] std::uint64_t poly(std::size_t begin, std::size_t end) const noexcept {
    return prefix_[end] - prefix_[begin] * hashing::kPowers.p[end - begin];
  }
  std::size_t size_ = 0;
  std::uint64_t prefix_[kMax + 1];  // poly(s[0, i)); only [0, size_] is written and read
};

/// The hashes of all one-byte deletions of one string, each in O(1) (PrefixHashes). Strings
/// longer than PrefixHashes::kMax bytes are hashed through hash_without instead. Equal to
/// hash_without(s, i) for every i.
class DeletionHashes {
 public:
  explicit DeletionHashes(std::string_view s) noexcept : s_(s), prefix_(fits(s) ? s : "") {}
  /// hash_without(s, i); i must be < s.size().
  [[nodiscard]] std::uint64_t without(std::size_t i) const noexcept {
    return fits(s_) ? prefix_.hash_without(0, s_.size(), i) : hash_without(s_, i);
  }
  /// hash_bytes(s).
  [[nodiscard]] std::uint64_t whole() const noexcept {
    return fits(s_) ? prefix_.hash(0, s_.size()) : hash_bytes(s_);
  }

 private:
  static bool fits(std::string_view s) noexcept { return s.size() <= PrefixHashes::kMax; }
  std::string_view s_;
  PrefixHashes prefix_;
};

}  // namespace tg
