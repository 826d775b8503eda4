// SPDX-License-Identifier: BSD-3-Clause
// The public-suffix fast path (name/psl.cpp) against libpsl itself, loaded from the same list
// file, on every rule of Debian's list and on random names made of the list's labels.
#include "name/psl.hpp"

#include <libpsl.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
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
  bool in_private = false;
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
  bool in_private = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string::npos) in_private = true;
    if (line.empty() || line.starts_with("//")) continue;
    std::string text = line.substr(0, line.find_first_of(" \t\r"));
    if (text.empty()) continue;
    Rule rule;
    rule.in_private = in_private;
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
  explicit Reference(const std::vector<Rule>& rules) : ctx_(psl_load_file(kListFile)) {
    REQUIRE(ctx_ != nullptr);
    std::set<std::string> plain_icann;
    std::set<std::string> plain_any;
    std::set<std::string> wildcard_parents;
    for (const Rule& r : rules) {
      if (r.wildcard) wildcard_parents.insert(r.name);
      if (r.wildcard || r.exception) continue;
      plain_any.insert(r.name);
      if (!r.in_private) plain_icann.insert(r.name);
    }
    for (const std::string& parent : wildcard_parents) {
      const std::size_t dot = parent.find('.');
      // "ex.futurecms.at" (of "*.ex.futurecms.at") is matched by "*.futurecms.at".
      if (dot != std::string::npos && wildcard_parents.count(parent.substr(dot + 1)) != 0) {
        continue;
      }
      if (plain_icann.count(parent) == 0) uncovered_parents_icann_.insert(parent);
      if (plain_any.count(parent) == 0) uncovered_parents_any_.insert(parent);
    }
    REQUIRE_FALSE(uncovered_parents_icann_.empty());
  }

  /// psl_is_public_suffix2 with the type the engine's flags mean.
  [[nodiscard]] bool libpsl(const std::string& name, bool include_private, bool listed_only) const {
    int type = include_private ? PSL_TYPE_ANY : PSL_TYPE_ICANN;
    if (listed_only) type |= PSL_TYPE_NO_STAR_RULE;
    return psl_is_public_suffix2(ctx_.get(), name.c_str(), type) != 0;
  }

  /// The parent of a wildcard rule that no rule of the list matches: neither a rule itself
  /// nor under a wildcard rule ("kawasaki.jp" for "*.kawasaki.jp", "ck" for "*.ck").
  [[nodiscard]] bool uncovered_wildcard_parent(const std::string& name,
                                               bool include_private) const {
    return (include_private ? uncovered_parents_any_ : uncovered_parents_icann_).count(name) != 0;
  }

  /// What PublicSuffixList::is_public_suffix must answer: libpsl's answer, except for the
  /// parent of a wildcard rule that no rule matches. libpsl counts such a name as a public
  /// suffix; the list's algorithm does not (a rule matches only names with at least as many
  /// labels, so "kawasaki.jp" falls under "jp"), and the engine follows the list: such a name
  /// is a suffix only by the "*" rule, when it is one label and `listed_only` is off.
  [[nodiscard]] bool is_suffix(const std::string& name, bool include_private,
                               bool listed_only) const {
    if (!libpsl(name, include_private, listed_only)) return false;
    if (!uncovered_wildcard_parent(name, include_private)) return true;
    return name.find('.') == std::string::npos && !listed_only;
  }

  /// Labels of the longest tail of `name` that is_suffix() calls a public suffix (1 at least).
  [[nodiscard]] std::size_t longest(const std::string& name, bool include_private) const {
    const std::vector<std::string> tails = tails_of(name);
    std::size_t best = 1;
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (is_suffix(tails[i], include_private, false)) best = i + 1;
    }
    return best;
  }

  /// What PublicSuffixList::suffix_labels must answer, the "one missing level is tolerated"
  /// rule: walking the tails from the right, the longest tail is_suffix() calls a public
  /// suffix, but the walk ends at the second consecutive tail that is not one. One unlisted
  /// level (a wildcard's parent, or forgot.his.name's his.name) is stepped over; a suffix
  /// above two consecutive unlisted levels is not seen, where longest() would see it. With
  /// `on_libpsl`, the same walk over libpsl's own answers instead of is_suffix().
  [[nodiscard]] std::size_t by_rule(const std::string& name, bool include_private,
                                    bool on_libpsl = false) const {
    const std::vector<std::string> tails = tails_of(name);
    std::size_t best = 1;
    std::size_t misses = 0;
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (on_libpsl ? libpsl(tails[i], include_private, false)
                    : is_suffix(tails[i], include_private, false)) {
        best = i + 1;
        misses = 0;
      } else if (++misses == 2) {
        break;
      }
    }
    return best;
  }

  /// Labels of the longest tail libpsl itself calls a public suffix ("*" rule on).
  [[nodiscard]] std::size_t libpsl_longest(const std::string& name, bool include_private) const {
    const std::vector<std::string> tails = tails_of(name);
    std::size_t best = 1;
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (libpsl(tails[i], include_private, false)) best = i + 1;
    }
    return best;
  }

  [[nodiscard]] const psl_ctx_t* ctx() const noexcept { return ctx_.get(); }

 private:
  std::unique_ptr<psl_ctx_t, PslDeleter> ctx_;
  std::set<std::string> uncovered_parents_icann_;
  std::set<std::string> uncovered_parents_any_;
};

