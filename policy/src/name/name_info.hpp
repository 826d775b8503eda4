// SPDX-License-Identifier: BSD-3-Clause
// The facts about one DNS name that every technique needs, computed once per query:
// lower-cased labels, IDNA-decoded labels, and where the public suffix starts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

class PublicSuffixList;

/// One label of a name in both of its forms.
struct LabelInfo {
  std::string ascii;  ///< lower-cased wire label (A-label for IDN); bytes outside LDH kept
  std::string
      unicode;  ///< U-label (UTF-8) when `ascii` is valid-or-decodable punycode, else == ascii
  bool punycode = false;          ///< starts with "xn--"
  bool invalid_punycode = false;  ///< "xn--" label that fails IDNA validation (itself evidence)
  bool ldh = true;                ///< only [a-z0-9-] (and '_' for service labels)
};

/// An analysed name. Immutable value; owns all its strings.
struct NameInfo {
  std::vector<LabelInfo> labels;  ///< left to right; empty for the root
  std::size_t suffix_labels = 0;  ///< labels in the public suffix (0 for the root)
  bool malformed = false;         ///< empty label, over-long label/name, or undecodable bytes
  bool ascii_only = true;         ///< no label has a U-label different from its A-label

  /// Lower-case A-label presentation without the trailing dot; "." for the root.
  [[nodiscard]] std::string ascii() const;
  /// U-label presentation (UTF-8) without the trailing dot; "." for the root.
  [[nodiscard]] std::string unicode() const;
  /// Labels [first, size) joined with dots, A-label or U-label form.
  [[nodiscard]] std::string tail(std::size_t first, bool unicode_form) const;
  /// Index of the registrable label (the one left of the public suffix), or labels.size()
  /// when the name is a public suffix itself or the root.
  [[nodiscard]] std::size_t registrable_index() const noexcept;
};

/// Analyses a name given in presentation form ("Mail.ARMY.ml.", "аrmy.mil", "xn--rmy-5cd.mil").
/// Unicode input is mapped to A-labels (UTS #46, non-transitional) when possible.
/// Never throws on bad input: odd bytes, empty or over-long labels set `malformed` and are kept.
[[nodiscard]] NameInfo analyse_name(std::string_view text, const PublicSuffixList& psl,
                                    bool private_suffixes);

/// Analyses a name in DNS wire format (length-prefixed labels). A truncated or over-long
/// wire name yields `malformed` with the labels read so far. Never throws on bad input.
[[nodiscard]] NameInfo analyse_wire_name(const std::uint8_t* wire, std::size_t len,
                                         const PublicSuffixList& psl, bool private_suffixes);

/// Escapes a name for logs and terminal output: pure ASCII, non-printable bytes, space,
/// '"' and '\\' as \DDD (DNS presentation / ECS rule).
[[nodiscard]] std::string escape_name(std::string_view raw);

}  // namespace tg
