// SPDX-License-Identifier: BSD-3-Clause
#include "decide/decide.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace tg {

const char* action_name(Action a) noexcept {
  switch (a) {
    case Action::Pass:
      return "pass";
    case Action::LogOnly:
      return "log-only";
    case Action::NxDomain:
      return "nxdomain";
    case Action::Sinkhole:
      return "sinkhole";
  }
  return "pass";
}

bool client_in_scope(const Policy& policy, const ClientAddress& client) noexcept {
  if (!client.present) return false;
  if (policy.scope_client_groups.empty()) return true;
  for (const std::string& name : policy.scope_client_groups) {
    for (const ClientGroup& group : policy.client_groups) {
      if (group.name != name) continue;
      for (const IpPrefix& prefix : group.prefixes) {
        if (prefix.contains(client.ipv6, client.bytes.data())) return true;
      }
    }
  }
  return false;
}

Decision decide(const Match& match, const Policy& policy, std::uint16_t qtype,
                const ClientAddress& client) noexcept {
  Decision d;
  if (!match.is_lookalike()) return d;
  d.watched = std::find(policy.query_types.begin(), policy.query_types.end(), qtype) !=
              policy.query_types.end();
  d.in_scope = client_in_scope(policy, client);
  if (!d.watched || !d.in_scope) return d;
  if (policy.mode == Mode::Monitor) {
    d.action = Action::LogOnly;
    return d;
  }
  std::optional<PolicyAction> chosen;
  if (match.technique == Technique::BlockedSuffix) {
    if (match.entry < policy.blocked_suffixes.size())
      chosen = policy.blocked_suffixes[match.entry].action;
  } else if (match.entry < policy.protected_domains.size()) {
    chosen = policy.protected_domains[match.entry].action;
  }
  const PolicyAction a = chosen.value_or(policy.default_action);
  d.action = a == PolicyAction::Sinkhole ? Action::Sinkhole : Action::NxDomain;
  return d;
}

ClientsDecision decide_for_clients(const Match& match, const Policy& policy, std::uint16_t qtype,
                                   std::span<const ClientAddress> clients) noexcept {
  ClientsDecision result;
  result.decision = decide(match, policy, qtype, ClientAddress{});
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const Decision d = decide(match, policy, qtype, clients[i]);
    if (d.in_scope) result.any_in_scope = true;
    if (static_cast<int>(d.action) > static_cast<int>(result.decision.action)) {
      result.decision = d;
      result.client_index = static_cast<int>(i);
    }
  }
  return result;
}

std::string ede_text(const Match& match) {
  if (match.technique == Technique::BlockedSuffix) {
    return fmt::format("typoguard: blocked suffix {}", match.protected_domain);
  }
  if (match.secondary != Technique::None) {
    return fmt::format("typoguard: look-alike of {} ({} + {})", match.protected_domain,
                       technique_name(match.technique), technique_name(match.secondary));
  }
  return fmt::format("typoguard: look-alike of {} ({})", match.protected_domain,
                     technique_name(match.technique));
}

}  // namespace tg
