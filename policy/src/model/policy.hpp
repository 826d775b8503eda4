// SPDX-License-Identifier: BSD-3-Clause
// The typed, normalised policy: what a validated policy file means. The YANG module
// (policy/yang/typoguard@*.yang) is the one source of its defaults: the loader
// (config/policy_builder.cpp) takes every value, defaults included, from the tree libyang
// validated. A default-constructed Policy holds neutral zero/empty values, not the YANG
// defaults; code that builds one by hand sets what it needs. Never mutated once compiled.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/technique.hpp"

namespace tg {

/// Enforce answers look-alikes with the policy's action; Monitor only logs what it would do.
enum class Mode : std::uint8_t { Enforce = 0, Monitor = 1 };

/// What the policy asks for when an in-scope client looks up a look-alike. decide() turns it
/// into an Action (decide/decide.hpp), and it is that Action, as the C interface's tg_action,
/// that the verdict and the event log carry; these values stay inside the engine.
enum class PolicyAction : std::uint8_t { NxDomain = 0, Sinkhole = 1 };

/// An IPv4 or IPv6 prefix in network byte order; IPv4 is kept as its 4 bytes (not mapped).
struct IpPrefix {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};
  std::uint8_t length = 0;  ///< prefix length in bits (0..32 or 0..128)

  /// True when `addr` (4 bytes for IPv4, 16 for IPv6, same family as the prefix) lies inside.
  [[nodiscard]] bool contains(bool addr_is_v6, const std::uint8_t* addr) const noexcept;
  /// Presentation form, e.g. "192.0.2.0/24".
  [[nodiscard]] std::string to_string() const;
};

/// A named set of client prefixes (typically the organisation's mail servers).
struct ClientGroup {
  std::string name;
  std::string description;
  std::vector<IpPrefix> prefixes;
};

/// One protected registrable domain and its per-domain overrides (already resolved:
/// techniques and short_label_length hold the effective values, never "unset").
struct ProtectedDomain {
  std::string name;  ///< lower-case A-label, no trailing dot: "army.mil"
  std::string description;
  TechniqueSet techniques;  ///< effective set: its own, else the policy-wide one (YANG default)
  /// Label edits need a label at least this long: its own, else the policy-wide one (YANG
  /// default 4). 0 until set.
  std::uint8_t short_label_length = 0;
  std::optional<PolicyAction> action;  ///< overrides Policy::default_action; no YANG default
};

/// A suffix blocked wholesale for in-scope clients (`ml`: the Pentagon's control).
struct BlockedSuffix {
  std::string name;  ///< lower-case A-label: "ml"
  std::string reason;
  std::optional<PolicyAction> action;
};

/// A name (and its subtree) that is never a look-alike.
struct AllowEntry {
  std::string name;    ///< lower-case A-label
  std::string reason;  ///< mandatory in the schema
};

/// The answer synthesised for PolicyAction::Sinkhole (and the negative TTL for NXDOMAIN).
struct AnswerSettings {
  std::optional<std::array<std::uint8_t, 4>> sinkhole_ipv4;   ///< no YANG default
  std::optional<std::array<std::uint8_t, 16>> sinkhole_ipv6;  ///< no YANG default
  enum class MxKind : std::uint8_t { None = 0, Host = 1, NullMx = 2 };
  /// MX answer: quarantine host, Null MX (RFC 7505) or none. YANG default null-mx.
  MxKind mx = MxKind::None;
  std::string mx_host;              ///< quarantine exchange when mx == Host; no YANG default
  std::uint16_t mx_preference = 0;  ///< YANG default 10
  std::uint32_t ttl = 0;  ///< TTL of sinkhole records and of the NXDOMAIN SOA; YANG default 60
  std::string soa_mname;  ///< SOA MNAME of negative answers; YANG default typoguard.invalid
  std::string soa_rname;  ///< SOA RNAME; YANG default hostmaster.typoguard.invalid
};

/// The whole policy. Owned by the Snapshot compiled from it.
struct Policy {
  std::string source;       ///< file it came from, or "builtin:demo" (the embedded demo policy)
  std::string revision;     ///< the file's `revision` leaf, else "sha256:<hex>" of its bytes
  std::string description;  ///< no YANG default
  Mode mode{};              ///< YANG default enforce (Mode's zero value too)
  PolicyAction default_action{};  ///< YANG default nxdomain (PolicyAction's zero value too)
  bool private_suffixes = false;  ///< also honour the PSL's private section; YANG default false
  std::vector<ProtectedDomain> protected_domains;
  std::vector<BlockedSuffix> blocked_suffixes;
  std::vector<AllowEntry> allow;
  std::vector<ClientGroup> client_groups;
  std::vector<std::string> scope_client_groups;  ///< in-scope groups; empty = every client
  std::vector<std::uint16_t> query_types;        ///< watched qtypes; YANG default MX, A, AAAA
  AnswerSettings answers;
  bool extended_dns_error = false;  ///< YANG default true
  std::string event_log_path;       ///< empty = no event log; no YANG default
};

}  // namespace tg
