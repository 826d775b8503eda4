// SPDX-License-Identifier: BSD-3-Clause
// A tiny command-line parser for the `typoguard` subcommands: long options with or without a
// value ("--policy FILE", "--policy=FILE"), one-letter aliases ("-h"), "--" to end options, and
// positional operands. Nothing is global; each subcommand declares its options as a table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tg::cli {

/// One option a subcommand accepts.
struct OptionSpec {
  std::string_view name;     ///< long form with dashes: "--policy"
  char short_name = '\0';    ///< one-letter alias ('h' for "-h"), or '\0' for none
  bool takes_value = false;  ///< "--policy FILE" rather than "--json"
};

struct ArgParseResult;

/// The options and operands found on a command line.
class ParsedArgs {
 public:
  /// True when the option (long name) was given at least once.
  [[nodiscard]] bool has(std::string_view name) const noexcept;
  /// The value of a value-taking option, or std::nullopt when it was not given.
  [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
  /// Operands in order (everything that is not an option, and all after "--").
  [[nodiscard]] const std::vector<std::string>& operands() const noexcept { return operands_; }

 private:
  friend ArgParseResult parse_args(std::span<const std::string_view> args,
                                   std::span<const OptionSpec> specs);
  std::vector<std::pair<std::string_view, std::string>> options_;
  std::vector<std::string> operands_;
};

/// Either the parsed arguments or a usage error phrased for the user.
struct ArgParseResult {
  ParsedArgs args;
  std::string error;  ///< empty on success, e.g. "unknown option '--polcy'"
  [[nodiscard]] bool ok() const noexcept { return error.empty(); }
};

/// Parses `args` (the words after the subcommand name) against `specs`. Fails on an unknown
/// option, a missing value, a value given to a flag, or a value option given twice.
[[nodiscard]] ArgParseResult parse_args(std::span<const std::string_view> args,
                                        std::span<const OptionSpec> specs);

}  // namespace tg::cli
