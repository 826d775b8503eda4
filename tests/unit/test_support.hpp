// SPDX-License-Identifier: BSD-3-Clause
// Small helpers the unit tests share: client addresses, policy files replaced the way editors
// replace them, and bounded waits for the engine's background threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "decide/decide.hpp"

namespace tg::test {

/// An IPv4 client a.b.c.d.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): the four octets, in order
inline ClientAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  ClientAddress addr;
  addr.present = true;
  addr.bytes[0] = a;
  addr.bytes[1] = b;
  addr.bytes[2] = c;
  addr.bytes[3] = d;
  return addr;
}

/// Writes `text` to `p` through a temporary file and a rename, as editors and tools do.
/// Throws std::filesystem::filesystem_error when the rename fails.
inline void replace_file(const std::filesystem::path& p, const std::string& text) {
  const auto tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
  }
  std::filesystem::rename(tmp, p);
}

/// Polls `p` every 20 ms until it holds; false when `limit` passes first.
template <typename Predicate>
bool eventually(Predicate p, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!p()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace tg::test
