// SPDX-License-Identifier: BSD-3-Clause
// The runtime half of the C interface as the module uses it inside a resolver: the policy
// watcher (swap, reject, missing file), events through tg_engine_record(), counters, and the
// last good policy for a reload whose file turned bad. Real files in a temp directory.
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch_compat.hpp"
#include "temp_dir.hpp"
#include "test_support.hpp"
#include "typoguard/typoguard.h"

namespace {

const std::uint8_t kArmyMl[] = {4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
const std::uint8_t kGmailOm[] = {5, 'g', 'm', 'a', 'i', 'l', 2, 'o', 'm', 0};
constexpr std::uint16_t kMx = 15;

struct EngineCloser {
  void operator()(tg_engine* e) const noexcept { tg_engine_close(e); }
};
using Engine = std::unique_ptr<tg_engine, EngineCloser>;

using tg::test::eventually;
using tg::test::replace_file;
using tg::test::TempDir;

/// What the runtime callbacks saw; shared with the engine's threads.
struct Observed {
  std::mutex mutex;
  std::vector<std::string> messages;
  std::atomic<int> swaps{0};

  bool saw(const std::string& needle) {
    const std::lock_guard lock(mutex);
    for (const auto& m : messages)
      if (m.find(needle) != std::string::npos) return true;
    return false;
  }
};

extern "C" void observe_log(void* arg, tg_log_level, const char* message) {
  auto* o = static_cast<Observed*>(arg);
  const std::lock_guard lock(o->mutex);
  o->messages.emplace_back(message);
}

extern "C" void observe_swap(void* arg, tg_engine*) { static_cast<Observed*>(arg)->swaps++; }

std::uint64_t generation(const tg_engine* e) {
  tg_stats s{};
  REQUIRE(tg_engine_stats(e, &s) == TG_OK);
  return s.policy_generation;
}

std::uint64_t policy_bytes(const tg_engine* e) {
  tg_stats s{};
  REQUIRE(tg_engine_stats(e, &s) == TG_OK);
  return s.policy_bytes;
}

int action_for_anyone(const tg_engine* e, const std::uint8_t* name, std::size_t len) {
  tg_client anyone{};
  anyone.address[0] = 192;
  anyone.address[2] = 2;
  tg_verdict v{};
  REQUIRE(tg_evaluate(e, name, len, kMx, &anyone, 1, &v) == TG_OK);
  return v.action;
}

const char* const kArmyOnly = R"({"typoguard:policy": {"revision": "one",
  "protected-domain": [{"name": "army.mil"}]}})";
const char* const kArmyAndGmail = R"({"typoguard:policy": {"revision": "two",
  "protected-domain": [{"name": "army.mil"}, {"name": "gmail.com"}]}})";

}  // namespace

TEST_CASE("the watcher swaps a changed policy in, rejects a bad one, survives a missing file",
          "[capi][runtime]") {
  const TempDir dir("tg-watch");
  const auto file = dir.path() / "policy.json";
  replace_file(file, kArmyOnly);
  tg_engine* raw = nullptr;
  std::array<char, 512> error{};
  REQUIRE(tg_engine_open(file.c_str(), &raw, error.data(), error.size()) == TG_OK);
  const Engine engine(raw);
  Observed seen;
  tg_runtime rt{};
  rt.log = &observe_log;
  rt.log_arg = &seen;
  rt.on_swap = &observe_swap;
  rt.swap_arg = &seen;
  rt.watch_interval_ms = 50;
  REQUIRE(tg_engine_start(engine.get(), &rt, error.data(), error.size()) == TG_OK);
  CHECK(tg_engine_start(engine.get(), &rt, error.data(), error.size()) == TG_ERR_ARGUMENT);
  CHECK(generation(engine.get()) == 1);
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_PASS);
  const std::uint64_t one_domain = policy_bytes(engine.get());
  CHECK(one_domain > 1000);

  replace_file(file, kArmyAndGmail);
  REQUIRE(eventually([&] { return seen.swaps.load() == 1; }));
  CHECK(generation(engine.get()) == 2);
  CHECK(policy_bytes(engine.get()) > one_domain);  // the policy in force, not the first one
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_NXDOMAIN);
  CHECK(seen.saw("revision two"));

  // Written in place and cut short, as a crashed editor would leave it.
  {
    std::ofstream out(file, std::ios::trunc);
    out << R"({"typoguard:policy": {"protected-domain": [{"na)";
  }
  REQUIRE(eventually([&] { return seen.saw("changed policy file rejected"); }));
  CHECK(seen.saw("policy.json"));  // the message names the file
  CHECK(seen.swaps.load() == 1);
  CHECK(generation(engine.get()) == 2);
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_NXDOMAIN);

  std::filesystem::remove(file);
  REQUIRE(eventually([&] { return seen.saw("cannot be read"); }));
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_NXDOMAIN);

  replace_file(file, kArmyOnly);
  REQUIRE(eventually([&] { return seen.swaps.load() == 2; }));
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_PASS);
  tg_stats s{};
  REQUIRE(tg_engine_stats(engine.get(), &s) == TG_OK);
  CHECK(s.reloads == 2);
  CHECK(s.reload_failures == 2);
}

