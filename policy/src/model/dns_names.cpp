// SPDX-License-Identifier: BSD-3-Clause
#include "model/dns_names.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace tg {
namespace {

// Numbers from IANA's "Resource Record (RR) TYPEs" registry, ascending.
constexpr std::array<RrTypeName, 50> kTypes{{
    {1, "A"},           {2, "NS"},      {5, "CNAME"},   {6, "SOA"},       {12, "PTR"},
    {13, "HINFO"},      {15, "MX"},     {16, "TXT"},    {17, "RP"},       {18, "AFSDB"},
    {24, "SIG"},        {25, "KEY"},    {28, "AAAA"},   {29, "LOC"},      {33, "SRV"},
    {35, "NAPTR"},      {36, "KX"},     {37, "CERT"},   {39, "DNAME"},    {41, "OPT"},
    {42, "APL"},        {43, "DS"},     {44, "SSHFP"},  {45, "IPSECKEY"}, {46, "RRSIG"},
    {47, "NSEC"},       {48, "DNSKEY"}, {49, "DHCID"},  {50, "NSEC3"},    {51, "NSEC3PARAM"},
    {52, "TLSA"},       {53, "SMIMEA"}, {55, "HIP"},    {59, "CDS"},      {60, "CDNSKEY"},
    {61, "OPENPGPKEY"}, {62, "CSYNC"},  {63, "ZONEMD"}, {64, "SVCB"},     {65, "HTTPS"},
    {99, "SPF"},        {108, "EUI48"}, {109, "EUI64"}, {249, "TKEY"},    {250, "TSIG"},
    {251, "IXFR"},      {252, "AXFR"},  {255, "ANY"},   {256, "URI"},     {257, "CAA"},
}};

static_assert(std::is_sorted(kTypes.begin(), kTypes.end(),
                             [](const RrTypeName& a, const RrTypeName& b) {
                               return a.type < b.type;
                             }));

/// The mnemonics of types 0 .. 257 by number (one load per event: the event line names every
/// query's type); empty where a number has none.
constexpr auto kByNumber = [] {
  std::array<std::string_view, 258> names{};
  for (const RrTypeName& entry : kTypes) names[entry.type] = entry.name;
  return names;
}();

static_assert(kTypes.back().type < kByNumber.size());

}  // namespace

std::span<const RrTypeName> rr_type_names() noexcept { return kTypes; }

std::string_view rr_type_name(std::uint16_t type) noexcept {
  return type < kByNumber.size() ? kByNumber[type] : std::string_view{};
}

std::optional<std::uint16_t> rr_type_from_name(std::string_view name) noexcept {
  for (const RrTypeName& entry : kTypes) {
    if (entry.name == name) return entry.type;
  }
  return std::nullopt;
}

std::string_view rr_class_name(std::uint16_t qclass) noexcept {
  switch (qclass) {
    case 1:
      return "IN";
    case 3:
      return "CH";
    case 4:
      return "HS";
    case 254:
      return "NONE";
    case 255:
      return "ANY";
    default:
      return {};
  }
}

std::string_view rcode_name(std::uint8_t rcode) noexcept {
  static constexpr std::array<std::string_view, 12> kRcodes{
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI",
  };
  return rcode < kRcodes.size() ? kRcodes[rcode] : std::string_view{};
}

}  // namespace tg
