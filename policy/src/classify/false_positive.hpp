// SPDX-License-Identifier: BSD-3-Clause
// Named rules that stop a technique from firing where it would mostly hit legitimate names.
// Each is a small pure function with its own unit test (tests/unit/edits.test.cpp, tagged
// [false-positive]).
// Where we diverge from Chromium's look-alike checker: a difference only in the public suffix
// (army.mil vs army.ml) is our main threat, not a false positive.
#pragma once

#include <cstdint>
#include <string_view>

namespace tg {

/// Short-label safeguard (detection.md rule 3): an edit of the registrable label is evidence
/// only when the protected label has at least `min_length` characters. Suffix techniques and
/// homoglyphs do not consult this rule.
[[nodiscard]] bool label_long_enough(std::string_view protected_label,
                                     std::uint8_t min_length) noexcept;

/// Sister domain: the same registrable label under another public suffix (yahoo.co.uk,
/// hotmail.fr, yahoo.com.ar, gmail.com.co) is usually the same owner's domain, so only the
/// opt-in tld-swap technique may flag it; suffix-appended must not.
[[nodiscard]] bool is_sister_domain(std::string_view observed_label,
                                    std::string_view observed_suffix,
                                    std::string_view protected_label,
                                    std::string_view protected_suffix) noexcept;

/// Weak look-alikes (letters a hurried reader swaps: m/n, n/r, b/d, c/e, g/q) are evidence
/// only in moderation: one of them, or at most one for every three characters of the protected
/// name. Keeps err.com from reading as cnn.com while arny.mil still reads as army.mil.
[[nodiscard]] bool weak_glyphs_plausible(std::size_t weak_substitutions,
                                         std::size_t target_length) noexcept;

/// A dot inserted next to another dot or at either end makes an empty label: no such name
/// exists in the DNS, so it is not reported as a subdomain/suffix typo.
[[nodiscard]] bool makes_empty_label(std::string_view reference, std::size_t insert_pos) noexcept;

}  // namespace tg
