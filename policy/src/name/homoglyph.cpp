// SPDX-License-Identifier: BSD-3-Clause
// HomoglyphTable's life and its query-time look-ups (key, explain, glyphs_for). The data are
// in homoglyph_tables.cpp, the start-up build in homoglyph_build.cpp.
#include "name/homoglyph.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "name/ascii.hpp"
#include "name/homoglyph_impl.hpp"
#include "name/utf8.hpp"

namespace tg {

using homoglyph_detail::kInvisible;
using homoglyph_detail::kNoReading;
using homoglyph_detail::Strength;

namespace {

// explain() bounds its work: a DNS name is at most 255 bytes, and its U-label form at most
// about four times that. Longer input never matches.
constexpr std::size_t kMaxCandidateBytes = 1024;
constexpr std::size_t kMaxTargetBytes = 255;

constexpr char32_t kInvalidByte = 0x110000;  // + byte value: an undecodable byte

// A reading packed by pack_reading (homoglyph_build.cpp) as a string_view-able pair of chars.
struct Reading {
  std::array<char, 2> chars{};
  std::size_t size = 0;
  [[nodiscard]] std::string_view view() const noexcept { return {chars.data(), size}; }
};

Reading unpack_reading(std::uint16_t packed) noexcept {
  Reading r;
  r.chars[0] = static_cast<char>(packed & 0xFFU);
  r.chars[1] = static_cast<char>(packed >> 8U);
  r.size = r.chars[1] == 0 ? 1 : 2;
  return r;
}

// One decoded code point (or undecodable byte) of a UTF-8 string.
struct Decoded {
  char32_t cp = 0;
  std::size_t length = 1;  // bytes consumed
};

Decoded decode_glyph_char(std::string_view s, std::size_t i) noexcept {
  const Utf8Char u = tg::decode_utf8(s, i);
  return {u.valid ? u.code_point : kInvalidByte + u.code_point, u.length};
}

// A glyph of the candidate: a base code point plus any marks after it.
struct Cluster {
  std::size_t begin = 0;     // byte offset
  std::size_t end = 0;       // byte offset past the marks
  std::size_t position = 0;  // code-point index of the base
  Reading reading;           // size 0: reads as nothing ASCII
  bool plain = false;        // a single ASCII character (case-insensitive identity)
};

}  // namespace

HomoglyphTable::HomoglyphTable() : impl_(std::make_unique<Impl>()) { impl_->build(); }

HomoglyphTable::~HomoglyphTable() = default;

const HomoglyphTable& HomoglyphTable::instance() {
  static const HomoglyphTable kTable;
  return kTable;
}

std::string HomoglyphTable::key(std::string_view utf8) const {
  // Every code point yields at most as many bytes as it occupies, so the key fits in the
  // input's length.
  std::string out(utf8.size(), '\0');
  char* const buf = out.data();
  std::size_t len = 0;
  std::uint8_t last = 0;  // last class character written, for run collapsing
  const std::array<std::uint8_t, 128>& table = impl_->key_byte;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      append_key_byte(table[b], buf, len, last);
      ++i;
      continue;
    }
    const Decoded d = decode_glyph_char(utf8, i);
    const std::uint16_t r = d.cp < 0x10000 ? impl_->reading[d.cp] : kNoReading;
    if (r == kInvisible) {
      // nothing: a mark changes the look of its base, not the key
    } else if (r != kNoReading) {
      const Reading reading = unpack_reading(r);
      for (const char c : reading.view()) {
        append_key_byte(table[static_cast<unsigned char>(c)], buf, len, last);
      }
    } else {
      for (std::size_t k = 0; k < d.length; ++k) buf[len++] = utf8[i + k];
      last = 0;
    }
    i += d.length;
  }
  out.resize(len);
  return out;
}

const std::array<std::uint8_t, 128>& HomoglyphTable::ascii_key_bytes() const noexcept {
  return impl_->key_byte;
}

std::size_t HomoglyphTable::ascii_key(std::string_view ascii, char* out) const noexcept {
  std::size_t len = 0;
  std::uint8_t last = 0;
  const std::array<std::uint8_t, 128>& table = impl_->key_byte;
  for (const char c : ascii)
    append_key_byte(table[static_cast<unsigned char>(c) & 0x7FU], out, len, last);
  return len;
}

