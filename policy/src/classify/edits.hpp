// SPDX-License-Identifier: BSD-3-Clause
// Small, named primitives over ASCII strings: the one edit between two strings, and the facts
// about characters that typing errors depend on (keyboard neighbours, vowels, bit flips).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tg {

/// The kind of a single edit, read from the protected (reference) string to the observed one.
enum class EditKind : unsigned char { Insert, Delete, Substitute, Transpose };

/// One edit. `pos` indexes the reference: Insert puts `to` before reference[pos] (pos may be
/// the length); Delete removes `from` = reference[pos]; Substitute replaces `from` with `to`;
/// Transpose swaps reference[pos] (`from`) and reference[pos + 1] (`to`).
struct Edit {
  EditKind kind = EditKind::Substitute;
  std::size_t pos = 0;
  char from = 0;
  char to = 0;
};

/// The single edit turning `reference` into `observed` (Damerau–Levenshtein distance exactly
/// 1), choosing the leftmost position when several explain it; std::nullopt otherwise
/// (identical strings, or more than one edit). O(n), no allocation.
/// Example: single_edit("army.mil", "army.ml") -> Delete 'i' at 6.
[[nodiscard]] std::optional<Edit> single_edit(std::string_view reference,
                                              std::string_view observed) noexcept;

/// Calls fn(s) for every string s that single_edit(reference, s) accepts and whose inserted or
/// substituting byte (if any) is one of `alphabet`: reference's whole one-edit neighbourhood
/// over that alphabet. A string may come more than once. Allocates one working string.
template <class Fn>
void for_each_single_edit(std::string_view reference, std::string_view alphabet, Fn&& fn) {
  std::string s;
  for (std::size_t i = 0; i <= reference.size(); ++i) {  // insertions
    for (const char c : alphabet) {
      s.assign(reference.substr(0, i)).push_back(c);
      s.append(reference.substr(i));
      fn(std::string_view(s));
    }
  }
  for (std::size_t i = 0; i < reference.size(); ++i) {
    s.assign(reference.substr(0, i)).append(reference.substr(i + 1));  // deletion
    fn(std::string_view(s));
    for (const char c : alphabet) {  // substitutions
      if (c == reference[i]) continue;
      s.assign(reference);
      s[i] = c;
      fn(std::string_view(s));
    }
    if (i + 1 < reference.size() && reference[i] != reference[i + 1]) {  // transposition
      s.assign(reference);
      std::swap(s[i], s[i + 1]);
      fn(std::string_view(s));
    }
  }
}

/// True when `a` and `b` are adjacent keys on a QWERTY, QWERTZ or AZERTY keyboard.
[[nodiscard]] bool keyboard_neighbours(char a, char b) noexcept;

/// The keys next to `c` on the three layouts, as a string without duplicates ("" if none).
[[nodiscard]] std::string_view keyboard_neighbours_of(char c) noexcept;

/// True for a, e, i, o, u.
[[nodiscard]] bool is_vowel(char c) noexcept;

/// True when `a` and `b` differ in exactly one bit and both are is_ldh_char() (name/ascii.hpp).
[[nodiscard]] bool one_bit_apart(char a, char b) noexcept;

}  // namespace tg
