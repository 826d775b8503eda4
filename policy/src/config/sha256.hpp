// SPDX-License-Identifier: BSD-3-Clause
// SHA-256 for policy revisions ("sha256:<hex>"), computed by libcrypto (OpenSSL), which the
// resolver's process loads anyway. Load-time only.
#pragma once

#include <string>
#include <string_view>

namespace tg {

/// Lower-case hex SHA-256 of `data` (64 characters). Throws std::bad_alloc, or
/// std::runtime_error when libcrypto cannot compute it (out of memory, no SHA-256 provider);
/// the loaders turn either into an error of the load.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace tg
