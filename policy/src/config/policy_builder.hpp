// SPDX-License-Identifier: BSD-3-Clause
// A validated libyang data tree turned into the typed Policy, with the checks YANG cannot
// express (registrable domains, canonical A-labels, prefixes without host bits and without
// overlaps, allow-list entries that can matter, sinkhole with an address, a policy that does
// something).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libyang/libyang.h>

#include "config/policy_error.hpp"
#include "config/source_text.hpp"
#include "model/policy.hpp"

namespace tg::config {

/// Builds one Policy. Borrows `source` and `errors`, which must outlive it; every problem
/// found is appended to `errors` with the file, line and data path, and the Policy returned
/// is then to be discarded. Throws only std::bad_alloc.
///
/// Every value with a default in the YANG module is read from the tree, where libyang's
/// validation put the default when the file has none; the builder knows no default of its
/// own. A defaulted node missing from the tree, or a value the schema allows but the builder
/// does not know, is a build defect, reported as an "internal error" naming the data path.
/// So is a technique the YANG enumeration accepts and the engine does not know
/// (technique_from_name()): it is never dropped. The unit test "the YANG technique
/// enumeration and the engine's techniques agree" keeps that unreachable from valid input.
class PolicyBuilder {
 public:
  PolicyBuilder(const SourceText& source, std::string file, std::vector<PolicyError>& errors);

  /// The Policy of `root` (the typoguard:policy node of a tree that passed validation).
  /// Policy::source is left empty, and Policy::revision too when the file has none.
  [[nodiscard]] Policy build(const lyd_node* root);

 private:
  void fail(const lyd_node* node, std::string message, std::optional<std::string_view> value = {});
  void internal_error(const lyd_node* parent, std::string_view name, const std::string& what);
  const lyd_node* defaulted(const lyd_node* parent, std::string_view name);
  std::vector<const lyd_node*> defaulted_list(const lyd_node* parent, std::string_view name);
  bool boolean(const lyd_node* parent, std::string_view name);
  std::uint64_t number(const lyd_node* node, std::uint64_t max);
  std::optional<PolicyAction> action_of(const lyd_node* node);
  std::optional<Technique> technique_of(const lyd_node* node);
  void check_a_labels(const lyd_node* node);
  void read_protected(const lyd_node* root, Policy& p);
  void read_blocked(const lyd_node* root, Policy& p);
  void read_allow(const lyd_node* root, Policy& p);
  void read_client_groups(const lyd_node* root, Policy& p);
  void read_scope(const lyd_node* root, Policy& p);
  void read_answer(const lyd_node* root, Policy& p);
  void cross_checks(const lyd_node* root, const Policy& p);
  [[nodiscard]] std::vector<const lyd_node*> children_of(const lyd_node* parent,
                                                         std::string_view name) const;

  const SourceText& source_;
  std::string file_;
  std::vector<PolicyError>& errors_;
  std::vector<const lyd_node*> blocked_nodes_;
  std::vector<const lyd_node*> allow_nodes_;
};

}  // namespace tg::config
