// SPDX-License-Identifier: BSD-3-Clause
// tg::Engine driven directly, without the C interface: open and its errors, evaluation for a
// query's clients, reload and last good, the watcher, events recorded into a real file.
#include "engine/engine.hpp"

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

namespace {

const std::array<std::uint8_t, 9> kArmyMl{4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
const std::array<std::uint8_t, 10> kGmailOm{5, 'g', 'm', 'a', 'i', 'l', 2, 'o', 'm', 0};
const std::array<std::uint8_t, 13> kExample{7,   'e', 'x', 'a', 'm', 'p', 'l',
                                            'e', 3,   'c', 'o', 'm', 0};
constexpr std::uint16_t kMx = 15;

using tg::test::eventually;
using tg::test::replace_file;
using tg::test::TempDir;
using tg::test::v4;

const char* const kArmyOnly = R"({"typoguard:policy": {"revision": "one",
  "protected-domain": [{"name": "army.mil"}]}})";
const char* const kArmyAndGmail = R"({"typoguard:policy": {"revision": "two",
  "protected-domain": [{"name": "army.mil"}, {"name": "gmail.com"}]}})";

tg::EngineError::Kind open_error(const std::string& path, std::string& message) {
  try {
    (void)tg::Engine::open(path);
  } catch (const tg::EngineError& e) {
    message = e.what();
    return e.kind();
  }
  FAIL("Engine::open(" << path << ") did not throw");
  return tg::EngineError::Kind::Argument;
}

}  // namespace

TEST_CASE("engine: open names what is wrong; there is no implicit policy", "[engine]") {
  std::string message;
  CHECK(open_error("", message) == tg::EngineError::Kind::Argument);
  CHECK(message.find("no policy named") != std::string::npos);
  CHECK(open_error("builtin:nothing", message) == tg::EngineError::Kind::Policy);
  CHECK(message.find("the only one is builtin:demo") != std::string::npos);
  CHECK(open_error("/nonexistent/typoguard/policy.json", message) == tg::EngineError::Kind::Policy);
  CHECK(message.find("/nonexistent/typoguard/policy.json") != std::string::npos);
}

TEST_CASE("engine: the demo policy blocks for its mail servers only", "[engine]") {
  const auto engine = tg::Engine::open("builtin:demo");
  REQUIRE(engine != nullptr);
  CHECK(engine->generation() == 1);
  CHECK(engine->describe().find("builtin:demo") != std::string::npos);

  const std::array<tg::ClientAddress, 2> clients{v4(127, 0, 0, 1), v4(127, 0, 0, 2)};
  const tg::Evaluation both = engine->evaluate(kArmyMl, kMx, clients);
  REQUIRE(both.match.is_lookalike());
  CHECK(both.match.protected_domain == "army.mil");
  CHECK(both.decision.blocks());
  CHECK(both.decision.client_index == 1);
  REQUIRE(both.policy != nullptr);
  CHECK(both.policy->source == "builtin:demo");

  const tg::Evaluation other = engine->evaluate(kArmyMl, kMx, std::span(clients).first(1));
  CHECK(other.match.is_lookalike());
  CHECK_FALSE(other.decision.blocks());
  CHECK(other.decision.decision.action == tg::Action::Pass);

  const tg::Evaluation clean = engine->evaluate(kExample, kMx, clients);
  CHECK_FALSE(clean.match.is_lookalike());
  CHECK_FALSE(clean.decision.blocks());

  CHECK(both.soa_owner_labels == 1);  // ml: the listed suffix owns the SOA, not army.ml
  const std::array<std::uint8_t, 14> army_mil_zzz{4,   'a', 'r', 'm', 'y', 3,   'm',
                                                  'i', 'l', 3,   'z', 'z', 'z', 0};
  const tg::Evaluation unlisted = engine->evaluate(army_mil_zzz, kMx, clients);
  CHECK(unlisted.match.is_lookalike());
  CHECK(unlisted.soa_owner_labels == 0);  // zzz is only the "*" rule: the root owns it

  CHECK(engine->is_lookalike(kArmyMl));
  CHECK_FALSE(engine->is_lookalike(kExample));
  CHECK(engine->may_be_lookalike(kArmyMl));  // the screen never clears a look-alike
}

