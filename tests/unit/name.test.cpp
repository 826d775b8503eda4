// SPDX-License-Identifier: BSD-3-Clause
// Name-level tests (name/): wire-format names and NameInfo, plain names, name hashes, UTF-8.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catch_compat.hpp"
#include "name/homoglyph.hpp"
#include "name/name_hash.hpp"
#include "name/name_info.hpp"
#include "name/plain_name.hpp"
#include "name/psl.hpp"
#include "name/utf8.hpp"
#include "vector_policy.hpp"
#include "wire.hpp"

using tg::test::to_wire;

TEST_CASE("wire-format names", "[classify][wire]") {
  const auto s = tg::test::vector_snapshot();
  const auto& psl = tg::PublicSuffixList::instance();
  SECTION("a normal name") {
    const std::uint8_t wire[] = {4, 'A', 'r', 'M', 'y', 2, 'm', 'l', 0};
    const tg::NameInfo n = tg::analyse_wire_name(wire, sizeof wire, psl, false);
    CHECK_FALSE(n.malformed);
    CHECK(n.ascii() == "army.ml");
    CHECK(s->classify(n).technique == tg::Technique::SuffixTypo);
  }
  SECTION("a dot byte inside a label is not a separator") {
    const std::uint8_t wire[] = {5, 'a', 'r', '.', 'm', 'y', 3, 'm', 'i', 'l', 0};
    const tg::NameInfo n = tg::analyse_wire_name(wire, sizeof wire, psl, false);
    CHECK(n.labels.size() == 2);
    CHECK(s->classify(n).verdict == tg::Verdict::Clean);
  }
  SECTION("truncated and compressed names are malformed, not fatal") {
    const std::uint8_t truncated[] = {10, 'a', 'r', 'm'};
    CHECK(tg::analyse_wire_name(truncated, sizeof truncated, psl, false).malformed);
    const std::uint8_t pointer[] = {0xc0, 0x0c};
    CHECK(tg::analyse_wire_name(pointer, sizeof pointer, psl, false).malformed);
    const std::uint8_t no_root[] = {4, 'a', 'r', 'm', 'y'};
    const tg::NameInfo n = tg::analyse_wire_name(no_root, sizeof no_root, psl, false);
    CHECK(n.malformed);
    CHECK(s->classify(n).verdict == tg::Verdict::Clean);
  }
  SECTION("every byte value in a label") {
    for (int b = 0; b < 256; ++b) {
      const std::uint8_t wire[] = {4,   'a', static_cast<std::uint8_t>(b), 'm', 'y', 3, 'm', 'i',
                                   'l', 0};
      const tg::NameInfo n = tg::analyse_wire_name(wire, sizeof wire, psl, false);
      const tg::Match m = s->classify(n);
      CHECK(m.verdict != tg::Verdict::Allowed);
    }
  }
}

TEST_CASE("escape_name is pure ASCII and reversible in form", "[name]") {
  CHECK(tg::escape_name("army.ml") == "army.ml");
  CHECK(tg::escape_name(std::string("a\0b", 3)) == "a\\000b");
  CHECK(tg::escape_name("a b\"\\") == "a\\032b\\034\\092");
  CHECK(tg::escape_name("\xd0\xb0") == "\\208\\176");
}

TEST_CASE("decode_utf8 accepts well-formed sequences only", "[name]") {
  CHECK(tg::decode_utf8("a", 0).code_point == U'a');
  const tg::Utf8Char cyr = tg::decode_utf8("\xd0\xb0", 0);
  CHECK(cyr.valid);
  CHECK(cyr.code_point == U'\u0430');
  CHECK(cyr.length == 2);
  CHECK(tg::decode_utf8("\xf0\x9f\x98\x80", 0).code_point == U'\U0001F600');
  CHECK_FALSE(tg::decode_utf8("\xc0\xaf", 0).valid);      // overlong '/'
  CHECK_FALSE(tg::decode_utf8("\xed\xa0\x80", 0).valid);  // surrogate
  CHECK_FALSE(tg::decode_utf8("\xd0", 0).valid);          // truncated
  CHECK_FALSE(tg::decode_utf8("\xff", 0).valid);
  CHECK(tg::decode_utf8("\xff", 0).length == 1);
}

TEST_CASE("a name of empty labels has no registrable label", "[name]") {
  const std::uint8_t wire[] = {0};
  const tg::NameInfo root =
      tg::analyse_wire_name(wire, sizeof wire, tg::PublicSuffixList::instance(), false);
  CHECK(root.registrable_index() == root.labels.size());
  const tg::NameInfo empty_label =
      tg::analyse_name(std::string(1, '\0'), tg::PublicSuffixList::instance(), false);
  CHECK(empty_label.registrable_index() == empty_label.labels.size());
  CHECK(tg::test::vector_snapshot()->classify(empty_label).verdict == tg::Verdict::Clean);
}

