// SPDX-License-Identifier: BSD-3-Clause
// Mnemonics of DNS numbers: RR types, classes and response codes, one table each. The RR type
// table holds every type the policy's YANG module names (typedef rr-type-name), so an event
// never says "TYPE17" for a type a policy can watch; tests check the two against each other.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tg {

/// One RR type and its mnemonic.
struct RrTypeName {
  std::uint16_t type;
  std::string_view name;
};

/// Every RR type with a mnemonic, ordered by number.
[[nodiscard]] std::span<const RrTypeName> rr_type_names() noexcept;

/// The mnemonic of an RR type ("MX"), or an empty view for a number without one (callers
/// write RFC 3597's "TYPE<n>").
[[nodiscard]] std::string_view rr_type_name(std::uint16_t type) noexcept;

/// The number of a mnemonic (exact, upper case), or std::nullopt.
[[nodiscard]] std::optional<std::uint16_t> rr_type_from_name(std::string_view name) noexcept;

/// The mnemonic of a class ("IN", "CH", "HS", "NONE", "ANY"), or empty (RFC 3597 "CLASS<n>").
[[nodiscard]] std::string_view rr_class_name(std::uint16_t qclass) noexcept;

/// The mnemonic of a response code ("NOERROR" .. "DSOTYPENI", RFC 6895), or empty ("RCODE<n>").
[[nodiscard]] std::string_view rcode_name(std::uint8_t rcode) noexcept;

}  // namespace tg
