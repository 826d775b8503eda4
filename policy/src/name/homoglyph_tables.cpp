// SPDX-License-Identifier: BSD-3-Clause
// The hand-written data behind HomoglyphTable. Everything else comes from ICU at start-up
// (homoglyph_build.cpp).
#include <array>

#include "name/homoglyph_impl.hpp"

namespace tg::homoglyph_detail {
namespace {

// ASCII look-alikes: `glyph` (as it appears in a candidate, after Unicode folding) reads as
// `target`; each pair also holds the other way round. Kept or left out by measurement against
// dnstwist's homoglyph fuzzer (recall) and /usr/share/dict/words pairs (false positives).
// Strong pairs are shapes that coincide; weak pairs are letters a hurried reader swaps. A
// multi-character glyph also matches with its characters swapped for strong look-alikes
// ("1h" for h, "ci" for d), the way dnstwist's second pass produces them.
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

}  // namespace

std::span<const AsciiGlyph> ascii_glyphs() noexcept { return kAsciiGlyphs; }

std::span<const HandFold> hand_folds() noexcept { return kHandFolds; }

std::span<const Block> scanned_blocks() noexcept { return kBlocks; }

}  // namespace tg::homoglyph_detail
