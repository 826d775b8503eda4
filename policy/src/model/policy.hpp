// SPDX-License-Identifier: BSD-3-Clause
// The typed, normalised policy: what a validated policy file means, with every default
// filled in from the YANG module. Built only by config/loader.cpp; never mutated after that.
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

/// What the policy asks for when an in-scope client looks up a look-alike.
/// Values reach the event log: append-only.
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
  TechniqueSet techniques;              ///< effective set for this domain
  std::uint8_t short_label_length = 4;  ///< label edits need a label at least this long
  std::optional<PolicyAction> action;   ///< overrides Policy::default_action
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
  std::optional<std::array<std::uint8_t, 4>> sinkhole_ipv4;
  std::optional<std::array<std::uint8_t, 16>> sinkhole_ipv6;
  enum class MxKind : std::uint8_t { None = 0, Host = 1, NullMx = 2 };
  MxKind mx = MxKind::NullMx;  ///< MX answer: quarantine host, Null MX (RFC 7505) or none
  std::string mx_host;         ///< quarantine exchange when mx == Host
  std::uint16_t mx_preference = 10;
  std::uint32_t ttl = 60;                       ///< TTL of sinkhole records and of the NXDOMAIN SOA
  std::string soa_mname = "typoguard.invalid";  ///< SOA MNAME of synthesised negative answers
  std::string soa_rname = "hostmaster.typoguard.invalid";
};

/// The whole policy. Owned by the Snapshot compiled from it.
struct Policy {
  std::string source;    ///< file it came from, or "builtin:demo" (the embedded demo policy)
  std::string revision;  ///< the file's `revision` leaf, else "sha256:<hex>" of its bytes
  std::string description;
  Mode mode = Mode::Enforce;
  PolicyAction default_action = PolicyAction::NxDomain;
  bool private_suffixes = false;  ///< also honour the PSL's private section
  std::vector<ProtectedDomain> protected_domains;
  std::vector<BlockedSuffix> blocked_suffixes;
  std::vector<AllowEntry> allow;
  std::vector<ClientGroup> client_groups;
  std::vector<std::string> scope_client_groups;       ///< in-scope groups; empty = every client
  std::vector<std::uint16_t> query_types{15, 1, 28};  ///< watched qtypes (MX, A, AAAA)
  AnswerSettings answers;
  bool extended_dns_error = true;
  std::string event_log_path;  ///< empty = no event log
};

}  // namespace tg
