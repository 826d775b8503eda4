// SPDX-License-Identifier: BSD-3-Clause
// Google Benchmark programs for the engine: classify() against 10 .. 10,000 protected domains,
// and policy load + compile. Figures go to docs/performance.md (see tests/bench/run.sh).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "config/loader.hpp"
#include "engine/snapshot.hpp"
#include "variants/variants.hpp"

namespace {

constexpr const char* kSuffixes[] = {"com",   "net", "org", "mil", "gov",
                                     "co.uk", "de",  "fr",  "io",  "com.au"};

// Deterministic synthetic protected domains: pronounceable labels of 5..12 letters.
std::vector<std::string> synthetic_domains(std::size_t n) {
  std::mt19937 rng(20261123);
  const std::string consonants = "bcdfghjklmnprstvwz";
  const std::string vowels = "aeiou";
  std::vector<std::string> out;
  out.reserve(n);
  while (out.size() < n) {
    const std::size_t len = 5 + rng() % 8;
    std::string label;
    for (std::size_t i = 0; i < len; ++i) {
      const std::string& set = (i % 2 == 0) ? consonants : vowels;
      label.push_back(set[rng() % set.size()]);
    }
    out.push_back(label + "." + kSuffixes[rng() % std::size(kSuffixes)]);
  }
  return out;
}

tg::Policy synthetic_policy(std::size_t n) {
  tg::Policy p;
  for (const std::string& name : synthetic_domains(n)) {
    tg::ProtectedDomain d;
    d.name = name;
    d.techniques = tg::TechniqueSet::defaults();
    p.protected_domains.push_back(d);
  }
  p.blocked_suffixes.push_back({"ml", "benchmark", std::nullopt});
  return p;
}

// The query mix: 1/3 unrelated names, 1/3 look-alikes of protected domains, 1/3 names under
// protected domains or with several labels. The same mix for every policy size.
std::vector<std::string> query_mix(const tg::Snapshot& snapshot) {
  std::vector<std::string> names;
  std::mt19937 rng(7);
  for (const std::string& d : synthetic_domains(200)) names.push_back("www." + d + "x");
  const auto& domains = snapshot.policy().protected_domains;
  for (std::size_t i = 0; i < 200; ++i) {
    tg::VariantOptions o;
    o.homoglyph_limit = 5;
    const auto v = tg::variants(snapshot, domains[(i * 7919) % domains.size()].name, o);
    if (!v.empty()) names.push_back(v[rng() % v.size()].name);
  }
  for (std::size_t i = 0; i < 200; ++i) {
    names.push_back("mail." + domains[(i * 104729) % domains.size()].name);
  }
  names.emplace_back("army.ml");
  names.emplace_back("xn--rmy-5cd.mil");
  names.emplace_back("_25._tcp.mx1.example.com");
  return names;
}

// Times `call(name)` for every name on its own (best of 5 runs of 200 calls) and records the
// median, 90th and 99th percentile across names in the benchmark's counters.
template <class Names, class Call>
void per_name_percentiles(benchmark::State& state, const Names& names, Call&& call) {
  std::vector<double> per_name;
  for (auto _ : state) {
    per_name.clear();
    for (const auto& name : names) {
      double best = 1e18;
      for (int run = 0; run < 5; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 200; ++i) call(name);
        const auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / 200.0);
      }
      per_name.push_back(best);
    }
  }
  std::sort(per_name.begin(), per_name.end());
  const auto at = [&](double q) {
    return per_name[static_cast<std::size_t>(q * static_cast<double>(per_name.size() - 1))];
  };
  state.counters["median_ns"] = at(0.5);
  state.counters["p90_ns"] = at(0.9);
  state.counters["p99_ns"] = at(0.99);
}

/// The policy sizes every per-size benchmark runs: 10, 100, 1,000 and 10,000 protected domains.
void policy_sizes(benchmark::internal::Benchmark* b) {
  for (const int n : {10, 100, 1000, 10000}) b->Arg(n);
}

