// SPDX-License-Identifier: BSD-3-Clause
#include "config/policy_builder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include <arpa/inet.h>

#include "config/data_tree.hpp"
#include "config/domain_checks.hpp"
#include "config/wording.hpp"
#include "config/yang_context.hpp"
#include "name/ascii.hpp"

namespace tg::config {
namespace {

std::optional<PolicyAction> parse_action(std::string_view v) {
  if (v == "nxdomain") return PolicyAction::NxDomain;
  if (v == "sinkhole") return PolicyAction::Sinkhole;
  return std::nullopt;
}

std::optional<Mode> parse_mode(std::string_view v) {
  if (v == "enforce") return Mode::Enforce;
  if (v == "monitor") return Mode::Monitor;
  return std::nullopt;
}

std::optional<AnswerSettings::MxKind> parse_mx_kind(std::string_view v) {
  if (v == "null-mx") return AnswerSettings::MxKind::NullMx;
  if (v == "host") return AnswerSettings::MxKind::Host;
  if (v == "none") return AnswerSettings::MxKind::None;
  return std::nullopt;
}

struct ParsedPrefix {
  IpPrefix prefix;
  bool host_bits = false;
  IpPrefix network;  ///< the prefix with the host bits cleared
};

std::optional<ParsedPrefix> parse_prefix(std::string_view text) {
  const std::size_t slash = text.rfind('/');
  if (slash == std::string_view::npos || slash + 1 >= text.size()) return std::nullopt;
  const std::string address(text.substr(0, slash));
  unsigned length = 0;
  for (const char c : text.substr(slash + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10U + static_cast<unsigned>(c - '0');
    if (length > 128U) return std::nullopt;
  }
  ParsedPrefix p;
  p.prefix.ipv6 = address.find(':') != std::string::npos;
  const unsigned max_length = p.prefix.ipv6 ? 128U : 32U;
  if (length > max_length) return std::nullopt;
  if (inet_pton(p.prefix.ipv6 ? AF_INET6 : AF_INET, address.c_str(), p.prefix.address.data()) !=
      1) {
    return std::nullopt;
  }
  p.prefix.length = static_cast<std::uint8_t>(length);
  p.network = p.prefix;
  const std::size_t bytes = p.prefix.ipv6 ? 16 : 4;
  for (std::size_t i = 0; i < bytes; ++i) {
    const unsigned first_bit = static_cast<unsigned>(i) * 8U;
    std::uint8_t mask = 0;
    if (length >= first_bit + 8U) {
      mask = 0xff;
    } else if (length > first_bit) {
      mask = static_cast<std::uint8_t>(0xffU << (8U - (length - first_bit)));
    }
    p.network.address[i] = static_cast<std::uint8_t>(p.prefix.address[i] & mask);
    if (p.network.address[i] != p.prefix.address[i]) p.host_bits = true;
  }
  return p;
}

/// True when `outer` contains every address of `inner`.
bool covers(const IpPrefix& outer, const IpPrefix& inner) {
  return outer.ipv6 == inner.ipv6 && outer.length <= inner.length &&
         outer.contains(inner.ipv6, inner.address.data());
}

}  // namespace

PolicyBuilder::PolicyBuilder(const SourceText& source, std::string file,
                             std::vector<PolicyError>& errors)
    : source_(source), file_(std::move(file)), errors_(errors) {}

std::vector<const lyd_node*> PolicyBuilder::children_of(const lyd_node* parent,
                                                        std::string_view name) const {
  return children_in_file_order(parent, name, source_);
}

Policy PolicyBuilder::build(const lyd_node* root) {
  Policy p;
  p.private_suffixes = boolean(root, "psl-private-section");
  p.description = value_of(child(root, "description"));
  p.revision = value_of(child(root, "revision"));
  if (const lyd_node* mode = defaulted(root, "mode")) {
    if (const auto m = parse_mode(value_of(mode))) {
      p.mode = *m;
    } else {
      internal_error(
          root, "mode",
          "has the value " + in_quotes(value_of(mode)) + ", which the builder does not know");
    }
  }
  if (const auto a = action_of(defaulted(root, "action"))) p.default_action = *a;
  p.extended_dns_error = boolean(root, "extended-dns-error");
  if (const lyd_node* log = child(root, "event-log"))
    p.event_log_path = value_of(child(log, "path"));

  read_protected(root, p);
  read_blocked(root, p);
  read_allow(root, p);
  read_client_groups(root, p);
  read_scope(root, p);
  read_answer(root, p);
  cross_checks(root, p);
  return p;
}

void PolicyBuilder::fail(const lyd_node* node, std::string message,
                         std::optional<std::string_view> value) {
  const std::string path = node != nullptr ? path_of(node) : std::string(kRootPath);
  errors_.push_back(PolicyError{file_, source_.locate(path, value), path, std::move(message)});
}

void PolicyBuilder::internal_error(const lyd_node* parent, std::string_view name,
                                   const std::string& what) {
  const std::string path =
      (parent != nullptr ? path_of(parent) : std::string(kRootPath)) + "/" + std::string(name);
  errors_.push_back(PolicyError{
      file_, 0, path, "internal error (a build defect): " + std::string(name) + " " + what});
}

const lyd_node* PolicyBuilder::defaulted(const lyd_node* parent, std::string_view name) {
  const lyd_node* node = child(parent, name);
  if (node == nullptr) {
    internal_error(parent, name,
                   "is missing from the validated tree, though the YANG module gives it a default");
  }
  return node;
}

std::vector<const lyd_node*> PolicyBuilder::defaulted_list(const lyd_node* parent,
                                                           std::string_view name) {
  std::vector<const lyd_node*> nodes = children_of(parent, name);
  if (nodes.empty()) {
    internal_error(parent, name,
                   "has no value in the validated tree, though the YANG module gives it defaults");
  }
  return nodes;
}

bool PolicyBuilder::boolean(const lyd_node* parent, std::string_view name) {
  const lyd_node* node = defaulted(parent, name);
  if (node == nullptr) return false;
  const std::string v = value_of(node);
  if (v != "true" && v != "false") {
    internal_error(parent, name, "has the value " + in_quotes(v) + ", which is not a boolean");
  }
  return v == "true";
}

std::uint64_t PolicyBuilder::number(const lyd_node* node, std::uint64_t max) {
  if (node == nullptr) return 0;
  const std::optional<std::uint64_t> n = number_of(node);
  if (!n || *n > max) {
    internal_error(lyd_parent(node), node->schema->name,
                   "has the value " + in_quotes(value_of(node)) + ", which is not a number 0.." +
                       std::to_string(max));
    return 0;
  }
  return *n;
}

std::optional<PolicyAction> PolicyBuilder::action_of(const lyd_node* node) {
  if (node == nullptr) return std::nullopt;
  const auto a = parse_action(value_of(node));
  if (!a) {
    internal_error(
        lyd_parent(node), "action",
        "has the value " + in_quotes(value_of(node)) + ", which the builder does not know");
  }
  return a;
}

std::optional<Technique> PolicyBuilder::technique_of(const lyd_node* node) {
  const std::string name = value_of(node);
  const std::optional<Technique> t = technique_from_name(name);
  if (!t || *t == Technique::BlockedSuffix) {
    fail(node, "internal error (a build defect): the YANG module accepts the technique " +
                   in_quotes(name) + ", which the engine does not know as a per-domain technique");
    return std::nullopt;
  }
  return t;
}

void PolicyBuilder::check_a_labels(const lyd_node* node) {
  const std::string name = value_of(node);
  if (const auto problem = a_label_problem(name)) {
    fail(node, describe_leaf(path_of(node)) + " " + in_quotes(name) + " " + *problem);
  }
}

void PolicyBuilder::read_protected(const lyd_node* root, Policy& p) {
  TechniqueSet global;
  for (const lyd_node* t : defaulted_list(root, "technique")) {
    if (const auto tech = technique_of(t)) global.insert(*tech);
  }
  const auto global_short = static_cast<std::uint8_t>(
      number(defaulted(root, "short-label-length"), std::numeric_limits<std::uint8_t>::max()));
  const std::vector<const lyd_node*> entries = children_of(root, "protected-domain");
  std::vector<std::string> all_names;
  all_names.reserve(entries.size());
  for (const lyd_node* e : entries) all_names.push_back(value_of(child(e, "name")));

  for (const lyd_node* e : entries) {
    ProtectedDomain d;
    const lyd_node* name_node = child(e, "name");
    d.name = value_of(name_node);
    d.description = value_of(child(e, "description"));
    const std::vector<const lyd_node*> full = children_of(e, "technique");
    if (!full.empty()) {
      for (const lyd_node* t : full) {
        if (const auto tech = technique_of(t)) d.techniques.insert(*tech);
      }
    } else {
      d.techniques = global;
      const std::vector<const lyd_node*> added = children_of(e, "add-technique");
      const std::vector<const lyd_node*> removed = children_of(e, "remove-technique");
      for (const lyd_node* t : added) {
        if (const auto tech = technique_of(t)) d.techniques.insert(*tech);
      }
      for (const lyd_node* t : removed) {
        const std::string v = value_of(t);
        if (const auto tech = technique_of(t)) d.techniques.erase(*tech);
        for (const lyd_node* a : added) {
          if (value_of(a) == v) {
            fail(t, "protected domain " + in_quotes(d.name) +
                        " both adds and removes the technique " + in_quotes(v) +
                        ": keep one of the two");
          }
        }
      }
    }
    if (d.techniques.empty()) {
      fail(e, "protected domain " + in_quotes(d.name) +
                  " is left with no technique, so nothing would be detected for it: keep at "
                  "least one");
    }
    const lyd_node* sl = child(e, "short-label-length");
    d.short_label_length =
        sl != nullptr
            ? static_cast<std::uint8_t>(number(sl, std::numeric_limits<std::uint8_t>::max()))
            : global_short;
    d.action = action_of(child(e, "action"));

    if (const auto problem = registrable_problem(d.name, p.private_suffixes, all_names)) {
      fail(name_node, "protected domain " + in_quotes(d.name) + " " + *problem);
    }
    check_a_labels(name_node);
    p.protected_domains.push_back(std::move(d));
  }
}

void PolicyBuilder::read_blocked(const lyd_node* root, Policy& p) {
  for (const lyd_node* e : children_of(root, "blocked-suffix")) {
    BlockedSuffix b;
    const lyd_node* name_node = child(e, "name");
    b.name = value_of(name_node);
    b.reason = value_of(child(e, "reason"));
    b.action = action_of(child(e, "action"));
    check_a_labels(name_node);
    blocked_nodes_.push_back(name_node);
    p.blocked_suffixes.push_back(std::move(b));
  }
}

void PolicyBuilder::read_allow(const lyd_node* root, Policy& p) {
  for (const lyd_node* e : children_of(root, "allow-list")) {
    AllowEntry a;
    const lyd_node* name_node = child(e, "name");
    a.name = value_of(name_node);
    a.reason = value_of(child(e, "reason"));
    check_a_labels(name_node);
    allow_nodes_.push_back(name_node);
    p.allow.push_back(std::move(a));
  }
}

void PolicyBuilder::read_client_groups(const lyd_node* root, Policy& p) {
  for (const lyd_node* e : children_of(root, "client-group")) {
    ClientGroup g;
    g.name = value_of(child(e, "name"));
    g.description = value_of(child(e, "description"));
    std::vector<std::pair<IpPrefix, std::string>> seen;
    for (const lyd_node* n : children_of(e, "prefix")) {
      const std::string text = value_of(n);
      const auto parsed = parse_prefix(text);
      if (!parsed) {
        fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                    " is not an IPv4 or IPv6 prefix, e.g. 192.0.2.0/24 or 2001:db8::/32");
        continue;
      }
      if (parsed->host_bits) {
        const std::string network = parsed->network.to_string();
        std::string host = parsed->prefix.to_string();
        host = host.substr(0, host.rfind('/')) + (parsed->prefix.ipv6 ? "/128" : "/32");
        fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                    " has bits set after the first " + std::to_string(parsed->prefix.length) +
                    ": write the network " + in_quotes(network) + ", or " + in_quotes(host) +
                    " for that single address");
        continue;
      }
      bool overlap = false;
      for (const auto& [other, other_text] : seen) {
        if (covers(other, parsed->prefix)) {
          fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                      " is already covered by " + in_quotes(other_text) +
                      " in the same group: "
                      "remove one of them");
          overlap = true;
          break;
        }
        if (covers(parsed->prefix, other)) {
          fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                      " covers " + in_quotes(other_text) +
                      ", listed before it in the same group: "
                      "remove one of them");
          overlap = true;
          break;
        }
      }
      if (overlap) continue;
      seen.emplace_back(parsed->prefix, text);
      g.prefixes.push_back(parsed->prefix);
    }
    p.client_groups.push_back(std::move(g));
  }
}

