// SPDX-License-Identifier: BSD-3-Clause
// *What* to do about a name: Match (why) × client scope × query type × policy → Action.
// Pure and allocation-free; the module maps the Action to an answer.
#pragma once

#include <array>
#include <cstdint>

#include "classify/match.hpp"
#include "model/policy.hpp"

namespace tg {

/// The response the resolver gives. Values reach the event log: append-only.
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

}  // namespace tg
