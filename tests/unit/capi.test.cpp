// SPDX-License-Identifier: BSD-3-Clause
// The C interface as module/ will use it: open, evaluate, reload (good and bad), close.
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "catch_compat.hpp"
#include "temp_dir.hpp"
#include "typoguard/typoguard.h"

extern "C" int tg_header_check_evaluate(const tg_engine* engine, const std::uint8_t client_v4[4]);

namespace {

const std::uint8_t kArmyMl[] = {4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
const std::uint8_t kArmyMil[] = {4, 'a', 'r', 'm', 'y', 3, 'm', 'i', 'l', 0};
constexpr std::uint16_t kMx = 15;
constexpr std::uint16_t kTxt = 16;

// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): the four octets, in order
tg_client v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  tg_client client{};
  client.address[0] = a;
  client.address[1] = b;
  client.address[2] = c;
  client.address[3] = d;
  return client;
}

struct EngineCloser {
  void operator()(tg_engine* e) const noexcept { tg_engine_close(e); }
};
using Engine = std::unique_ptr<tg_engine, EngineCloser>;

Engine open_default() {
  tg_engine* e = nullptr;
  std::array<char, 512> error{};
  REQUIRE(tg_engine_open(TG_BUILTIN_DEMO_POLICY, &e, error.data(), error.size()) == TG_OK);
  REQUIRE(e != nullptr);
  return Engine(e);
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::trunc);
  out << text;
}

}  // namespace

TEST_CASE("the embedded demo policy blocks army.ml for the demo's mail servers", "[capi]") {
  const Engine engine = open_default();
  const tg_client mail = v4(127, 0, 0, 2);
  const tg_client other = v4(127, 0, 0, 1);
  tg_verdict v{};

  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, &mail, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);
  CHECK(v.lookalike == 1);
  CHECK(v.in_scope == 1);
  CHECK(v.watched == 1);
  CHECK(v.client_index == 0);
  CHECK(std::string(v.protected_domain) == "army.mil");
  CHECK(std::string(v.technique_name) == "suffix-typo");
  CHECK(std::string(v.ede_text) == "typoguard: look-alike of army.mil (suffix-typo)");
  CHECK(v.ttl > 0);
  CHECK(std::string(v.soa_mname).size() > 0);

  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, &other, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_PASS);
  CHECK(v.lookalike == 1);  // still kept out of caches
  CHECK(v.in_scope == 0);

  const tg_client both[] = {other, mail};
  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, both, 2, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);
  CHECK(v.client_index == 1);

  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kTxt, &mail, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_PASS);  // TXT is not watched
  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, nullptr, 0, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_PASS);  // internal look-up
  REQUIRE(tg_evaluate(engine.get(), kArmyMil, sizeof kArmyMil, kMx, &mail, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_PASS);
  CHECK(v.lookalike == 0);

  CHECK(tg_is_lookalike(engine.get(), kArmyMl, sizeof kArmyMl) == 1);
  CHECK(tg_is_lookalike(engine.get(), kArmyMil, sizeof kArmyMil) == 0);
  const std::uint8_t mail_v4[4] = {127, 0, 0, 3};
  CHECK(tg_header_check_evaluate(engine.get(), mail_v4) == TG_ACTION_NXDOMAIN);
}

