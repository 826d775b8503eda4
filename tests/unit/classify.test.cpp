// SPDX-License-Identifier: BSD-3-Clause
// Table-driven classification tests: every row of tests/vectors/*.csv.
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "name/psl.hpp"
#include "name/utf8.hpp"
#include "vector_policy.hpp"

namespace {

struct Row {
  int line = 0;
  std::string name, verdict, protected_domain, technique, secondary;
};

// "\DDD" is one byte, as in DNS presentation format.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 3))));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<Row> read_vectors(const std::string& file) {
  std::ifstream in(std::string(TG_TEST_DATA_DIR) + "/vectors/" + file);
  REQUIRE(in.good());
  std::vector<Row> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || line.empty()) continue;  // header
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    while (cells.size() < 5) cells.emplace_back();
    rows.push_back({number, unescape(cells[0]), cells[1], cells[2], cells[3], cells[4]});
  }
  REQUIRE(!rows.empty());
  return rows;
}

void check_file(const std::string& file) {
  const auto snapshot = tg::test::vector_snapshot();
  for (const Row& row : read_vectors(file)) {
    const tg::Match m = snapshot->classify(row.name);
    const std::string technique =
        m.technique == tg::Technique::None ? "" : std::string(tg::technique_name(m.technique));
    const std::string secondary =
        m.secondary == tg::Technique::None ? "" : std::string(tg::technique_name(m.secondary));
    INFO(file << ":" << row.line << " name=" << tg::escape_name(row.name)
              << " evidence=" << m.evidence);
    CHECK(std::string(tg::verdict_name(m.verdict)) == row.verdict);
    CHECK(m.protected_domain == row.protected_domain);
    CHECK(technique == row.technique);
    CHECK(secondary == row.secondary);
    if (m.is_lookalike()) CHECK_FALSE(m.evidence.empty());
  }
}

}  // namespace

TEST_CASE("every example of the detection contract has its technique", "[classify][vectors]") {
  check_file("detection.csv");
}

TEST_CASE("protected, allowed, sister and unrelated names are not flagged", "[classify][vectors]") {
  check_file("negatives.csv");
}

TEST_CASE("odd names get a defined verdict and never crash", "[classify][vectors]") {
  check_file("robustness.csv");
}

TEST_CASE("evidence says what changed", "[classify]") {
  const auto s = tg::test::vector_snapshot();
  CHECK(s->classify("army.ml").evidence == "'mil' -> 'ml' (one letter omitted)");
  CHECK(s->classify("mail.army.ml").matched == "army.ml");
  CHECK(s->classify("amry.mil").evidence == "'r' and 'm' swapped at position 2");
  CHECK(s->classify("anything.ml").evidence ==
        "under blocked suffix 'ml': the DoD blocks all of .ml");
}

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
