// SPDX-License-Identifier: BSD-3-Clause
// `typoguard rpz`: a Response Policy Zone holding every look-alike of a policy, for resolvers
// that cannot load the module (Unbound's `rpz:` clause, BIND, Knot Resolver, PowerDNS).
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include "commands.hpp"
#include "name/ascii.hpp"
#include "output.hpp"
#include "variants/variants.hpp"

namespace tg::cli {

namespace {

constexpr std::string_view kRpzHelp =
    R"help(Usage: typoguard rpz [--policy FILE | --protect-file FILE] [--origin NAME]
                     [--serial N] [--all-homoglyphs]

Writes a Response Policy Zone (zone file format) on standard output that answers
NXDOMAIN for every look-alike the policy's classifier accepts, for resolvers that
cannot load the typoguard module:
  - for every variant V of every protected domain:  V CNAME .  and  *.V CNAME .
  - for every blocked suffix S:                     S CNAME .  and  *.S CNAME .
  - for every allow-list entry A (and every protected domain under a blocked
    suffix):                          A CNAME rpz-passthru.  and  *.A CNAME rpz-passthru.
Each owner name appears once; the order is deterministic. Without --policy or
--protect-file the embedded demo policy is used (the main .mil domains, all of .ml
blocked; the resolver module loads it only as TYPOGUARD_POLICY=builtin:demo).

Options:
  --policy FILE        the policy file (.json or .xml)
  --protect-file FILE  protect the domains listed in FILE, defaults for the rest
  --origin NAME        the zone's name (default: typoguard.rpz)
  --serial N           the SOA serial (default: derived from the zone's content, so
                       the same policy gives the same zone)
  --all-homoglyphs     every homoglyph variant (default: at most 200 per domain)
  -h, --help           show this help

Unbound (module-config must start with "respip"):
  rpz:
      name: typoguard.rpz
      zonefile: /etc/unbound/typoguard.rpz
      rpz-log: yes

Exit status: 0 on success, 2 on a usage error, 3 if the policy cannot be loaded,
4 on an output error.
)help";

constexpr std::array kRpzOptions{
    OptionSpec{"--policy", '\0', true},          OptionSpec{"--protect-file", '\0', true},
    OptionSpec{"--origin", '\0', true},          OptionSpec{"--serial", '\0', true},
    OptionSpec{"--all-homoglyphs", '\0', false},
};

/// Longest domain name in wire form (RFC 1035 §3.1).
constexpr std::size_t kMaxWireName = 255;

/// FNV-1a, 32 bits: a stable content hash for the default serial.
std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261U;
  for (const char c : text) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 16777619U;
  }
  return hash;
}

/// The triggers of the zone, in output order, each owner once.
class TriggerList {
 public:
  explicit TriggerList(std::size_t origin_length) : origin_length_(origin_length) {}

  /// Starts a section: its comment line is written before its first record, if any.
  void section(std::string_view comment) { pending_comment_ = comment; }

  /// Adds `owner CNAME target` and `*.owner CNAME target` unless the owner was added before
  /// or the names do not fit in a DNS name under the origin.
  void add(std::string_view owner, std::string_view target) {
    if (!is_plain_name(owner)) {
      ++skipped_;
      return;
    }
    // "*." + owner + "." + origin, plus the length octet of the first label and the root.
    if (2 + owner.size() + 1 + origin_length_ + 2 > kMaxWireName) {
      ++skipped_;
      return;
    }
    if (!seen_.emplace(owner).second) return;
    if (!pending_comment_.empty()) {
      body_ += "\n; ";
      body_ += pending_comment_;
      body_ += '\n';
      pending_comment_.clear();
    }
    for (const std::string_view prefix : {std::string_view(), std::string_view("*.")}) {
      body_ += prefix;
      body_ += owner;
      body_ += " CNAME ";
      body_ += target;
      body_ += '\n';
    }
  }

  [[nodiscard]] const std::string& body() const noexcept { return body_; }
  [[nodiscard]] std::size_t owners() const noexcept { return seen_.size(); }
  [[nodiscard]] std::size_t skipped() const noexcept { return skipped_; }

 private:
  std::size_t origin_length_;
  std::set<std::string, std::less<>> seen_;
  std::string body_;
  std::string pending_comment_;
  std::size_t skipped_ = 0;
};

