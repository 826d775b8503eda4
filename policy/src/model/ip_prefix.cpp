// SPDX-License-Identifier: BSD-3-Clause
#include <array>

#include <arpa/inet.h>

#include "model/policy.hpp"

namespace tg {

bool IpPrefix::contains(bool addr_is_v6, const std::uint8_t* addr) const noexcept {
  if (addr_is_v6 != ipv6 || addr == nullptr) return false;
  const unsigned full_bytes = length / 8U;
  for (unsigned i = 0; i < full_bytes; ++i) {
    if (addr[i] != address[i]) return false;
  }
  const unsigned rest = length % 8U;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xffU << (8U - rest));
  return (addr[full_bytes] & mask) == (address[full_bytes] & mask);
}

std::string IpPrefix::to_string() const {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  inet_ntop(ipv6 ? AF_INET6 : AF_INET, address.data(), buf.data(), buf.size());
  return std::string(buf.data()) + "/" + std::to_string(length);
}

}  // namespace tg
