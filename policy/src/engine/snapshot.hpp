// SPDX-License-Identifier: BSD-3-Clause
// An immutable compiled policy: the typed Policy plus every index the classifier needs.
// Built once per (re)load, then shared read-only by all threads through shared_ptr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "classify/match.hpp"
#include "model/policy.hpp"
#include "name/name_info.hpp"

namespace tg {

class ProtectedIndex;

/// A compiled policy. Thread-safe: every member function is const and touches no globals
/// except the read-only PSL and homoglyph tables.
class Snapshot {
 public:
  /// Compiles `policy` (already validated by the loader). Throws std::invalid_argument if a
  /// protected domain cannot be indexed (the loader rejects such policies first).
  [[nodiscard]] static std::shared_ptr<const Snapshot> compile(Policy policy);

  [[nodiscard]] const Policy& policy() const noexcept { return policy_; }

  /// Analyses a presentation-form name with this policy's suffix settings.
  [[nodiscard]] NameInfo analyse(std::string_view name) const;

  /// Classifies a name. Pure: no I/O, no allocation beyond the returned strings.
  /// Example: classify("mail.army.ml") -> LookAlike army.mil suffix-typo.
  [[nodiscard]] Match classify(const NameInfo& name) const;
  [[nodiscard]] Match classify(std::string_view name) const { return classify(analyse(name)); }

  /// Whether the wire-format name `wire[0 .. len)` may be a look-alike: false proves that
  /// classify() of it finds none (ProtectedIndex::may_match); true for every name the screen
  /// cannot read (IDN, odd bytes, malformed), which classify() must then decide. The query
  /// path's first step: no allocation, never throws.
  [[nodiscard]] bool may_be_lookalike(const std::uint8_t* wire, std::size_t len) const noexcept;

  /// The compiled indexes (for variants() and memory reporting).
  [[nodiscard]] const ProtectedIndex& index() const noexcept;

  /// Approximate bytes held by this snapshot's indexes and protected names (for get_mem).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

 private:
  explicit Snapshot(Policy policy);
  Policy policy_;
  std::unique_ptr<ProtectedIndex> index_;
};

}  // namespace tg
