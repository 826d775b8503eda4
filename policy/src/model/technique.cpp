// SPDX-License-Identifier: BSD-3-Clause
#include "model/technique.hpp"

namespace tg {
namespace {

constexpr std::array<std::string_view, kTechniqueCount> kNames{
    "none",          "suffix-typo",     "dot-shift",    "missing-dot",
    "dot-to-hyphen", "suffix-appended", "subdomain",    "omission",
    "insertion",     "addition",        "replacement",  "transposition",
    "repetition",    "vowel-swap",      "bitsquatting", "hyphenation",
    "plural",        "homoglyph",       "tld-swap",     "blocked-suffix",
};

}  // namespace

namespace {

constexpr std::array<int, kTechniqueCount> make_ranks() {
  std::array<int, kTechniqueCount> ranks{};
  ranks.fill(static_cast<int>(kPrecedence.size()));
  for (std::size_t i = 0; i < kPrecedence.size(); ++i) {
    ranks[static_cast<std::size_t>(kPrecedence[i])] = static_cast<int>(i);
  }
  return ranks;
}
constexpr std::array<int, kTechniqueCount> kRanks = make_ranks();

}  // namespace

int precedence_rank(Technique t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < kRanks.size() ? kRanks[i] : static_cast<int>(kPrecedence.size());
}

std::string_view technique_name(Technique t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < kNames.size() ? kNames[i] : std::string_view{"none"};
}

std::optional<Technique> technique_from_name(std::string_view name) noexcept {
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Technique>(i);
  }
  return std::nullopt;
}

bool is_label_edit(Technique t) noexcept {
  switch (t) {
    case Technique::Subdomain:
    case Technique::Omission:
    case Technique::Insertion:
    case Technique::Addition:
    case Technique::Replacement:
    case Technique::Transposition:
    case Technique::Repetition:
    case Technique::VowelSwap:
    case Technique::Bitsquatting:
    case Technique::Hyphenation:
    case Technique::Plural:
      return true;
    default:
      return false;
  }
}

TechniqueSet TechniqueSet::defaults() noexcept {
  TechniqueSet s = all();
  s.erase(Technique::TldSwap);
  s.erase(Technique::BlockedSuffix);
  return s;
}

TechniqueSet TechniqueSet::all() noexcept {
  TechniqueSet s;
  for (const Technique t : kPrecedence) s.insert(t);
  return s;
}

}  // namespace tg
