// SPDX-License-Identifier: BSD-3-Clause
// The techniques by which a name can be a look-alike of a protected domain.
// Their names reach the SOC's events as `rule.name`: the enum values and names are
// append-only (add new ones at the end; never renumber or rename an existing one).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tg {

// Adding a technique touches, in this order (tests/unit/technique.test.cpp and the vector and
// variants tests fail until the engine side and the YANG side agree):
//   1. this enum (at the end), kTechniqueCount and kPrecedence below;
//   2. technique_name's table (technique.cpp), and is_label_edit / TechniqueSet::defaults;
//   3. the `technique` typedef's enum in policy/yang/typoguard@<revision>.yang (same value);
//   4. the probe in classify/classifier.cpp (ProtectedIndex::Query) and, when it needs its
//      own keys, the tables ProtectedIndex builds;
//   5. the mirrored probe in classify/screen.cpp, or the screen hides the new look-alikes;
//   6. its generator in variants/variants.cpp;
//   7. docs/detection.md (technique table, precedence), the lists in docs/policy-reference.md
//      and docs/event-log.md, and rows in tests/vectors/detection.csv.

/// One way a name can imitate a protected domain (see docs/detection.md for each).
enum class Technique : std::uint8_t {
  None = 0,
  SuffixTypo = 1,      ///< one edit inside the public suffix: army.ml, gmail.om
  DotShift = 2,        ///< the dot moved across the label/suffix boundary: armym.il
  MissingDot = 3,      ///< a dot dropped, the rest re-registered: armymil.com, wwwarmy.mil
  DotToHyphen = 4,     ///< a dot became a hyphen: army-mil.com
  SuffixAppended = 5,  ///< a further public suffix after the real one: army.mil.ml
  Subdomain = 6,       ///< a dot inserted inside the label: ar.my.mil
  Omission = 7,        ///< a character dropped: arm.mil
  Insertion = 8,       ///< a neighbouring key inserted: aermy.mil
  Addition = 9,        ///< a character added at either end: army1.mil
  Replacement = 10,    ///< a neighbouring key typed instead: atmy.mil
  Transposition = 11,  ///< two neighbours swapped: amry.mil
  Repetition = 12,     ///< a character doubled: arrmy.mil
  VowelSwap = 13,      ///< one vowel for another: ermy.mil
  Bitsquatting = 14,   ///< one bit flipped in one character: arly.mil
  Hyphenation = 15,    ///< a hyphen inserted: ar-my.mil
  Plural = 16,         ///< an s / es inserted or appended: armys.mil
  Homoglyph = 17,      ///< looks the same (ASCII or Unicode confusables): arrny.mil
  TldSwap = 18,        ///< the same label under another suffix (off by default): army.com
  BlockedSuffix = 19,  ///< any name under a suffix the policy blocks: anything.ml
};

/// Number of enumerators including None; technique values are < kTechniqueCount.
inline constexpr std::size_t kTechniqueCount = 20;

/// All techniques except None, in the documented precedence order: when several techniques
/// explain the same name, the one listed first is reported; an explanation by one edit always
/// beats a combination of a label typo with a suffix typo.
inline constexpr std::array<Technique, kTechniqueCount - 1> kPrecedence{
    Technique::SuffixTypo,    Technique::DotShift,       Technique::MissingDot,
    Technique::DotToHyphen,   Technique::SuffixAppended, Technique::Homoglyph,
    Technique::Subdomain,     Technique::Transposition,  Technique::Repetition,
    Technique::Omission,      Technique::Hyphenation,    Technique::Plural,
    Technique::Insertion,     Technique::VowelSwap,      Technique::Bitsquatting,
    Technique::Replacement,   Technique::Addition,       Technique::TldSwap,
    Technique::BlockedSuffix,
};

/// Rank of a technique in kPrecedence (0 = reported first); None ranks last.
[[nodiscard]] int precedence_rank(Technique t) noexcept;

/// Stable kebab-case name used in policies and events ("suffix-typo"); "none" for None.
[[nodiscard]] std::string_view technique_name(Technique t) noexcept;

/// Inverse of technique_name; std::nullopt for an unknown name (never throws).
[[nodiscard]] std::optional<Technique> technique_from_name(std::string_view name) noexcept;

/// True for techniques that edit the registrable label and are therefore subject to the
/// short-label safeguard (suffix techniques and homoglyphs apply at any length).
[[nodiscard]] bool is_label_edit(Technique t) noexcept;

/// A set of techniques, as a bit mask indexed by the enum value.
class TechniqueSet {
 public:
  constexpr TechniqueSet() noexcept = default;
  /// The set a policy gets when it names none: every technique except tld-swap and
  /// blocked-suffix (which is driven by the blocked-suffix list, not per domain).
  [[nodiscard]] static TechniqueSet defaults() noexcept;
  /// Every technique.
  [[nodiscard]] static TechniqueSet all() noexcept;
  constexpr void insert(Technique t) noexcept { bits_ |= bit(t); }
  constexpr void erase(Technique t) noexcept { bits_ &= ~bit(t); }
  [[nodiscard]] constexpr bool contains(Technique t) const noexcept {
    return (bits_ & bit(t)) != 0;
  }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint32_t mask() const noexcept { return bits_; }
  friend constexpr bool operator==(TechniqueSet, TechniqueSet) noexcept = default;

 private:
  static constexpr std::uint32_t bit(Technique t) noexcept {
    return std::uint32_t{1} << static_cast<unsigned>(t);
  }
  std::uint32_t bits_ = 0;
};

}  // namespace tg
