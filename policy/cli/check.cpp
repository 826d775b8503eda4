// SPDX-License-Identifier: BSD-3-Clause
// `typoguard check`: classify names given as arguments or streamed on standard input.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "output.hpp"

namespace tg::cli {

namespace {

constexpr std::string_view kCheckHelp =
    R"help(Usage: typoguard check [--policy FILE | --protect-file FILE] [--json] [NAME ...]

Classifies each NAME, or each line of standard input when no NAME is given, and
prints one line per name: a sentence, or a JSON object with --json. Blank input
lines are skipped. Without --policy or --protect-file the embedded demo policy is
used (the main .mil domains, all of .ml blocked; the resolver module loads it only
as TYPOGUARD_POLICY=builtin:demo). Put -- before names that start with '-'.

Options:
  --policy FILE        the policy file to check against (.json or .xml)
  --protect-file FILE  protect the domains listed in FILE (one a line, '#' starts a
                       comment) with every other setting at its default
  --json               one JSON object per line with the fields name, verdict
                       (look-alike, clean, protected, allowed), protected,
                       technique, secondary_technique, matched and evidence
  -h, --help           show this help

Exit status (like grep): 0 if no name is a look-alike, 1 if at least one is,
2 on a usage error, 3 if the policy cannot be loaded, 4 on an I/O error.

Examples:
  typoguard check army.ml army.mil example.com
  typoguard check --protect-file domains.txt --json < names.txt
)help";

constexpr std::array kCheckOptions{
    OptionSpec{"--policy", '\0', true},
    OptionSpec{"--protect-file", '\0', true},
    OptionSpec{"--json", '\0', false},
};

/// Bytes read from standard input at a time.
constexpr std::size_t kReadBlock = std::size_t{1} << 20U;

/// Classifies names and writes one line per name.
class Checker {
 public:
  Checker(const Snapshot& snapshot, bool json, Writer& writer)
      : snapshot_(snapshot), json_(json), writer_(writer) {}

  void check(std::string_view name) {
    const NameInfo info = snapshot_.analyse(name);
    const Match match = snapshot_.classify(info);
    found_lookalike_ = found_lookalike_ || match.is_lookalike();
    writer_.line(json_ ? describe_json(name, match) : describe_text(name, info, match));
  }

  [[nodiscard]] bool found_lookalike() const noexcept { return found_lookalike_; }

 private:
  const Snapshot& snapshot_;
  bool json_;
  Writer& writer_;
  bool found_lookalike_ = false;
};

/// Strips surrounding blanks and a trailing carriage return.
std::string_view trim(std::string_view line) {
  constexpr std::string_view kBlanks = " \t\r\v\f";
  const std::size_t first = line.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  const std::size_t last = line.find_last_not_of(kBlanks);
  return line.substr(first, last - first + 1);
}

/// Streams standard input line by line into `checker`. Output is flushed before every read
/// that may block, so a pipeline or a person typing sees each answer as soon as it exists.
/// Returns false (after printing why) on a read error; stops early on a write error.
bool check_stdin(Checker& checker, Writer& writer) {
  std::vector<char> buffer(kReadBlock);
  std::string carry;  // an unfinished line from the previous block
  for (;;) {
    if (!writer.flush()) return true;  // run_check reports the write error
    const ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "typoguard check: cannot read standard input: %s\n",
                   std::strerror(errno));
      return false;
    }
    if (got == 0) break;
    std::string_view block(buffer.data(), static_cast<std::size_t>(got));
    std::size_t newline = block.find('\n');
    if (newline == std::string_view::npos) {
      carry.append(block);
      continue;
    }
    if (!carry.empty()) {
      carry.append(block.substr(0, newline));
      if (const std::string_view name = trim(carry); !name.empty()) checker.check(name);
      carry.clear();
      block.remove_prefix(newline + 1);
      newline = block.find('\n');
    }
    while (newline != std::string_view::npos) {
      if (const std::string_view name = trim(block.substr(0, newline)); !name.empty()) {
        checker.check(name);
      }
      block.remove_prefix(newline + 1);
      newline = block.find('\n');
    }
    carry.assign(block);
  }
  if (const std::string_view name = trim(carry); !name.empty()) checker.check(name);
  return true;
}

}  // namespace

ExitCode run_check(std::span<const std::string_view> args) {
  const CommandLine command_line = parse_command_line("check", args, kCheckOptions, kCheckHelp);
  if (!command_line.args) return command_line.exit;
  const ParsedArgs& parsed = *command_line.args;

  const PolicyChoice choice{parsed.value("--policy"), parsed.value("--protect-file")};
  if (choice.policy_file && choice.protect_file) {
    return usage_error("check", "--policy and --protect-file cannot be used together");
  }
  const std::shared_ptr<const Snapshot> snapshot = load_snapshot(choice);
  if (!snapshot) return ExitCode::PolicyError;

  Writer writer(stdout);
  Checker checker(*snapshot, parsed.has("--json"), writer);
  if (parsed.operands().empty()) {
    if (!check_stdin(checker, writer)) return ExitCode::IoError;
  } else {
    for (const std::string& name : parsed.operands()) checker.check(name);
  }
  if (!writer.flush()) {
    std::fprintf(stderr, "typoguard check: cannot write the output: %s\n", std::strerror(errno));
    return ExitCode::IoError;
  }
  return checker.found_lookalike() ? ExitCode::LookAlike : ExitCode::Ok;
}

}  // namespace tg::cli
