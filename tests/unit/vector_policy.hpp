// SPDX-License-Identifier: BSD-3-Clause
// The policy the CSV vectors are classified against (tests/vectors/README.md), built directly
// as a typed Policy so the classifier tests do not depend on the YANG loader. A Policy{}
// carries none of the YANG defaults, so the values the tests rely on are set here: the
// short-label length 4 (af.mil is too short for label edits) and the watched query types.
#pragma once

#include <memory>

#include "engine/snapshot.hpp"

namespace tg::test {

/// Builds (once) and returns the snapshot of the vector policy.
inline std::shared_ptr<const Snapshot> vector_snapshot() {
  static const std::shared_ptr<const Snapshot> kSnapshot = [] {
    Policy p;
    p.source = "<vector policy>";
    p.query_types = {15, 1, 28};  // MX, A, AAAA
    for (const char* name : {"army.mil", "navy.mil", "af.mil", "gmail.com", "yahoo.com",
                             "hotmail.com", "outlook.com", "mod.gov.uk"}) {
      ProtectedDomain d;
      d.name = name;
      d.techniques = TechniqueSet::defaults();
      d.short_label_length = 4;
      if (d.name == "navy.mil") d.techniques.insert(Technique::TldSwap);
      p.protected_domains.push_back(d);
    }
    p.blocked_suffixes.push_back({"ml", "the DoD blocks all of .ml", std::nullopt});
    p.allow.push_back({"partner-example.ml", "a real partner in Mali"});
    return Snapshot::compile(std::move(p));
  }();
  return kSnapshot;
}

}  // namespace tg::test
