// SPDX-License-Identifier: BSD-3-Clause
// libFuzzer target: policy loading (libyang parse + YANG validation + semantic checks).
//   input = [format: 1 byte, bit 0: 0 JSON, 1 XML][policy text]
// A policy that loads must compile into a Snapshot (the loader rejects what cannot be indexed,
// so Snapshot::compile throwing is a finding: the exception escapes and aborts) and classify.
// A result is never both a policy and errors, nor neither. All inputs share one compiled
// libyang context (tg::PolicyLoader).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "engine/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const tg::PolicyFormat format =
      (data[0] & 1) != 0 ? tg::PolicyFormat::Xml : tg::PolicyFormat::Json;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // One compiled libyang context for every input: a fresh one costs ~15 ms, the parse itself
  // far less (the loader test checks that reuse changes no result).
  static tg::PolicyLoader loader;
  tg::LoadResult r = loader.load_text(text, format, "<fuzz>");
  if (r.ok() == !r.errors.empty()) __builtin_trap();
  for (const tg::PolicyError& e : r.errors) {
    if (e.to_string().empty()) __builtin_trap();
  }
  if (!r.ok()) return 0;

  std::vector<std::string> names = {"army.ml",    "xn--rmy-5cd.mil", "mail.army.ml", "gmai1.com",
                                    "example.co", "a.b.c.d.e.f.g",   "ml",           "."};
  for (const tg::ProtectedDomain& d : r.policy->protected_domains) {
    if (names.size() > 40) break;
    names.push_back(d.name);
    names.push_back("www." + d.name + "m");  // suffix typo
    names.push_back(d.name.substr(1));       // omission
    std::string swapped = d.name;            // transposition
    if (swapped.size() > 2) std::swap(swapped[0], swapped[1]);
    names.push_back(swapped);
  }
  for (const tg::AllowEntry& a : r.policy->allow) {
    if (names.size() > 60) break;
    names.push_back("x." + a.name);
  }
  const auto snapshot = tg::Snapshot::compile(std::move(*r.policy));
  for (const std::string& n : names) {
    const tg::Match m = snapshot->classify(n);
    (void)m;
  }
  return 0;
}