TEST_CASE("events reach the file named by the runtime, and only when a log is configured",
          "[capi][runtime]") {
  const TempDir dir("tg-events");
  const auto events = dir.path() / "events.jsonl";
  tg_engine* raw = nullptr;
  std::array<char, 512> error{};
  REQUIRE(tg_engine_open(TG_BUILTIN_DEMO_POLICY, &raw, error.data(), error.size()) == TG_OK);
  Engine engine(raw);

  tg_client mail{};
  mail.address[0] = 127;
  mail.address[3] = 2;
  mail.port = 40000;
  tg_verdict v{};
  REQUIRE(tg_evaluate(engine.get(), kArmyMl, sizeof kArmyMl, kMx, &mail, 1, &v) == TG_OK);
  REQUIRE(v.action == TG_ACTION_NXDOMAIN);
  tg_event ev{};
  ev.qname = kArmyMl;
  ev.qname_len = sizeof kArmyMl;
  ev.qtype = kMx;
  ev.qclass = 1;
  ev.client = &mail;
  ev.rcode = 3;
  ev.answer = TG_ANSWER_NXDOMAIN;
  ev.verdict = &v;

  // Not started: nothing is recorded, nothing counted.
  CHECK(tg_engine_record(engine.get(), &ev) == TG_OK);
  tg_stats s{};
  REQUIRE(tg_engine_stats(engine.get(), &s) == TG_OK);
  CHECK(s.events_queued == 0);
  CHECK(tg_engine_record(engine.get(), nullptr) == TG_ERR_ARGUMENT);
  tg_event no_verdict = ev;
  no_verdict.verdict = nullptr;
  CHECK(tg_engine_record(engine.get(), &no_verdict) == TG_ERR_ARGUMENT);

  tg_runtime rt{};
  const std::string path = events.string();
  rt.event_log_path = path.c_str();
  REQUIRE(tg_engine_start(engine.get(), &rt, error.data(), error.size()) == TG_OK);
  for (int i = 0; i < 5; ++i) CHECK(tg_engine_record(engine.get(), &ev) == TG_OK);
  REQUIRE(tg_engine_stats(engine.get(), &s) == TG_OK);
  CHECK(s.events_queued == 5);
  engine.reset();  // close flushes and joins

  std::ifstream in(events);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].find("army.mil") != std::string::npos);
  CHECK(lines[0].find("127.0.0.2") != std::string::npos);
}

