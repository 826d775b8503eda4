// SPDX-License-Identifier: BSD-3-Clause
#include "decide/decide.hpp"

#include <array>
#include <span>
#include <string>

#include "catch_compat.hpp"
#include "test_support.hpp"
#include "vector_policy.hpp"

namespace {

using tg::test::v4;

tg::Policy scoped_policy() {
  tg::Policy p = tg::test::vector_snapshot()->policy();
  tg::ClientGroup mail;
  mail.name = "mail-servers";
  tg::IpPrefix prefix;
  prefix.address = {127, 0, 0, 0};
  prefix.length = 30;  // 127.0.0.0 .. 127.0.0.3
  mail.prefixes.push_back(prefix);
  tg::IpPrefix six;
  six.ipv6 = true;
  six.address = {0x20, 0x01, 0x0d, 0xb8};
  six.length = 32;
  mail.prefixes.push_back(six);
  p.client_groups.push_back(mail);
  p.scope_client_groups = {"mail-servers"};
  return p;
}

constexpr std::uint16_t kMx = 15;
constexpr std::uint16_t kTxt = 16;

}  // namespace

TEST_CASE("decide maps match x scope x qtype x policy to an action", "[decide]") {
  const auto s = tg::test::vector_snapshot();
  tg::Policy p = scoped_policy();
  const tg::Match lookalike = s->classify("army.ml");
  const tg::Match clean = s->classify("example.com");

  CHECK(tg::decide(lookalike, p, kMx, v4(127, 0, 0, 2)).action == tg::Action::NxDomain);
  CHECK(tg::decide(lookalike, p, kMx, v4(127, 0, 0, 9)).action ==
        tg::Action::Pass);  // out of scope
  CHECK(tg::decide(lookalike, p, kTxt, v4(127, 0, 0, 2)).action ==
        tg::Action::Pass);  // not watched
  CHECK(tg::decide(lookalike, p, kMx, tg::ClientAddress{}).action == tg::Action::Pass);  // internal
  CHECK(tg::decide(clean, p, kMx, v4(127, 0, 0, 2)).action == tg::Action::Pass);

  tg::ClientAddress six;
  six.present = true;
  six.ipv6 = true;
  six.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(tg::decide(lookalike, p, kMx, six).action == tg::Action::NxDomain);

  p.protected_domains[0].action = tg::PolicyAction::Sinkhole;  // army.mil override
  CHECK(tg::decide(lookalike, p, kMx, v4(127, 0, 0, 2)).action == tg::Action::Sinkhole);

  p.mode = tg::Mode::Monitor;
  const tg::Decision d = tg::decide(lookalike, p, kMx, v4(127, 0, 0, 2));
  CHECK(d.action == tg::Action::LogOnly);
  CHECK(d.in_scope);
  CHECK(d.watched);

  p.mode = tg::Mode::Enforce;
  p.scope_client_groups.clear();  // every client in scope
  CHECK(tg::decide(lookalike, p, kMx, v4(127, 0, 0, 9)).action == tg::Action::Sinkhole);
}

TEST_CASE("blocked suffixes use their own action override", "[decide]") {
  const auto s = tg::test::vector_snapshot();
  tg::Policy p = scoped_policy();
  p.blocked_suffixes[0].action = tg::PolicyAction::Sinkhole;
  const tg::Match m = s->classify("anything.ml");
  REQUIRE(m.technique == tg::Technique::BlockedSuffix);
  CHECK(tg::decide(m, p, kMx, v4(127, 0, 0, 1)).action == tg::Action::Sinkhole);
}

TEST_CASE("IP prefixes", "[decide]") {
  tg::IpPrefix p;
  p.address = {192, 0, 2, 0};
  p.length = 24;
  const std::uint8_t in[] = {192, 0, 2, 77};
  const std::uint8_t out[] = {192, 0, 3, 1};
  CHECK(p.contains(false, in));
  CHECK_FALSE(p.contains(false, out));
  CHECK_FALSE(p.contains(true, in));
  CHECK(p.to_string() == "192.0.2.0/24");
  tg::IpPrefix odd;
  odd.address = {10, 0, 0, 128};
  odd.length = 25;
  const std::uint8_t a[] = {10, 0, 0, 200};
  const std::uint8_t b[] = {10, 0, 0, 100};
  CHECK(odd.contains(false, a));
  CHECK_FALSE(odd.contains(false, b));
}

TEST_CASE("the most restrictive client decides a query with several", "[decide]") {
  const auto s = tg::test::vector_snapshot();
  tg::Policy p = scoped_policy();
  const tg::Match lookalike = s->classify("army.ml");
  const std::array<tg::ClientAddress, 3> clients{v4(127, 0, 0, 9), v4(127, 0, 0, 2),
                                                 v4(127, 0, 0, 3)};

  const tg::ClientsDecision d = tg::decide_for_clients(lookalike, p, kMx, clients);
  CHECK(d.decision.action == tg::Action::NxDomain);
  CHECK(d.client_index == 1);  // the first in-scope client; .3 ties and does not replace it
  CHECK(d.any_in_scope);
  CHECK(d.blocks());

  const tg::ClientsDecision outside =
      tg::decide_for_clients(lookalike, p, kMx, std::span(clients).first(1));
  CHECK(outside.decision.action == tg::Action::Pass);
  CHECK(outside.client_index == -1);
  CHECK_FALSE(outside.any_in_scope);
  CHECK_FALSE(outside.blocks());
  CHECK(outside.decision.watched);

  // No client: an internal look-up passes, and still says whether the type is watched.
  const tg::ClientsDecision internal = tg::decide_for_clients(lookalike, p, kTxt, {});
  CHECK(internal.decision.action == tg::Action::Pass);
  CHECK_FALSE(internal.decision.watched);
  CHECK(internal.client_index == -1);

  // Monitor mode logs and resolves: nothing blocks.
  p.mode = tg::Mode::Monitor;
  const tg::ClientsDecision monitored = tg::decide_for_clients(lookalike, p, kMx, clients);
  CHECK(monitored.decision.action == tg::Action::LogOnly);
  CHECK(monitored.client_index == 1);
  CHECK_FALSE(monitored.blocks());
}

TEST_CASE("only NXDOMAIN and sinkhole answer in the resolver's place", "[decide]") {
  CHECK_FALSE(tg::blocks(tg::Action::Pass));
  CHECK_FALSE(tg::blocks(tg::Action::LogOnly));
  CHECK(tg::blocks(tg::Action::NxDomain));
  CHECK(tg::blocks(tg::Action::Sinkhole));
  CHECK(std::string(tg::action_name(tg::Action::LogOnly)) == "log-only");
  CHECK(std::string(tg::action_name(tg::Action::Sinkhole)) == "sinkhole");
}

TEST_CASE("the EDE text names the protected domain and the technique", "[decide]") {
  const auto s = tg::test::vector_snapshot();
  CHECK(tg::ede_text(s->classify("army.ml")) == "typoguard: look-alike of army.mil (suffix-typo)");
  CHECK(tg::ede_text(s->classify("anything.ml")) == "typoguard: blocked suffix ml");
  tg::Match combined = s->classify("army.ml");
  combined.secondary = tg::Technique::Omission;
  CHECK(tg::ede_text(combined) == "typoguard: look-alike of army.mil (suffix-typo + omission)");
}
