// SPDX-License-Identifier: BSD-3-Clause
#include "name/homoglyph.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <idn2.h>

#include "catch_compat.hpp"

namespace {

const tg::HomoglyphTable& table() { return tg::HomoglyphTable::instance(); }

bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// True when `label` is a valid IDNA2008 label exactly as written.
bool idna_valid(const std::string& label) {
  char* out = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(label.c_str()),  // NOLINT
                                reinterpret_cast<std::uint8_t**>(&out),                // NOLINT
                                IDN2_NONTRANSITIONAL);
  std::free(out);  // NOLINT(cppcoreguidelines-no-malloc)
  return rc == IDN2_OK;
}

struct Match {
  std::string_view candidate;
  std::string_view target;
  std::string_view glyph;
  std::string_view stands_for;
  std::size_t position;
  std::size_t substitutions;
};

}  // namespace

TEST_CASE("explain finds the substituted glyphs", "[homoglyph]") {
  const std::vector<Match> cases{
      {"\u0430rmy", "army", "\u0430", "a", 0, 1},  // Cyrillic а
      {"arrny", "army", "rn", "m", 2, 1},          // r n for m
      {"grnail", "gmail", "rn", "m", 1, 1},
      {"gmai1", "gmail", "1", "l", 4, 1},                                // digit one for l
      {"g00gle", "google", "0", "o", 1, 2},                              // digit zero for o, twice
      {"gma\u00edl", "gmail", "\u00ed", "i", 3, 1},                      // í
      {"gma\u0131l", "gmail", "\u0131", "i", 3, 1},                      // dotless ı
      {"\u050d\u043c\u0430\u0456\u04cf", "gmail", "\u050d", "g", 0, 5},  // ԍмаіӏ, all Cyrillic
      {"p\u0430yp\u0430l", "paypal", "\u0430", "a", 1, 2},               // pаypаl
      {"arrny.rnil", "army.mil", "rn", "m", 2, 2},                       // dots align
      {"g\u0155nail", "gmail", "\u0155n", "m", 1, 1},  // ŕn: a glyph of confusables
      {"rnicrosoft", "microsoft", "rn", "m", 0, 1},
      {"vvikipedia", "wikipedia", "vv", "w", 0, 1},
      {"clropbox", "dropbox", "cl", "d", 0, 1},
      {"1hotmail", "hotmail", "1h", "h", 0, 1},        // stray stroke, spelt 1
      {"gma\u0301il", "gmail", "a\u0301", "a", 2, 1},  // combining acute joins its a
      {"ARRNY", "army", "RN", "m", 2, 1},              // case does not count
      {"tumer", "turner", "m", "rn", 2, 1},            // m stands for a digraph
  };
  for (const Match& c : cases) {
    INFO(c.candidate << " vs " << c.target);
    const auto e = table().explain(c.candidate, c.target);
    REQUIRE(e);
    CHECK(e->glyph == c.glyph);
    CHECK(e->stands_for == c.stands_for);
    CHECK(e->position == c.position);
    CHECK(e->substitutions == c.substitutions);
  }
}

TEST_CASE("explain rejects names that do not read as the target", "[homoglyph]") {
  const std::vector<std::pair<std::string_view, std::string_view>> cases{
      {"army", "navy"},
      {"army", "arm"},
      {"arm", "army"},
      {"gmal", "gmail"},
      {"gmail", "gmal"},
      {"army", "army"},
      {"ARMY", "army"},
      {"", ""},
      {"", "a"},
      {"a", ""},
      {"armymil", "army.mil"},
      {"army-mil", "army.mil"},
      {"arrnymil", "army.mil"},
      {"army.mil", "armymil"},
      {"ar.my", "army"},
      {"army", "\u0430rmy"},
      {"\xff", "a"},
      {"\u4e00rmy", "army"},
      {"\u03bd\u03b1\u03bdy", "navy"},  // Greek ν looks like v, not n
  };
  for (const auto& [candidate, target] : cases) {
    INFO(candidate << " vs " << target);
    CHECK_FALSE(table().explain(candidate, target));
  }
}

TEST_CASE("invalid UTF-8 and long input are safe", "[homoglyph]") {
  const std::vector<std::string> odd{
      "\xff\xfe",
      "gma\xc3",
      std::string("\xc0\xaf") + "army",  // overlong '/'
      "\xed\xa0\x80rmy",
      "\xf4\x90\x80\x80",
      "\x80\x80\x80",
      std::string("ar\0my", 5),
      "\xe2\x82",
  };
  for (const std::string& s : odd) {
    INFO(s);
    CHECK_FALSE(table().explain(s, "army"));
    CHECK(table().key(s).size() <= s.size());
  }
  CHECK(table().key("\xff") == "\xff");  // undecodable bytes map to themselves

  // A 255-byte name: four labels, every m written rn.
  std::string target;
  std::string candidate;
  for (int label = 0; label < 4; ++label) {
    if (label > 0) {
      target += '.';
      candidate += '.';
    }
    const std::string part(63, 'm');
    target += part;
    for (std::size_t i = 0; i < part.size(); ++i) candidate += "rn";
  }
  REQUIRE(target.size() == 255);
  const auto e = table().explain(candidate, target);
  REQUIRE(e);
  CHECK(e->substitutions == 252);
  CHECK(table().key(candidate) == table().key(target));
  CHECK_FALSE(table().explain(std::string(2000, 'a'), "a"));
  CHECK_FALSE(table().explain("a", std::string(300, 'a')));
}