TEST_CASE("an engine on the last good policy of a file that turned bad", "[capi][runtime]") {
  const TempDir dir("tg-last-good");
  const auto file = dir.path() / "policy.json";
  const auto other = dir.path() / "other.json";
  replace_file(file, kArmyAndGmail);
  std::array<char, 512> error{};
  tg_engine* raw = nullptr;
  REQUIRE(tg_engine_open(file.c_str(), &raw, error.data(), error.size()) == TG_OK);
  tg_engine_close(raw);  // as at a reload: the old engine is gone

  replace_file(file, R"({"typoguard:policy": {"protected-domain": [{"name": "Gmail.com"}]}})");
  raw = nullptr;
  CHECK(tg_engine_open(file.c_str(), &raw, error.data(), error.size()) == TG_ERR_POLICY);
  CHECK(raw == nullptr);
  REQUIRE(tg_engine_open_last_good(file.c_str(), &raw) == TG_OK);
  const Engine engine(raw);
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_NXDOMAIN);
  std::array<char, 512> description{};
  REQUIRE(tg_engine_describe(engine.get(), description.data(), description.size()) == TG_OK);
  CHECK(std::string(description.data()).find("revision two") != std::string::npos);

  tg_engine* none = nullptr;
  CHECK(tg_engine_open_last_good(other.c_str(), &none) == TG_ERR_POLICY);
  CHECK(none == nullptr);
  CHECK(tg_engine_open_last_good(file.c_str(), nullptr) == TG_ERR_ARGUMENT);

  // The repaired file is picked up by the watcher of the last-good engine.
  Observed seen;
  tg_runtime rt{};
  rt.log = &observe_log;
  rt.log_arg = &seen;
  rt.on_swap = &observe_swap;
  rt.swap_arg = &seen;
  rt.watch_interval_ms = 50;
  REQUIRE(tg_engine_start(engine.get(), &rt, error.data(), error.size()) == TG_OK);
  replace_file(file, kArmyOnly);
  REQUIRE(eventually([&] { return seen.swaps.load() == 1; }));
  CHECK(action_for_anyone(engine.get(), kGmailOm, sizeof kGmailOm) == TG_ACTION_PASS);
}

TEST_CASE("close joins the threads while events are being recorded", "[capi][runtime][threads]") {
  const TempDir dir("tg-close");
  const std::string path = (dir.path() / "events.jsonl").string();
  for (int round = 0; round < 20; ++round) {
    tg_engine* raw = nullptr;
    std::array<char, 512> error{};
    REQUIRE(tg_engine_open(TG_BUILTIN_DEMO_POLICY, &raw, error.data(), error.size()) == TG_OK);
    tg_runtime rt{};
    rt.event_log_path = path.c_str();
    rt.event_queue_size = 16;
    REQUIRE(tg_engine_start(raw, &rt, error.data(), error.size()) == TG_OK);
    tg_verdict v{};
    REQUIRE(tg_evaluate(raw, kArmyMl, sizeof kArmyMl, kMx, nullptr, 0, &v) == TG_OK);
    tg_event ev{};
    ev.qname = kArmyMl;
    ev.qname_len = sizeof kArmyMl;
    ev.qtype = kMx;
    ev.verdict = &v;
    std::vector<std::thread> writers;
    writers.reserve(2);
    std::atomic<int> failures{0};  // Catch2 v2 assertions are not thread-safe: count, then CHECK
    for (int t = 0; t < 2; ++t)
      writers.emplace_back([&] {
        for (int i = 0; i < 200; ++i)
          if (tg_engine_record(raw, &ev) != TG_OK) failures++;
      });
    for (auto& w : writers) w.join();
    CHECK(failures.load() == 0);
    tg_stats s{};
    REQUIRE(tg_engine_stats(raw, &s) == TG_OK);
    CHECK(s.events_queued + s.events_dropped >= 400);
    tg_engine_close(raw);
  }
}

TEST_CASE("the built-in demo policy is not watched: no file, nothing reported", "[capi][runtime]") {
  tg_engine* raw = nullptr;
  std::array<char, 512> error{};
  REQUIRE(tg_engine_open(TG_BUILTIN_DEMO_POLICY, &raw, error.data(), error.size()) == TG_OK);
  const Engine engine(raw);
  Observed seen;
  tg_runtime rt{};
  rt.log = &observe_log;
  rt.log_arg = &seen;
  rt.on_swap = &observe_swap;
  rt.swap_arg = &seen;
  rt.watch_interval_ms = 10;
  REQUIRE(tg_engine_start(engine.get(), &rt, error.data(), error.size()) == TG_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // twenty polls, were it watched
  {
    const std::lock_guard lock(seen.mutex);
    CHECK(seen.messages.empty());
  }
  CHECK(seen.swaps.load() == 0);
  tg_stats s{};
  REQUIRE(tg_engine_stats(engine.get(), &s) == TG_OK);
  CHECK(s.reload_failures == 0);
  CHECK(generation(engine.get()) == 1);
}
