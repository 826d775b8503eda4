// SPDX-License-Identifier: BSD-3-Clause
// name/idna.hpp: the one libidn2 wrapper.
#include "name/idna.hpp"

#include <string>

#include "catch_compat.hpp"

TEST_CASE("to_a_label maps Unicode names to A-labels", "[idna]") {
  CHECK(tg::to_a_label("bücher.de") == "xn--bcher-kva.de");
  CHECK(tg::to_a_label("BÜCHER.DE") == "xn--bcher-kva.de");  // UTS #46 lower-cases
  CHECK(tg::to_a_label("army.mil") == "army.mil");
  CHECK(tg::to_a_label("army.mil.") == "army.mil.");  // the trailing dot is kept
  CHECK(tg::to_a_label("") == "");
  // A decomposed ü (u + U+0308), composed first.
  CHECK(tg::to_a_label("bu\u0308cher.de", {.nfc_input = true}) == "xn--bcher-kva.de");
  // Non-transitional: ß stays itself, whether asked for by name or left to libidn2.
  CHECK(tg::to_a_label("faß.de") == "xn--fa-hia.de");
  CHECK(tg::to_a_label("faß.de", {.nontransitional = false}) == "xn--fa-hia.de");
}

TEST_CASE("to_a_label says why libidn2 refused a name", "[idna]") {
  tg::IdnaError error;
  CHECK_FALSE(tg::to_a_label("a\u2620b.de", {}, &error));  // U+2620, disallowed
  CHECK(error.code < 0);
  CHECK(error.message().find("disallowed") != std::string::npos);
  CHECK_FALSE(tg::to_a_label("xn--zz.de"));  // no error wanted: none written
}

TEST_CASE("to_u_label decodes A-labels without validating them", "[idna]") {
  CHECK(tg::to_u_label("xn--bcher-kva.de") == "bücher.de");
  CHECK(tg::to_u_label("army.mil") == "army.mil");
  CHECK(tg::to_u_label("XN--BCHER-KVA.DE") == "BüCHER.DE");  // case is left alone
  // Decodes to a character IDNA2008 disallows: to_a_label() is the check.
  const auto odd = tg::to_u_label("xn--a-ecp.ru");
  REQUIRE(odd);
  CHECK_FALSE(tg::to_a_label(*odd));
  tg::IdnaError error;
  CHECK_FALSE(tg::to_u_label("xn--zz", &error));
  CHECK(error.code < 0);
  CHECK_FALSE(error.message().empty());
}
