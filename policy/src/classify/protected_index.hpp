// SPDX-License-Identifier: BSD-3-Clause
// Everything the classifier looks up, built once from a Policy so that classifying a name costs
// a bounded number of hash probes whatever the number of protected domains:
//  - deletion neighbourhoods of each whole protected name (one edit anywhere, dots included),
//  - deletion neighbourhoods of each protected label (label typo combined with a suffix typo),
//  - visual keys of whole names and labels (homoglyphs),
//  - the dot-dropped / dot-to-hyphen spellings (armymil, army-mil, wwwarmy),
//  - exact names of protected domains, allow-list entries and blocked suffixes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "classify/hash_index.hpp"
#include "classify/match.hpp"
#include "config/policy.hpp"
#include "name/name_info.hpp"

namespace tg {

class HomoglyphTable;
class PublicSuffixList;

/// A protected domain as the classifier sees it.
struct ProtectedEntry {
  std::string full;                ///< "army.mil"
  std::string label;               ///< "army"
  std::string suffix;              ///< "mil"
  std::uint32_t policy_index = 0;  ///< position in Policy::protected_domains
  std::uint8_t labels = 0;         ///< labels in `full`
  std::uint8_t short_label_length = 4;
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

  /// The protected entries, in policy order.
  [[nodiscard]] const std::vector<ProtectedEntry>& entries() const noexcept { return entries_; }

  /// Approximate bytes held by the indexes (for `get_mem` and the benchmark).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

 private:
  struct Candidate;
  class Query;

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
  HashIndex joined_;                   // dot-dropped / dot-to-hyphen spellings -> entry * 4 + kind
  HashIndex allow_;                    // allow-list names -> allow index
  HashIndex blocked_;                  // blocked suffixes -> blocked index
  HashIndex suffix_del1_;              // distinct protected suffixes and their one-deletion strings
  std::vector<std::string> suffixes_;  // the distinct protected suffixes
  std::size_t max_labels_ = 0;         // most labels in a protected name
  std::size_t min_length_ = 0;         // shortest protected name (bytes)
  std::size_t max_length_ = 0;         // longest protected name (bytes)
  std::size_t max_allow_labels_ = 0;
};

}  // namespace tg
