// SPDX-License-Identifier: BSD-3-Clause
// name/ascii.hpp: lower-casing, the LDH rules, label counts and "at or under".
#include "name/ascii.hpp"

#include <string>

#include "catch_compat.hpp"

TEST_CASE("ascii_lower lower-cases A-Z and nothing else", "[ascii]") {
  CHECK(tg::ascii_lower('A') == 'a');
  CHECK(tg::ascii_lower('Z') == 'z');
  CHECK(tg::ascii_lower('a') == 'a');
  CHECK(tg::ascii_lower('@') == '@');        // just before 'A'
  CHECK(tg::ascii_lower('[') == '[');        // just after 'Z'
  CHECK(tg::ascii_lower('\xC3') == '\xC3');  // a UTF-8 lead byte (Ã) stays
  CHECK(tg::ascii_lower("") == "");
  CHECK(tg::ascii_lower("Mail.ARMY.Mil.") == "mail.army.mil.");
  CHECK(tg::ascii_lower("_25._TCP.xn--RMY-5CD") == "_25._tcp.xn--rmy-5cd");
  CHECK(tg::ascii_lower("\xC3\x84rmy") == "\xC3\x84rmy");  // Ä is not ASCII: left alone
  std::string text = "ArMy";
  tg::ascii_lower_in_place(text);
  CHECK(text == "army");
}

TEST_CASE("ascii_upper upper-cases a-z and nothing else", "[ascii]") {
  CHECK(tg::ascii_upper('a') == 'A');
  CHECK(tg::ascii_upper('z') == 'Z');
  CHECK(tg::ascii_upper('A') == 'A');
  CHECK(tg::ascii_upper('`') == '`');        // just before 'a'
  CHECK(tg::ascii_upper('{') == '{');        // just after 'z'
  CHECK(tg::ascii_upper('\xE3') == '\xE3');  // a UTF-8 lead byte (ã) stays
  CHECK(tg::ascii_upper("") == "");
  CHECK(tg::ascii_upper("aaaa") == "AAAA");
  CHECK(tg::ascii_upper("type65534") == "TYPE65534");
  CHECK(tg::ascii_upper("\xC3\xA4x") == "\xC3\xA4X");  // ä is not ASCII: left alone
}

TEST_CASE("LDH bytes and labels", "[ascii]") {
  for (const char c : std::string("abcxyz0189-")) CHECK(tg::is_ldh_char(c));
  for (const char c : std::string("A_.* \x7f")) CHECK_FALSE(tg::is_ldh_char(c));
  CHECK(tg::is_plain_label_char('_'));
  CHECK_FALSE(tg::is_plain_label_char('A'));
  CHECK_FALSE(tg::is_plain_label_char('.'));

  CHECK(tg::all_plain_label_chars(""));
  CHECK(tg::all_plain_label_chars("_tcp"));
  CHECK(tg::all_plain_label_chars("-a-"));
  CHECK_FALSE(tg::all_plain_label_chars("army.mil"));
  CHECK_FALSE(tg::all_plain_label_chars("Army"));

  CHECK(tg::is_ldh_label("army"));
  CHECK(tg::is_ldh_label("x-1"));
  CHECK(tg::is_ldh_label("7"));
  CHECK(tg::is_ldh_label(std::string(63, 'a')));
  CHECK_FALSE(tg::is_ldh_label(std::string(64, 'a')));
  CHECK_FALSE(tg::is_ldh_label(""));
  CHECK_FALSE(tg::is_ldh_label("-a"));
  CHECK_FALSE(tg::is_ldh_label("a-"));
  CHECK_FALSE(tg::is_ldh_label("Army"));
  CHECK_FALSE(tg::is_ldh_label("_tcp"));
  CHECK_FALSE(tg::is_ldh_label("army.mil"));
}

