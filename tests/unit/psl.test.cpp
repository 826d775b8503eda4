// SPDX-License-Identifier: BSD-3-Clause
// The public-suffix fast path (name/psl.cpp) against libpsl itself, loaded from the same list
// file, on every rule of Debian's list and on random names made of the list's labels.
#include "name/psl.hpp"

#include <libpsl.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <idn2.h>

#include "catch_compat.hpp"

namespace {

constexpr const char* kListFile = "/usr/share/publicsuffix/public_suffix_list.dat";

struct PslDeleter {
  void operator()(psl_ctx_t* p) const noexcept { psl_free(p); }
};

/// A rule of the list as an A-label name: "*.ck" is {"ck", wildcard}, "!www.ck" is
/// {"www.ck", exception}.
struct Rule {
  std::string name;
  bool wildcard = false;
  bool exception = false;
};

/// The A-label form of a Unicode name, "" when libidn2 refuses it in every mode.
std::string to_alabel(const std::string& text) {
  for (const int flags :
       {0, static_cast<int>(IDN2_NONTRANSITIONAL), static_cast<int>(IDN2_TRANSITIONAL)}) {
    char* out = nullptr;
    const int rc = idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(text.c_str()),  // NOLINT
                                  reinterpret_cast<std::uint8_t**>(&out), flags);       // NOLINT
    std::string ascii = rc == IDN2_OK && out != nullptr ? std::string(out) : std::string();
    std::free(out);  // NOLINT(cppcoreguidelines-no-malloc)
    if (!ascii.empty()) return ascii;
  }
  return {};
}

/// Every rule of the list file; a rule libidn2 cannot convert fails the test.
std::vector<Rule> read_rules() {
  std::ifstream in(kListFile);
  REQUIRE(in.good());
  std::vector<Rule> rules;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("//")) continue;
    std::string text = line.substr(0, line.find_first_of(" \t\r"));
    if (text.empty()) continue;
    Rule rule;
    if (text.starts_with("!")) {
      rule.exception = true;
      text.erase(0, 1);
    } else if (text.starts_with("*.")) {
      rule.wildcard = true;
      text.erase(0, 2);
    }
    rule.name = to_alabel(text);
    INFO("list rule '" << line << "'");
    REQUIRE_FALSE(rule.name.empty());
    rules.push_back(std::move(rule));
  }
  REQUIRE(rules.size() > 1000);
  return rules;
}

/// The tails of `name` from the right: "a.b.c" gives "c", "b.c", "a.b.c".
std::vector<std::string> tails_of(const std::string& name) {
  std::vector<std::string> tails;
  std::size_t end = name.size();
  while (true) {
    const std::size_t dot = end == 0 ? std::string::npos : name.rfind('.', end - 1);
    const std::size_t start = dot == std::string::npos ? 0 : dot + 1;
    tails.push_back(name.substr(start));
    if (start == 0) break;
    end = start - 1;
  }
  return tails;
}

std::size_t labels_of(const char* name) {
  if (name == nullptr) return 0;
  return tails_of(name).size();
}

/// libpsl's own answers, from its own context over the same list file, and the engine's
/// contract stated on them.
class Reference {
 public:
  Reference() : ctx_(psl_load_file(kListFile)) { REQUIRE(ctx_ != nullptr); }

  /// psl_is_public_suffix2 with the type the engine's flags mean. This is exactly what
  /// PublicSuffixList::is_public_suffix must answer, wildcard parents included: libpsl counts
  /// "kawasaki.jp" of "*.kawasaki.jp" as a suffix (the list's own algorithm would not, as a
  /// rule matches only names of at least its labels), and "ck" of "*.ck" even with
  /// `listed_only`.
  [[nodiscard]] bool libpsl(const std::string& name, bool include_private, bool listed_only) const {
    int type = include_private ? PSL_TYPE_ANY : PSL_TYPE_ICANN;
    if (listed_only) type |= PSL_TYPE_NO_STAR_RULE;
    return psl_is_public_suffix2(ctx_.get(), name.c_str(), type) != 0;
  }