/// The per-name benchmarks time each name themselves: one iteration a size, in milliseconds.
void per_name_run(benchmark::internal::Benchmark* b) {
  policy_sizes(b);
  b->Iterations(1)->Unit(benchmark::kMillisecond);
}

// Per-name cost distribution: every name of the mix timed on its own (best of 5 runs of 200
// calls), then the median, 90th and 99th percentile across names. The target is on the median.
void BM_ClassifyPerName(benchmark::State& state) {
  const auto snapshot =
      tg::Snapshot::compile(synthetic_policy(static_cast<std::size_t>(state.range(0))));
  const std::vector<std::string> names = query_mix(*snapshot);
  per_name_percentiles(state, names, [&](const std::string& name) {
    benchmark::DoNotOptimize(snapshot->classify(name));
  });
  state.counters["names"] = static_cast<double>(names.size());
}
BENCHMARK(BM_ClassifyPerName)->Apply(per_name_run);

// Clean names in wire format, the kind the screen is for: random labels (some with a number,
// some under "www."), under the suffixes of the synthetic domains; look-alikes left out.
std::vector<std::vector<std::uint8_t>> clean_wire_names(const tg::Snapshot& snapshot,
                                                        std::size_t n) {
  std::mt19937 rng(99);
  const std::string letters = "abcdefghijklmnopqrstuvwxyz";
  std::vector<std::vector<std::uint8_t>> out;
  while (out.size() < n) {
    std::string label;
    const std::size_t len = 4 + rng() % 11;
    for (std::size_t i = 0; i < len; ++i) label.push_back(letters[rng() % letters.size()]);
    if (rng() % 2 == 0) label += "-" + std::to_string(rng() % 1000);
    std::string name = label + "." + kSuffixes[rng() % std::size(kSuffixes)];
    if (rng() % 3 == 0) name = "www." + name;
    if (snapshot.classify(name).is_lookalike()) continue;
    std::vector<std::uint8_t> wire;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = name.find('.', start);
      const std::string part = name.substr(start, dot == std::string::npos ? dot : dot - start);
      wire.push_back(static_cast<std::uint8_t>(part.size()));
      wire.insert(wire.end(), part.begin(), part.end());
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    wire.push_back(0);
    out.push_back(std::move(wire));
  }
  return out;
}

// The screen in front of classify() (Snapshot::may_be_lookalike, what the module asks first)
// on 500 clean names: per-name cost as for classify(), and the share it clears.
void BM_ScreenPerName(benchmark::State& state) {
  const auto snapshot =
      tg::Snapshot::compile(synthetic_policy(static_cast<std::size_t>(state.range(0))));
  const auto names = clean_wire_names(*snapshot, 500);
  per_name_percentiles(state, names, [&](const std::vector<std::uint8_t>& wire) {
    benchmark::DoNotOptimize(snapshot->may_be_lookalike(wire.data(), wire.size()));
  });
  std::size_t cleared = 0;
  for (const auto& wire : names)
    cleared += snapshot->may_be_lookalike(wire.data(), wire.size()) ? 0U : 1U;
  state.counters["cleared_pct"] =
      100.0 * static_cast<double>(cleared) / static_cast<double>(names.size());
}
BENCHMARK(BM_ScreenPerName)->Apply(per_name_run);

void BM_Classify(benchmark::State& state) {
  const auto snapshot =
      tg::Snapshot::compile(synthetic_policy(static_cast<std::size_t>(state.range(0))));
  const std::vector<std::string> names = query_mix(*snapshot);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(snapshot->classify(names[i]));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["names"] = static_cast<double>(names.size());
}
BENCHMARK(BM_Classify)->Apply(policy_sizes)->Unit(benchmark::kNanosecond);

void BM_Compile(benchmark::State& state) {
  const tg::Policy policy = synthetic_policy(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(tg::Snapshot::compile(policy));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["max_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_Compile)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
