// SPDX-License-Identifier: BSD-3-Clause
// variants(P): generate candidates technique by technique, then keep each one that the real
// classifier attributes to P, under the technique it reports. The list is therefore exactly a
// (bounded) part of what classify() accepts, never a separate opinion of it.
#include "variants/variants.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <span>
#include <string_view>

#include "classify/edits.hpp"
#include "classify/protected_index.hpp"
#include "engine/snapshot.hpp"
#include "name/ascii.hpp"
#include "name/homoglyph.hpp"
#include "name/idna.hpp"
#include "name/psl.hpp"

namespace tg {
namespace {

constexpr std::string_view kHostAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";

// Suffixes a missing-dot / dot-to-hyphen / appended / swapped name is most often registered
// under: the big generic TLDs and the ccTLDs that are frequent typo targets.
constexpr std::array<std::string_view, 16> kCommonSuffixes{"com", "net", "org", "info", "biz", "co",
                                                           "cm",  "om",  "ml",  "ne",   "io",  "us",
                                                           "uk",  "de",  "ru",  "cn"};

// The host labels variants() glues on: the first four of kHostPrefixes (www, mail, smtp, mx),
// the commonest; classify() accepts all of them.
constexpr auto kVariantHostPrefixes = std::span(kHostPrefixes).first<4>();

class Generator {
 public:
  Generator(const Snapshot& snapshot, const ProtectedEntry& entry, const VariantOptions& options)
      : snapshot_(snapshot), e_(entry), options_(options), psl_(PublicSuffixList::instance()) {}

  std::vector<Variant> run() {
    suffix_typos();
    dot_edits();
    joined();
    appended();
    label_edits();
    tld_swaps();
    homoglyphs();
    std::vector<Variant> out(found_.begin(), found_.end());
    std::sort(out.begin(), out.end(), [](const Variant& a, const Variant& b) {
      const int ra = precedence_rank(a.technique);
      const int rb = precedence_rank(b.technique);
      return ra != rb ? ra < rb : a.name < b.name;
    });
    return out;
  }

 private:
  struct Less {
    bool operator()(const Variant& a, const Variant& b) const { return a.name < b.name; }
  };

  // Confirms a candidate with the classifier and records it under the reported technique.
  void consider(const std::string& name) {
    // A single label is a TLD look-up, not a domain a sender could type into an address.
    if (name.empty() || name == e_.full || name.find('.') == std::string::npos) return;
    const Match m = snapshot_.classify(name);
    if (!m.is_lookalike() || m.protected_domain != e_.full) return;
    // Whichever generator produced it, a name that changes the suffix must land in a real one.
    if ((m.technique == Technique::SuffixTypo || m.technique == Technique::DotShift) &&
        !lands_in_real_suffix(name)) {
      return;
    }
    if (options_.only && *options_.only != m.technique) return;
    if (m.technique == Technique::Homoglyph && options_.homoglyph_limit != 0 &&
        homoglyph_count_ >= options_.homoglyph_limit) {
      return;
    }
    const auto [it, inserted] = found_.insert(Variant{name, m.technique});
    (void)it;
    if (inserted && m.technique == Technique::Homoglyph) ++homoglyph_count_;
  }

  // The name's public suffix is one the PSL lists (not merely the "*" rule).
  [[nodiscard]] bool lands_in_real_suffix(const std::string& name) const {
    if (options_.unreal_suffixes) return true;
    const bool priv = snapshot_.policy().private_suffixes;
    const std::string_view suffix = last_labels(name, psl_.suffix_labels(name, priv));
    return psl_.is_public_suffix(suffix, priv, true);
  }

  // A suffix counts as real when the PSL lists it or its last labels (m.il -> il).
  [[nodiscard]] bool real_suffix(std::string_view suffix) const {
    if (options_.unreal_suffixes) return true;
    while (true) {
      if (psl_.is_public_suffix(suffix, snapshot_.policy().private_suffixes, true)) return true;
      const std::size_t dot = suffix.find('.');
      if (dot == std::string_view::npos) return false;
      suffix.remove_prefix(dot + 1);
    }
  }

  void with_suffix(std::string_view label, std::string_view suffix) {
    if (!real_suffix(suffix)) return;
    consider(std::string(label) + "." + std::string(suffix));
  }

  // Every single edit inside the suffix, including an inserted dot.
  void suffix_typos() {
    const std::string& s = e_.suffix;
    for (std::size_t i = 0; i < s.size(); ++i) {
      with_suffix(e_.label, s.substr(0, i) + s.substr(i + 1));
      if (i + 1 < s.size()) {
        std::string t = s;
        std::swap(t[i], t[i + 1]);
        with_suffix(e_.label, t);
      }
      for (const char c : kHostAlphabet) {
        std::string t = s;
        t[i] = c;
        with_suffix(e_.label, t);
      }
    }
    for (std::size_t i = 0; i <= s.size(); ++i) {
      for (const char c : kHostAlphabet) with_suffix(e_.label, s.substr(0, i) + c + s.substr(i));
      if (i > 0 && i < s.size()) with_suffix(e_.label, s.substr(0, i) + "." + s.substr(i));
    }
  }

