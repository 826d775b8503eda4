// SPDX-License-Identifier: BSD-3-Clause
// Building HomoglyphTable at start-up (never on the query path): every code point of the
// scanned blocks read through ICU (UTS #39 skeletons, NFD and NFKD without marks, the hand
// entries), the look-alike pairs and the key's classes derived from the tables.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include "name/ascii.hpp"
#include "name/homoglyph_impl.hpp"
#include "name/idna.hpp"

namespace tg {

using homoglyph_detail::ascii_glyphs;
using homoglyph_detail::AsciiGlyph;
using homoglyph_detail::Block;
using homoglyph_detail::hand_folds;
using homoglyph_detail::HandFold;
using homoglyph_detail::kInvisible;
using homoglyph_detail::kNoReading;
using homoglyph_detail::pair_key;
using homoglyph_detail::scanned_blocks;
using homoglyph_detail::Strength;

namespace {

// Forward direction: at most this many Unicode look-alikes per ASCII character.
constexpr std::size_t kMaxUnicodeGlyphs = 8;

constexpr std::uint8_t kCollapses = HomoglyphTable::kKeyCollapses;  // key_byte flag

bool is_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::uint16_t pack_reading(std::string_view ascii) noexcept {
  const auto first = static_cast<unsigned char>(ascii[0]);
  const auto second = ascii.size() > 1 ? static_cast<unsigned char>(ascii[1]) : 0U;
  return static_cast<std::uint16_t>(first | (second << 8U));
}

std::string to_utf8(char32_t cp) {
  std::string out;
  icu::UnicodeString(static_cast<UChar32>(cp)).toUTF8String(out);
  return out;
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

// How convincing a code point's reading is; the forward direction offers better tiers first
// and never offers capital shapes (DNS names are shown in lower case).
enum class Tier : unsigned char {
  Confusable = 0,   // UTS #39 maps it straight to ASCII: Cyrillic а, Greek ο, dotless ı
  WholeScript = 1,  // a hand entry (tables), or ICU's prototype read through one: м, ԍ, κ
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
    for (const HandFold& h : hand_folds()) hand_.emplace(h.cp, h);
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
  for (const Block& block : scanned_blocks()) {
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
  for (const AsciiGlyph& g : ascii_glyphs()) {
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
  for (const AsciiGlyph& g : ascii_glyphs()) {
    if (g.strength != Strength::Strong || g.glyph.size() != 1 || g.target.size() != 1) continue;
    alternatives[static_cast<unsigned char>(g.glyph[0])].push_back(g.target[0]);
    alternatives[static_cast<unsigned char>(g.target[0])].push_back(g.glyph[0]);
  }
  for (const AsciiGlyph& g : ascii_glyphs()) {
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
    for (const AsciiGlyph& g : ascii_glyphs()) {
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

}  // namespace tg
