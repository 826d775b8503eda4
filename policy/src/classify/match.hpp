// SPDX-License-Identifier: BSD-3-Clause
// The result of classifying one name: *why* it is (or is not) a look-alike. Knows nothing of
// rcodes or answers (that is decide/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/technique.hpp"

namespace tg {

/// Outcome of classification. Values reach events and `typoguard check --json`: append-only.
enum class Verdict : std::uint8_t {
  Clean = 0,      ///< not a look-alike of anything protected
  LookAlike = 1,  ///< imitates a protected domain (or falls under a blocked suffix)
  Protected = 2,  ///< is a protected domain or lies under one
  Allowed = 3,    ///< allow-listed (the entry and its subtree)
};

/// Stable name of a verdict: "clean", "look-alike", "protected", "allowed".
[[nodiscard]] std::string_view verdict_name(Verdict v) noexcept;

/// A classification. `protected_domain` names the protected domain imitated, the blocked
/// suffix, the protected domain the name lies under, or the allow-list entry, by verdict.
struct Match {
  Verdict verdict = Verdict::Clean;
  Technique technique = Technique::None;  ///< reported technique (highest precedence)
  Technique secondary = Technique::None;  ///< label technique of a label+suffix combination
  std::string protected_domain;           ///< see above; empty for Clean
  std::string matched;  ///< the part of the name that imitates it, e.g. "army.ml" in "mail.army.ml"
  std::string evidence;              ///< human-readable: "'mil' -> 'ml' (one letter omitted)"
  std::uint32_t entry = UINT32_MAX;  ///< index into the policy list that matched (by verdict)

  [[nodiscard]] bool is_lookalike() const noexcept { return verdict == Verdict::LookAlike; }
};

}  // namespace tg
