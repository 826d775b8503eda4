// SPDX-License-Identifier: BSD-3-Clause
// Internal to the HomoglyphTable files, never included elsewhere: what its three parts share.
//   homoglyph_tables.cpp  the hand-written data (ASCII look-alikes, letters ICU does not map,
//                         the Unicode blocks read at start-up)
//   homoglyph_build.cpp   the build at start-up: every code point read through ICU, the pairs
//                         and the key's classes derived from the data
//   homoglyph.cpp         the table's life and its query-time look-ups: key(), explain()
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "name/homoglyph.hpp"

namespace tg {
namespace homoglyph_detail {

/// How an ASCII look-alike pair reads: shapes that coincide, or letters a hurried reader swaps.
enum class Strength : unsigned char { Strong, Weak };

/// An ASCII look-alike: `glyph` (as it appears in a candidate, after Unicode folding) reads as
/// `target`, and the other way round.
struct AsciiGlyph {
  std::string_view glyph;
  std::string_view target;
  Strength strength;
};

/// A letter that looks like a Latin letter or digit where ICU does not say so.
struct HandFold {
  char32_t cp;
  char ascii;
  bool decorated;  ///< the letter carries a hook, stroke or tail (ranked after plain shapes)
};

/// A range of code points, both ends included.
struct Block {
  char32_t first;
  char32_t last;
};

// The hand-written tables (homoglyph_tables.cpp): views of static data, never fail.
/// The ASCII look-alike pairs, in the order glyphs_for() offers them.
[[nodiscard]] std::span<const AsciiGlyph> ascii_glyphs() noexcept;
/// The letters read by hand before ICU is asked.
[[nodiscard]] std::span<const HandFold> hand_folds() noexcept;
/// The Unicode blocks whose code points the build reads.
[[nodiscard]] std::span<const Block> scanned_blocks() noexcept;

/// Entries of Impl::reading besides the packed readings.
inline constexpr std::uint16_t kNoReading = 0;
inline constexpr std::uint16_t kInvisible = 0xFFFF;  ///< combining mark or format character

/// Packs a glyph (up to 4 ASCII chars) and a target (up to 2) into one sortable key.
[[nodiscard]] constexpr std::uint64_t pair_key(std::string_view glyph,
                                               std::string_view target) noexcept {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    k = (k << 8U) | (i < glyph.size() ? static_cast<unsigned char>(glyph[i]) : 0U);
  }
  for (std::size_t i = 0; i < 2; ++i) {
    k = (k << 8U) | (i < target.size() ? static_cast<unsigned char>(target[i]) : 0U);
  }
  return k;
}

}  // namespace homoglyph_detail

/// The table's data: filled by build() (homoglyph_build.cpp), read-only afterwards.
struct HomoglyphTable::Impl {
  // What each BMP code point reads as: kNoReading, kInvisible, or 1-2 packed ASCII chars.
  std::vector<std::uint16_t> reading =
      std::vector<std::uint16_t>(0x10000, homoglyph_detail::kNoReading);
  // Key byte of each ASCII byte: 0 = dropped from keys, else the class character, with
  // kKeyCollapses set when runs of that class collapse to one character.
  std::array<std::uint8_t, 128> key_byte{};
  // (glyph, target) pair_keys of ASCII look-alikes, both directions, sorted, by strength.
  std::vector<std::uint64_t> strong_pairs;
  std::vector<std::uint64_t> weak_pairs;
  std::map<std::string, std::vector<std::string>, std::less<>> forward;

  /// Fills every member from the tables and ICU. Throws std::runtime_error when ICU's spoof
  /// checker or normalizers cannot be opened, std::bad_alloc.
  void build();
  void build_pairs();
  void build_key_classes();
  /// How strongly `glyph` reads as `target` among the ASCII pairs, if it does.
  [[nodiscard]] std::optional<homoglyph_detail::Strength> related(std::string_view glyph,
                                                                  std::string_view target) const {
    using homoglyph_detail::Strength;
    const std::uint64_t k = homoglyph_detail::pair_key(glyph, target);
    if (std::binary_search(strong_pairs.begin(), strong_pairs.end(), k)) return Strength::Strong;
    if (std::binary_search(weak_pairs.begin(), weak_pairs.end(), k)) return Strength::Weak;
    return std::nullopt;
  }
};

}  // namespace tg
