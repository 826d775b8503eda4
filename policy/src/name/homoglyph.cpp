// SPDX-License-Identifier: BSD-3-Clause
#include "name/homoglyph.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include "name/ascii.hpp"
#include "name/idna.hpp"
#include "name/utf8.hpp"

namespace tg {
namespace {

// ---------------------------------------------------------------------------------------------
// Hand-written data. Everything else comes from ICU at start-up.
// ---------------------------------------------------------------------------------------------

// ASCII look-alikes: `glyph` (as it appears in a candidate, after Unicode folding) reads as
// `target`; each pair also holds the other way round. Kept or left out by measurement against
// dnstwist's homoglyph fuzzer (recall) and /usr/share/dict/words pairs (false positives).
// Strong pairs are shapes that coincide; weak pairs are letters a hurried reader swaps. A
// multi-character glyph also matches with its characters swapped for strong look-alikes
// ("1h" for h, "ci" for d), the way dnstwist's second pass produces them.
enum class Strength : unsigned char { Strong, Weak };
struct AsciiGlyph {
  std::string_view glyph;
  std::string_view target;
  Strength strength;
};
constexpr std::array kAsciiGlyphs{
    AsciiGlyph{"0", "o", Strength::Strong},   // digit zero and o: the same oval in most fonts
    AsciiGlyph{"1", "l", Strength::Strong},   // digit one and l: one vertical stroke (UTS #39)
    AsciiGlyph{"1", "i", Strength::Strong},   // digit one and i: one vertical stroke
    AsciiGlyph{"l", "i", Strength::Strong},   // l and i: a stroke with or without a dot
    AsciiGlyph{"5", "s", Strength::Strong},   // digit five and s; also U+01BD (tone five, ICU: s)
    AsciiGlyph{"3", "8", Strength::Strong},   // digits three and eight: 8 closes 3's left side
    AsciiGlyph{"6", "9", Strength::Strong},   // digits six and nine: one glyph turned over
    AsciiGlyph{"rn", "m", Strength::Strong},  // r then n is the classic m (UTS #39's skeleton)
    AsciiGlyph{"rr", "m", Strength::Strong},  // two r's set tight read as m
    AsciiGlyph{"nn", "m", Strength::Strong},  // two n's set tight read as m
    AsciiGlyph{"vv", "w", Strength::Strong},  // two v's read as w
    AsciiGlyph{"cl", "d", Strength::Strong},  // c then l reads as d
    AsciiGlyph{"dl", "d", Strength::Strong},  // a stray stroke after d vanishes into its stem
    AsciiGlyph{"lb", "b", Strength::Strong},  // a stray stroke before b vanishes into its stem
    AsciiGlyph{"lh", "h", Strength::Strong},  // a stray stroke before h vanishes into its stem
    AsciiGlyph{"lk", "k", Strength::Strong},  // a stray stroke before k vanishes into its stem
    AsciiGlyph{"lc", "k", Strength::Strong},  // l then c reads as k (stem plus open arms)
    AsciiGlyph{"m", "n", Strength::Weak},     // m and n differ by one arch
    AsciiGlyph{"n", "r", Strength::Weak},     // r is n without its right leg
    AsciiGlyph{"b", "d", Strength::Weak},     // b and d are mirror images
    AsciiGlyph{"c", "e", Strength::Weak},     // e is c with a bar
    AsciiGlyph{"g", "q", Strength::Weak},     // one-storey g is q with a hooked tail
};
// Measured and left out: u/v (no dnstwist output needs it; 52 dictionary pairs such as
// value/valve), chains of weak pairs such as "r" or "mn" for m (dnstwist's second pass makes
// them, but they no longer look like the target).

// Letters that look like a Latin letter or digit but that UTS #39 (as shipped in ICU 72) does
// not map to ASCII: whole-script Cyrillic and Greek look-alikes, and the non-ASCII prototypes
// ICU's skeletons use (small capitals, kra, turned letters). Consulted before ICU, so an entry
// here also overrides ICU's reading. Lower-case only; capitals go through their lower case.
struct HandFold {
  char32_t cp;
  char ascii;
  bool decorated;  // the letter carries a hook, stroke or tail (ranked after plain shapes)
};
constexpr std::array kHandFolds{
    // Cyrillic
    HandFold{U'\u0432', 'b', false},  // в: small-capital B shape
    HandFold{U'\u043A', 'k', false},  // к: small-capital K shape
    HandFold{U'\u043C', 'm', false},  // м: small-capital M shape
    HandFold{U'\u043D', 'h', false},  // н: small-capital H shape
    HandFold{U'\u043F', 'n', false},  // п: an n with a flat top
    HandFold{U'\u0442', 't', false},  // т: small-capital T shape
    HandFold{U'\u0448', 'w', false},  // ш: a w with square bottoms
    HandFold{U'\u0449', 'w', false},  // щ: ш with a tail
    HandFold{U'\u044A', 'b', true},   // ъ: b with a flag on its stem
    HandFold{U'\u044C', 'b', false},  // ь: b without the top of its stem
    HandFold{U'\u0454', 'e', false},  // є: an e whose bar stops short
    HandFold{U'\u0491', 'r', true},   // ґ: г (which reads r) with an upturn
    HandFold{U'\u049B', 'k', true},   // қ: к with a descender
    HandFold{U'\u049D', 'k', true},   // ҝ: к with a vertical stroke
    HandFold{U'\u049F', 'k', true},   // ҟ: к with a stroke
    HandFold{U'\u04A3', 'h', true},   // ң: н with a descender
    HandFold{U'\u04AD', 't', true},   // ҭ: т with a descender
    HandFold{U'\u04C4', 'k', true},   // ӄ: к with a hook
    HandFold{U'\u04C8', 'h', true},   // ӈ: н with a hook
    HandFold{U'\u04CA', 'h', true},   // ӊ: н with a tail
    HandFold{U'\u04CE', 'm', true},   // ӎ: м with a tail
    HandFold{U'\u04D9', 'a', false},  // ә: schwa, read as a (see U+0259)
    HandFold{U'\u050D', 'g', false},  // ԍ: small-capital G shape
    HandFold{U'\u051F', 'k', false},  // ԟ: Aleut ka, a k
    // Greek
    HandFold{U'\u03B2', 'b', false},  // β: b with a descender
    HandFold{U'\u03B5', 'e', false},  // ε: open e
    HandFold{U'\u03BA', 'k', false},  // κ: small-capital K shape
    HandFold{U'\u03BC', 'u', false},  // μ: u with a descender on the left
    HandFold{U'\u03C0', 'n', false},  // π: an n with an overhanging top
    HandFold{U'\u03C2', 'c', true},   // ς: c with a tail
    HandFold{U'\u03C4', 't', false},  // τ: t without the ascender
    HandFold{U'\u03C7', 'x', false},  // χ: x with a descending stroke
    HandFold{U'\u03C9', 'w', false},  // ω: a rounded w
    // Latin-1, Latin Extended A/B, IPA
    HandFold{U'\u00F0', 'd', true},   // ð: d with a crossed ascender
    HandFold{U'\u00FE', 'p', true},   // þ: p with an ascender
    HandFold{U'\u0138', 'k', false},  // ĸ: small-capital K shape (ICU's prototype for к, κ, ᴋ)
    HandFold{U'\u0140', 'l', true},   // ŀ: l followed by a middle dot
    HandFold{U'\u014B', 'n', true},   // ŋ: n with a descender
    HandFold{U'\u0185', 'b', false},  // ƅ: tone six, a b without the top of its stem (ICU: ь)
    HandFold{U'\u0188', 'c', true},   // ƈ: c with a hook
    HandFold{U'\u01AB', 't', true},   // ƫ: t with a palatal hook
    HandFold{U'\u01DD', 'a', false},  // ǝ: turned e, looks like schwa (ICU's prototype for ə)
    HandFold{U'\u0221', 'd', true},   // ȡ: d with a curl
    HandFold{U'\u0234', 'l', true},   // ȴ: l with a curl
    HandFold{U'\u0235', 'n', true},   // ȵ: n with a curl
    HandFold{U'\u0236', 't', true},   // ȶ: t with a curl
    HandFold{U'\u0237', 'j', false},  // ȷ: dotless j
    HandFold{U'\u023F', 's', true},   // ȿ: s with a swash tail
    HandFold{U'\u0240', 'z', true},   // ɀ: z with a swash tail
    HandFold{U'\u024B', 'q', true},   // ɋ: q with a hook tail
    HandFold{U'\u0255', 'c', true},   // ɕ: c with a curl
    HandFold{U'\u0259', 'a', true},   // ə: schwa, a closed bowl with a tail, read as a
    HandFold{U'\u025B', 'e', false},  // ɛ: open e
    HandFold{U'\u025C', '3', false},  // ɜ: reversed open e, a 3
    HandFold{U'\u0260', 'g', true},   // ɠ: g with a hook
    HandFold{U'\u0262', 'g', false},  // ɢ: small-capital G (ICU's prototype for ԍ)
    HandFold{U'\u0267', 'h', true},   // ɧ: h with a hook
    HandFold{U'\u026C', 'l', true},   // ɬ: l with a belt
    HandFold{U'\u026D', 'l', true},   // ɭ: l with a retroflex hook
    HandFold{U'\u0272', 'n', true},   // ɲ: n with a left hook
    HandFold{U'\u0273', 'n', true},   // ɳ: n with a retroflex hook
    HandFold{U'\u0274', 'n', false},  // ɴ: small-capital N
    HandFold{U'\u027E', 'r', true},   // ɾ: r with a fishhook
    HandFold{U'\u0280', 'r', false},  // ʀ: small-capital R
    HandFold{U'\u0288', 't', true},   // ʈ: t with a retroflex hook
    HandFold{U'\u0289', 'u', true},   // ʉ: u with a bar
    HandFold{U'\u028D', 'm', false},  // ʍ: turned w, an m shape (ICU's prototype for м, ᴍ)
    HandFold{U'\u0291', 'z', true},   // ʑ: z with a curl
    HandFold{U'\u0292', '3', false},  // ʒ: ezh, a 3 on the baseline
    HandFold{U'\u0299', 'b', false},  // ʙ: small-capital B (ICU's prototype for в)
    HandFold{U'\u029C', 'h', false},  // ʜ: small-capital H (ICU's prototype for н)
    HandFold{U'\u029D', 'j', true},   // ʝ: j with a crossed tail
    HandFold{U'\u029F', 'l', false},  // ʟ: small-capital L
    HandFold{U'\u021D', '3', false},  // ȝ: yogh, a 3 (ICU's prototype for ʒ)
    // Phonetic extensions and their supplement
    HandFold{U'\u1D00', 'a', false},  // ᴀ: small-capital A
    HandFold{U'\u1D05', 'd', false},  // ᴅ: small-capital D
    HandFold{U'\u1D07', 'e', false},  // ᴇ: small-capital E
    HandFold{U'\u1D0A', 'j', false},  // ᴊ: small-capital J
    HandFold{U'\u1D0C', 'l', true},   // ᴌ: small-capital L with a stroke
    HandFold{U'\u1D18', 'p', false},  // ᴘ: small-capital P
    HandFold{U'\u1D1B', 't', false},  // ᴛ: small-capital T (ICU's prototype for т, τ)
    HandFold{U'\u1D26', 'r', false},  // ᴦ: small-capital gamma, an r
    HandFold{U'\u1D28', 'n', false},  // ᴨ: small-capital pi, an n
    HandFold{U'\u1D29', 'p', false},  // ᴩ: small-capital rho, a p
    HandFold{U'\u1D6C', 'b', true},   // ᵬ: b with a middle tilde
    HandFold{U'\u1D6D', 'd', true},   // ᵭ: d with a middle tilde
    HandFold{U'\u1D6E', 'f', true},   // ᵮ: f with a middle tilde
    HandFold{U'\u1D6F', 'm', true},   // ᵯ: m with a middle tilde
    HandFold{U'\u1D70', 'n', true},   // ᵰ: n with a middle tilde
    HandFold{U'\u1D71', 'p', true},   // ᵱ: p with a middle tilde
    HandFold{U'\u1D72', 'r', true},   // ᵲ: r with a middle tilde
    HandFold{U'\u1D73', 'r', true},   // ᵳ: r with fishhook and middle tilde
    HandFold{U'\u1D74', 's', true},   // ᵴ: s with a middle tilde
    HandFold{U'\u1D75', 't', true},   // ᵵ: t with a middle tilde
    HandFold{U'\u1D76', 'z', true},   // ᵶ: z with a middle tilde
    HandFold{U'\u1D80', 'b', true},   // ᶀ: b with a palatal hook
    HandFold{U'\u1D81', 'd', true},   // ᶁ: d with a palatal hook
    HandFold{U'\u1D82', 'f', true},   // ᶂ: f with a palatal hook
    HandFold{U'\u1D83', 'g', true},   // ᶃ: g with a palatal hook
    HandFold{U'\u1D84', 'k', true},   // ᶄ: k with a palatal hook
    HandFold{U'\u1D85', 'l', true},   // ᶅ: l with a palatal hook
    HandFold{U'\u1D86', 'm', true},   // ᶆ: m with a palatal hook
    HandFold{U'\u1D87', 'n', true},   // ᶇ: n with a palatal hook
    HandFold{U'\u1D88', 'p', true},   // ᶈ: p with a palatal hook
    HandFold{U'\u1D89', 'r', true},   // ᶉ: r with a palatal hook
    HandFold{U'\u1D8A', 's', true},   // ᶊ: s with a palatal hook
    HandFold{U'\u1D8C', 'v', true},   // ᶌ: v with a palatal hook (ICU: y; reads v)
    HandFold{U'\u1D8D', 'x', true},   // ᶍ: x with a palatal hook
    HandFold{U'\u1D8E', 'z', true},   // ᶎ: z with a palatal hook
    HandFold{U'\u1D8F', 'a', true},   // ᶏ: a with a retroflex hook
    HandFold{U'\u1D91', 'd', true},   // ᶑ: d with hook and tail
    HandFold{U'\u1D92', 'e', true},   // ᶒ: e with a retroflex hook
    HandFold{U'\u1D96', 'i', true},   // ᶖ: i with a retroflex hook
    HandFold{U'\u1D99', 'u', true},   // ᶙ: u with a retroflex hook
    // Letterlike symbols
    HandFold{U'\u212E', 'e', false},  // ℮: estimated sign, an e
    // Latin Extended-C
    HandFold{U'\u2C61', 'l', true},  // ⱡ: l with a double bar
    HandFold{U'\u2C65', 'a', true},  // ⱥ: a with a stroke
    HandFold{U'\u2C66', 't', true},  // ⱦ: t with a diagonal stroke
    HandFold{U'\u2C68', 'h', true},  // ⱨ: h with a descender
    HandFold{U'\u2C6A', 'k', true},  // ⱪ: k with a descender
    HandFold{U'\u2C6C', 'z', true},  // ⱬ: z with a descender
    HandFold{U'\u2C71', 'v', true},  // ⱱ: v with a right hook
    HandFold{U'\u2C73', 'w', true},  // ⱳ: w with a hook
    HandFold{U'\u2C74', 'v', true},  // ⱴ: v with a curl
    HandFold{U'\u2C78', 'e', true},  // ⱸ: e with a notch
    HandFold{U'\u2C7A', 'o', true},  // ⱺ: o with a low ring inside
    // Latin Extended-D
    HandFold{U'\uA741', 'k', true},   // ꝁ: k with a stroke
    HandFold{U'\uA743', 'k', true},   // ꝃ: k with a diagonal stroke
    HandFold{U'\uA745', 'k', true},   // ꝅ: k with both strokes
    HandFold{U'\uA747', 'l', false},  // ꝇ: broken l
    HandFold{U'\uA749', 'l', true},   // ꝉ: l with a high stroke
    HandFold{U'\uA74D', 'o', true},   // ꝍ: o with a loop
    HandFold{U'\uA751', 'p', true},   // ꝑ: p with a stroke through the descender
    HandFold{U'\uA753', 'p', true},   // ꝓ: p with a flourish
    HandFold{U'\uA755', 'p', true},   // ꝕ: p with a squirrel tail
    HandFold{U'\uA757', 'q', true},   // ꝗ: q with a stroke through the descender
    HandFold{U'\uA759', 'q', true},   // ꝙ: q with a diagonal stroke
    HandFold{U'\uA75B', 'r', false},  // ꝛ: r rotunda
    HandFold{U'\uA75F', 'v', true},   // ꝟ: v with a diagonal stroke
    HandFold{U'\uA791', 'n', true},   // ꞑ: n with a descender
    HandFold{U'\uA793', 'e', true},   // ꞓ: c with a bar, an e (ICU's prototype for ε, є, ɛ)
    HandFold{U'\uA794', 'c', true},   // ꞔ: c with a palatal hook
    HandFold{U'\uA797', 'b', true},   // ꞗ: b with a flourish
    HandFold{U'\uA7A1', 'g', true},   // ꞡ: g with an oblique stroke
    HandFold{U'\uA7A3', 'k', true},   // ꞣ: k with an oblique stroke
    HandFold{U'\uA7A5', 'n', true},   // ꞥ: n with an oblique stroke
    HandFold{U'\uA7A7', 'r', true},   // ꞧ: r with an oblique stroke
    HandFold{U'\uA7A9', 's', true},   // ꞩ: s with an oblique stroke
    HandFold{U'\uA7B5', 'b', false},  // ꞵ: Latin beta
    HandFold{U'\uA7B7', 'w', false},  // ꞷ: Latin omega
    HandFold{U'\uA7B9', 'u', true},   // ꞹ: u with a stroke
    HandFold{U'\uA7C8', 'd', true},   // ꟈ: d with a short stroke
    HandFold{U'\uA7CA', 's', true},   // ꟊ: s with a short stroke
    // Latin Extended-E
    HandFold{U'\uAB30', 'a', true},   // ꬰ: barred alpha
    HandFold{U'\uAB33', 'e', true},   // ꬳ: barred e
    HandFold{U'\uAB34', 'e', true},   // ꬴ: e with a flourish
    HandFold{U'\uAB36', 'g', true},   // ꬶ: script g with a crossed tail
    HandFold{U'\uAB37', 'l', true},   // ꬷ: l with an inverted lazy s
    HandFold{U'\uAB38', 'l', true},   // ꬸ: l with a double middle tilde
    HandFold{U'\uAB39', 'l', true},   // ꬹ: l with a middle ring
    HandFold{U'\uAB3A', 'm', true},   // ꬺ: m with a crossed tail
    HandFold{U'\uAB3B', 'n', true},   // ꬻ: n with a crossed tail
    HandFold{U'\uAB49', 'r', true},   // ꭉ: r with a crossed tail
    HandFold{U'\uAB4B', 'r', false},  // ꭋ: script r
    HandFold{U'\uAB4C', 'r', true},   // ꭌ: script r with a ring
    HandFold{U'\uAB4E', 'u', true},   // ꭎ: u with a short right leg
    HandFold{U'\uAB4F', 'u', true},   // ꭏ: u bar with a short right leg
    HandFold{U'\uAB52', 'u', true},   // ꭒ: u with a left hook
    HandFold{U'\uAB53', 'x', false},  // ꭓ: Latin chi
    HandFold{U'\uAB56', 'x', true},   // ꭖ: x with a low right ring
    HandFold{U'\uAB57', 'x', true},   // ꭗ: x with a long left leg
    HandFold{U'\uAB58', 'x', true},   // ꭘ: x with a long left leg and low right ring
    HandFold{U'\uAB59', 'x', true},   // ꭙ: x with a long left leg and serif
};

// Blocks scanned at start-up. Cherokee has no hand entries, so only ICU's readings count
// there; most of its letters look like capitals, which glyphs_for() leaves out.
struct Block {
  char32_t first;
  char32_t last;
};
constexpr std::array kBlocks{
    Block{0x00A0, 0x024F},  // Latin-1 Supplement, Latin Extended-A and -B
    Block{0x0250, 0x02AF},  // IPA Extensions
    Block{0x0370, 0x03FF},  // Greek and Coptic
    Block{0x0400, 0x052F},  // Cyrillic, Cyrillic Supplement
    Block{0x0530, 0x058F},  // Armenian
    Block{0x13A0, 0x13FF},  // Cherokee
    Block{0x1D00, 0x1DBF},  // Phonetic Extensions and Supplement
    Block{0x1E00, 0x1EFF},  // Latin Extended Additional
    Block{0x2100, 0x214F},  // Letterlike Symbols
    Block{0x2C60, 0x2C7F},  // Latin Extended-C
    Block{0xA720, 0xA7FF},  // Latin Extended-D
    Block{0xAB30, 0xABBF},  // Latin Extended-E, Cherokee Supplement
    Block{0xFF01, 0xFF5E},  // Fullwidth ASCII
};

// Forward direction: at most this many Unicode look-alikes per ASCII character.
constexpr std::size_t kMaxUnicodeGlyphs = 8;

// explain() bounds its work: a DNS name is at most 255 bytes, and its U-label form at most
// about four times that. Longer input never matches.
constexpr std::size_t kMaxCandidateBytes = 1024;
constexpr std::size_t kMaxTargetBytes = 255;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

constexpr std::uint16_t kNoReading = 0;
constexpr std::uint16_t kInvisible = 0xFFFF;  // combining mark or format character
constexpr char32_t kInvalidByte = 0x110000;   // + byte value: an undecodable byte
constexpr std::uint8_t kCollapses = HomoglyphTable::kKeyCollapses;  // key_byte flag

bool is_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::uint16_t pack_reading(std::string_view ascii) noexcept {
  const auto first = static_cast<unsigned char>(ascii[0]);
  const auto second = ascii.size() > 1 ? static_cast<unsigned char>(ascii[1]) : 0U;
  return static_cast<std::uint16_t>(first | (second << 8U));
}

// A reading packed by pack_reading as a string_view-able pair of chars.
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

std::string to_utf8(char32_t cp) {
  std::string out;
  icu::UnicodeString(static_cast<UChar32>(cp)).toUTF8String(out);
  return out;
}

// Packs a glyph (up to 4 ASCII chars) and a target (up to 2) into one sortable key.
std::uint64_t pair_key(std::string_view glyph, std::string_view target) noexcept {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    k = (k << 8U) | (i < glyph.size() ? static_cast<unsigned char>(glyph[i]) : 0U);
  }
  for (std::size_t i = 0; i < 2; ++i) {
    k = (k << 8U) | (i < target.size() ? static_cast<unsigned char>(target[i]) : 0U);
  }
  return k;
}

struct SpoofCloser {
  void operator()(USpoofChecker* p) const noexcept { uspoof_close(p); }
};

// True when `text` may stand inside an IDNA2008 label as it is (not mapped, not rejected).
bool idna_valid_inside(const std::string& text) {
  const std::string label = "x" + text + "x";
  const std::optional<std::string> ascii = to_a_label(label);
  if (!ascii) return false;
  const std::optional<std::string> back = to_u_label(*ascii);
  return back && label == *back;
}

// ---------------------------------------------------------------------------------------------
// Start-up: reading each code point with ICU
// ---------------------------------------------------------------------------------------------

// How convincing a code point's reading is; the forward direction offers better tiers first
// and never offers capital shapes (DNS names are shown in lower case).
enum class Tier : unsigned char {
  Confusable = 0,   // UTS #39 maps it straight to ASCII: Cyrillic а, Greek ο, dotless ı
  WholeScript = 1,  // a hand entry here, or ICU's prototype read through one: м, ԍ, κ
  Marked = 2,       // reads as ASCII once accents, hooks or strokes are ignored: á, ŕ, ł
  Capital = 3,      // looks like an upper-case ASCII letter: Cherokee Ꭺ (A), Ᏼ (B)
};

struct Fold {
  std::string ascii;  // 1-2 lower-case letters or digits; empty when none
  Tier tier = Tier::Confusable;
};

class Reader {
 public:
  Reader() {
    UErrorCode status = U_ZERO_ERROR;
    spoof_.reset(uspoof_open(&status));
    if (U_FAILURE(status) || !spoof_) throw std::runtime_error("ICU spoof checker unavailable");
    nfd_ = icu::Normalizer2::getNFDInstance(status);
    nfkd_ = icu::Normalizer2::getNFKDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU normalizer unavailable");
    for (const HandFold& h : kHandFolds) hand_.emplace(h.cp, h);
  }

