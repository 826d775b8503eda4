// SPDX-License-Identifier: BSD-3-Clause
// IDNA through libidn2, in one place: Unicode names to A-labels (UTS #46 + IDNA2008) and
// A-labels back to Unicode. libidn2's results are owned here and copied out; callers see only
// std::string values. Nothing here throws except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tg {

/// How to_a_label() processes its input; each field is one libidn2 flag, so that every
/// caller states what it asks for.
struct ALabelOptions {
  /// Normalise the input to NFC first (IDN2_NFC_INPUT): for text typed by people, which may
  /// spell an accented letter as a base letter and a combining mark.
  bool nfc_input = false;
  /// Ask for UTS #46 non-transitional processing by name (IDN2_NONTRANSITIONAL): ß and ς
  /// stay themselves. When false no UTS #46 flag is passed, and libidn2 applies its default
  /// processing (non-transitional too, as libidn2 documents it).
  bool nontransitional = true;
};

/// Why libidn2 refused a conversion.
struct IdnaError {
  int code = 0;  ///< libidn2's return code (an IDN2_* value below zero)
  /// libidn2's English description of `code`; a static string, never null.
  [[nodiscard]] std::string_view message() const noexcept;
};

/// The A-label form of `utf8` (a name or a label, UTF-8, any case), as libidn2's
/// idn2_lookup_u8 gives it: lower-cased and mapped by UTS #46, a trailing dot kept.
/// std::nullopt when libidn2 refuses the input; then `*error`, when given, says why.
/// Throws only std::bad_alloc.
[[nodiscard]] std::optional<std::string> to_a_label(const std::string& utf8,
                                                    const ALabelOptions& options = {},
                                                    IdnaError* error = nullptr);

/// The Unicode form (UTF-8) of `ascii`, a name or label that may hold A-labels, as libidn2's
/// idn2_to_unicode_8z8z gives it: punycode decoded, nothing validated or lower-cased (check
/// the result with to_a_label() when it matters). std::nullopt when it cannot be decoded;
/// then `*error`, when given, says why. Throws only std::bad_alloc.
[[nodiscard]] std::optional<std::string> to_u_label(const std::string& ascii,
                                                    IdnaError* error = nullptr);

}  // namespace tg
