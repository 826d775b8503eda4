// SPDX-License-Identifier: BSD-3-Clause
// DNS wire format for tests: a presentation name turned into the bytes a query carries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tg::test {

/// "a.b.c" -> wire format; empty when a label is empty or longer than 63.
inline std::vector<std::uint8_t> to_wire(std::string_view text) {
  std::vector<std::uint8_t> wire;
  if (text.ends_with('.')) text.remove_suffix(1);
  std::size_t start = 0;
  while (!text.empty()) {
    const std::size_t dot = text.find('.', start);
    const std::string_view label =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return {};
    wire.push_back(static_cast<std::uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  wire.push_back(0);
  return wire;
}

}  // namespace tg::test
