// SPDX-License-Identifier: BSD-3-Clause
// Everything the classifier looks up, built once from a Policy so that classifying a name costs
// a bounded number of hash probes whatever the number of protected domains:
//  - deletion neighbourhoods of each whole protected name (one edit anywhere, dots included),
//  - deletion neighbourhoods of each protected label (label typo combined with a suffix typo),
//  - visual keys of whole names and labels (homoglyphs),
//  - the dot-dropped / dot-to-hyphen spellings (armymil, army-mil, wwwarmy),
//  - exact names of protected domains, allow-list entries and blocked suffixes.
// In front of them, a screen (screen.cpp) proves most names clean from their hashes alone.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "classify/hash_index.hpp"
#include "classify/match.hpp"
#include "model/policy.hpp"
#include "name/name_info.hpp"
#include "name/plain_name.hpp"

namespace tg {

class HomoglyphTable;
class PublicSuffixList;

/// Host labels that senders glue onto a domain when they drop a dot: wwwarmy.mil, www-army.mil.
inline constexpr std::array<std::string_view, 12> kHostPrefixes{
    "www", "mail",         "smtp", "mx",  "webmail", "email",
    "owa", "autodiscover", "imap", "pop", "pop3",    "exchange"};

/// Calls fn(prefix, rest, hyphen) for each host prefix `label` starts with, for the glued
/// spelling (the rest of the label starts at `rest` = prefix.size()) and, when a hyphen follows
/// the prefix, the hyphenated one (`rest` = prefix.size() + 1, hyphen true); only when the rest
/// is not empty. One rule for the classifier and the screen.
template <class Fn>
void for_each_host_prefix(std::string_view label, Fn&& fn) {
  static constexpr auto kFirst = [] {
    std::array<bool, 256> first{};
    for (const std::string_view p : kHostPrefixes) first[static_cast<unsigned char>(p[0])] = true;
    return first;
  }();
  if (label.empty() || !kFirst[static_cast<unsigned char>(label[0])]) return;  // most labels
  for (const std::string_view prefix : kHostPrefixes) {
    if (label.size() <= prefix.size() || !label.starts_with(prefix)) continue;
    fn(prefix, prefix.size(), false);
    if (label[prefix.size()] == '-' && label.size() > prefix.size() + 1) {
      fn(prefix, prefix.size() + 1, true);
    }
  }
}

/// A protected domain as the classifier sees it.
struct ProtectedEntry {
  std::string full;                ///< "army.mil"
  std::string label;               ///< "army"
  std::string suffix;              ///< "mil"
  std::uint32_t policy_index = 0;  ///< position in Policy::protected_domains
  std::uint8_t labels = 0;         ///< labels in `full`
  /// ProtectedDomain::short_label_length, copied; the default lives in the YANG module.
  std::uint8_t short_label_length = 0;
  TechniqueSet techniques;
};

/// The compiled indexes. Immutable after construction; all lookups are const and thread-safe.
class ProtectedIndex {
 public:
  /// Builds every index for `policy`. Throws std::invalid_argument naming a protected domain
  /// that is not a registrable domain (the loader rejects those first).
  ProtectedIndex(const Policy& policy, const PublicSuffixList& psl, const HomoglyphTable& glyphs);

  /// Classifies one analysed name against the policy it was built from.
  [[nodiscard]] Match classify(const NameInfo& name) const;

  /// The screen: false proves that classify() finds no look-alike in `name` (it is clean,
  /// allowed or protected); true means only classify() can tell. Probes the hashes classify()
  /// would probe, all in one fingerprint set, and confirms nothing. Never allocates.
  [[nodiscard]] bool may_match(const PlainName& name) const noexcept;

  /// The protected entries, in policy order.
  [[nodiscard]] const std::vector<ProtectedEntry>& entries() const noexcept { return entries_; }

  /// Approximate bytes held by the indexes (for `get_mem` and the benchmark).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

 private:
  struct Candidate;
  class Query;

  /// index.find(hash), asked first of the small fingerprint set that holds the index's hashes
  /// (screen_labels_ for label_del1_ and visual_label_, screen_ for the others): most probes
  /// (absent hashes) never touch the larger index. Never allocates.
  [[nodiscard]] std::span<const std::uint32_t> probe(const HashIndex& index,
                                                     std::uint64_t hash) const noexcept {
    const FingerprintSet& set =
        (&index == &label_del1_ || &index == &visual_label_) ? screen_labels_ : screen_;
    return set.contains(hash) ? index.find(hash) : std::span<const std::uint32_t>{};
  }

  /// Whether `suffix` is exactly one edit away from the suffix of some protected domain.
  [[nodiscard]] bool near_protected_suffix(std::string_view suffix) const noexcept;

  const Policy& policy_;
  const PublicSuffixList& psl_;
  const HomoglyphTable& glyphs_;
  std::vector<ProtectedEntry> entries_;
  HashIndex exact_;                    // whole protected name -> entry
  HashIndex full_del1_;                // whole name and its one-deletion strings -> entry
  HashIndex label_del1_;               // label and its one-deletion strings -> entry
  HashIndex label_exact_;              // label -> entry (tld-swap, plural "es")
  HashIndex visual_full_;              // visual key of the whole name -> entry
  HashIndex visual_label_;             // visual key of the label -> entry
  HashIndex joined_;                   // dot-dropped / dot-to-hyphen spellings -> entry * 2 + kind
  HashIndex allow_;                    // allow-list names -> allow index
  HashIndex blocked_;                  // blocked suffixes -> blocked index
  HashIndex suffix_del1_;              // distinct protected suffixes and their one-deletion strings
  std::vector<std::string> suffixes_;  // the distinct protected suffixes
  FingerprintSet screen_;              // every hash of the indexes that can yield a look-alike,
                                       // but for label_del1_ and visual_label_...
  FingerprintSet screen_labels_;       // ...looked up only next to a near suffix: kept apart
  FingerprintSet near_suffixes_;       // every plain string one edit from a protected suffix
  PrefixLengthFilter tail_starts_;     // starts and lengths of full_del1_'s and blocked_'s strings
  std::pair<std::size_t, std::size_t> visual_full_length_{SIZE_MAX, 0};   // key lengths, min..max
  std::pair<std::size_t, std::size_t> visual_label_length_{SIZE_MAX, 0};  // (screen only)
  std::size_t max_labels_ = 0;  // most labels in a protected name
  std::size_t min_length_ = 0;  // shortest protected name (bytes)
  std::size_t max_length_ = 0;  // longest protected name (bytes)
  std::size_t max_allow_labels_ = 0;
};

}  // namespace tg
