// SPDX-License-Identifier: BSD-3-Clause
// Look-alike characters: which strings a reader would take for an ASCII protected name.
// Three normalisers feed one table, built once at start-up (never on the query path):
// Unicode confusables from ICU's UTS #39 skeletons, accents stripped (NFD minus marks), whole-
// script Cyrillic/Greek letters, and ASCII look-alikes (rn/m, vv/w, 0/o, 1/l, cl/d, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

/// Why a string reads as a protected name: the first substituted glyph, and how many.
struct HomoglyphEvidence {
  std::string glyph;              ///< UTF-8 text in the candidate, e.g. "rn" or "а" (Cyrillic)
  std::string stands_for;         ///< ASCII it imitates, e.g. "m" or "a"
  std::size_t position = 0;       ///< 0-based code-point index of `glyph` in the candidate
  std::size_t substitutions = 0;  ///< number of glyphs that differ from the target
  std::size_t weak_substitutions = 0;  ///< of those, reader's swaps (m/n, n/r, b/d, c/e, g/q)
};

/// The confusables table. Immutable after construction; safe to share between threads.
class HomoglyphTable {
 public:
  /// The process-wide table, built on first use (thread-safe). Uses ICU; throws
  /// std::runtime_error only if ICU's spoof checker cannot be opened.
  static const HomoglyphTable& instance();

  /// Coarse visual key of a UTF-8 string (dots kept): two strings that read the same have
  /// equal keys. Necessary, not sufficient: confirm with explain(). Invalid UTF-8 bytes map
  /// to themselves. Never throws except std::bad_alloc.
  [[nodiscard]] std::string key(std::string_view utf8) const;

  /// Whether `candidate` (UTF-8) reads glyph by glyph as `target` (lower-case ASCII) with at
  /// least one substitution. std::nullopt when it does not, or when the two are identical.
  [[nodiscard]] std::optional<HomoglyphEvidence> explain(std::string_view candidate,
                                                         std::string_view target) const;

  /// Look-alikes of one ASCII character or digraph (UTF-8 strings, valid in IDNA2008 labels
  /// where non-ASCII), for the forward direction (variants). Empty when there are none.
  [[nodiscard]] const std::vector<std::string>& glyphs_for(std::string_view ascii) const;

  HomoglyphTable(const HomoglyphTable&) = delete;
  HomoglyphTable& operator=(const HomoglyphTable&) = delete;
  ~HomoglyphTable();

 private:
  HomoglyphTable();
  struct Impl;
  Impl* impl_;
};

}  // namespace tg
