// SPDX-License-Identifier: BSD-3-Clause
// *What* to do about a name: Match (why) × client scope × query type × policy → Action.
// Pure and allocation-free; the module maps the Action to an answer.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "classify/match.hpp"
#include "model/policy.hpp"

namespace tg {

/// The response the resolver gives. Values reach the event log (`typoguard.action`, by name)
/// and the C interface (tg_action): append-only.
enum class Action : std::uint8_t {
  Pass = 0,      ///< resolve normally, nothing to log
  LogOnly = 1,   ///< resolve normally, log the look-alike (monitor mode)
  NxDomain = 2,  ///< answer NXDOMAIN with an SOA
  Sinkhole = 3,  ///< answer with the policy's sinkhole / quarantine records
};

/// Stable name: "pass", "log-only", "nxdomain", "sinkhole".
[[nodiscard]] const char* action_name(Action a) noexcept;

/// The client of a query; `present` is false for the resolver's own (internal) look-ups.
struct ClientAddress {
  bool present = false;
  bool ipv6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< 4 bytes used for IPv4
};

/// The decision and the facts behind it (for the event log).
struct Decision {
  Action action = Action::Pass;
  bool in_scope = false;  ///< the client belongs to an in-scope client group
  bool watched = false;   ///< the query type is watched
};

/// True when `client` is in scope: a real client inside one of the policy's scope groups, or
/// any real client when the policy names no scope groups.
[[nodiscard]] bool client_in_scope(const Policy& policy, const ClientAddress& client) noexcept;

/// Decides for one query. Internal queries (no client) always Pass: the iterator's own look-ups
/// must work; the module still keeps look-alike answers out of the cache.
[[nodiscard]] Decision decide(const Match& match, const Policy& policy, std::uint16_t qtype,
                              const ClientAddress& client) noexcept;

/// True when the action answers in the resolver's place (NXDOMAIN or sinkhole): the query is
/// not resolved. Pass and LogOnly resolve normally.
[[nodiscard]] constexpr bool blocks(Action a) noexcept {
  return a == Action::NxDomain || a == Action::Sinkhole;
}

/// The decision for a query with several clients (Unbound merges identical queries from
/// different clients into one): the most restrictive of their decisions.
struct ClientsDecision {
  Decision decision;          ///< the most restrictive; Pass when no client
  int client_index = -1;      ///< the client that decided it; -1 when none raised it above Pass
  bool any_in_scope = false;  ///< at least one client is in scope
  [[nodiscard]] bool blocks() const noexcept { return tg::blocks(decision.action); }
};

/// Decides for every client of a query and keeps the most restrictive decision (the first
/// client wins a tie). No client (an internal look-up) passes, with `watched` still telling
/// whether the type is watched. Pure; never throws.
[[nodiscard]] ClientsDecision decide_for_clients(const Match& match, const Policy& policy,
                                                 std::uint16_t qtype,
                                                 std::span<const ClientAddress> clients) noexcept;

/// The Extended DNS Error text that says why a name is blocked: "typoguard: look-alike of
/// army.mil (suffix-typo)", "... (omission + suffix-typo)", "typoguard: blocked suffix ml".
/// Throws std::bad_alloc only.
[[nodiscard]] std::string ede_text(const Match& match);

}  // namespace tg
