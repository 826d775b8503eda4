// SPDX-License-Identifier: BSD-3-Clause
// The screen in front of classify() (classify/screen.cpp): it may only ever say "no look-alike"
// for names classify() finds no look-alike in, and it must say so for most ordinary names.
// Its parts first: substring hashes, the fingerprint set, plain names, ASCII visual keys.
#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "classify/hash_index.hpp"
#include "classify/protected_index.hpp"
#include "name/homoglyph.hpp"
#include "name/name_info.hpp"
#include "name/plain_name.hpp"
#include "name/psl.hpp"
#include "variants/variants.hpp"
#include "vector_policy.hpp"
#include "wire.hpp"

namespace {

using tg::test::to_wire;

/// The first column of a CSV vector file, header skipped.
std::vector<std::string> vector_names(const std::string& file) {
  std::ifstream in(std::string(TG_TEST_DATA_DIR) + "/vectors/" + file);
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) out.push_back(line.substr(0, line.find(',')));
  return out;
}

/// Its arguments (strings, string views, literals) joined into one string.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

std::string random_label(std::mt19937& rng, std::size_t min, std::size_t max) {
  static const std::string kConsonants = "bcdfghjklmnprstvwz";
  static const std::string kVowels = "aeiou";
  const std::size_t n = min + rng() % (max - min + 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += (i % 2 == 0) ? kConsonants[rng() % kConsonants.size()] : kVowels[rng() % kVowels.size()];
  }
  return out;
}

/// A policy of `n` synthetic protected domains with every technique on (tld-swap too), under
/// one- and two-label suffixes, plus a blocked suffix and an allow-list entry.
std::shared_ptr<const tg::Snapshot> synthetic_snapshot(std::size_t n) {
  std::mt19937 rng(7);
  const char* suffixes[] = {"com", "net", "org", "mil", "co.uk", "de", "io", "com.au"};
  tg::Policy p;
  p.source = "<synthetic>";
  std::set<std::string> seen;
  while (p.protected_domains.size() < n) {
    tg::ProtectedDomain d;
    d.name = random_label(rng, 5, 12) + "." + suffixes[rng() % std::size(suffixes)];
    if (!seen.insert(d.name).second) continue;
    d.techniques = tg::TechniqueSet::all();
    p.protected_domains.push_back(d);
  }
  p.blocked_suffixes.push_back({"ml", "blocked", std::nullopt});
  p.allow.push_back({"partner.ml", "a partner"});
  return tg::Snapshot::compile(std::move(p));
}

/// Every single edit (insert, delete, substitute, transpose) of `s` over `alphabet`.
std::vector<std::string> single_edits(const std::string& s, std::string_view alphabet) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    for (const char c : alphabet) out.push_back(s.substr(0, i) + c + s.substr(i));
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    out.push_back(s.substr(0, i) + s.substr(i + 1));
    for (const char c : alphabet) {
      if (c != s[i]) out.push_back(s.substr(0, i) + c + s.substr(i + 1));
    }
    if (i + 1 < s.size()) {
      std::string t = s;
      std::swap(t[i], t[i + 1]);
      out.push_back(t);
    }
  }
  return out;
}

/// Checks the screen against classify() for every name; returns how many look-alikes with a
/// plain name were checked, and counts clean names the screen let through in `let_through`.
struct Tally {
  std::size_t plain_lookalikes = 0;
  std::size_t plain_clean = 0;
  std::size_t clean_screened_out = 0;
};

void check_screen(const tg::Snapshot& s, const std::vector<std::string>& names, Tally& tally) {
  for (const std::string& text : names) {
    const std::vector<std::uint8_t> wire = to_wire(text);
    if (wire.empty()) continue;
    const tg::NameInfo info = tg::analyse_wire_name(
        wire.data(), wire.size(), tg::PublicSuffixList::instance(), s.policy().private_suffixes);
    const bool lookalike = s.classify(info).is_lookalike();
    const bool maybe = s.may_be_lookalike(wire.data(), wire.size());
    tg::PlainName plain;
    const bool is_plain = plain.read(wire.data(), wire.size(), tg::HomoglyphTable::instance());
    if (lookalike) {
      INFO(text << " is a look-alike; the screen must let it through");
      CHECK(maybe);
      if (is_plain) ++tally.plain_lookalikes;
    } else if (is_plain) {
      ++tally.plain_clean;
      if (!maybe) ++tally.clean_screened_out;
    }
  }
}