  /// Labels of the longest tail of `name` libpsl calls a public suffix ("*" rule on; 1 at least).
  [[nodiscard]] std::size_t longest(const std::string& name, bool include_private) const {
    const std::vector<std::string> tails = tails_of(name);
    std::size_t best = 1;
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (libpsl(tails[i], include_private, false)) best = i + 1;
    }
    return best;
  }

  /// What PublicSuffixList::suffix_labels must answer, the "one missing level is tolerated"
  /// rule: walking the tails from the right, the longest tail libpsl calls a public suffix, but
  /// the walk ends at the second consecutive tail that is not one. One unlisted level
  /// (forgot.his.name's his.name) is stepped over; a suffix above two consecutive unlisted
  /// levels is not seen, where longest() would see it (private rules only, in this list:
  /// s3.eu-west-3.amazonaws.com over eu-west-3.amazonaws.com and amazonaws.com).
  [[nodiscard]] std::size_t by_rule(const std::string& name, bool include_private) const {
    const std::vector<std::string> tails = tails_of(name);
    std::size_t best = 1;
    std::size_t misses = 0;
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (libpsl(tails[i], include_private, false)) {
        best = i + 1;
        misses = 0;
      } else if (++misses == 2) {
        break;
      }
    }
    return best;
  }

  [[nodiscard]] const psl_ctx_t* ctx() const noexcept { return ctx_.get(); }

 private:
  std::unique_ptr<psl_ctx_t, PslDeleter> ctx_;
};

struct Tally {
  std::size_t names = 0;
  std::array<std::size_t, 2> missing_levels{};  // by include_private: answers the stop shortened
  std::set<std::string> examples;
};

/// Checks one lower-case A-label name: is_public_suffix in all four modes against libpsl,
/// suffix_labels exactly as Reference::by_rule states it, and the reference itself against
/// libpsl's own walks (psl_unregistrable_domain, psl_registrable_domain).
void check_name(const tg::PublicSuffixList& engine, const Reference& ref, const std::string& name,
                Tally& tally) {
  ++tally.names;
  INFO("name '" << name << "'");
  for (const bool include_private : {false, true}) {
    for (const bool listed_only : {false, true}) {
      INFO("include_private " << include_private << ", listed_only " << listed_only);
      CHECK(engine.is_public_suffix(name, include_private, listed_only) ==
            ref.libpsl(name, include_private, listed_only));
    }
    INFO("include_private " << include_private);
    const std::size_t expected = ref.by_rule(name, include_private);
    CHECK(engine.suffix_labels(name, include_private) == expected);
    if (expected != ref.longest(name, include_private)) {
      ++tally.missing_levels.at(include_private ? 1 : 0);
      if (tally.examples.size() < 5) tally.examples.insert(name);
      CHECK(expected < ref.longest(name, include_private));  // only ever shorter
    }
  }
  // The reference reads libpsl right: its own walk (type ANY, the rightmost nine labels only)
  // finds the same longest suffix.
  const std::size_t labels = tails_of(name).size();
  if (labels <= 9) {
    const std::size_t suffix = ref.longest(name, true);
    CHECK(labels_of(psl_unregistrable_domain(ref.ctx(), name.c_str())) == suffix);
    CHECK(labels_of(psl_registrable_domain(ref.ctx(), name.c_str())) ==
          (suffix < labels ? suffix + 1 : 0));
  }
}

std::string random_label(std::mt19937& rng) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string label;
  const std::size_t n = 1 + rng() % 12;
  for (std::size_t i = 0; i < n; ++i) label.push_back(kAlphabet[rng() % kAlphabet.size()]);
  if (n > 2 && rng() % 4 == 0) label[n / 2] = '-';
  return label;
}

}  // namespace

/// Each rule's own name (for a wildcard, its parent and one child; for an exception, the
/// excepted name), and each of those with one and two labels prepended.
std::vector<std::string> rule_names(const Rule& rule) {
  std::vector<std::string> names{rule.name};
  if (rule.wildcard) names.push_back("wild." + rule.name);
  const std::size_t own = names.size();
  for (std::size_t i = 0; i < own; ++i) {
    names.push_back("one." + names[i]);
    names.push_back("two.one." + names[i]);
  }
  return names;
}

TEST_CASE("psl: the fast path answers as libpsl on every rule of the list", "[psl]") {
  const tg::PublicSuffixList& engine = tg::PublicSuffixList::instance();
  REQUIRE(engine.source() == kListFile);  // the fast path is on only with the list file
  const std::vector<Rule> rules = read_rules();
  const Reference ref;
  Tally tally;
  for (const Rule& rule : rules) {
    for (const std::string& name : rule_names(rule)) check_name(engine, ref, name, tally);
  }
  std::ostringstream examples;
  for (const std::string& e : tally.examples) examples << " " << e;
  WARN(tally.names << " names; suffixes the missing-level stop made shorter: "
                   << tally.missing_levels[0] << " of ICANN only, " << tally.missing_levels[1]
                   << " with private ones, e.g." << examples.str());
  CHECK(tally.names >= 3 * rules.size());
  // No ICANN rule sits above two unlisted levels: without private suffixes (the default), the
  // walk finds libpsl's longest suffix on every rule. A list that breaks this needs a walk
  // that does not stop.
  CHECK(tally.missing_levels[0] == 0);
}