void PolicyBuilder::read_scope(const lyd_node* root, Policy& p) {
  const lyd_node* scope = defaulted(root, "scope");  // holds the query-type defaults
  if (scope == nullptr) return;
  for (const lyd_node* g : children_of(scope, "client-group"))
    p.scope_client_groups.push_back(value_of(g));
  std::map<std::uint16_t, std::string> seen;
  for (const lyd_node* q : defaulted_list(scope, "query-type")) {
    const std::uint16_t number = query_type_number(q);
    const std::string text = value_of(q);
    if (const auto it = seen.find(number); it != seen.end()) {
      fail(q, "query type " + in_quotes(text) + " is the same type as " + in_quotes(it->second) +
                  ", listed before it: remove one of them");
      continue;
    }
    seen.emplace(number, text);
    p.query_types.push_back(number);
  }
}

void PolicyBuilder::read_answer(const lyd_node* root, Policy& p) {
  const lyd_node* answer = defaulted(root, "answer");  // holds the ttl, mx and soa defaults
  if (answer == nullptr) return;
  AnswerSettings& a = p.answers;
  a.ttl = static_cast<std::uint32_t>(
      number(defaulted(answer, "ttl"), std::numeric_limits<std::uint32_t>::max()));
  if (const lyd_node* v4 = child(answer, "sinkhole-ipv4")) {
    std::array<std::uint8_t, 4> bytes{};
    if (inet_pton(AF_INET, value_of(v4).c_str(), bytes.data()) == 1) a.sinkhole_ipv4 = bytes;
  }
  if (const lyd_node* v6 = child(answer, "sinkhole-ipv6")) {
    std::array<std::uint8_t, 16> bytes{};
    if (inet_pton(AF_INET6, value_of(v6).c_str(), bytes.data()) == 1) a.sinkhole_ipv6 = bytes;
  }
  if (const lyd_node* mx = defaulted(answer, "mx")) {
    if (const lyd_node* kind = defaulted(mx, "answer")) {
      if (const auto k = parse_mx_kind(value_of(kind))) {
        a.mx = *k;
      } else {
        internal_error(
            mx, "answer",
            "has the value " + in_quotes(value_of(kind)) + ", which the builder does not know");
      }
    }
    if (const lyd_node* host = child(mx, "host")) {
      a.mx_host = value_of(host);
      check_a_labels(host);
    }
    a.mx_preference = static_cast<std::uint16_t>(
        number(defaulted(mx, "preference"), std::numeric_limits<std::uint16_t>::max()));
  }
  if (const lyd_node* soa = defaulted(answer, "soa")) {
    a.soa_mname = value_of(defaulted(soa, "mname"));
    a.soa_rname = value_of(defaulted(soa, "rname"));
  }
}

