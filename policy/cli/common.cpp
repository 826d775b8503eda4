// SPDX-License-Identifier: BSD-3-Clause
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "config/loader.hpp"
#include "output.hpp"

namespace tg::cli {

ExitCode usage_error(std::string_view command, std::string_view message) {
  const std::string name(command);
  const std::string text =
      "typoguard " + name + ": " + printable(message) + "\nTry 'typoguard " + name + " --help'.\n";
  std::fputs(text.c_str(), stderr);
  return ExitCode::Usage;
}

CommandLine parse_command_line(std::string_view command, std::span<const std::string_view> args,
                               std::span<const OptionSpec> specs, std::string_view help) {
  std::vector<OptionSpec> all(specs.begin(), specs.end());
  all.push_back(OptionSpec{"--help", 'h', false});
  ArgParseResult parsed = parse_args(args, all);
  if (!parsed.ok()) return CommandLine{std::nullopt, usage_error(command, parsed.error)};
  if (parsed.args.has("--help")) {
    std::fwrite(help.data(), 1, help.size(), stdout);
    return CommandLine{std::nullopt, std::fflush(stdout) == 0 ? ExitCode::Ok : ExitCode::IoError};
  }
  return CommandLine{std::move(parsed.args), ExitCode::Ok};
}

std::shared_ptr<const Snapshot> compile_or_report(Policy policy) {
  const std::string source = policy.source;
  try {
    return Snapshot::compile(std::move(policy));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", printable(source).c_str(), printable(e.what()).c_str());
    return nullptr;
  }
}

std::shared_ptr<const Snapshot> load_snapshot(const PolicyChoice& choice) {
  LoadResult loaded;
  if (choice.policy_file) {
    loaded = load_policy_file(*choice.policy_file);
  } else if (choice.protect_file) {
    loaded = load_protect_list(*choice.protect_file);
  } else {
    loaded = load_default_policy();
  }
  if (!loaded.ok()) {
    for (const PolicyError& error : loaded.errors) {
      std::fprintf(stderr, "%s\n", printable(error.to_string()).c_str());
    }
    return nullptr;
  }
  return compile_or_report(std::move(*loaded.policy));
}

}  // namespace tg::cli
