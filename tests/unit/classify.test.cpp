// SPDX-License-Identifier: BSD-3-Clause
// Table-driven classification tests: every row of tests/vectors/*.csv.
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
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
