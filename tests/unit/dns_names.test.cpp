// SPDX-License-Identifier: BSD-3-Clause
// The DNS mnemonics table against the policy's YANG module: every RR type a policy can name has
// the same number here, so an event never writes TYPEn for a type the policy watches.
#include "model/dns_names.hpp"

#include <cstdint>
#include <map>
#include <regex>
#include <string>

#include "audit/event_format.hpp"
#include "catch_compat.hpp"
#include "config/yang_module.hpp"

namespace {

/// The enums of the YANG module's typedef rr-type-name: mnemonic -> value.
std::map<std::string, std::uint16_t> yang_rr_types() {
  const std::string yang(tg::yang_module_text());
  const std::size_t start = yang.find("typedef rr-type-name {");
  REQUIRE(start != std::string::npos);
  const std::size_t end = yang.find("description", start);
  const std::string body = yang.substr(start, end - start);
  std::map<std::string, std::uint16_t> types;
  const std::regex entry(R"(enum ([A-Z0-9]+) \{ value ([0-9]+); \})");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry);
       it != std::sregex_iterator(); ++it) {
    types[(*it)[1].str()] = static_cast<std::uint16_t>(std::stoul((*it)[2].str()));
  }
  return types;
}

}  // namespace

TEST_CASE("every RR type of the YANG module has its mnemonic in the table", "[dns-names]") {
  const auto types = yang_rr_types();
  CHECK(types.size() > 40);  // the typedef was found and read
  for (const auto& [name, value] : types) {
    INFO(name << " = " << value);
    CHECK(tg::rr_type_name(value) == name);
    CHECK(tg::rr_type_from_name(name) == value);
  }
}

TEST_CASE("DNS mnemonics and their generic forms", "[dns-names]") {
  CHECK(tg::rr_type_name(17) == "RP");
  CHECK(tg::rr_type_name(63) == "ZONEMD");
  CHECK(tg::rr_type_name(4242).empty());
  CHECK_FALSE(tg::rr_type_from_name("mx").has_value());  // exact, upper case
  CHECK(tg::rr_class_name(1) == "IN");
  CHECK(tg::rr_class_name(2).empty());
  CHECK(tg::rcode_name(3) == "NXDOMAIN");
  CHECK(tg::rcode_name(23).empty());

  const std::array<std::uint8_t, 9> army_ml{4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
  tg::audit::Event event;
  event.qname = army_ml;
  event.qtype = 18;
  event.qclass = 1;
  const std::string line = tg::audit::format_event(event, {}, "");
  CHECK(line.find(R"("type":"AFSDB")") != std::string::npos);
  event.qtype = 4242;
  event.qclass = 2;
  event.rcode = 23;
  const std::string generic = tg::audit::format_event(event, {}, "");
  CHECK(generic.find(R"("type":"TYPE4242")") != std::string::npos);
  CHECK(generic.find(R"("class":"CLASS2")") != std::string::npos);
  CHECK(generic.find(R"("response_code":"RCODE23")") != std::string::npos);
}
