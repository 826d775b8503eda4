// SPDX-License-Identifier: BSD-3-Clause
// The one JSON string escaper of typoguard, shared by the event log and the `typoguard`
// command: pure-ASCII output whatever the input bytes, so a line is valid JSON and survives
// any log pipeline.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "name/utf8.hpp"

namespace tg::audit {

namespace json_detail {

inline constexpr char kHex[] = "0123456789abcdef";

/// Which bytes go into a JSON string as they are: printable ASCII except '"' and '\\'.
inline constexpr auto kPlainJson = [] {
  std::array<bool, 256> plain{};
  for (unsigned b = 0x20; b < 0x7F; ++b) plain[b] = b != '"' && b != '\\';
  return plain;
}();

/// Whether all 8 bytes of `w` are plain (kPlainJson), tested at once: no byte with the high bit,
/// below 0x20, DEL, '"' or '\\'.
constexpr bool plain_word(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  return (w & kHigh) == 0 && ((w - kOnes * 0x20) & ~w & kHigh) == 0 &&
         !has_zero(w ^ (kOnes * 0x7F)) && !has_zero(w ^ (kOnes * '"')) &&
         !has_zero(w ^ (kOnes * '\\'));
}

inline char* put_u_escape(char* out, unsigned value) noexcept {
  *out++ = '\\';
  *out++ = 'u';
  *out++ = kHex[(value >> 12U) & 0xFU];
  *out++ = kHex[(value >> 8U) & 0xFU];
  *out++ = kHex[(value >> 4U) & 0xFU];
  *out++ = kHex[value & 0xFU];
  return out;
}

}  // namespace json_detail

/// Most output bytes one input byte can become (\u00XX, or \ufffd for a malformed byte).
inline constexpr std::size_t kMaxJsonEscape = 6;

/// Writes `text` (UTF-8, possibly malformed) as the body of a JSON string (no quotes) into
/// out[0 ..), which must have room for kMaxJsonEscape * text.size() bytes; returns the bytes
/// written. '"' and '\\' are backslash-escaped, control characters and DEL become \u00XX,
/// other non-ASCII code points \uXXXX (surrogate pairs above U+FFFF), each byte that is not
/// part of valid UTF-8 \ufffd. A JSON parser gives back the text (malformed bytes as U+FFFD).
/// No allocation; never throws. Inline: the event line calls it for every text field.
inline std::size_t escape_json_into(char* out, std::string_view text) noexcept {
  char* const begin = out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Runs of plain bytes are found 8 at a time and copied at once.
    std::size_t run = pos;
    while (run + 8 <= text.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, text.data() + run, sizeof(w));
      if (!json_detail::plain_word(w)) break;
      run += 8;
    }
    while (run < text.size() && json_detail::kPlainJson[static_cast<unsigned char>(text[run])])
      ++run;
    if (run > pos) {
      std::memcpy(out, text.data() + pos, run - pos);
      out += run - pos;
      pos = run;
      if (pos == text.size()) break;
    }
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (!c.valid) {
      out = json_detail::put_u_escape(out, 0xFFFDU);
    } else if (c.code_point == U'"' || c.code_point == U'\\') {
      *out++ = '\\';
      *out++ = static_cast<char>(c.code_point);
    } else if (c.code_point < 0x10000U) {
      out = json_detail::put_u_escape(out, static_cast<unsigned>(c.code_point));
    } else {  // four input bytes, twelve output bytes
      const auto v = static_cast<unsigned>(c.code_point) - 0x10000U;
      out = json_detail::put_u_escape(out, 0xD800U + (v >> 10U));
      out = json_detail::put_u_escape(out, 0xDC00U + (v & 0x3FFU));
    }
  }
  return static_cast<std::size_t>(out - begin);
}

/// The same, appended to `out` between double quotes. Throws std::bad_alloc only.
void append_json_string(std::string& out, std::string_view text);

}  // namespace tg::audit
