// SPDX-License-Identifier: BSD-3-Clause
#include "capi_event.hpp"

#include <cstring>
#include <string_view>

static_assert(TG_ANSWER_RESOLVED == static_cast<int>(tg::audit::Answer::Resolved));
static_assert(TG_ANSWER_NXDOMAIN == static_cast<int>(tg::audit::Answer::NxDomain));
static_assert(TG_ANSWER_SINKHOLE == static_cast<int>(tg::audit::Answer::Sinkhole));
static_assert(TG_ANSWER_NODATA == static_cast<int>(tg::audit::Answer::NoData));
static_assert(TG_STAGE_QUERY == static_cast<int>(tg::audit::Stage::Query));
static_assert(TG_STAGE_ANSWER == static_cast<int>(tg::audit::Stage::Answer));
static_assert(TG_STAGE_ERROR == static_cast<int>(tg::audit::Stage::Error));
// Each text of a verdict fits the room the event line keeps for it.
static_assert(sizeof(tg_verdict::protected_domain) - 1 <= tg::audit::kMaxProtectedDomain);
static_assert(sizeof(tg_verdict::matched) - 1 <= tg::audit::kMaxMatched);
static_assert(sizeof(tg_verdict::evidence) - 1 <= tg::audit::kMaxEvidence);
static_assert(sizeof(tg_verdict::policy_revision) - 1 <= tg::audit::kMaxRevision);

namespace tg::capi {
namespace {

/// The text of a fixed-size C string field: up to its first NUL or the end of the array, so a
/// field without a terminator is still read in bounds.
template <std::size_t N>
std::string_view field(const char (&text)[N]) noexcept {
  return {text, ::strnlen(text, N)};
}

Technique technique_of(std::uint8_t number) noexcept {
  return number < kTechniqueCount ? static_cast<Technique>(number) : Technique::None;
}

}  // namespace

audit::Event to_event(const tg_event& event) noexcept {
  const tg_verdict& v = *event.verdict;
  audit::Event e;
  e.qname = {event.qname, event.qname_len};
  e.qtype = event.qtype;
  e.qclass = event.qclass;
  e.query_id = event.query_id;
  if (event.client != nullptr) {
    audit::Client c;
    c.ipv6 = event.client->ipv6 != 0;
    std::memcpy(c.address.data(), event.client->address, c.address.size());
    c.port = event.client->port;
    e.client = c;
  }
  e.rcode = event.rcode;
  e.answer = static_cast<audit::Answer>(event.answer);
  e.stage = static_cast<audit::Stage>(event.stage);
  if (event.target != nullptr)
    e.target = std::span<const std::uint8_t>(event.target, event.target_len);
  e.technique = technique_of(v.technique);
  e.secondary = technique_of(v.secondary);
  e.protected_domain = field(v.protected_domain);
  e.matched = field(v.matched);
  e.evidence = field(v.evidence);
  e.mode = v.monitor != 0 ? Mode::Monitor : Mode::Enforce;
  e.action = static_cast<Action>(v.action);
  e.policy_revision = field(v.policy_revision);
  return e;
}

}  // namespace tg::capi
