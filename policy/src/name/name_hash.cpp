// SPDX-License-Identifier: BSD-3-Clause
#include "name/name_hash.hpp"

namespace tg {
using hashing::step;

std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0;
  for (const char c : s) h = step(h, c);
  return h ^ s.size();
}

std::uint64_t hash_without(std::string_view s, std::size_t skip) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != skip) h = step(h, s[i]);
  }
  return h ^ (s.size() - (skip < s.size() ? 1 : 0));
}

}  // namespace tg