/// The names that exercise every technique of classify() around `domain`.
std::vector<std::string> names_around(const tg::Snapshot& s, const std::string& domain,
                                      bool exhaustive) {
  std::vector<std::string> out;
  for (const tg::Variant& v : tg::variants(s, domain)) out.push_back(v.name);
  const std::string label = domain.substr(0, domain.find('.'));
  const std::string suffix = domain.substr(domain.find('.') + 1);
  std::string joined = domain;
  std::erase(joined, '.');
  std::string hyphenated = domain;
  std::replace(hyphenated.begin(), hyphenated.end(), '.', '-');
  for (const char* tld : {"com", "ml", "net", "co.uk"}) {
    out.push_back(joined + "." + tld);
    out.push_back(hyphenated + "." + tld);
    out.push_back(domain + "." + tld);  // suffix appended
    out.push_back("mail." + domain + "." + tld);
    out.push_back(label + "." + tld);  // tld-swap
    out.push_back(label + "es." + tld);
  }
  for (const std::string_view host : tg::kHostPrefixes) {
    out.push_back(concat(host, label, ".", suffix));
    out.push_back(concat(host, "-", label, ".", suffix));
    out.push_back(concat("a.", host, label, ".", suffix));
  }
  out.push_back(label + "es." + suffix);  // plural "es"
  const std::string_view alphabet =
      exhaustive ? "abcdefghijklmnopqrstuvwxyz0123456789-._" : "aeo1-.";
  for (const std::string& e : single_edits(domain, alphabet)) {
    out.push_back(e);
    out.push_back("mail." + e);
    out.push_back("a.b." + e);
  }
  // a label edit together with a suffix edit (label+suffix combinations)
  for (const std::string& l : single_edits(label, "aeiu")) {
    for (const std::string& x :
         single_edits(suffix, exhaustive ? "abcdefghijklmnopqrstuvwxyz" : "lmo")) {
      out.push_back(concat(l, ".", x));
    }
  }
  return out;
}

std::vector<std::string> random_names(std::mt19937& rng, std::size_t n) {
  static const char* tlds[] = {"com", "net", "org", "de", "co.uk", "io", "ml", "mil", "fr"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string name;
    const std::size_t labels = 1 + rng() % 3;
    for (std::size_t k = 0; k < labels; ++k) {
      name += random_label(rng, 2, 14);
      if (rng() % 3 == 0) name += "-" + std::to_string(rng() % 1000);
      name += ".";
    }
    out.push_back(name + tlds[rng() % std::size(tlds)]);
  }
  return out;
}

/// Checks the screen on 50,000 random names, then that more than 20,000 look-alikes were
/// checked in all and that the screen cleared at least 90 % of the random names that are clean.
void check_clears_random_names(const tg::Snapshot& s, std::mt19937& rng, Tally& tally) {
  const std::size_t clean_before = tally.plain_clean;
  const std::size_t out_before = tally.clean_screened_out;
  check_screen(s, random_names(rng, 50000), tally);
  const std::size_t clean = tally.plain_clean - clean_before;
  const std::size_t cleared = tally.clean_screened_out - out_before;
  INFO("look-alikes " << tally.plain_lookalikes << "; random clean names " << clean
                      << ", screened out " << cleared);
  CHECK(tally.plain_lookalikes > 20000);
  CHECK(cleared * 100 >= clean * 90);
}

}  // namespace

TEST_CASE("screen: the fingerprint set never misses a hash it holds", "[screen]") {
  tg::FingerprintSet empty;
  CHECK_FALSE(empty.contains(0));
  CHECK_FALSE(empty.contains(12345));
  std::mt19937_64 rng(2);
  std::vector<std::uint64_t> in;
  in.reserve(50002);
  for (int i = 0; i < 50000; ++i) in.push_back(rng());
  in.push_back(0);
  in.push_back(in[10]);  // a duplicate
  tg::FingerprintSet set;
  set.build(in);
  for (const std::uint64_t h : in) CHECK(set.contains(h));
  std::size_t false_yes = 0;
  for (int i = 0; i < 200000; ++i) false_yes += set.contains(rng()) ? 1U : 0U;
  CHECK(false_yes <= 20);  // 16-bit fingerprints: about 1 in 10^5
  // a third full, in one 2 MiB huge page (the table is past HugePageAllocator's threshold)
  CHECK(set.memory_bytes() ==
        tg::HugePageAllocator<std::uint16_t>::footprint(in.size() * 3 * sizeof(std::uint16_t)));
  CHECK(set.memory_bytes() == tg::HugePageAllocator<std::uint16_t>::kHuge);
  // structured input: the hashes of similar names, as the screen sees them
  std::vector<std::uint64_t> names;
  names.reserve(20000);
  for (int i = 0; i < 20000; ++i)
    names.push_back(tg::hash_bytes("name" + std::to_string(i) + ".com"));
  tg::FingerprintSet named;
  named.build(names);
  std::size_t named_false_yes = 0;
  for (int i = 20000; i < 220000; ++i) {
    named_false_yes +=
        named.contains(tg::hash_bytes("name" + std::to_string(i) + ".com")) ? 1U : 0U;
  }
  CHECK(named_false_yes <= 20);
}

