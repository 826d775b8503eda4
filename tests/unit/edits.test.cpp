// SPDX-License-Identifier: BSD-3-Clause
#include "classify/edits.hpp"

#include "catch_compat.hpp"
#include "classify/false_positive.hpp"

using tg::EditKind;

TEST_CASE("single_edit names the one edit between two strings", "[edits]") {
  const auto del = tg::single_edit("army.mil", "army.ml");
  REQUIRE(del);
  CHECK(del->kind == EditKind::Delete);
  CHECK(del->pos == 6);
  CHECK(del->from == 'i');

  const auto ins = tg::single_edit("army", "arrmy");
  REQUIRE(ins);
  CHECK(ins->kind == EditKind::Insert);
  CHECK(ins->to == 'r');

  const auto sub = tg::single_edit("army", "atmy");
  REQUIRE(sub);
  CHECK(sub->kind == EditKind::Substitute);
  CHECK(sub->from == 'r');
  CHECK(sub->to == 't');

  const auto swap = tg::single_edit("army.mil", "armym.il");
  REQUIRE(swap);
  CHECK(swap->kind == EditKind::Transpose);
  CHECK(swap->pos == 4);

  const auto end = tg::single_edit("army", "army1");
  REQUIRE(end);
  CHECK(end->kind == EditKind::Insert);
  CHECK(end->pos == 4);

  CHECK_FALSE(tg::single_edit("army", "army"));
  CHECK_FALSE(tg::single_edit("army", "navy"));
  CHECK_FALSE(tg::single_edit("army", "arrny"));
  CHECK_FALSE(tg::single_edit("", "ab"));
  CHECK(tg::single_edit("", "a"));
}

TEST_CASE("keyboard neighbours cover QWERTY, QWERTZ and AZERTY", "[edits]") {
  CHECK(tg::keyboard_neighbours('r', 't'));
  CHECK(tg::keyboard_neighbours('t', 'r'));
  CHECK(tg::keyboard_neighbours('s', 'z'));  // QWERTY: below s
  CHECK(tg::keyboard_neighbours('t', 'z'));  // QWERTZ: z beside t
  CHECK(tg::keyboard_neighbours('a', 'z'));  // AZERTY: z beside a
  CHECK(tg::keyboard_neighbours('l', 'm'));  // AZERTY: m beside l
  CHECK(tg::keyboard_neighbours('r', '4'));
  CHECK_FALSE(tg::keyboard_neighbours('a', 'p'));
  CHECK_FALSE(tg::keyboard_neighbours('a', 'a'));
  CHECK(tg::keyboard_neighbours_of('\x80').empty());
}

TEST_CASE("bit flips and vowels", "[edits]") {
  CHECK(tg::one_bit_apart('m', 'l'));
  CHECK(tg::one_bit_apart('i', 'm'));
  CHECK_FALSE(tg::one_bit_apart('m', 'M'));  // 'M' is not a hostname character here
  CHECK_FALSE(tg::one_bit_apart('r', 't'));
  CHECK(tg::is_vowel('e'));
  CHECK_FALSE(tg::is_vowel('y'));
}

TEST_CASE("false-positive rules", "[false-positive]") {
  SECTION("short-label safeguard") {
    CHECK(tg::label_long_enough("army", 4));
    CHECK_FALSE(tg::label_long_enough("af", 4));
    CHECK(tg::label_long_enough("af", 2));
  }
  SECTION("sister domains are the same label under another suffix") {
    CHECK(tg::is_sister_domain("yahoo", "com.ar", "yahoo", "com"));
    CHECK(tg::is_sister_domain("gmail", "com.co", "gmail", "com"));
    CHECK_FALSE(tg::is_sister_domain("com", "com", "gmail", "com"));
    CHECK_FALSE(tg::is_sister_domain("yahoo", "com", "yahoo", "com"));
  }
  SECTION("empty labels") {
    CHECK(tg::makes_empty_label("army.mil", 0));
    CHECK(tg::makes_empty_label("army.mil", 4));
    CHECK(tg::makes_empty_label("army.mil", 5));
    CHECK(tg::makes_empty_label("army.mil", 8));
    CHECK_FALSE(tg::makes_empty_label("army.mil", 2));
  }
}

TEST_CASE("weak look-alikes are evidence only in moderation", "[false-positive]") {
  CHECK(tg::weak_glyphs_plausible(0, 3));
  CHECK(tg::weak_glyphs_plausible(1, 3));        // arny.mil for army.mil
  CHECK_FALSE(tg::weak_glyphs_plausible(3, 7));  // err.com for cnn.com
  CHECK(tg::weak_glyphs_plausible(3, 9));
  CHECK_FALSE(tg::weak_glyphs_plausible(2, 5));
}
