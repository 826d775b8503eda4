// SPDX-License-Identifier: BSD-3-Clause
// Checks of the domain names a policy or a protect list holds, each phrased to follow the
// name for a policy author: the schema's syntax (lower-case A-labels, no final dot), the
// canonical form of "xn--" labels (libidn2), and registrability under the Public Suffix List.
// Each returns nullopt when the name is fine; they throw only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tg::config {

/// What is wrong with `name` as a lower-case A-label domain name ("has upper-case letters:
/// domain names are written in lower case, \"army.mil\""); nullopt when its syntax is fine.
[[nodiscard]] std::optional<std::string> domain_syntax_problem(std::string_view name);

/// Problems with "xn--" labels of `name`: not decodable, or not the canonical A-label of
/// their U-label.
[[nodiscard]] std::optional<std::string> a_label_problem(std::string_view name);

/// Why `name` cannot be a protected domain under the Public Suffix List (a public suffix, or
/// a name under a registrable domain). `siblings` (the other protected names) provide a
/// realistic example for a public suffix. `name` and `siblings` are names of the schema's
/// syntax (domain_syntax_problem() found nothing).
[[nodiscard]] std::optional<std::string> registrable_problem(
    std::string_view name, bool private_suffixes, const std::vector<std::string>& siblings);

}  // namespace tg::config
