// SPDX-License-Identifier: BSD-3-Clause
#include "config/policy_error.hpp"

namespace tg {

std::string PolicyError::to_string() const {
  std::string out = file;
  if (line > 0) out += (out.empty() ? "line " : ":") + std::to_string(line);
  if (!data_path.empty()) out += (out.empty() ? "" : ": ") + data_path;
  if (!message.empty()) out += (out.empty() ? "" : ": ") + message;
  return out;
}

}  // namespace tg
