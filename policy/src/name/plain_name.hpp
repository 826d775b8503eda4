// SPDX-License-Identifier: BSD-3-Clause
// A wire-format name of plain host-name labels, read onto the stack in one pass together with
// its visual key and the prefix sums of both hashes: what the fast screen in front of the
// classifier works on (classify/screen.cpp). Most names a resolver sees are like this;
// anything else (IDN, odd bytes, malformed wire) goes the full way through NameInfo.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "name/name_hash.hpp"

namespace tg {

class HomoglyphTable;

/// Every byte the text of a plain name can hold: lower-case label bytes, and the dot.
inline constexpr std::string_view kPlainNameBytes = "abcdefghijklmnopqrstuvwxyz0123456789-_.";

/// A name whose labels are all made of A-Z a-z 0-9 '-' '_', lower-cased and joined with dots,
/// its visual key (HomoglyphTable::ascii_key of each label, joined with dots), and the hashes
/// of every substring of both. Holds everything in fixed arrays (about 5 KB, for the stack):
/// reading never allocates and never throws. Nothing is valid before read().
class PlainName {
 public:
  /// Most labels a name of 253 presentation bytes can have.
  static constexpr std::size_t kMaxLabels = 127;

  /// Reads the wire-format name `wire[0 .. len)`. Returns false, and the name must not be
  /// used, when it is not plain: malformed wire (a label running past `len`, a compression
  /// pointer, bytes after the root label, no root label), the root itself, an empty or
  /// over-long label, more than 253 presentation bytes, a byte other than A-Z a-z 0-9 '-' '_',
  /// or a label that begins with "xn--".
  /// `glyphs` gives the key of each byte.
  [[nodiscard]] bool read(const std::uint8_t* wire, std::size_t len,
                          const HomoglyphTable& glyphs) noexcept;

  /// Number of labels (at least 1 after a successful read()).
  [[nodiscard]] std::size_t label_count() const noexcept { return labels_; }
  /// The lower-case name, labels joined with '.', no trailing dot.
  [[nodiscard]] std::string_view text() const noexcept { return {text_.data(), size_}; }
  /// Offset of label `i` in text(); label_start(label_count()) is text().size() + 1, so label
  /// `i` always ends at label_start(i + 1) - 1.
  [[nodiscard]] std::size_t label_start(std::size_t i) const noexcept { return starts_[i]; }
  /// Label `i` (i < label_count()).
  [[nodiscard]] std::string_view label(std::size_t i) const noexcept {
    const std::size_t begin = starts_[i];
    const std::size_t end = starts_[i + 1];
    return text().substr(begin, end - 1 - begin);
  }
  /// Labels [i, label_count()) joined with dots (i < label_count()).
  [[nodiscard]] std::string_view tail(std::size_t i) const noexcept {
    return text().substr(starts_[i]);
  }
  /// hash_bytes()/hash_without() of any part of text(), in O(1).
  [[nodiscard]] const PrefixHashes& hashes() const noexcept { return hashes_; }

  /// The visual key: HomoglyphTable::key() of text(), which is the keys of the labels joined
  /// with dots (a label's key may be empty).
  [[nodiscard]] std::string_view key() const noexcept { return {key_.data(), key_size_}; }
  /// Offset of label `i`'s key in key(); key_start(label_count()) is key().size() + 1.
  [[nodiscard]] std::size_t key_start(std::size_t i) const noexcept { return key_starts_[i]; }
  /// hash_bytes() of any part of key(), in O(1).
  [[nodiscard]] const PrefixHashes& key_hashes() const noexcept { return key_hashes_; }

 private:
  // Written by read() as far as it is read back: no zeroing on the query path.
  std::array<char, 256> text_;                       // NOLINT(*-member-init)
  std::array<std::uint8_t, kMaxLabels + 2> starts_;  // NOLINT(*-member-init)
  PrefixHashes hashes_;
  std::array<char, 256> key_;                            // NOLINT(*-member-init)
  std::array<std::uint8_t, kMaxLabels + 2> key_starts_;  // NOLINT(*-member-init)
  PrefixHashes key_hashes_;
  std::size_t labels_ = 0;
  std::size_t size_ = 0;
  std::size_t key_size_ = 0;
};

}  // namespace tg