std::string lower_without_root_dot(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  return ascii_lower(name);
}

TriggerList build_triggers(const Snapshot& snapshot, const std::string& origin,
                           const VariantOptions& options) {
  const Policy& policy = snapshot.policy();
  TriggerList triggers(origin.size());

  triggers.section("allow-list: never blocked (the longer trigger wins over a wildcard below)");
  for (const AllowEntry& entry : policy.allow) triggers.add(entry.name, "rpz-passthru.");
  for (const ProtectedDomain& domain : policy.protected_domains) {
    for (const BlockedSuffix& suffix : policy.blocked_suffixes) {
      if (at_or_under(domain.name, suffix.name)) triggers.add(domain.name, "rpz-passthru.");
    }
  }

  triggers.section("blocked suffixes");
  for (const BlockedSuffix& suffix : policy.blocked_suffixes) triggers.add(suffix.name, ".");

  for (const ProtectedDomain& domain : policy.protected_domains) {
    triggers.section("look-alikes of " + domain.name);
    for (const Variant& variant : variants(snapshot, domain.name, options)) {
      triggers.add(variant.name, ".");
    }
  }
  return triggers;
}

}  // namespace

ExitCode run_rpz(std::span<const std::string_view> args) {
  const CommandLine command_line = parse_command_line("rpz", args, kRpzOptions, kRpzHelp);
  if (!command_line.args) return command_line.exit;
  const ParsedArgs& parsed = *command_line.args;
  if (!parsed.operands().empty()) {
    return usage_error("rpz", "unexpected operand '" + parsed.operands().front() + "'");
  }
  const PolicyChoice choice{parsed.value("--policy"), parsed.value("--protect-file")};
  if (choice.policy_file && choice.protect_file) {
    return usage_error("rpz", "--policy and --protect-file cannot be used together");
  }
  const std::string origin =
      lower_without_root_dot(parsed.value("--origin").value_or("typoguard.rpz"));
  if (!is_plain_name(origin) || origin.size() + 2 > kMaxWireName) {
    return usage_error("rpz", "--origin needs a domain name, not '" + origin + "'");
  }
  std::optional<std::uint32_t> serial;
  if (const std::optional<std::string> text = parsed.value("--serial")) {
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size()) {
      return usage_error("rpz", "--serial needs a number from 0 to 4294967295");
    }
    serial = value;
  }

  const std::shared_ptr<const Snapshot> snapshot = load_snapshot(choice);
  if (!snapshot) return ExitCode::PolicyError;
  const Policy& policy = snapshot->policy();

  VariantOptions options;
  if (parsed.has("--all-homoglyphs")) options.homoglyph_limit = 0;
  const TriggerList triggers = build_triggers(*snapshot, origin, options);
  if (!serial) serial = fnv1a(triggers.body());

  const std::string ttl = std::to_string(policy.answers.ttl);
  Writer writer(stdout);
  writer.line("; Response Policy Zone generated by typoguard " TG_VERSION " (typoguard rpz)");
  writer.line("; policy: " + printable(policy.source) + ", revision " + printable(policy.revision));
  writer.line("; " + std::to_string(triggers.owners()) + " trigger names, each with its subtree");
  if (policy.mode == Mode::Monitor) {
    writer.line("; the policy is in monitor mode: load this zone with");
    writer.line(";   rpz-action-override: disabled   (log what would be blocked)");
  }
  writer.line("$ORIGIN " + origin + ".");
  writer.line("$TTL " + ttl);
  writer.line("@ IN SOA " + lower_without_root_dot(policy.answers.soa_mname) + ". " +
              lower_without_root_dot(policy.answers.soa_rname) + ". " + std::to_string(*serial) +
              " 3600 600 86400 " + ttl);
  writer.line("@ IN NS localhost.");
  writer.write(triggers.body());
  if (!writer.flush()) {
    std::fprintf(stderr, "typoguard rpz: cannot write the output: %s\n", std::strerror(errno));
    return ExitCode::IoError;
  }
  if (triggers.skipped() != 0) {
    std::fprintf(stderr, "typoguard rpz: %zu names left out: too long under %s or not plain LDH\n",
                 triggers.skipped(), origin.c_str());
  }
  return ExitCode::Ok;
}

}  // namespace tg::cli