TEST_CASE("screen: the prefix-length filter never misses a string it holds", "[screen]") {
  using Filter = tg::PrefixLengthFilter;
  const auto start = [](std::string_view s) {
    return tg::hash_bytes(s.substr(0, std::min(Filter::kPrefix, s.size())));
  };
  const Filter empty;
  CHECK_FALSE(Filter::has(empty.lengths(start("army.mil")), 8));
  std::mt19937 rng(3);
  std::vector<std::string> in;
  for (int i = 0; i < 30000; ++i) {
    std::string s;
    const std::size_t n = 1 + rng() % 70;  // past 63: the shared top bit
    for (std::size_t k = 0; k < n; ++k) s.push_back(static_cast<char>('a' + rng() % 26));
    in.push_back(s);
  }
  in.emplace_back("");
  Filter filter;
  for (const std::string& s : in) filter.add(s);
  filter.build();
  for (const std::string& s : in) CHECK(Filter::has(filter.lengths(start(s)), s.size()));
  CHECK(Filter::has(filter.lengths(start(in[0])), 200) ==
        Filter::has(filter.lengths(start(in[0])), 63));
  // Absent strings: the same starts with other lengths, and new starts; a few percent pass.
  const std::set<std::string> held(in.begin(), in.end());
  std::size_t passed = 0;
  std::size_t asked = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const std::size_t n = 4 + rng() % 20;
    for (std::size_t k = 0; k < n; ++k) s.push_back(static_cast<char>('a' + rng() % 26));
    if (held.contains(s)) continue;
    ++asked;
    passed += Filter::has(filter.lengths(start(s)), s.size()) ? 1U : 0U;
  }
  INFO("passed " << passed << " of " << asked);
  CHECK(passed * 100 <= asked * 10);
  CHECK(filter.memory_bytes() <= 32768 * sizeof(std::uint64_t));  // about two pairs a word
}

TEST_CASE("screen: large tables are 2 MiB-aligned huge-page mappings, small ones are not",
          "[screen]") {
  using Alloc = tg::HugePageAllocator<std::uint64_t>;
  constexpr std::size_t kLarge = (3 << 20U) / sizeof(std::uint64_t);  // 3 MiB: two huge pages
  tg::HugePageVector<std::uint64_t> large(kLarge, 7);
  CHECK(reinterpret_cast<std::uintptr_t>(large.data()) % Alloc::kHuge == 0);
  large.back() = 9;  // the whole block is mapped and writable
  CHECK(large.front() == 7);
  CHECK(large.back() == 9);
  CHECK(Alloc::footprint(kLarge * sizeof(std::uint64_t)) == 2 * Alloc::kHuge);
  CHECK(Alloc::footprint(Alloc::kThreshold - 8) == Alloc::kThreshold - 8);
  tg::HugePageVector<std::uint64_t> small(16, 1);
  CHECK(small[15] == 1);
  large.assign(kLarge / 2, 3);  // shrinking keeps the block; growing past it remaps
  CHECK(large[0] == 3);
  large.assign(kLarge * 2, 4);
  CHECK(reinterpret_cast<std::uintptr_t>(large.data()) % Alloc::kHuge == 0);
  CHECK(large[kLarge * 2 - 1] == 4);
}

