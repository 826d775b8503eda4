// SPDX-License-Identifier: BSD-3-Clause
// `typoguard validate`: load, validate and compile policy files without running them.
#include <cstdio>
#include <string>
#include <utility>

#include "commands.hpp"
#include "config/loader.hpp"
#include "output.hpp"

namespace tg::cli {

namespace {

constexpr std::string_view kValidateHelp =
    R"help(Usage: typoguard validate FILE...

Loads each policy FILE (.json or .xml) the way the Unbound module does: parse,
YANG validation, semantic checks, compilation. Prints "FILE: ok (...)" with a
summary for each good file, and every problem of a bad one on standard error as
"file:line: data-path: message". FILE may also be builtin:demo, the embedded
demo policy, as TYPOGUARD_POLICY names it for the module.

Options:
  -h, --help   show this help

Exit status: 0 if every FILE is valid, 2 on a usage error, 3 if any FILE is not.
)help";

std::string count(std::size_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string summary(const Policy& policy) {
  std::string text =
      count(policy.protected_domains.size(), "protected domain", "protected domains");
  text += ", " + count(policy.blocked_suffixes.size(), "blocked suffix", "blocked suffixes");
  text += ", " + count(policy.allow.size(), "allow-list entry", "allow-list entries");
  text += ", " + count(policy.client_groups.size(), "client group", "client groups");
  text += policy.mode == Mode::Monitor ? ", mode monitor" : ", mode enforce";
  if (!policy.revision.empty()) text += ", revision " + policy.revision;
  return text;
}

}  // namespace

ExitCode run_validate(std::span<const std::string_view> args) {
  const CommandLine command_line = parse_command_line("validate", args, {}, kValidateHelp);
  if (!command_line.args) return command_line.exit;
  const ParsedArgs& parsed = *command_line.args;
  if (parsed.operands().empty()) return usage_error("validate", "expected at least one FILE");

  ExitCode exit = ExitCode::Ok;
  for (const std::string& file : parsed.operands()) {
    if (file.starts_with("builtin:") && file != kDemoPolicyName) {
      std::fprintf(stderr, "%s: no such built-in policy (the only one is %s)\n",
                   printable(file).c_str(), std::string(kDemoPolicyName).c_str());
      exit = ExitCode::PolicyError;
      continue;
    }
    LoadResult loaded = file == kDemoPolicyName ? load_default_policy() : load_policy_file(file);
    if (!loaded.ok()) {
      for (const PolicyError& error : loaded.errors) {
        std::fprintf(stderr, "%s\n", printable(error.to_string()).c_str());
      }
      exit = ExitCode::PolicyError;
      continue;
    }
    const std::string text = summary(*loaded.policy);
    if (!compile_or_report(std::move(*loaded.policy))) {
      exit = ExitCode::PolicyError;
      continue;
    }
    std::printf("%s: ok (%s)\n", printable(file).c_str(), printable(text).c_str());
  }
  if (std::fflush(stdout) != 0) return ExitCode::IoError;
  return exit;
}

}  // namespace tg::cli
