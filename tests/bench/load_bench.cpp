// SPDX-License-Identifier: BSD-3-Clause
// Policy load + compile for N protected domains, in a fresh process so that its peak RSS is
// the cost of the policy alone: JSON text -> libyang parse and validation -> semantic checks ->
// typed Policy -> compiled Snapshot. Prints one line of figures.
// Usage: tg_load_bench N
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include <sys/resource.h>

#include "config/loader.hpp"
#include "engine/snapshot.hpp"
#include "name/homoglyph.hpp"
#include "name/psl.hpp"

namespace {

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string policy_json(std::size_t n) {
  constexpr const char* kSuffixes[] = {"com",   "net", "org", "mil", "gov",
                                       "co.uk", "de",  "fr",  "io",  "com.au"};
  std::mt19937 rng(20261123);
  const std::string consonants = "bcdfghjklmnprstvwz";
  const std::string vowels = "aeiou";
  std::string json = R"({"typoguard:policy": {"mode": "enforce", "protected-domain": [)";
  std::size_t made = 0;
  while (made < n) {
    const std::size_t len = 5 + rng() % 8;
    std::string label;
    for (std::size_t i = 0; i < len; ++i) {
      const std::string& set = (i % 2 == 0) ? consonants : vowels;
      label.push_back(set[rng() % set.size()]);
    }
    // a serial keeps names unique without a set
    label += std::to_string(made);
    json += made == 0 ? "" : ",";
    json += R"({"name": ")" + label + "." + kSuffixes[rng() % std::size(kSuffixes)] + R"("})";
    ++made;
  }
  json += R"(], "blocked-suffix": [{"name": "ml", "reason": "benchmark"}]}})";
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::string text = policy_json(n);
  // Start-up tables every process needs whatever the policy (PSL, confusables): measured apart.
  const auto t0 = std::chrono::steady_clock::now();
  (void)tg::PublicSuffixList::instance();
  (void)tg::HomoglyphTable::instance();
  const long rss_tables = max_rss_kib();
  const auto t1 = std::chrono::steady_clock::now();
  tg::LoadResult loaded = tg::load_policy_text(text, tg::PolicyFormat::Json, "<benchmark>");
  const auto t2 = std::chrono::steady_clock::now();
  if (!loaded.ok()) {
    std::fprintf(stderr, "load failed: %s\n", loaded.errors.front().to_string().c_str());
    return 1;
  }
  const auto snapshot = tg::Snapshot::compile(std::move(*loaded.policy));
  const auto t3 = std::chrono::steady_clock::now();
  const long rss_end = max_rss_kib();
  const auto ms = [](auto a, auto b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::printf(
      "protected=%zu startup_tables_ms=%.1f load_ms=%.1f compile_ms=%.1f load_plus_compile_ms=%.1f "
      "rss_after_tables_MiB=%.1f rss_peak_MiB=%.1f policy_rss_MiB=%.1f\n",
      n, ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t1, t3), static_cast<double>(rss_tables) / 1024.0,
      static_cast<double>(rss_end) / 1024.0, static_cast<double>(rss_end - rss_tables) / 1024.0);
  return snapshot->policy().protected_domains.size() == n ? 0 : 1;
}