TEST_CASE("screen: ASCII visual keys equal key(), label by label", "[screen]") {
  const tg::HomoglyphTable& t = tg::HomoglyphTable::instance();
  std::mt19937 rng(3);
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.rnmvwli1";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    std::string out(s.size(), '\0');
    out.resize(t.ascii_key(s, out.data()));
    INFO(s);
    CHECK(out == t.key(s));
  }
  CHECK(t.key("arrny.mil") == t.key("army.mil"));
  std::string joined;
  for (const char* label : {"rnail", "ill", "vvww"}) {
    if (!joined.empty()) joined += '.';
    joined += t.key(label);
  }
  CHECK(t.key("rnail.ill.vvww") == joined);
  // PlainName keys the name as it reads it: the whole key, each label's and each tail's
  for (int i = 0; i < 3000; ++i) {
    std::string name;
    const std::size_t labels = 1 + rng() % 4;
    for (std::size_t k = 0; k < labels; ++k) {
      if (k > 0) name += '.';
      const std::size_t size = 1 + rng() % 12;
      for (std::size_t c = 0; c < size; ++c) name += "abcilmnorvw01-_"[rng() % 15];
    }
    const auto wire = to_wire(name);
    tg::PlainName n;
    REQUIRE(n.read(wire.data(), wire.size(), t));
    INFO(name);
    CHECK(n.key() == t.key(name));
    CHECK(n.key_hashes().hash(0, n.key().size()) == tg::hash_bytes(t.key(name)));
    CHECK(n.hashes().hash(0, n.text().size()) == tg::hash_bytes(name));
    for (std::size_t k = 0; k < n.label_count(); ++k) {
      const std::string tail_key = t.key(n.tail(k));
      CHECK(n.key().substr(n.key_start(k)) == tail_key);
      CHECK(n.key_hashes().hash(n.key_start(k), n.key().size()) == tg::hash_bytes(tail_key));
      const std::string label_key = t.key(n.label(k));
      CHECK(n.key_hashes().hash(n.key_start(k), n.key_start(k + 1) - 1) ==
            tg::hash_bytes(label_key));
    }
  }
}

TEST_CASE("screen: never hides a look-alike of the vector policy", "[screen]") {
  const auto s = tg::test::vector_snapshot();
  Tally tally;
  std::vector<std::string> names;
  for (const char* csv : {"detection.csv", "negatives.csv", "robustness.csv"}) {
    const std::vector<std::string> rows = vector_names(csv);
    REQUIRE(rows.size() > 10);
    names.insert(names.end(), rows.begin(), rows.end());
  }
  check_screen(*s, names, tally);
  for (const char* domain : {"army.mil", "navy.mil", "af.mil", "gmail.com", "yahoo.com",
                             "hotmail.com", "outlook.com", "mod.gov.uk"}) {
    check_screen(*s, names_around(*s, domain, true), tally);
  }
  std::mt19937 rng(4);
  check_clears_random_names(*s, rng, tally);
}

TEST_CASE("screen: never hides a look-alike of 2,000 synthetic domains, all techniques on",
          "[screen]") {
  const auto s = synthetic_snapshot(2000);
  Tally tally;
  const auto& entries = s->policy().protected_domains;
  for (std::size_t i = 0; i < entries.size(); i += 50) {
    check_screen(*s, names_around(*s, entries[i].name, i % 200 == 0), tally);
  }
  std::mt19937 rng(5);
  // random one- and two-edit mutations of protected names, with and without a host label
  std::vector<std::string> mutated;
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-.";
  for (int i = 0; i < 40000; ++i) {
    std::string name = entries[rng() % entries.size()].name;
    for (int e = 0; e < 1 + static_cast<int>(rng() % 2); ++e) {
      const std::size_t at = rng() % name.size();
      switch (rng() % 3) {
        case 0:
          name.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          name.erase(at, 1);
          break;
        default:
          name[at] = alphabet[rng() % alphabet.size()];
      }
    }
    mutated.push_back(rng() % 2 == 0 ? name : "www." + name);
  }
  check_screen(*s, mutated, tally);
  check_clears_random_names(*s, rng, tally);
}

TEST_CASE("screen: names that are not plain always go to classify()", "[screen]") {
  const auto s = tg::test::vector_snapshot();
  for (const char* text : {"xn--rmy-5cd.mil", "xn--80ak6aa92e.com", "a b.com", "ex*ample.com"}) {
    const auto wire = to_wire(text);
    INFO(text);
    CHECK(s->may_be_lookalike(wire.data(), wire.size()));
  }
  const std::uint8_t root[] = {0};
  CHECK(s->may_be_lookalike(root, sizeof root));
  CHECK(s->may_be_lookalike(nullptr, 0));
  const auto clean = to_wire("www.example.com");
  CHECK_FALSE(s->may_be_lookalike(clean.data(), clean.size()));
  const auto army = to_wire("ARMY.ML");
  CHECK(s->may_be_lookalike(army.data(), army.size()));
}