  // What `cp` reads as: hand entries first, then the UTS #39 skeleton, then the canonical and
  // the compatibility decomposition, each with marks dropped.
  [[nodiscard]] Fold read(char32_t cp) const {
    if (const auto it = hand_.find(lower_cp(cp)); it != hand_.end()) {
      return {std::string(1, it->second.ascii),
              it->second.decorated ? Tier::Marked : Tier::WholeScript};
    }
    if (Fold f = from_skeleton(cp); !f.ascii.empty()) return f;
    if (Fold f = from_normalizer(cp, *nfd_); !f.ascii.empty()) return f;
    return from_normalizer(cp, *nfkd_);
  }

 private:
  static char32_t lower_cp(char32_t cp) {
    return static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp)));
  }

  // Maps the characters of `text` to ASCII: marks are dropped, ASCII is lower-cased, hand
  // entries apply. Empty when something has no ASCII reading or the result is not 1-2
  // letters/digits.
  [[nodiscard]] Fold to_ascii(const icu::UnicodeString& text) const {
    Fold f;
    bool capital = false;
    for (int32_t i = 0; i < text.length();) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      const auto type = static_cast<UCharCategory>(u_charType(c));
      if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || c == '\'' || c == 0x02BC) {
        f.tier = std::max(f.tier, Tier::Marked);  // ICU writes some hooks as apostrophes
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        // Capitals shaped like their lower case (and I, which UTS #39 already spells l) pass.
        capital |=
            std::string_view("COSUVWXZ").find(static_cast<char>(c)) == std::string_view::npos;
        f.ascii.push_back(ascii_lower(static_cast<char>(c)));
      } else if (c < 0x80) {
        f.ascii.push_back(static_cast<char>(c));
      } else if (const auto it = hand_.find(lower_cp(static_cast<char32_t>(c)));
                 it != hand_.end()) {
        f.ascii.push_back(it->second.ascii);
        f.tier = std::max(f.tier, it->second.decorated ? Tier::Marked : Tier::WholeScript);
      } else {
        return {};
      }
    }
    if (f.ascii == "rn") f.ascii = "m";  // UTS #39 spells m as "rn"
    if (f.ascii.empty() || f.ascii.size() > 2) return {};
    for (const char c : f.ascii) {
      if (!is_alnum(c)) return {};
    }
    if (capital) f.tier = Tier::Capital;
    return f;
  }

  [[nodiscard]] Fold from_skeleton(char32_t cp) const {
    const std::string utf8 = to_utf8(cp);
    std::array<char, 64> buf{};
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n =
        uspoof_getSkeletonUTF8(spoof_.get(), 0, utf8.c_str(), static_cast<int32_t>(utf8.size()),
                               buf.data(), static_cast<int32_t>(buf.size()), &status);
    if (U_FAILURE(status) || n <= 0) return {};
    const icu::UnicodeString skeleton =
        icu::UnicodeString::fromUTF8(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    status = U_ZERO_ERROR;
    // A skeleton that is only the NFD of the code point is no confusable mapping.
    if (skeleton == nfd_->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status)) {
      return {};
    }
    return to_ascii(skeleton);
  }

  [[nodiscard]] Fold from_normalizer(char32_t cp, const icu::Normalizer2& norm) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed =
        norm.normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
    if (U_FAILURE(status) || decomposed == icu::UnicodeString(static_cast<UChar32>(cp))) {
      return {};
    }
    // A decomposition into non-ASCII letters (ё → е + ̈) reads as what those letters read as.
    icu::UnicodeString base;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 c = decomposed.char32At(i);
      i += U16_LENGTH(c);
      if (c >= 0x80 && u_charType(c) != U_NON_SPACING_MARK) {
        if (const Fold inner = from_skeleton(static_cast<char32_t>(c)); !inner.ascii.empty()) {
          base.append(icu::UnicodeString::fromUTF8(inner.ascii));
          continue;
        }
      }
      base.append(c);
    }
    Fold f = to_ascii(base);
    if (!f.ascii.empty()) f.tier = std::max(f.tier, Tier::Marked);
    return f;
  }

  std::unique_ptr<USpoofChecker, SpoofCloser> spoof_;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfkd_ = nullptr;
  std::map<char32_t, HandFold> hand_;
};

