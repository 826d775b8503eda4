// SPDX-License-Identifier: BSD-3-Clause
// `typoguard variants`: the look-alikes the classifier accepts for one protected domain.
#include "variants/variants.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "config/loader.hpp"
#include "output.hpp"

namespace tg::cli {

namespace {

constexpr std::string_view kVariantsHelp =
    R"help(Usage: typoguard variants [--policy FILE] [--technique T] [--all-homoglyphs]
                          [--unreal-suffixes] [--json] DOMAIN

Lists the look-alikes of DOMAIN that the classifier flags, one "technique<TAB>name"
line each (A-labels), sorted by technique precedence then name. Every name listed
classifies back to DOMAIN with its technique.

DOMAIN must be a protected domain of the policy. Without --policy, a DOMAIN that
the embedded demo policy does not protect is protected on its own with every
setting at its default.

Options:
  --policy FILE        the policy that protects DOMAIN (.json or .xml)
  --technique T        only this technique, e.g. suffix-typo, omission, homoglyph
  --all-homoglyphs     list every homoglyph variant (default: at most 200)
  --unreal-suffixes    also suffix typos into suffixes that are not in the Public
                       Suffix List
  --json               one JSON object per line: {"technique":...,"name":...}
  -h, --help           show this help

Exit status: 0 on success, 2 on a usage error, 3 if the policy cannot be loaded,
4 on an output error.
)help";

constexpr std::array kVariantsOptions{
    OptionSpec{"--policy", '\0', true},          OptionSpec{"--technique", '\0', true},
    OptionSpec{"--all-homoglyphs", '\0', false}, OptionSpec{"--unreal-suffixes", '\0', false},
    OptionSpec{"--json", '\0', false},
};

std::string technique_list() {
  std::string names;
  for (const Technique technique : kPrecedence) {
    if (!names.empty()) names += ", ";
    names += technique_name(technique);
  }
  return names;
}

const ProtectedDomain* find_protected(const Policy& policy, std::string_view name) {
  const auto it = std::find_if(policy.protected_domains.begin(), policy.protected_domains.end(),
                               [name](const ProtectedDomain& entry) { return entry.name == name; });
  return it == policy.protected_domains.end() ? nullptr : &*it;
}

/// A snapshot of a policy that protects `domain` alone, every setting at its YANG default; on
/// failure prints the errors on standard error and returns nullptr.
std::shared_ptr<const Snapshot> single_domain_snapshot(const std::string& domain) {
  const std::array<std::string, 1> domains{domain};
  LoadResult loaded = load_protected_domains(domains, "<command line>");
  if (!loaded.policy) {
    for (const PolicyError& e : loaded.errors) {
      std::fprintf(stderr, "typoguard variants: %s\n", e.to_string().c_str());
    }
    return nullptr;
  }
  loaded.policy->revision = "protect:" + domain;
  return compile_or_report(std::move(*loaded.policy));
}

}  // namespace

ExitCode run_variants(std::span<const std::string_view> args) {
  const CommandLine command_line =
      parse_command_line("variants", args, kVariantsOptions, kVariantsHelp);
  if (!command_line.args) return command_line.exit;
  const ParsedArgs& parsed = *command_line.args;
  if (parsed.operands().size() != 1) return usage_error("variants", "expected one DOMAIN");

  VariantOptions options;
  if (const std::optional<std::string> name = parsed.value("--technique")) {
    const std::optional<Technique> technique = technique_from_name(*name);
    if (!technique || *technique == Technique::None) {
      return usage_error("variants",
                         "unknown technique '" + *name + "' (known: " + technique_list() + ")");
    }
    options.only = technique;
  }
  if (parsed.has("--all-homoglyphs")) options.homoglyph_limit = 0;
  options.unreal_suffixes = parsed.has("--unreal-suffixes");

  const std::optional<std::string> policy_file = parsed.value("--policy");
  std::shared_ptr<const Snapshot> snapshot = load_snapshot(PolicyChoice{policy_file, {}});
  if (!snapshot) return ExitCode::PolicyError;

  const NameInfo info = snapshot->analyse(parsed.operands().front());
  const std::string domain = info.ascii();
  const std::size_t registrable = info.registrable_index();
  if (info.malformed || registrable != 0) {
    std::string message = "'" + domain + "' is not a registrable domain";
    if (!info.malformed && registrable < info.labels.size()) {
      message += " (did you mean " + info.tail(registrable, false) + "?)";
    }
    return usage_error("variants", message);
  }

  const ProtectedDomain* entry = find_protected(snapshot->policy(), domain);
  if (entry == nullptr) {
    if (policy_file) {
      return usage_error("variants", domain + " is not a protected domain of " + *policy_file);
    }
    snapshot = single_domain_snapshot(domain);
    if (!snapshot) return ExitCode::PolicyError;
    entry = find_protected(snapshot->policy(), domain);
  }
  if (options.only && !entry->techniques.contains(*options.only)) {
    std::fprintf(stderr, "typoguard variants: note: %s is not enabled for %s by the policy\n",
                 std::string(technique_name(*options.only)).c_str(), domain.c_str());
  }

  const bool json = parsed.has("--json");
  Writer writer(stdout);
  std::string line;
  for (const Variant& variant : variants(*snapshot, domain, options)) {
    line.clear();
    if (json) {
      line += "{\"technique\":";
      append_json_string(line, technique_name(variant.technique));
      line += ",\"name\":";
      append_json_string(line, escape_name(variant.name));
      line += '}';
    } else {
      line += technique_name(variant.technique);
      line += '\t';
      line += escape_name(variant.name);
    }
    writer.line(line);
  }
  if (!writer.flush()) {
    std::fprintf(stderr, "typoguard variants: cannot write the output: %s\n", std::strerror(errno));
    return ExitCode::IoError;
  }
  return ExitCode::Ok;
}

}  // namespace tg::cli
