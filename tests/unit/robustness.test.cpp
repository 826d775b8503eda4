// SPDX-License-Identifier: BSD-3-Clause
// Randomised names (deterministic seed) and concurrent classification: never a crash, always
// a coherent Match, the same answer from every thread. Runs under ASan+UBSan in CI.
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "catch_compat.hpp"
#include "name/psl.hpp"
#include "vector_policy.hpp"

namespace {

void check_coherent(const tg::Match& m) {
  if (m.verdict == tg::Verdict::Clean) {
    CHECK(m.technique == tg::Technique::None);
    CHECK(m.protected_domain.empty());
  } else {
    CHECK_FALSE(m.protected_domain.empty());
    CHECK_FALSE(m.matched.empty());
  }
  if (m.verdict == tg::Verdict::LookAlike) {
    CHECK(m.technique != tg::Technique::None);
    CHECK_FALSE(m.evidence.empty());
  }
}

std::string random_text_name(std::mt19937& rng) {
  static const std::string kPieces[] = {
      "xn--", "army",     "mil", "ml", "gmail", "com",  "-",
      ".",    "\xd0\xb0", "rn",  "0",  "\\",    "\xff", std::string(1, '\0'),
      "co.uk"};
  std::string name;
  const std::size_t parts = rng() % 12;
  for (std::size_t i = 0; i < parts; ++i) {
    if (rng() % 3 == 0) {
      name.push_back(static_cast<char>(rng() % 256));
    } else {
      name += kPieces[rng() % std::size(kPieces)];
    }
  }
  return name;
}

std::vector<std::uint8_t> random_wire_name(std::mt19937& rng) {
  std::vector<std::uint8_t> wire;
  const std::size_t n = rng() % 300;
  for (std::size_t i = 0; i < n; ++i) wire.push_back(static_cast<std::uint8_t>(rng() % 256));
  if (rng() % 2 == 0 && !wire.empty()) wire.back() = 0;
  return wire;
}

}  // namespace

TEST_CASE("random text and wire names give coherent verdicts", "[robustness]") {
  const auto s = tg::test::vector_snapshot();
  std::mt19937 rng(20261123);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = random_text_name(rng);
    check_coherent(s->classify(text));
    const auto wire = random_wire_name(rng);
    check_coherent(s->classify(
        tg::analyse_wire_name(wire.data(), wire.size(), tg::PublicSuffixList::instance(), false)));
  }
}

TEST_CASE("one snapshot answers the same from several threads", "[robustness][threads]") {
  const auto s = tg::test::vector_snapshot();
  std::vector<std::string> names;
  std::mt19937 rng(7);
  for (const char* n : {"army.ml", "xn--rmy-5cd.mil", "gmail.om", "example.com", "anything.ml",
                        "partner-example.ml", "mail.army.mil", "arny.ml"}) {
    names.emplace_back(n);
  }
  for (int i = 0; i < 500; ++i) names.push_back(random_text_name(rng));
  std::vector<std::string> expected;
  for (const std::string& n : names) {
    const tg::Match m = s->classify(n);
    expected.push_back(std::string(tg::technique_name(m.technique)) + "|" + m.protected_domain +
                       "|" + m.evidence);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < names.size(); ++i) {
          const tg::Match m = s->classify(names[i]);
          const std::string got = std::string(tg::technique_name(m.technique)) + "|" +
                                  m.protected_domain + "|" + m.evidence;
          if (got != expected[i]) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const int m : mismatches) CHECK(m == 0);
}
