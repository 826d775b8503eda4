// SPDX-License-Identifier: BSD-3-Clause
// The forward direction and its agreement with classify(), both ways.
#include "variants/variants.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "catch_compat.hpp"
#include "model/technique.hpp"
#include "vector_policy.hpp"

namespace {

std::set<std::string> names_of(const std::vector<tg::Variant>& v, tg::Technique t) {
  std::set<std::string> out;
  for (const tg::Variant& x : v) {
    if (x.technique == t) out.insert(x.name);
  }
  return out;
}

}  // namespace

TEST_CASE("every variant classifies back to its domain with the same technique", "[variants]") {
  const auto s = tg::test::vector_snapshot();
  for (const char* domain : {"army.mil", "gmail.com", "mod.gov.uk", "navy.mil", "af.mil"}) {
    const auto list = tg::variants(*s, domain);
    REQUIRE(list.size() > 20);
    for (const tg::Variant& v : list) {
      const tg::Match m = s->classify(v.name);
      INFO(domain << " variant " << v.name << " (" << tg::technique_name(v.technique) << ")");
      CHECK(m.verdict == tg::Verdict::LookAlike);
      CHECK(m.protected_domain == domain);
      CHECK(m.technique == v.technique);
    }
  }
}

TEST_CASE("the generators cover every technique the contract lists", "[variants]") {
  const auto s = tg::test::vector_snapshot();
  const auto army = tg::variants(*s, "army.mil");
  std::map<tg::Technique, std::size_t> counts;
  for (const tg::Variant& v : army) ++counts[v.technique];
  // Every technique of the enum, except tld-swap (off by default, checked below) and
  // blocked-suffix (a policy's suffix list, not a variant of a domain).
  for (const tg::Technique t : tg::kPrecedence) {
    if (t == tg::Technique::TldSwap || t == tg::Technique::BlockedSuffix) continue;
    INFO(tg::technique_name(t));
    CHECK(counts[t] > 0);
  }
  CHECK(counts[tg::Technique::TldSwap] == 0);  // off by default for army.mil
  const auto navy = tg::variants(*s, "navy.mil");
  CHECK_FALSE(names_of(navy, tg::Technique::TldSwap).empty());

  // whole-name one-edit variants that land in a real suffix (detection-anchors §1.2)
  CHECK(names_of(army, tg::Technique::SuffixTypo) ==
        std::set<std::string>{"army.il", "army.m.il", "army.mit", "army.ml", "army.ril"});
  CHECK(names_of(army, tg::Technique::DotShift).count("armym.il") == 1);
  // The same set when only suffix-typos are asked for (no homoglyph cap cuts generation short).
  tg::VariantOptions only_suffix;
  only_suffix.only = tg::Technique::SuffixTypo;
  CHECK(names_of(tg::variants(*s, "army.mil", only_suffix), tg::Technique::SuffixTypo) ==
        std::set<std::string>{"army.il", "army.m.il", "army.mit", "army.ml", "army.ril"});
  const auto gmail = tg::variants(*s, "gmail.com");
  for (const char* n : {"gmail.om", "gmail.cm", "gmail.co", "gmail.cam"}) {
    CHECK(names_of(gmail, tg::Technique::SuffixTypo).count(n) == 1);
  }
}

TEST_CASE("variants are bounded and deterministic", "[variants]") {
  const auto s = tg::test::vector_snapshot();
  tg::VariantOptions opts;
  opts.homoglyph_limit = 10;
  const auto a = tg::variants(*s, "gmail.com", opts);
  const auto b = tg::variants(*s, "gmail.com", opts);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].name == b[i].name);
  CHECK(names_of(a, tg::Technique::Homoglyph).size() <= 10);
  opts.only = tg::Technique::Omission;
  const auto only = tg::variants(*s, "gmail.com", opts);
  CHECK_FALSE(only.empty());
  CHECK(std::all_of(only.begin(), only.end(),
                    [](const tg::Variant& v) { return v.technique == tg::Technique::Omission; }));
  CHECK(tg::variants(*s, "example.com").empty());
}

TEST_CASE("what classify accepts by a label edit is listed by variants", "[variants]") {
  // The other direction: single edits of the label found by classify are all generated.
  const auto s = tg::test::vector_snapshot();
  tg::VariantOptions opts;
  opts.homoglyph_limit = 0;
  const auto list = tg::variants(*s, "gmail.com", opts);
  std::set<std::string> generated;
  for (const tg::Variant& v : list) generated.insert(v.name);
  const std::string label = "gmail";
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
  std::size_t checked = 0;
  for (std::size_t i = 0; i <= label.size(); ++i) {
    for (const char c : alphabet) {
      for (const std::string& cand :
           {label.substr(0, i) + c + label.substr(i),
            i < label.size() ? label.substr(0, i) + c + label.substr(i + 1) : std::string()}) {
        if (cand.empty()) continue;
        const std::string name = cand + ".com";
        const tg::Match m = s->classify(name);
        if (!m.is_lookalike() || m.protected_domain != "gmail.com") continue;
        if (m.technique == tg::Technique::Homoglyph) continue;
        ++checked;
        INFO(name << " " << tg::technique_name(m.technique));
        CHECK(generated.count(name) == 1);
      }
    }
  }
  CHECK(checked > 50);
}
