// SPDX-License-Identifier: BSD-3-Clause
#include "classify/edits.hpp"

#include <array>
#include <bit>
#include <string>

#include "name/ascii.hpp"

namespace tg {
namespace {

// Key rows of the three layouts dnstwist-style tools use. Each row is offset half a key to
// the right of the one above, so key (r, c) touches (r-1, c), (r-1, c+1), (r+1, c-1), (r+1, c).
constexpr std::array<std::array<std::string_view, 4>, 3> kLayouts{{
    {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"},  // QWERTY
    {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"},   // QWERTZ
    {"1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"},   // AZERTY
}};

struct NeighbourTable {
  std::array<std::string, 128> of;
  NeighbourTable() {
    const auto add = [this](char a, char b) {
      auto& s = of[static_cast<unsigned char>(a)];
      if (a != b && s.find(b) == std::string::npos) s.push_back(b);
    };
    for (const auto& rows : kLayouts) {
      for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
          const char k = rows[r][c];
          const auto link = [&](std::size_t rr, std::size_t cc) {
            if (rr < rows.size() && cc < rows[rr].size()) {
              add(k, rows[rr][cc]);
              add(rows[rr][cc], k);
            }
          };
          link(r, c + 1);
          if (r + 1 < rows.size()) {
            if (c > 0) link(r + 1, c - 1);
            link(r + 1, c);
          }
        }
      }
    }
  }
};

const NeighbourTable& neighbours() {
  static const NeighbourTable kTable;
  return kTable;
}

}  // namespace

std::optional<Edit> single_edit(std::string_view reference, std::string_view observed) noexcept {
  const std::size_t n = reference.size();
  const std::size_t m = observed.size();
  std::size_t i = 0;
  while (i < n && i < m && reference[i] == observed[i]) ++i;
  if (m == n + 1) {  // insertion at i: observed[i] is new
    if (reference.substr(i) == observed.substr(i + 1))
      return Edit{EditKind::Insert, i, 0, observed[i]};
    return std::nullopt;
  }
  if (n == m + 1) {  // deletion of reference[i]
    if (reference.substr(i + 1) == observed.substr(i))
      return Edit{EditKind::Delete, i, reference[i], 0};
    return std::nullopt;
  }
  if (n != m || i == n) return std::nullopt;
  if (reference.substr(i + 1) == observed.substr(i + 1)) {
    return Edit{EditKind::Substitute, i, reference[i], observed[i]};
  }
  if (i + 1 < n && reference[i] == observed[i + 1] && reference[i + 1] == observed[i] &&
      reference.substr(i + 2) == observed.substr(i + 2)) {
    return Edit{EditKind::Transpose, i, reference[i], reference[i + 1]};
  }
  return std::nullopt;
}

std::string_view keyboard_neighbours_of(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 128) return {};
  return neighbours().of[u];
}

bool keyboard_neighbours(char a, char b) noexcept {
  return keyboard_neighbours_of(a).find(b) != std::string_view::npos;
}

bool is_vowel(char c) noexcept { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool one_bit_apart(char a, char b) noexcept {
  const auto x =
      static_cast<unsigned>(static_cast<unsigned char>(a) ^ static_cast<unsigned char>(b));
  return std::popcount(x) == 1 && is_ldh_char(a) && is_ldh_char(b);
}

}  // namespace tg
