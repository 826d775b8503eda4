// SPDX-License-Identifier: BSD-3-Clause
// The typoguard YANG module (policy/yang/typoguard@<revision>.yang, compiled in by CMake): the
// loader builds its libyang context from these bytes and never reads a .yang file.
#pragma once

#include <string_view>

namespace tg {

/// The bytes of policy/yang/typoguard@<revision>.yang as they were at configure time; data()
/// is NUL-terminated (a string literal), as libyang's parser needs. Never fails.
[[nodiscard]] std::string_view yang_module_text() noexcept;

}  // namespace tg