// Union-find over ASCII bytes, for the key's equivalence classes.
class AsciiClasses {
 public:
  AsciiClasses() {
    for (std::size_t i = 0; i < parent_.size(); ++i) parent_[i] = static_cast<unsigned char>(i);
  }
  unsigned char find(unsigned char c) {
    while (parent_[c] != c) {
      parent_[c] = parent_[parent_[c]];
      c = parent_[c];
    }
    return c;
  }
  bool unite(unsigned char a, unsigned char b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (b < a) std::swap(a, b);
    parent_[b] = a;  // the smaller character represents the class
    return true;
  }

 private:
  std::array<unsigned char, 128> parent_{};
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

struct HomoglyphTable::Impl {
  // What each BMP code point reads as: kNoReading, kInvisible, or 1-2 packed ASCII chars.
  std::vector<std::uint16_t> reading = std::vector<std::uint16_t>(0x10000, kNoReading);
  // Key byte of each ASCII byte: 0 = dropped from keys, else the class character, with
  // kCollapses set when runs of that class collapse to one character.
  std::array<std::uint8_t, 128> key_byte{};
  // (glyph, target) pair_keys of ASCII look-alikes, both directions, sorted, by strength.
  std::vector<std::uint64_t> strong_pairs;
  std::vector<std::uint64_t> weak_pairs;
  std::map<std::string, std::vector<std::string>, std::less<>> forward;