TEST_CASE("engine: reload keeps the last good policy; open_last_good finds it", "[engine]") {
  const TempDir dir("tg-engine-reload");
  const auto file = dir.path() / "policy.json";
  replace_file(file, kArmyOnly);
  const auto engine = tg::Engine::open(file.string());
  const std::array<tg::ClientAddress, 1> anyone{v4(192, 0, 2, 1)};
  CHECK_FALSE(engine->evaluate(kGmailOm, kMx, anyone).match.is_lookalike());

  replace_file(file, kArmyAndGmail);
  engine->reload();
  CHECK(engine->generation() == 2);
  CHECK(engine->evaluate(kGmailOm, kMx, anyone).decision.blocks());

  replace_file(file, R"({"typoguard:policy": {"protected-domain": [{"na)");
  CHECK_THROWS_AS(engine->reload(), tg::EngineError);
  CHECK(engine->generation() == 2);
  CHECK(engine->evaluate(kGmailOm, kMx, anyone).decision.blocks());  // revision two stays

  const auto last = tg::Engine::open_last_good(file.string());
  REQUIRE(last != nullptr);
  CHECK(last->current().policy().revision == "two");
  CHECK(tg::Engine::open_last_good((dir.path() / "other.json").string()) == nullptr);
}

TEST_CASE("engine: started, it watches its file and records events", "[engine]") {
  const TempDir dir("tg-engine-run");
  const auto file = dir.path() / "policy.json";
  const auto events = dir.path() / "events.jsonl";
  replace_file(file, kArmyOnly);
  const auto engine = tg::Engine::open(file.string());

  tg::audit::Event before;
  CHECK(engine->record(before));  // not started: nothing to do, not a failure

  std::mutex mutex;
  std::vector<std::string> messages;
  std::atomic<int> swaps{0};
  tg::EngineRuntime rt;
  rt.log = [&](tg::LogLevel, const std::string& m) {
    const std::lock_guard lock(mutex);
    messages.push_back(m);
  };
  rt.on_swap = [&] { ++swaps; };
  rt.watch_interval = std::chrono::milliseconds(50);
  rt.event_log_path = events.string();
  engine->start(rt);
  CHECK_THROWS_AS(engine->start(tg::EngineRuntime{}), tg::EngineError);

  replace_file(file, kArmyAndGmail);
  REQUIRE(eventually([&] { return swaps.load() == 1; }));
  CHECK(engine->generation() == 2);

  const std::array<tg::ClientAddress, 1> anyone{v4(192, 0, 2, 1)};
  const tg::Evaluation e = engine->evaluate(kGmailOm, kMx, anyone);
  tg::audit::Event event;
  event.qname = kGmailOm;
  event.qtype = kMx;
  event.qclass = 1;
  event.rcode = 3;
  event.answer = tg::audit::Answer::NxDomain;
  event.technique = e.match.technique;
  event.protected_domain = e.match.protected_domain;
  event.matched = e.match.matched;
  event.evidence = e.match.evidence;
  event.action = e.decision.decision.action;
  event.policy_revision = e.policy->revision;
  CHECK(engine->record(event));
  engine->flush();
  std::ifstream in(events);
  std::string text;
  for (std::string line; std::getline(in, line);) text += line + '\n';
  CHECK(text.find(R"("name":"gmail.om")") != std::string::npos);
  CHECK(text.find(R"("protected_domain":"gmail.com")") != std::string::npos);
  CHECK(text.find(R"("policy_revision":"two")") != std::string::npos);
  const tg::EngineStats s = engine->stats();
  CHECK(s.events_written == 1);
  CHECK(s.reloads == 1);
  CHECK(s.policy_generation == 2);
  const std::lock_guard lock(mutex);
  bool told = false;
  for (const auto& m : messages) told = told || m.find("revision two") != std::string::npos;
  CHECK(told);
}
