// SPDX-License-Identifier: BSD-3-Clause
#include "classify/match.hpp"

namespace tg {

std::string_view verdict_name(Verdict v) noexcept {
  switch (v) {
    case Verdict::Clean:
      return "clean";
    case Verdict::LookAlike:
      return "look-alike";
    case Verdict::Protected:
      return "protected";
    case Verdict::Allowed:
      return "allowed";
  }
  return "clean";
}

}  // namespace tg