void PolicyBuilder::cross_checks(const lyd_node* root, const Policy& p) {
  // An allow-list entry must be able to matter.
  for (std::size_t i = 0; i < p.allow.size(); ++i) {
    const std::string& name = p.allow[i].name;
    bool reported = false;
    for (const ProtectedDomain& d : p.protected_domains) {
      if (at_or_under(name, d.name)) {
        fail(allow_nodes_[i], "allow-list entry " + in_quotes(name) +
                                  (name == d.name ? " is" : " lies under") +
                                  " the protected domain " + d.name +
                                  ", whose names are never look-alikes anyway: remove the entry");
        reported = true;
        break;
      }
    }
    if (reported) continue;
    for (const BlockedSuffix& b : p.blocked_suffixes) {
      if (at_or_under(b.name, name)) {
        fail(allow_nodes_[i],
             "allow-list entry " + in_quotes(name) + " would allow the whole blocked suffix " +
                 b.name + ": allow the partner domains under it instead (e.g. partner-example." +
                 b.name + "), or remove the blocked suffix");
        reported = true;
        break;
      }
    }
    if (reported) continue;
    for (std::size_t j = 0; j < p.allow.size(); ++j) {
      if (j != i && at_or_under(name, p.allow[j].name) && name != p.allow[j].name) {
        fail(allow_nodes_[i], "allow-list entry " + in_quotes(name) +
                                  " is already covered by the allow-list entry " + p.allow[j].name +
                                  ": remove one of them");
        break;
      }
    }
  }

  // A blocked suffix must not swallow a protected domain, nor another blocked suffix.
  for (std::size_t i = 0; i < p.blocked_suffixes.size(); ++i) {
    const std::string& name = p.blocked_suffixes[i].name;
    bool reported = false;
    for (const ProtectedDomain& d : p.protected_domains) {
      if (at_or_under(d.name, name)) {
        fail(blocked_nodes_[i],
             "blocked suffix " + in_quotes(name) + (name == d.name ? " is" : " contains") +
                 " the protected domain " + d.name +
                 ": a blocked suffix is for look-alike suffixes (ml for mil); remove it, or "
                 "protect the domains under it instead");
        reported = true;
        break;
      }
      if (at_or_under(name, d.name)) {
        fail(blocked_nodes_[i], "blocked suffix " + in_quotes(name) +
                                    " lies under the protected domain " + d.name +
                                    ", whose names are never look-alikes: remove it");
        reported = true;
        break;
      }
    }
    if (reported) continue;
    for (std::size_t j = 0; j < p.blocked_suffixes.size(); ++j) {
      if (j != i && at_or_under(name, p.blocked_suffixes[j].name) &&
          name != p.blocked_suffixes[j].name) {
        fail(blocked_nodes_[i], "blocked suffix " + in_quotes(name) +
                                    " is already blocked by the blocked suffix " +
                                    p.blocked_suffixes[j].name + ": remove it");
        break;
      }
    }
  }

  // Sinkhole needs something to answer with.
  if (!p.answers.sinkhole_ipv4 && !p.answers.sinkhole_ipv6) {
    const lyd_node* chooser = nullptr;
    std::string who;
    if (const lyd_node* a = child(root, "action"); is_explicit(a) && value_of(a) == "sinkhole") {
      chooser = a;
      who = "the policy-wide action";
    }
    for (const lyd_node* e : children_of(root, "protected-domain")) {
      if (chooser != nullptr) break;
      if (const lyd_node* a = child(e, "action"); a != nullptr && value_of(a) == "sinkhole") {
        chooser = a;
        who = "protected domain " + value_of(child(e, "name"));
      }
    }
    for (const lyd_node* e : children_of(root, "blocked-suffix")) {
      if (chooser != nullptr) break;
      if (const lyd_node* a = child(e, "action"); a != nullptr && value_of(a) == "sinkhole") {
        chooser = a;
        who = "blocked suffix " + value_of(child(e, "name"));
      }
    }
    if (chooser != nullptr) {
      fail(chooser,
           "the action sinkhole (chosen by " + who +
               ") needs an address to answer with: add answer/sinkhole-ipv4 (e.g. "
               "192.0.2.1) and/or answer/sinkhole-ipv6 (e.g. 2001:db8::1)",
           std::string_view("sinkhole"));
    }
  }

  if (p.protected_domains.empty() && p.blocked_suffixes.empty()) {
    fail(root,
         "the policy protects no domain and blocks no suffix, so typoguard would do nothing: "
         "add protected-domain entries (e.g. {\"name\": \"army.mil\"}) or blocked-suffix "
         "entries");
  }
}

}  // namespace tg::config