TEST_CASE("no policy is implicit: NULL and \"\" fail, builtin:demo names the demo policy",
          "[capi]") {
  const Engine demo = open_default();
  std::array<char, 512> error{};
  for (const char* none : {static_cast<const char*>(nullptr), ""}) {
    tg_engine* e = demo.get();  // overwritten with NULL on failure
    error.fill('\0');
    CHECK(tg_engine_open(none, &e, error.data(), error.size()) == TG_ERR_ARGUMENT);
    CHECK(e == nullptr);
    const std::string text(error.data());
    CHECK(text.find("no policy named") != std::string::npos);
    CHECK(text.find(TG_BUILTIN_DEMO_POLICY) != std::string::npos);
    CHECK(tg_engine_open(none, &e, nullptr, 0) == TG_ERR_ARGUMENT);  // no error buffer: fine
    e = demo.get();
    CHECK(tg_engine_open_last_good(none, &e) == TG_ERR_ARGUMENT);
    CHECK(e == nullptr);
  }

  tg_engine* other = nullptr;
  CHECK(tg_engine_open("builtin:default", &other, error.data(), error.size()) == TG_ERR_POLICY);
  CHECK(other == nullptr);
  CHECK(std::string(error.data()).find("the only one is builtin:demo") != std::string::npos);
  CHECK(std::string(TG_BUILTIN_DEMO_POLICY) == "builtin:demo");

  std::array<char, 512> text{};
  REQUIRE(tg_engine_describe(demo.get(), text.data(), text.size()) == TG_OK);
  CHECK(std::string(text.data()).starts_with("builtin:demo (revision embedded-default-"));
  CHECK(std::string(text.data()).find("; public suffixes from ") != std::string::npos);
  const tg_client mail = v4(127, 0, 0, 2);
  tg_verdict v{};
  REQUIRE(tg_evaluate(demo.get(), kArmyMl, sizeof kArmyMl, kMx, &mail, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);
  CHECK(tg_engine_reload(demo.get(), error.data(), error.size()) == TG_OK);  // the same text

  // The last good policy of the name, as a resolver's reload asks for it.
  tg_engine* again = nullptr;
  REQUIRE(tg_engine_open_last_good(TG_BUILTIN_DEMO_POLICY, &again) == TG_OK);
  const Engine kept(again);
  REQUIRE(tg_evaluate(kept.get(), kArmyMl, sizeof kArmyMl, kMx, &mail, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);
}

TEST_CASE("bad arguments and bad names never crash", "[capi]") {
  const Engine engine = open_default();
  tg_verdict v{};
  CHECK(tg_evaluate(nullptr, kArmyMl, sizeof kArmyMl, kMx, nullptr, 0, &v) == TG_ERR_ARGUMENT);
  CHECK(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, nullptr, 0, nullptr) ==
        TG_ERR_ARGUMENT);
  CHECK(tg_evaluate(engine.get(), nullptr, 4, kMx, nullptr, 0, &v) == TG_ERR_ARGUMENT);
  const std::uint8_t truncated[] = {10, 'a'};
  CHECK(tg_evaluate(engine.get(), truncated, sizeof truncated, kMx, nullptr, 0, &v) == TG_OK);
  CHECK(tg_evaluate(engine.get(), nullptr, 0, kMx, nullptr, 0, &v) == TG_OK);
  CHECK(tg_is_lookalike(nullptr, kArmyMl, sizeof kArmyMl) == 0);
  CHECK(tg_engine_open(nullptr, nullptr, nullptr, 0) == TG_ERR_ARGUMENT);
  tg_engine_close(nullptr);
  CHECK(std::string(tg_strerror(TG_ERR_POLICY)) == "policy error");
  std::array<char, 256> text{};
  CHECK(tg_engine_describe(engine.get(), text.data(), text.size()) == TG_OK);
  CHECK(std::string(text.data()).find("protected domains") != std::string::npos);
  std::array<char, 8> tiny{};
  CHECK(tg_engine_describe(engine.get(), tiny.data(), tiny.size()) == TG_OK);
  CHECK(std::string(tiny.data()).size() == 7);  // truncated, terminated
}

TEST_CASE("reload swaps a good policy in and keeps the last good one on error", "[capi]") {
  const tg::test::TempDir dir("tg-capi");
  const auto file = dir.path() / "policy.json";
  write(file, R"({"typoguard:policy": {"protected-domain": [{"name": "army.mil"}]}})");
  tg_engine* raw = nullptr;
  std::array<char, 512> error{};
  REQUIRE(tg_engine_open(file.c_str(), &raw, error.data(), error.size()) == TG_OK);
  const Engine engine(raw);
  const tg_client anyone = v4(192, 0, 2, 1);
  tg_verdict v{};
  const std::uint8_t gmail_om[] = {5, 'g', 'm', 'a', 'i', 'l', 2, 'o', 'm', 0};
  REQUIRE(tg_evaluate(engine.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
  CHECK(v.lookalike == 0);

  write(
      file,
      R"({"typoguard:policy": {"protected-domain": [{"name": "army.mil"}, {"name": "gmail.com"}]}})");
  REQUIRE(tg_engine_reload(engine.get(), error.data(), error.size()) == TG_OK);
  REQUIRE(tg_evaluate(engine.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);  // no scope groups: every client is in scope

  write(file, R"({"typoguard:policy": {"protected-domain": [{"name": "Gmail.com"}]}})");
  CHECK(tg_engine_reload(engine.get(), error.data(), error.size()) == TG_ERR_POLICY);
  CHECK(std::string(error.data()).find("policy.json") != std::string::npos);
  REQUIRE(tg_evaluate(engine.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);  // the last good policy is still in force

  std::filesystem::remove(file);
  CHECK(tg_engine_reload(engine.get(), error.data(), error.size()) == TG_ERR_POLICY);
  REQUIRE(tg_evaluate(engine.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
  CHECK(v.action == TG_ACTION_NXDOMAIN);

  tg_engine* none = nullptr;
  CHECK(tg_engine_open(file.c_str(), &none, error.data(), error.size()) == TG_ERR_POLICY);
  CHECK(none == nullptr);
}

TEST_CASE("one thread alternating between engines sees each engine's own policy", "[capi]") {
  const tg::test::TempDir dir("tg-capi-two");
  const auto gmail = dir.path() / "gmail.json";
  write(gmail, R"({"typoguard:policy": {"protected-domain": [{"name": "gmail.com"}]}})");
  std::array<char, 512> error{};
  const std::uint8_t army_ml[] = {4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
  const std::uint8_t gmail_om[] = {5, 'g', 'm', 'a', 'i', 'l', 2, 'o', 'm', 0};
  const tg_client anyone = v4(192, 0, 2, 1);
  tg_verdict v{};
  for (int round = 0; round < 3; ++round) {  // engines closed and opened again, maybe at the
    const Engine mil = open_default();       // same addresses: no answer may come from another
    tg_engine* raw = nullptr;
    REQUIRE(tg_engine_open(gmail.c_str(), &raw, error.data(), error.size()) == TG_OK);
    const Engine com(raw);
    for (int i = 0; i < 3; ++i) {
      CHECK(tg_may_be_lookalike(mil.get(), army_ml, sizeof army_ml) == 1);
      CHECK(tg_is_lookalike(com.get(), army_ml, sizeof army_ml) == 0);
      CHECK(tg_may_be_lookalike(com.get(), gmail_om, sizeof gmail_om) == 1);
      REQUIRE(tg_evaluate(mil.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
      CHECK(v.lookalike == 0);
      REQUIRE(tg_evaluate(com.get(), gmail_om, sizeof gmail_om, kMx, &anyone, 1, &v) == TG_OK);
      CHECK(v.lookalike == 1);
    }
  }
}

TEST_CASE("evaluate while another thread reloads", "[capi][threads]") {
  const Engine engine = open_default();
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      const tg_client mail = v4(127, 0, 0, 2);
      tg_verdict v{};
      while (!stop.load()) {
        if (tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, &mail, 1, &v) != TG_OK ||
            v.action != TG_ACTION_NXDOMAIN) {
          ++wrong;
        }
      }
    });
  }
  std::array<char, 256> error{};
  for (int i = 0; i < 20; ++i)
    CHECK(tg_engine_reload(engine.get(), error.data(), error.size()) == TG_OK);
  stop = true;
  for (std::thread& t : readers) t.join();
  CHECK(wrong.load() == 0);
}
