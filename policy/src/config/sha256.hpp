// SPDX-License-Identifier: BSD-3-Clause
// A small SHA-256 (FIPS 180-4) for policy revisions: load-time only, not for secrets.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tg {

/// SHA-256 digest of `data`. Never fails.
[[nodiscard]] std::array<std::uint8_t, 32> sha256(std::string_view data) noexcept;

/// Lower-case hex SHA-256 of `data` (64 characters). Throws only std::bad_alloc.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace tg
