// SPDX-License-Identifier: BSD-3-Clause
// How the loader phrases things for a policy author: quoting, lists, "did you mean", and what
// a node of the policy is called in words. Pure string functions: they throw only
// std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/policy_error.hpp"

namespace tg::config {

/// `s` with every run of blanks (space, tab, newline) made one space, and none at either end.
[[nodiscard]] std::string normalise_space(std::string_view s);

/// `s` in double quotes, with newlines and tabs written as \n and \t.
[[nodiscard]] std::string in_quotes(std::string_view s);

/// The items separated by `sep`.
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep);

/// Text between the first pair of double quotes at or after `after` (for libyang's
/// `value "x"`); nullopt when there is no such pair.
[[nodiscard]] std::optional<std::string> first_quoted(std::string_view s, std::size_t after = 0);

/// The closest of `candidates` to `word` (case-insensitive edit distance, or a prefix of at
/// least three letters), if it is close enough to be a likely typo; never `word` itself.
/// Example: closest("descripton", {"name", "description"}) is "description".
[[nodiscard]] std::optional<std::string> closest(std::string_view word,
                                                 const std::vector<std::string>& candidates);

/// "protected domain", "allow-list entry", ... for the name leaves at `path` (a data path);
/// else the leaf's own name.
[[nodiscard]] std::string describe_leaf(std::string_view path);

/// 'protected-domain "army.mil"' for a list entry path, "the policy" for the root, the name
/// for a container, "the file" for an empty path.
[[nodiscard]] std::string describe_node(std::string_view path);

/// The error for a file that holds no top-level node.
[[nodiscard]] std::string no_policy_message(PolicyFormat format);

}  // namespace tg::config