  void build();
  void build_pairs();
  void build_key_classes();
  [[nodiscard]] std::optional<Strength> related(std::string_view glyph,
                                                std::string_view target) const {
    const std::uint64_t k = pair_key(glyph, target);
    if (std::binary_search(strong_pairs.begin(), strong_pairs.end(), k)) return Strength::Strong;
    if (std::binary_search(weak_pairs.begin(), weak_pairs.end(), k)) return Strength::Weak;
    return std::nullopt;
  }
};

void HomoglyphTable::Impl::build() {
  build_pairs();

  // ASCII never goes through `reading`: key() and explain() handle it directly.
  // Invisible code points attach to the glyph before them.
  for (UChar32 cp = 0x80; cp < 0x10000; ++cp) {
    const auto type = static_cast<UCharCategory>(u_charType(cp));
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR) {
      reading[static_cast<std::size_t>(cp)] = kInvisible;
    }
  }

  const Reader reader;
  struct UnicodeGlyph {
    Tier tier;
    char32_t cp;
    std::string text;
  };
  std::map<std::string, std::vector<UnicodeGlyph>, std::less<>> unicode_glyphs;
  for (const Block& block : kBlocks) {
    for (char32_t cp = block.first; cp <= block.last; ++cp) {
      if (!u_isdefined(static_cast<UChar32>(cp)) ||
          reading[static_cast<std::size_t>(cp)] != kNoReading) {
        continue;
      }
      Fold fold = reader.read(cp);
      if (fold.ascii.empty()) continue;
      reading[static_cast<std::size_t>(cp)] = pack_reading(fold.ascii);
      std::string text = to_utf8(cp);
      if (fold.tier != Tier::Capital && idna_valid_inside(text)) {
        unicode_glyphs[fold.ascii].push_back({fold.tier, cp, std::move(text)});
      }
    }
  }