TEST_CASE("plain names", "[ascii]") {
  CHECK(tg::is_plain_name("army.mil"));
  CHECK(tg::is_plain_name("_25._tcp.mail.army.mil"));
  CHECK(tg::is_plain_name("-.-"));  // plain says nothing about where hyphens stand
  CHECK(tg::is_plain_name(std::string(63, 'a') + ".mil"));
  CHECK_FALSE(tg::is_plain_name(std::string(64, 'a') + ".mil"));
  CHECK_FALSE(tg::is_plain_name(""));
  CHECK_FALSE(tg::is_plain_name("."));
  CHECK_FALSE(tg::is_plain_name("army.mil."));
  CHECK_FALSE(tg::is_plain_name(".army.mil"));
  CHECK_FALSE(tg::is_plain_name("army..mil"));
  CHECK_FALSE(tg::is_plain_name("Army.mil"));
  CHECK_FALSE(tg::is_plain_name("ar my.mil"));
}

TEST_CASE("count_labels", "[ascii]") {
  CHECK(tg::count_labels("") == 0);
  CHECK(tg::count_labels(".") == 0);
  CHECK(tg::count_labels("mil") == 1);
  CHECK(tg::count_labels("army.mil") == 2);
  CHECK(tg::count_labels("army.mil.") == 2);
  CHECK(tg::count_labels("mail.army.mil") == 3);
  CHECK(tg::count_labels("a..b") == 3);
  CHECK(tg::count_labels(".mil") == 2);
}

TEST_CASE("last_labels", "[ascii]") {
  CHECK(tg::last_labels("mail.army.mil", 1) == "mil");
  CHECK(tg::last_labels("mail.army.mil", 2) == "army.mil");
  CHECK(tg::last_labels("mail.army.mil", 3) == "mail.army.mil");
  CHECK(tg::last_labels("mail.army.mil", 4) == "mail.army.mil");  // fewer labels: all of them
  CHECK(tg::last_labels("mail.army.mil", 0).empty());
  CHECK(tg::last_labels("mail.army.mil.", 2) == "army.mil");  // the trailing dot is dropped
  CHECK(tg::last_labels("mil", 1) == "mil");
  CHECK(tg::last_labels("", 1).empty());
  CHECK(tg::last_labels(".", 1).empty());
  CHECK(tg::last_labels(".mil", 1) == "mil");
  CHECK(tg::last_labels(".mil", 2) == ".mil");
}

TEST_CASE("at_or_under goes label by label", "[ascii]") {
  CHECK(tg::at_or_under("army.mil", "army.mil"));  // equal names
  CHECK(tg::at_or_under("mail.army.mil", "army.mil"));
  CHECK(tg::at_or_under("a.b.army.mil", "army.mil"));
  CHECK(tg::at_or_under("army.mil", "mil"));
  CHECK_FALSE(tg::at_or_under("xarmy.mil", "army.mil"));  // only a common string suffix
  CHECK_FALSE(tg::at_or_under("army.mil", "mail.army.mil"));
  CHECK_FALSE(tg::at_or_under("army.ml", "army.mil"));
  CHECK_FALSE(tg::at_or_under("armymil", "mil"));
  // Trailing dots are ignored on either side.
  CHECK(tg::at_or_under("army.mil.", "army.mil"));
  CHECK(tg::at_or_under("mail.army.mil", "army.mil."));
  CHECK_FALSE(tg::at_or_under("xarmy.mil.", "army.mil."));
  // Case is compared as it is: names are lower-cased first.
  CHECK_FALSE(tg::at_or_under("mail.ARMY.mil", "army.mil"));
  // The root holds every name; an empty name is the root and under nothing else.
  CHECK(tg::at_or_under("army.mil", ""));
  CHECK(tg::at_or_under("army.mil", "."));
  CHECK(tg::at_or_under("", ""));
  CHECK_FALSE(tg::at_or_under("", "mil"));
  CHECK_FALSE(tg::at_or_under(".", "mil"));
}

// The helpers are constexpr: the screen's tables are built from them at compile time.
static_assert(tg::ascii_lower('Q') == 'q');
static_assert(tg::ascii_upper('q') == 'Q');
static_assert(tg::last_labels("mail.army.mil", 2) == "army.mil");
static_assert(tg::count_labels("army.mil.") == 2);
static_assert(tg::at_or_under("mail.army.mil", "army.mil"));
static_assert(!tg::at_or_under("xarmy.mil", "army.mil"));