TEST_CASE("key is shared by look-alikes", "[homoglyph]") {
  const std::string army = table().key("army");
  for (const char* s : {"arrny", "\u0430rmy", "arnny", "ARMY", "\u0430rm\u0443", "arny"}) {
    INFO(s);
    CHECK(table().key(s) == army);
  }
  CHECK(table().key("arrny.rnil") == table().key("army.mil"));
  CHECK(table().key("army.mil").find('.') != std::string::npos);
  CHECK(table().key("a-b").find('-') != std::string::npos);
  CHECK(table().key("army") != table().key("navy"));
  CHECK(table().key("\u4e00") == "\u4e00");  // no reading: the code point itself
}

TEST_CASE("every forward glyph explains back, with equal keys", "[homoglyph][property]") {
  const std::vector<std::string> names{
      "army.mil",  "navy.mil", "gmail.com",     "google.com", "paypal.com",
      "microsoft", "outlook",  "hotmail",       "dropbox",    "wikipedia",
      "linkedin",  "turner",   "bankofamerica", "state.gov",  "1password",
      "office365", "clinic",   "yahoo",         "amazon",     "protonmail",
  };
  std::mt19937 rng(20240521);
  std::size_t checked = 0;
  for (const std::string& name : names) {
    // Every single substitution, for each character and each digraph.
    std::vector<std::string> variants;
    for (std::size_t i = 0; i < name.size(); ++i) {
      for (std::size_t len = 1; len <= 2 && i + len <= name.size(); ++len) {
        for (const std::string& g : table().glyphs_for(std::string_view(name).substr(i, len))) {
          variants.push_back(name.substr(0, i) + g + name.substr(i + len));
        }
      }
    }
    // And random pairs of substitutions.
    const std::size_t singles = variants.size();
    for (std::size_t k = 0; k < 40 && name.size() > 1; ++k) {
      std::size_t a = rng() % name.size();
      std::size_t b = rng() % name.size();
      if (a == b) continue;
      if (b < a) std::swap(a, b);
      const auto& ga = table().glyphs_for(std::string_view(name).substr(a, 1));
      const auto& gb = table().glyphs_for(std::string_view(name).substr(b, 1));
      if (ga.empty() || gb.empty()) continue;
      variants.push_back(name.substr(0, a) + ga[rng() % ga.size()] + name.substr(a + 1, b - a - 1) +
                         gb[rng() % gb.size()] + name.substr(b + 1));
    }
    for (std::size_t v = 0; v < variants.size(); ++v) {
      INFO(variants[v] << " vs " << name);
      const auto e = table().explain(variants[v], name);
      REQUIRE(e);
      CHECK(e->substitutions == (v < singles ? 1U : 2U));
      CHECK(table().key(variants[v]) == table().key(name));
      ++checked;
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("random look-alike pairs never split keys", "[homoglyph][property]") {
  // Whenever explain() accepts a pair, the keys agree: the hash index may rely on it.
  const std::vector<std::string> alphabet{
      "a",      "b",      "c",      "d",      "e",      "h",  "i",  "k", "l", "m",
      "n",      "o",      "r",      "v",      "w",      "0",  "1",  ".", "-", "\u0430",
      "\u0131", "\u0155", "\u00e9", "\u043c", "\u0301", "rn", "cl", "vv"};
  std::mt19937 rng(7);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string target;
    const std::size_t len = 3 + rng() % 6;
    for (std::size_t i = 0; i < len; ++i) {
      const std::string& s = alphabet[rng() % alphabet.size()];
      if (is_ascii(s)) target += s;
    }
    std::string candidate;
    for (std::size_t i = 0; i < target.size(); ++i) {
      const std::string_view c = std::string_view(target).substr(i, 1);
      const auto& glyphs = table().glyphs_for(c);
      if (!glyphs.empty() && rng() % 3 == 0) {
        candidate += glyphs[rng() % glyphs.size()];
      } else if (rng() % 10 == 0) {
        candidate += alphabet[rng() % alphabet.size()];
      } else {
        candidate += c;
      }
    }
    if (const auto e = table().explain(candidate, target)) {
      ++accepted;
      INFO(candidate << " vs " << target);
      CHECK(table().key(candidate) == table().key(target));
    }
  }
  CHECK(accepted > 1000);
}

TEST_CASE("glyphs_for lists ASCII look-alikes first, then valid IDN ones", "[homoglyph]") {
  const auto& m = table().glyphs_for("m");
  REQUIRE(m.size() >= 3);
  CHECK(m[0] == "rn");
  CHECK(table().glyphs_for("rn") == std::vector<std::string>{"m"});
  CHECK(table().glyphs_for("o").front() == "0");
  const auto& a = table().glyphs_for("a");
  CHECK(std::find(a.begin(), a.end(), "\u0430") != a.end());  // Cyrillic а
  CHECK(table().glyphs_for("").empty());
  CHECK(table().glyphs_for("zz").empty());
  CHECK(&table().glyphs_for("m") == &m);  // stable storage

  for (char c = 'a'; c <= 'z'; ++c) {
    const std::string ascii(1, c);
    const auto& glyphs = table().glyphs_for(ascii);
    CHECK_FALSE(glyphs.empty());
    CHECK(glyphs.size() <= 16);
    bool seen_unicode = false;
    for (const std::string& g : glyphs) {
      INFO(ascii << " <- " << g);
      CHECK(g != ascii);
      if (is_ascii(g)) {
        CHECK_FALSE(seen_unicode);  // ASCII glyphs come first
      } else {
        seen_unicode = true;
        CHECK(idna_valid("x" + g + "x"));
      }
      CHECK(table().explain("x" + g + "x", "x" + ascii + "x"));
    }
  }
}
