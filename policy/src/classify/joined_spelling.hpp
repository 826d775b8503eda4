// SPDX-License-Identifier: BSD-3-Clause
// Internal to classify/: the dot-dropped and dot-to-hyphen spellings of a protected name
// (armymil, army-mil) as ProtectedIndex's joined_ index stores them. protected_index.cpp
// writes them, the classifier (classifier.cpp) reads them back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tg {

/// Which spelling a joined_ value stands for; stored in the index as entry * 2 + kind.
enum class JoinKind : std::uint32_t {
  JoinedAll = 0,      ///< every dot dropped, any suffix after it: armymil.com
  HyphenatedAll = 1,  ///< every dot a hyphen, any suffix after it: army-mil.com
};

/// The joined_ value of protected entry `entry` spelt as `kind`. Never fails.
constexpr std::uint32_t join_value(std::uint32_t entry, JoinKind kind) noexcept {
  return entry * 2 + static_cast<std::uint32_t>(kind);
}

/// `s` with every dot dropped (`replacement` 0) or replaced by `replacement`. Throws only
/// std::bad_alloc.
inline std::string without_dots(std::string_view s, char replacement) {
  std::string out;
  for (const char c : s) {
    if (c != '.') {
      out.push_back(c);
    } else if (replacement != 0) {
      out.push_back(replacement);
    }
  }
  return out;
}

}  // namespace tg