  // Forward glyphs: ASCII look-alikes in table order, then the best Unicode ones.
  for (const AsciiGlyph& g : kAsciiGlyphs) {
    for (const auto& [from, to] : {std::pair{g.glyph, g.target}, std::pair{g.target, g.glyph}}) {
      auto& list = forward[std::string(to)];
      if (std::find(list.begin(), list.end(), from) == list.end()) list.emplace_back(from);
    }
  }
  for (auto& [ascii, glyphs] : unicode_glyphs) {
    std::stable_sort(glyphs.begin(), glyphs.end(), [](const auto& a, const auto& b) {
      return a.tier != b.tier ? a.tier < b.tier : a.cp < b.cp;
    });
    auto& list = forward[ascii];
    for (std::size_t i = 0; i < glyphs.size() && i < kMaxUnicodeGlyphs; ++i) {
      list.push_back(glyphs[i].text);
    }
  }

  build_key_classes();
}

void HomoglyphTable::Impl::build_pairs() {
  // Strong single-character look-alikes, for spelling multi-character glyphs differently.
  std::array<std::string, 128> alternatives;
  for (unsigned c = 0; c < 128; ++c) alternatives[c] = std::string(1, static_cast<char>(c));
  for (const AsciiGlyph& g : kAsciiGlyphs) {
    if (g.strength != Strength::Strong || g.glyph.size() != 1 || g.target.size() != 1) continue;
    alternatives[static_cast<unsigned char>(g.glyph[0])].push_back(g.target[0]);
    alternatives[static_cast<unsigned char>(g.target[0])].push_back(g.glyph[0]);
  }
  for (const AsciiGlyph& g : kAsciiGlyphs) {
    auto& list = g.strength == Strength::Strong ? strong_pairs : weak_pairs;
    list.push_back(pair_key(g.glyph, g.target));
    list.push_back(pair_key(g.target, g.glyph));
    if (g.glyph.size() < 2) continue;
    // Every spelling of the glyph with its characters swapped for strong look-alikes.
    std::vector<std::string> spellings{""};
    for (const char c : g.glyph) {
      std::vector<std::string> next;
      for (const std::string& prefix : spellings) {
        for (const char alt : alternatives[static_cast<unsigned char>(c)])
          next.push_back(prefix + alt);
      }
      spellings = std::move(next);
    }
    for (const std::string& spelling : spellings) list.push_back(pair_key(spelling, g.target));
  }
  for (auto* list : {&strong_pairs, &weak_pairs}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
}

// Derives the key's classes from the look-alike pairs so that every pair explain() may use
// maps both sides to the same key. Characters in the class of 'l' (strokes: l, i, 1) are
// dropped from keys, so "cl"/"d", "lb"/"b", "lk"/"k" need only c~d; classes used by multi-char
// glyphs of one character ("rn"/"m", "vv"/"w") collapse runs.
void HomoglyphTable::Impl::build_key_classes() {
  AsciiClasses classes;
  std::array<bool, 128> collapse_root{};
  const auto dropped = [&](char c) {
    return classes.find(static_cast<unsigned char>(c)) == classes.find('l');
  };
  const auto strip = [&](std::string_view s) {
    std::string out;
    for (const char c : s) {
      if (!dropped(c)) out.push_back(c);
    }
    return out;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (const AsciiGlyph& g : kAsciiGlyphs) {
      const std::string a = strip(g.glyph);
      const std::string b = strip(g.target);
      if (a.size() == b.size()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          changed |=
              classes.unite(static_cast<unsigned char>(a[i]), static_cast<unsigned char>(b[i]));
        }
        continue;
      }
      // Different lengths: everything on both sides joins one collapsing class (or the
      // dropped class when one side vanished).
      const std::string all = a + b;
      const unsigned char anchor = (a.empty() || b.empty()) ? static_cast<unsigned char>('l')
                                                            : static_cast<unsigned char>(all[0]);
      for (const char c : all) changed |= classes.unite(anchor, static_cast<unsigned char>(c));
      if (!a.empty() && !b.empty()) {
        const unsigned char root = classes.find(anchor);
        changed |= !collapse_root[root];
        collapse_root[root] = true;
      }
    }
    // Collapse marks must follow their class's current root.
    for (unsigned c = 0; c < 128; ++c) {
      if (collapse_root[c] && classes.find(static_cast<unsigned char>(c)) != c) {
        collapse_root[c] = false;
        collapse_root[classes.find(static_cast<unsigned char>(c))] = true;
        changed = true;
      }
    }
  }
  for (unsigned c = 0; c < 128; ++c) {
    const char ch = ascii_lower(static_cast<char>(c));
    const auto u = static_cast<unsigned char>(ch);
    if (is_alnum(ch)) {
      const unsigned char root = classes.find(u);
      key_byte[c] = dropped(ch)
                        ? 0U
                        : static_cast<std::uint8_t>(root | (collapse_root[root] ? kCollapses : 0U));
    } else {
      key_byte[c] = static_cast<std::uint8_t>(ch);
    }
  }
}

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

namespace {

// A glyph of the candidate: a base code point plus any marks after it.
struct Cluster {
  std::size_t begin = 0;     // byte offset
  std::size_t end = 0;       // byte offset past the marks
  std::size_t position = 0;  // code-point index of the base
  Reading reading;           // size 0: reads as nothing ASCII
  bool plain = false;        // a single ASCII character (case-insensitive identity)
};

}  // namespace

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