  // Edits of the dots themselves: moved (dot-shift), dropped, turned into hyphens.
  void dot_edits() {
    const std::string& f = e_.full;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '.') continue;
      std::string left = f;
      std::swap(left[i - 1], left[i]);
      std::string right = f;
      std::swap(right[i], right[i + 1]);
      for (const std::string& t : {left, right}) {
        const std::size_t dot = t.find('.');
        if (dot != std::string::npos && real_suffix(std::string_view(t).substr(dot + 1)))
          consider(t);
      }
      consider(f.substr(0, i) + f.substr(i + 1));
      consider(f.substr(0, i) + "-" + f.substr(i + 1));
    }
  }

  // armymil.com, army-mil.com, wwwarmy.mil, www-army.mil.
  void joined() {
    std::string joined_all;
    std::string hyphenated_all;
    for (const char c : e_.full) {
      joined_all.push_back(c == '.' ? '\0' : c);
      hyphenated_all.push_back(c == '.' ? '-' : c);
    }
    joined_all.erase(std::remove(joined_all.begin(), joined_all.end(), '\0'), joined_all.end());
    for (const std::string_view s : kCommonSuffixes) {
      consider(joined_all + "." + std::string(s));
      consider(hyphenated_all + "." + std::string(s));
    }
    consider(joined_all + "." + e_.suffix);
    consider(hyphenated_all + "." + e_.suffix);
    for (const std::string_view p : kVariantHostPrefixes) {
      consider(std::string(p) + e_.full);
      consider(std::string(p) + "-" + e_.full);
    }
  }

  void appended() {
    for (const std::string_view s : kCommonSuffixes) consider(e_.full + "." + std::string(s));
  }

  void label_edits() {
    const std::string& p = e_.label;
    const std::string tail = "." + e_.suffix;
    const auto put = [&](const std::string& label) { consider(label + tail); };
    for (std::size_t i = 0; i < p.size(); ++i) {
      put(p.substr(0, i) + p.substr(i + 1));     // omission
      put(p.substr(0, i) + p[i] + p.substr(i));  // repetition
      if (i + 1 < p.size()) {                    // transposition
        std::string t = p;
        std::swap(t[i], t[i + 1]);
        put(t);
      }
      for (const char c : keyboard_neighbours_of(p[i])) {  // replacement
        std::string t = p;
        t[i] = c;
        put(t);
        put(p.substr(0, i) + c + p.substr(i));          // insertion before
        put(p.substr(0, i + 1) + c + p.substr(i + 1));  // insertion after
      }
      for (const char v : std::string_view("aeiou")) {  // vowel-swap
        if (is_vowel(p[i]) && v != p[i]) {
          std::string t = p;
          t[i] = v;
          put(t);
        }
      }
      for (unsigned bit = 0; bit < 8; ++bit) {  // bitsquatting
        const auto c = static_cast<char>(static_cast<unsigned char>(p[i]) ^ (1U << bit));
        if (is_ldh_char(c)) {
          std::string t = p;
          t[i] = c;
          put(t);
        }
      }
      if (i > 0) {
        put(p.substr(0, i) + "-" + p.substr(i));              // hyphenation
        consider(p.substr(0, i) + "." + p.substr(i) + tail);  // subdomain
        put(p.substr(0, i) + "s" + p.substr(i));              // plural (inside)
      }
    }
    put(p + "s");
    put(p + "es");
    for (const char c : kHostAlphabet) {  // addition
      if (c == '-') continue;
      put(c + p);
      put(p + c);
    }
  }

  void tld_swaps() {
    if (!e_.techniques.contains(Technique::TldSwap)) return;
    for (const std::string_view s : kCommonSuffixes) consider(e_.label + "." + std::string(s));
  }

  // Glyph substitutions (one, then two), in A-label form.
  void homoglyphs() {
    const HomoglyphTable& glyphs = HomoglyphTable::instance();
    std::vector<std::string> singles;
    const std::string& f = e_.full;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] == '.') continue;
      for (std::size_t width = 1; width <= 2 && i + width <= f.size(); ++width) {
        const std::string_view piece = std::string_view(f).substr(i, width);
        if (piece.find('.') != std::string_view::npos) continue;
        for (const std::string& g : glyphs.glyphs_for(piece)) {
          singles.push_back(f.substr(0, i) + g + f.substr(i + width));
        }
      }
    }
    for (const std::string& s : singles) consider(to_ascii(s));
    if (options_.homoglyph_limit != 0 && homoglyph_count_ >= options_.homoglyph_limit) return;
    for (const std::string& s : singles) {
      // a second substitution on an ASCII position of each single one
      for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || s[i] == '.') continue;
        for (const std::string& g : glyphs.glyphs_for(std::string_view(s).substr(i, 1))) {
          consider(to_ascii(s.substr(0, i) + g + s.substr(i + 1)));
          if (options_.homoglyph_limit != 0 && homoglyph_count_ >= options_.homoglyph_limit) return;
        }
      }
    }
  }

  static std::string to_ascii(const std::string& utf8) {
    return to_a_label(utf8).value_or(std::string());
  }

  const Snapshot& snapshot_;
  const ProtectedEntry& e_;
  const VariantOptions& options_;
  const PublicSuffixList& psl_;
  std::set<Variant, Less> found_;
  std::size_t homoglyph_count_ = 0;
};

}  // namespace

std::vector<Variant> variants(const Snapshot& snapshot, std::string_view domain,
                              const VariantOptions& options) {
  for (const ProtectedEntry& e : snapshot.index().entries()) {
    if (e.full == domain) return Generator(snapshot, e, options).run();
  }
  return {};
}

}  // namespace tg
