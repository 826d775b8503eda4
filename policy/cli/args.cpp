// SPDX-License-Identifier: BSD-3-Clause
#include "args.hpp"

#include <algorithm>

namespace tg::cli {

bool ParsedArgs::has(std::string_view name) const noexcept {
  return std::any_of(options_.begin(), options_.end(),
                     [name](const auto& option) { return option.first == name; });
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  for (const auto& [option, value] : options_) {
    if (option == name) return value;
  }
  return std::nullopt;
}

namespace {

const OptionSpec* find_long(std::span<const OptionSpec> specs, std::string_view name) {
  const auto it = std::find_if(specs.begin(), specs.end(),
                               [name](const OptionSpec& spec) { return spec.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

const OptionSpec* find_short(std::span<const OptionSpec> specs, char letter) {
  const auto it = std::find_if(specs.begin(), specs.end(), [letter](const OptionSpec& spec) {
    return spec.short_name != '\0' && spec.short_name == letter;
  });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

ArgParseResult parse_args(std::span<const std::string_view> args,
                          std::span<const OptionSpec> specs) {
  ArgParseResult result;
  ParsedArgs& parsed = result.args;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view word = args[i];
    if (options_ended || word == "-" || !word.starts_with('-')) {
      parsed.operands_.emplace_back(word);
      continue;
    }
    if (word == "--") {
      options_ended = true;
      continue;
    }

    const OptionSpec* spec = nullptr;
    std::optional<std::string_view> inline_value;
    if (word.starts_with("--")) {
      const std::size_t equals = word.find('=');
      const std::string_view name = word.substr(0, equals);
      if (equals != std::string_view::npos) inline_value = word.substr(equals + 1);
      spec = find_long(specs, name);
    } else if (word.size() == 2) {
      spec = find_short(specs, word[1]);
    }
    if (spec == nullptr) {
      result.error = "unknown option '" + std::string(word) + "'";
      return result;
    }

    if (!spec->takes_value) {
      if (inline_value) {
        result.error = "option '" + std::string(spec->name) + "' takes no value";
        return result;
      }
      parsed.options_.emplace_back(spec->name, std::string());
      continue;
    }
    if (parsed.has(spec->name)) {
      result.error = "option '" + std::string(spec->name) + "' given more than once";
      return result;
    }
    if (inline_value) {
      parsed.options_.emplace_back(spec->name, std::string(*inline_value));
    } else if (i + 1 < args.size()) {
      parsed.options_.emplace_back(spec->name, std::string(args[++i]));
    } else {
      result.error = "option '" + std::string(spec->name) + "' needs a value";
      return result;
    }
  }
  return result;
}

}  // namespace tg::cli
