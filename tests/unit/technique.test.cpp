// SPDX-License-Identifier: BSD-3-Clause
// The YANG module's technique enumeration against the engine's technique names: a technique
// added on one side only must fail here (the loader would otherwise drop it silently).
#include "model/technique.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <libyang/libyang.h>

#include "catch_compat.hpp"
#include "config/yang_module.hpp"

namespace {

struct ContextDeleter {
  void operator()(ly_ctx* ctx) const noexcept { ly_ctx_destroy(ctx); }
};

/// name -> value of every `enum` of `typedef technique` in the compiled-in YANG text, parsed
/// by libyang as the loader does. Fails the test (REQUIRE) when the module or the typedef is
/// not there.
std::map<std::string, std::int64_t> yang_techniques() {
  ly_ctx* raw = nullptr;
  REQUIRE(ly_ctx_new(nullptr, LY_CTX_DISABLE_SEARCHDIRS | LY_CTX_NO_YANGLIBRARY, &raw) ==
          LY_SUCCESS);
  const std::unique_ptr<ly_ctx, ContextDeleter> ctx(raw);
  lys_module* module = nullptr;
  REQUIRE(lys_parse_mem(ctx.get(), tg::yang_module_text().data(), LYS_IN_YANG, &module) ==
          LY_SUCCESS);
  REQUIRE(module != nullptr);
  REQUIRE(module->parsed != nullptr);
  const lysp_tpdf* technique = nullptr;
  const lysp_tpdf* typedefs = module->parsed->typedefs;
  for (LY_ARRAY_COUNT_TYPE i = 0; i < LY_ARRAY_COUNT(typedefs); ++i) {
    if (std::string_view(typedefs[i].name) == "technique") technique = &typedefs[i];
  }
  REQUIRE(technique != nullptr);
  std::map<std::string, std::int64_t> out;
  const lysp_type_enum* enums = technique->type.enums;
  for (LY_ARRAY_COUNT_TYPE i = 0; i < LY_ARRAY_COUNT(enums); ++i) {
    const lysp_type_enum& e = enums[i];
    // Every enum states its value: the values are the enum's numbers, append-only.
    INFO("YANG enum " << e.name);
    CHECK((e.flags & LYS_SET_VALUE) != 0);
    out.emplace(e.name, e.value);
  }
  return out;
}

}  // namespace

TEST_CASE("the YANG technique enumeration lists exactly the engine's techniques", "[technique]") {
  const std::map<std::string, std::int64_t> yang = yang_techniques();
  REQUIRE_FALSE(yang.empty());

  // The engine's side: every Technique except None, and except blocked-suffix, which the YANG
  // module deliberately leaves out (it is driven by the blocked-suffix list, not chosen per
  // domain; the typedef's description says so).
  std::map<std::string, std::int64_t> engine;
  for (std::size_t i = 1; i < tg::kTechniqueCount; ++i) {
    const auto t = static_cast<tg::Technique>(i);
    if (t == tg::Technique::BlockedSuffix) continue;
    engine.emplace(std::string(tg::technique_name(t)), static_cast<std::int64_t>(i));
  }

  for (const auto& [name, value] : engine) {
    INFO("technique '" << name << "' (engine value " << value << ")");
    const auto it = yang.find(name);
    if (it == yang.end()) {
      FAIL_CHECK("'" << name
                     << "' is in the engine (tg::technique_name) but missing from the "
                        "YANG module's technique enumeration");
    } else {
      CHECK(it->second == value);
    }
  }
  for (const auto& [name, value] : yang) {
    if (engine.count(name) == 0) {
      FAIL_CHECK("'" << name << "' (value " << value
                     << ") is in the YANG module's technique enumeration but missing from the "
                        "engine (tg::technique_name)");
    }
  }

  INFO("blocked-suffix is driven by the blocked-suffix list and must not be a YANG technique");
  CHECK(yang.count(std::string(tg::technique_name(tg::Technique::BlockedSuffix))) == 0);
}

TEST_CASE("technique names and numbers round-trip, and kPrecedence lists each once",
          "[technique]") {
  std::map<tg::Technique, int> seen;
  for (const tg::Technique t : tg::kPrecedence) ++seen[t];
  for (std::size_t i = 1; i < tg::kTechniqueCount; ++i) {
    const auto t = static_cast<tg::Technique>(i);
    const std::string_view name = tg::technique_name(t);
    INFO("technique value " << i << " '" << name << "'");
    CHECK(name != "none");
    CHECK(tg::technique_from_name(name) == t);
    CHECK(seen[t] == 1);
  }
  CHECK(seen.count(tg::Technique::None) == 0);
  CHECK_FALSE(tg::technique_from_name("none").has_value());
}
