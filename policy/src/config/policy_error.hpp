// SPDX-License-Identifier: BSD-3-Clause
// The vocabulary of policy loading that its parts share without the loader itself: the input
// formats and one problem found in a policy (config/loader.hpp includes this header).
#pragma once

#include <string>

namespace tg {

/// Input formats libyang accepts for a policy.
enum class PolicyFormat { Json, Xml };

/// One problem found in a policy, phrased for a policy author.
struct PolicyError {
  std::string file;  ///< path as given, or "builtin:demo" / "<string>"
  int line = 0;      ///< 1-based; 0 when unknown
  std::string
      data_path;  ///< YANG data path, e.g. "/typoguard:policy/protected-domain[name='x']/name"
  std::string message;  ///< what is wrong, in words ("... is not a registrable domain ...")

  /// "file:line: data_path: message" (parts that are unknown are left out). Throws only
  /// std::bad_alloc.
  [[nodiscard]] std::string to_string() const;
};

}  // namespace tg
