// SPDX-License-Identifier: BSD-3-Clause
// UTF-8 decoding shared by the confusables table and the command's output.
#pragma once

#include <cstddef>
#include <string_view>

namespace tg {

/// One decoded position of a UTF-8 string.
struct Utf8Char {
  char32_t code_point = 0;  ///< the code point; for a malformed sequence, the lead byte's value
  std::size_t length = 1;   ///< bytes consumed (1 for a malformed sequence)
  bool valid = false;       ///< a well-formed sequence
};

/// Decodes the sequence at text[pos] (pos < text.size()). Well-formed means: no overlong form,
/// no surrogate, nothing above U+10FFFF, not truncated. A malformed sequence consumes one byte
/// and reports valid = false, so callers can always make progress. Never throws.
[[nodiscard]] constexpr Utf8Char decode_utf8(std::string_view text, std::size_t pos) noexcept {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const Utf8Char malformed{lead, 1, false};
  if (lead < 0x80U) return {lead, 1, true};
  std::size_t follow = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    follow = 1;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    follow = 2;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    follow = 3;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return malformed;
  }
  if (pos + follow >= text.size()) return malformed;
  for (std::size_t k = 1; k <= follow; ++k) {
    const auto b = static_cast<unsigned char>(text[pos + k]);
    if ((b & 0xC0U) != 0x80U) return malformed;
    value = (value << 6U) | (b & 0x3FU);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return malformed;
  return {value, follow + 1, true};
}

}  // namespace tg