std::optional<HomoglyphEvidence> HomoglyphTable::explain(std::string_view candidate,
                                                         std::string_view target) const {
  if (candidate.size() > kMaxCandidateBytes || target.size() > kMaxTargetBytes) {
    return std::nullopt;
  }
  std::string want;
  want.reserve(target.size());
  for (const char c : target) {
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
    want.push_back(ascii_lower(c));
  }

  std::vector<Cluster> glyphs;
  glyphs.reserve(candidate.size());
  std::size_t position = 0;
  for (std::size_t i = 0; i < candidate.size();) {
    const Decoded d = decode_glyph_char(candidate, i);
    const std::uint16_t r = d.cp < 0x10000 ? impl_->reading[d.cp] : kNoReading;
    if (r == kInvisible && !glyphs.empty()) {
      glyphs.back().end = i + d.length;
      glyphs.back().plain = false;
    } else {
      Cluster g;
      g.begin = i;
      g.end = i + d.length;
      g.position = position;
      if (d.cp < 0x80) {
        g.plain = true;
        g.reading.chars[0] = ascii_lower(static_cast<char>(d.cp));
        g.reading.size = 1;
      } else if (r != kNoReading && r != kInvisible) {
        g.reading = unpack_reading(r);
      }
      glyphs.push_back(g);
    }
    ++position;
    i += d.length;
  }

  // cost[i][j]: reading glyphs[0, i) as want[0, j) with the fewest substituted glyphs, then
  // the fewest weak ones: substitutions * kSubstitution + weak substitutions.
  const std::size_t n = glyphs.size();
  const std::size_t m = want.size();
  constexpr std::uint32_t kInf = std::numeric_limits<std::uint32_t>::max();
  constexpr std::uint32_t kSubstitution = 1U << 16U;
  const std::size_t width = m + 1;
  std::vector<std::uint32_t> cost((n + 1) * width, kInf);
  std::vector<std::uint8_t> step(cost.size(), 0);  // (glyphs used << 2) | target chars used
  cost.front() = 0;
  const auto relax = [&](std::size_t i, std::size_t j, std::size_t gi, std::size_t tj,
                         std::uint32_t add) {
    const std::size_t to = (i + gi) * width + (j + tj);
    const std::uint32_t c = cost[i * width + j] + add;
    if (c < cost[to]) {
      cost[to] = c;
      step[to] = static_cast<std::uint8_t>((gi << 2U) | tj);
    }
  };
  const auto price = [](Strength s) { return kSubstitution + (s == Strength::Weak ? 1U : 0U); };
  for (std::size_t i = 0; i < n; ++i) {
    const Cluster& g = glyphs[i];
    if (g.reading.size == 0) continue;
    const std::string_view r = g.reading.view();
    std::array<char, 4> pair_buf{};
    std::size_t pair_size = 0;
    if (i + 1 < n && glyphs[i + 1].reading.size != 0) {
      for (const char c : r) pair_buf[pair_size++] = c;
      for (const char c : glyphs[i + 1].reading.view()) pair_buf[pair_size++] = c;
    }
    const std::string_view r2(pair_buf.data(), pair_size);
    for (std::size_t j = 0; j <= m; ++j) {
      if (cost[i * width + j] == kInf) continue;
      for (std::size_t len = 1; len <= 2 && j + len <= m; ++len) {
        const std::string_view t = std::string_view(want).substr(j, len);
        if (r == t) {
          relax(i, j, 1, len, (g.plain && len == 1) ? 0U : kSubstitution);
        } else if (const auto s1 = impl_->related(r, t)) {
          relax(i, j, 1, len, price(*s1));
        }
        if (!r2.empty()) {
          if (const auto s2 = impl_->related(r2, t)) relax(i, j, 2, len, price(*s2));
        }
      }
    }
  }
  const std::uint32_t total = cost[n * width + m];
  if (total == kInf || total == 0) return std::nullopt;

  // Walk back to the first substituted glyph.
  HomoglyphEvidence evidence;
  evidence.substitutions = total / kSubstitution;
  evidence.weak_substitutions = total % kSubstitution;
  std::size_t i = n;
  std::size_t j = m;
  while (i > 0) {
    const std::uint8_t s = step[i * width + j];
    const std::size_t gi = s >> 2U;
    const std::size_t tj = s & 3U;
    const std::size_t pi = i - gi;
    const std::size_t pj = j - tj;
    if (cost[i * width + j] / kSubstitution != cost[pi * width + pj] / kSubstitution) {
      evidence.glyph =
          std::string(candidate.substr(glyphs[pi].begin, glyphs[i - 1].end - glyphs[pi].begin));
      evidence.stands_for = want.substr(pj, tj);
      evidence.position = glyphs[pi].position;
    }
    i = pi;
    j = pj;
  }
  return evidence;
}

const std::vector<std::string>& HomoglyphTable::glyphs_for(std::string_view ascii) const {
  static const std::vector<std::string> kNone;
  const auto it = impl_->forward.find(ascii);
  return it == impl_->forward.end() ? kNone : it->second;
}

}  // namespace tg
