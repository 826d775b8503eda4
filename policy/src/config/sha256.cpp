// SPDX-License-Identifier: BSD-3-Clause
#include "config/sha256.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace tg {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != 32) {
    throw std::runtime_error("libcrypto could not compute a SHA-256 digest");
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{2} * size);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4U]);
    out.push_back(kHex[digest[i] & 0x0fU]);
  }
  return out;
}

}  // namespace tg