struct Tally {
  std::size_t names = 0;
  std::size_t wildcard_parents = 0;  // is_public_suffix answers that differ from libpsl's
  std::size_t missing_levels = 0;    // suffix_labels answers the walk's stop made shorter
  std::set<std::string> examples;
};

/// Checks one lower-case A-label name: is_public_suffix in all four modes and suffix_labels
/// exactly as Reference states them, and the reference itself against libpsl's own walks
/// (psl_unregistrable_domain, psl_registrable_domain).
void check_name(const tg::PublicSuffixList& engine, const Reference& ref, const std::string& name,
                Tally& tally) {
  ++tally.names;
  INFO("name '" << name << "'");
  for (const bool include_private : {false, true}) {
    for (const bool listed_only : {false, true}) {
      INFO("include_private " << include_private << ", listed_only " << listed_only);
      const bool expected = ref.is_suffix(name, include_private, listed_only);
      CHECK(engine.is_public_suffix(name, include_private, listed_only) == expected);
      if (expected != ref.libpsl(name, include_private, listed_only)) ++tally.wildcard_parents;
    }
    INFO("include_private " << include_private);
    const std::size_t expected = ref.by_rule(name, include_private);
    CHECK(engine.suffix_labels(name, include_private) == expected);
    if (expected != ref.longest(name, include_private)) {
      ++tally.missing_levels;
      if (tally.examples.size() < 5) tally.examples.insert(name);
      CHECK(expected < ref.longest(name, include_private));  // only ever shorter
    }
  }
  // The reference reads libpsl right: its own walk (type ANY, the rightmost nine labels only)
  // finds the same longest suffix.
  const std::size_t labels = tails_of(name).size();
  if (labels <= 9) {
    const std::size_t suffix = ref.libpsl_longest(name, true);
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
  const Reference ref(rules);
  Tally tally;
  for (const Rule& rule : rules) {
    for (const std::string& name : rule_names(rule)) check_name(engine, ref, name, tally);
  }
  std::ostringstream examples;
  for (const std::string& e : tally.examples) examples << " " << e;
  WARN(tally.names << " names; " << tally.wildcard_parents
                   << " answers for uncovered wildcard parents, " << tally.missing_levels
                   << " suffixes the missing-level stop made shorter, e.g." << examples.str());
  CHECK(tally.names >= 3 * rules.size());
  CHECK(tally.wildcard_parents > 0);  // the deviation is exercised, not skipped
}

TEST_CASE("psl: the fast path answers as libpsl on random names of list labels", "[psl]") {
  const tg::PublicSuffixList& engine = tg::PublicSuffixList::instance();
  REQUIRE(engine.source() == kListFile);
  const std::vector<Rule> rules = read_rules();
  const Reference ref(rules);
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
  WARN(tally.names << " names; " << tally.wildcard_parents
                   << " answers for uncovered wildcard parents, " << tally.missing_levels
                   << " suffixes the missing-level stop made shorter");
  CHECK(tally.names == 4000);
}

// Known defect, kept visible. The fast path's answer for an uncovered wildcard parent (see
// Reference::is_suffix) makes suffix_labels shorter than the same walk over libpsl's answers
// in three groups: (a) the parents themselves ("kawasaki.jp": libpsl says suffix
// "kawasaki.jp", the engine "jp"; here the list's own algorithm sides with the engine), (b)
// names under an exception of such a wildcard ("city.kawasaki.jp": libpsl and the list say
// suffix "kawasaki.jp", the engine "jp"), (c) private wildcards whose parent's parent is
// unlisted too ("x.compute.amazonaws.com": libpsl and the list say "x.compute.amazonaws.com",
// the engine "com"). Asking libpsl in PublicSuffixList::is_public_suffix also when `name`
// itself is a wildcard parent removes all three; Reference::is_suffix then loses its
// exception. Tagged [!shouldfail] until then: once it passes, Catch reports a failure and
// the tag must go.
TEST_CASE("psl: suffix_labels walks libpsl's own answers on every rule", "[psl][!shouldfail]") {
  const tg::PublicSuffixList& engine = tg::PublicSuffixList::instance();
  REQUIRE(engine.source() == kListFile);
  const std::vector<Rule> rules = read_rules();
  const Reference ref(rules);
  std::size_t wrong = 0;
  std::set<std::string> examples;
  for (const Rule& rule : rules) {
    for (const std::string& name : rule_names(rule)) {
      for (const bool include_private : {false, true}) {
        if (engine.suffix_labels(name, include_private) ==
            ref.by_rule(name, include_private, true)) {
          continue;
        }
        ++wrong;
        if (examples.size() < 8) examples.insert(name);
      }
    }
  }
  std::ostringstream list;
  for (const std::string& e : examples) list << " " << e;
  INFO(wrong << " answers differ from the walk over libpsl's, e.g." << list.str());
  CHECK(wrong == 0);
}