// The list's wildcards, as libpsl reads them: "*.kawasaki.jp" makes kawasaki.jp a public suffix
// and every child of it one, except "!city.kawasaki.jp", a registrable domain under it.
TEST_CASE("names under wildcard rules have libpsl's registrable domain", "[name]") {
  const auto& psl = tg::PublicSuffixList::instance();
  const auto registrable = [&psl](std::string_view name, bool private_suffixes) {
    const tg::NameInfo n = tg::analyse_name(name, psl, private_suffixes);
    const std::size_t i = n.registrable_index();
    return i == n.labels.size() ? std::string() : n.tail(i, false);
  };
  for (const bool private_suffixes : {false, true}) {
    INFO("private_suffixes " << private_suffixes);
    CHECK(registrable("city.kawasaki.jp", private_suffixes) == "city.kawasaki.jp");
    CHECK(registrable("www.city.kawasaki.jp", private_suffixes) == "city.kawasaki.jp");
    CHECK(registrable("kawasaki.jp", private_suffixes).empty());
    CHECK(registrable("www.shop.kawasaki.jp", private_suffixes) == "www.shop.kawasaki.jp");
    CHECK(registrable("mail.city.kobe.jp", private_suffixes) == "city.kobe.jp");
    CHECK(registrable("www.ck", private_suffixes) == "www.ck");
  }
  // "*.compute.amazonaws.com", a private wildcard two unlisted levels above "com".
  CHECK(registrable("a.b.eu-west-1.compute.amazonaws.com", true) ==
        "b.eu-west-1.compute.amazonaws.com");
  CHECK(registrable("a.b.eu-west-1.compute.amazonaws.com", false) == "amazonaws.com");
}

TEST_CASE("screen: substring hashes equal hash_bytes and hash_without", "[screen]") {
  std::mt19937 rng(1);
  for (int round = 0; round < 300; ++round) {
    std::string s;
    const std::size_t n = rng() % 200;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(rng() % 256));
    const tg::PrefixHashes h(s);
    const tg::DeletionHashes d(s);
    CHECK(d.whole() == tg::hash_bytes(s));
    for (int k = 0; k < 20 && n > 0; ++k) {
      const std::size_t a = rng() % (n + 1);
      const std::size_t b = a + rng() % (n - a + 1);
      CHECK(h.hash(a, b) == tg::hash_bytes(std::string_view(s).substr(a, b - a)));
      if (b > a) {
        const std::size_t skip = a + rng() % (b - a);
        CHECK(h.hash_without(a, b, skip) ==
              tg::hash_without(std::string_view(s).substr(a, b - a), skip - a));
        CHECK(d.without(skip) == tg::hash_without(s, skip));
        std::vector<std::uint64_t> swept;
        CHECK_FALSE(h.any_without(a, b, [&](std::uint64_t x) {
          swept.push_back(x);
          return false;
        }));
        REQUIRE(swept.size() == b - a);
        for (std::size_t i = a; i < b; ++i) CHECK(swept[i - a] == h.hash_without(a, b, i));
        std::size_t calls = 0;
        CHECK(h.any_without(a, b, [&](std::uint64_t) { return ++calls == 1; }));
        CHECK(calls == 1);
        const std::size_t from = a + rng() % (b - a + 1);
        swept.clear();
        CHECK_FALSE(h.any_without_from(a, b, from, [&](std::uint64_t x) {
          swept.push_back(x);
          return false;
        }));
        REQUIRE(swept.size() == b - from);
        for (std::size_t i = from; i < b; ++i) CHECK(swept[i - from] == h.hash_without(a, b, i));
      }
    }
  }
  const std::string longer(300, 'x');  // past PrefixHashes::kMax: DeletionHashes falls back
  CHECK(tg::DeletionHashes(longer).without(7) == tg::hash_without(longer, 7));
  CHECK(tg::DeletionHashes(longer).whole() == tg::hash_bytes(longer));
}

TEST_CASE("screen: plain names are read lower-cased, anything else is refused", "[screen]") {
  const tg::HomoglyphTable& glyphs = tg::HomoglyphTable::instance();
  tg::PlainName n;
  const auto wire = to_wire("Mail.ARMY-1_x.ml");
  REQUIRE(n.read(wire.data(), wire.size(), glyphs));
  CHECK(n.text() == "mail.army-1_x.ml");
  CHECK(n.label_count() == 3);
  CHECK(n.label(0) == "mail");
  CHECK(n.label(1) == "army-1_x");
  CHECK(n.label(2) == "ml");
  CHECK(n.tail(1) == "army-1_x.ml");
  CHECK(n.label_start(3) == n.text().size() + 1);

  const auto refused = [&](std::vector<std::uint8_t> w) {
    return !n.read(w.data(), w.size(), glyphs);
  };
  CHECK(refused({0}));                                  // the root
  CHECK(refused({}));                                   // nothing
  CHECK(refused({4, 'a', 'r', 'm', 'y'}));              // no root label
  CHECK(refused({4, 'a', 'r'}));                        // label runs past the end
  CHECK(refused({4, 'a', 'r', 'm', 'y', 0xc0, 0x0c}));  // compression pointer
  CHECK(refused({1, 'a', 0, 1, 'b', 0}));               // bytes after the root
  CHECK(refused(to_wire("xn--rmy-5cd.mil")));           // IDNA must read it
  CHECK(refused(to_wire("a.XN--80ak6aa92e.com")));
  CHECK(refused(to_wire("a b.com")));
  CHECK(refused({3, 'a', '.', 'b', 0}));  // a dot inside a label
  CHECK(refused({2, 0xd0, 0xb0, 0}));     // UTF-8
  CHECK(refused({1, '*', 0}));
  const auto labels = [](int count) {
    std::vector<std::uint8_t> w;
    for (int i = 0; i < count; ++i) {
      w.push_back(1);
      w.push_back('a');
    }
    w.push_back(0);
    return w;
  };
  CHECK_FALSE(refused(labels(127)));  // 127 labels, 253 bytes
  CHECK(refused(labels(128)));        // 255 bytes of presentation
  const auto xn = to_wire("xn-a.com");
  CHECK(n.read(xn.data(), xn.size(), glyphs));
}
