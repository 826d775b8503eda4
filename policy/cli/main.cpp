// SPDX-License-Identifier: BSD-3-Clause
// The `typoguard` command: dispatches to one subcommand per file (check, variants, validate,
// rpz). Every subcommand shares the exit codes declared in commands.hpp.
#include <array>
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "output.hpp"

namespace tg::cli {
namespace {

constexpr std::string_view kMainHelp =
    R"help(Usage: typoguard COMMAND [OPTIONS] [ARGS]

Spots DNS names that are typos or look-alikes of protected domains (army.ml for
army.mil, gmail.om for gmail.com, Cyrillic xn--rmy-5cd.mil for army.mil).

Commands:
  check      classify names from the arguments or standard input
  variants   list the look-alikes of a protected domain
  validate   check policy files
  rpz        write a Response Policy Zone blocking every look-alike of a policy

Options:
  -h, --help     show this help ('typoguard COMMAND --help' for a command)
  --version      show the version

Exit status: 0 success (check: no look-alike), 1 check found a look-alike,
2 usage error, 3 policy error, 4 I/O error, 5 internal error.
)help";

/// One subcommand: its name and entry point.
struct Command {
  std::string_view name;
  ExitCode (*run)(std::span<const std::string_view>);
};

constexpr std::array kCommands{
    Command{"check", run_check},
    Command{"variants", run_variants},
    Command{"validate", run_validate},
    Command{"rpz", run_rpz},
};

ExitCode run(std::span<const std::string_view> args) {
  if (args.empty()) {
    std::fputs("typoguard: missing COMMAND\nTry 'typoguard --help'.\n", stderr);
    return ExitCode::Usage;
  }
  const std::string_view first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    if (first == "help" && args.size() > 1) {
      constexpr std::array<std::string_view, 1> kHelpArgs{"--help"};
      for (const Command& command : kCommands) {
        if (command.name == args[1]) return command.run(kHelpArgs);
      }
    } else {
      std::fwrite(kMainHelp.data(), 1, kMainHelp.size(), stdout);
      return ExitCode::Ok;
    }
  } else if (first == "--version") {
    std::puts("typoguard " TG_VERSION);
    return ExitCode::Ok;
  } else {
    for (const Command& command : kCommands) {
      if (command.name == first) return command.run(args.subspan(1));
    }
  }
  const std::string_view unknown = first == "help" ? args[1] : first;
  const std::string shown = printable(unknown);
  if (unknown.starts_with('-')) {
    std::fprintf(stderr, "typoguard: unknown option '%s'\nTry 'typoguard --help'.\n",
                 shown.c_str());
  } else {
    std::fprintf(stderr, "typoguard: unknown command '%s'\nTry 'typoguard --help'.\n",
                 shown.c_str());
  }
  return ExitCode::Usage;
}

}  // namespace
}  // namespace tg::cli

int main(int argc, char** argv) {
  try {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    return static_cast<int>(tg::cli::run(args));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "typoguard: internal error: %s\n", e.what());
    return static_cast<int>(tg::cli::ExitCode::Internal);
  }
}