TEST_CASE("psl: the fast path answers as libpsl on random names of list labels", "[psl]") {
  const tg::PublicSuffixList& engine = tg::PublicSuffixList::instance();
  REQUIRE(engine.source() == kListFile);
  const std::vector<Rule> rules = read_rules();
  const Reference ref;
  std::vector<std::string> labels;  // every label of every rule, once
  {
    std::set<std::string> seen;
    for (const Rule& r : rules) {
      for (const std::string& t : tails_of(r.name)) {
        const std::string label = t.substr(0, t.find('.'));
        if (seen.insert(label).second) labels.push_back(label);
      }
    }
  }
  std::mt19937 rng(20261123);
  Tally tally;
  for (int i = 0; i < 4000; ++i) {
    std::string name;
    switch (rng() % 3) {
      case 0:  // a rule, or one of its tails
      {
        const std::vector<std::string> tails = tails_of(rules[rng() % rules.size()].name);
        name = tails[rng() % tails.size()];
        break;
      }
      case 1:  // a list label as the top-level label
        name = labels[rng() % labels.size()];
        break;
      default:  // an unlisted top-level label
        name = random_label(rng);
        break;
    }
    const std::size_t more = rng() % 5;
    for (std::size_t k = 0; k < more; ++k) {
      name.insert(0, (rng() % 2 == 0 ? labels[rng() % labels.size()] : random_label(rng)) + ".");
    }
    check_name(engine, ref, name, tally);
  }
  WARN(tally.names << " names; suffixes the missing-level stop made shorter: "
                   << tally.missing_levels[0] << " of ICANN only, " << tally.missing_levels[1]
                   << " with private ones");
  CHECK(tally.names == 4000);
}

namespace {

/// suffix_labels of `name`, and the labels of libpsl's longest public suffix of it.
struct Split {
  std::size_t engine = 0;
  std::size_t libpsl = 0;
};

Split split(const Reference& ref, const std::string& name, bool include_private) {
  return {tg::PublicSuffixList::instance().suffix_labels(name, include_private),
          ref.longest(name, include_private)};
}

}  // namespace

// Once a defect: a wildcard's parent was answered "no suffix" without asking libpsl, and the
// walk's stop at a second unlisted level then cut the suffix short below it.
TEST_CASE("psl: wildcard parents are suffixes, as libpsl has them", "[psl]") {
  const tg::PublicSuffixList& engine = tg::PublicSuffixList::instance();
  REQUIRE(engine.source() == kListFile);
  const Reference ref;
  for (const bool include_private : {false, true}) {
    INFO("include_private " << include_private);
    // *.kawasaki.jp, !city.kawasaki.jp
    CHECK(engine.is_public_suffix("kawasaki.jp", include_private, true));
    CHECK_FALSE(engine.is_public_suffix("city.kawasaki.jp", include_private, false));
    CHECK(engine.is_public_suffix("wild.kawasaki.jp", include_private, true));
    // *.ck, !www.ck: the parent is a listed TLD, not one by the "*" rule only.
    CHECK(engine.is_public_suffix("ck", include_private, true));
    CHECK_FALSE(engine.is_public_suffix("www.ck", include_private, false));
    for (const auto& [name, labels] : std::vector<std::pair<std::string, std::size_t>>{
             {"kawasaki.jp", 2},
             {"city.kawasaki.jp", 2},  // the exception: kawasaki.jp is its suffix, not jp
             {"www.city.kawasaki.jp", 2},
             {"wild.kawasaki.jp", 3},
             {"www.wild.kawasaki.jp", 3},
             {"www.ck", 1},
             {"one.two.ck", 2},
         }) {
      INFO("name '" << name << "'");
      const Split s = split(ref, name, include_private);
      CHECK(s.engine == labels);
      CHECK(s.libpsl == labels);
    }
  }
  // *.compute.amazonaws.com, a private wildcard whose parent and grandparent are no rules.
  CHECK(engine.is_public_suffix("compute.amazonaws.com", true, true));
  CHECK_FALSE(engine.is_public_suffix("compute.amazonaws.com", false, false));
  for (const std::string name : {"x.compute.amazonaws.com", "www.x.compute.amazonaws.com"}) {
    INFO("name '" << name << "'");
    const Split with_private = split(ref, name, true);
    CHECK(with_private.engine == 4);
    CHECK(with_private.libpsl == 4);
    const Split icann_only = split(ref, name, false);
    CHECK(icann_only.engine == 1);
    CHECK(icann_only.libpsl == 1);
  }
}
