// SPDX-License-Identifier: BSD-3-Clause
// The embedded demo policy (policy/examples/default.json, compiled in by CMake), loaded only
// when asked for by name (builtin:demo).
#pragma once

#include <string_view>

namespace tg {

/// The bytes of policy/examples/default.json as they were at configure time. Never fails.
[[nodiscard]] std::string_view default_policy_json() noexcept;

}  // namespace tg
