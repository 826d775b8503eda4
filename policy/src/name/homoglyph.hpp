// SPDX-License-Identifier: BSD-3-Clause
// Look-alike characters: which strings a reader would take for an ASCII protected name.
// Three normalisers feed one table, built once at start-up (never on the query path):
// Unicode confusables from ICU's UTS #39 skeletons, accents stripped (NFD minus marks), whole-
// script Cyrillic/Greek letters, and ASCII look-alikes (rn/m, vv/w, 0/o, 1/l, cl/d, ...).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
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

  /// key() of a pure-ASCII string (every byte below 0x80), written to out[0 .. ascii.size())
  /// without allocating; returns its length. Non-alphanumeric bytes ('.', '-', '_') key to
  /// themselves and never collapse, so the key of a name is the keys of its labels joined
  /// with dots.
  std::size_t ascii_key(std::string_view ascii, char* out) const noexcept;

  /// key()'s rule for each ASCII byte, for callers that key text byte by byte (the screen):
  /// entry & 0x7F is the byte's key character (0: dropped), kKeyCollapses marks classes whose
  /// runs collapse to one character. Apply it with append_key_byte().
  [[nodiscard]] const std::array<std::uint8_t, 128>& ascii_key_bytes() const noexcept;

  /// Flag in ascii_key_bytes(): runs of this class collapse.
  static constexpr std::uint8_t kKeyCollapses = 0x80;

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
  std::unique_ptr<Impl> impl_;  // never null; built by the constructor, freed with the table
};

/// Appends the key character of one ASCII byte, given its ascii_key_bytes() entry `k`, at
/// out[len] unless the byte is dropped or repeats a collapsing class; `last` is the last key
/// character written (0 at the start). The one rule behind key(), ascii_key() and the screen.
inline void append_key_byte(std::uint8_t k, char* out, std::size_t& len,
                            std::uint8_t& last) noexcept {
  const auto c = static_cast<std::uint8_t>(k & 0x7FU);
  if (c == 0 || (c == last && (k & HomoglyphTable::kKeyCollapses) != 0)) return;
  out[len++] = static_cast<char>(c);
  last = c;
}

}  // namespace tg
