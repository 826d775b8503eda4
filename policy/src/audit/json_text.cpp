// SPDX-License-Identifier: BSD-3-Clause
#include "audit/json_text.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "name/utf8.hpp"

namespace tg::audit {
namespace {

constexpr char kHex[] = "0123456789abcdef";

/// Which bytes go into a JSON string as they are: printable ASCII except '"' and '\\'.
constexpr auto kPlainJson = [] {
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

char* put_u_escape(char* out, unsigned value) noexcept {
  *out++ = '\\';
  *out++ = 'u';
  *out++ = kHex[(value >> 12U) & 0xFU];
  *out++ = kHex[(value >> 8U) & 0xFU];
  *out++ = kHex[(value >> 4U) & 0xFU];
  *out++ = kHex[value & 0xFU];
  return out;
}

}  // namespace

std::size_t escape_json_into(char* out, std::string_view text) noexcept {
  char* const begin = out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Runs of plain bytes are found 8 at a time and copied at once.
    std::size_t run = pos;
    while (run + 8 <= text.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, text.data() + run, sizeof(w));
      if (!plain_word(w)) break;
      run += 8;
    }
    while (run < text.size() && kPlainJson[static_cast<unsigned char>(text[run])]) ++run;
    if (run > pos) {
      std::memcpy(out, text.data() + pos, run - pos);
      out += run - pos;
      pos = run;
      if (pos == text.size()) break;
    }
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (!c.valid) {
      out = put_u_escape(out, 0xFFFDU);
    } else if (c.code_point == U'"' || c.code_point == U'\\') {
      *out++ = '\\';
      *out++ = static_cast<char>(c.code_point);
    } else if (c.code_point < 0x10000U) {
      out = put_u_escape(out, static_cast<unsigned>(c.code_point));
    } else {  // four input bytes, twelve output bytes
      const auto v = static_cast<unsigned>(c.code_point) - 0x10000U;
      out = put_u_escape(out, 0xD800U + (v >> 10U));
      out = put_u_escape(out, 0xDC00U + (v & 0x3FFU));
    }
  }
  return static_cast<std::size_t>(out - begin);
}

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + 2 + kMaxJsonEscape * text.size());
  out[start] = '"';
  const std::size_t n = escape_json_into(out.data() + start + 1, text);
  out[start + 1 + n] = '"';
  out.resize(start + 2 + n);
}

}  // namespace tg::audit
