// SPDX-License-Identifier: BSD-3-Clause
// The subcommands of `typoguard` and what they share: exit codes, usage errors and policy
// loading. Each subcommand lives in its own file and takes the words after its name.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "args.hpp"
#include "engine/snapshot.hpp"

namespace tg::cli {

/// Exit codes of every subcommand (documented in `typoguard --help` and the README).
enum class ExitCode : int {
  Ok = 0,           ///< success; for `check`: no name is a look-alike
  LookAlike = 1,    ///< `check` only: at least one name is a look-alike (like grep's 1)
  Usage = 2,        ///< bad command line
  PolicyError = 3,  ///< the policy (or protect list) could not be loaded or compiled
  IoError = 4,      ///< reading input or writing output failed
  Internal = 5,     ///< an unexpected failure inside typoguard (a bug)
};

/// `typoguard check`: classify names from the arguments or standard input.
[[nodiscard]] ExitCode run_check(std::span<const std::string_view> args);
/// `typoguard variants`: list the look-alikes of one protected domain.
[[nodiscard]] ExitCode run_variants(std::span<const std::string_view> args);
/// `typoguard validate`: load and check policy files.
[[nodiscard]] ExitCode run_validate(std::span<const std::string_view> args);
/// `typoguard rpz`: write an RPZ zone that blocks every look-alike of a policy.
[[nodiscard]] ExitCode run_rpz(std::span<const std::string_view> args);

/// Prints "typoguard <command>: <message>" and a hint to use --help on stderr; returns Usage.
ExitCode usage_error(std::string_view command, std::string_view message);

/// A parsed command line, or the exit code to stop with (after --help, or a usage error that
/// has already been printed).
struct CommandLine {
  std::optional<ParsedArgs> args;  ///< empty when the subcommand should stop
  ExitCode exit = ExitCode::Ok;    ///< the exit code to stop with when `args` is empty
};

/// Parses `args` for `command` against `specs` plus --help/-h. Prints `help` on stdout for
/// --help, or the usage error on stderr.
[[nodiscard]] CommandLine parse_command_line(std::string_view command,
                                             std::span<const std::string_view> args,
                                             std::span<const OptionSpec> specs,
                                             std::string_view help);

/// Where a subcommand's policy comes from.
struct PolicyChoice {
  std::optional<std::string> policy_file;   ///< --policy FILE
  std::optional<std::string> protect_file;  ///< --protect-file FILE
};

/// Loads and compiles the chosen policy (the embedded demo policy when neither file is given).
/// On failure prints every error on stderr (PolicyError::to_string()) and returns nullptr.
[[nodiscard]] std::shared_ptr<const Snapshot> load_snapshot(const PolicyChoice& choice);

/// Compiles a loaded policy; on failure prints the reason on stderr and returns nullptr.
[[nodiscard]] std::shared_ptr<const Snapshot> compile_or_report(Policy policy);

}  // namespace tg::cli
