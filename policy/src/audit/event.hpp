// SPDX-License-Identifier: BSD-3-Clause
// One SOC event as the engine hands it to the audit: a query whose name matched, what was
// decided and what the resolver answered. A value of views: it owns nothing, and every view
// must outlive the call it is passed to.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "decide/decide.hpp"
#include "model/policy.hpp"
#include "model/technique.hpp"

namespace tg::audit {

/// The answer the resolver gave. Values mirror tg_answer and reach the event log by name
/// (`typoguard.answer`): append-only.
enum class Answer : std::uint8_t {
  Resolved = 0,  ///< resolved normally (monitor mode)
  NxDomain = 1,  ///< NXDOMAIN (with the SOA, or bare when synthesis failed)
  Sinkhole = 2,  ///< sinkhole A/AAAA, quarantine MX or Null MX
  NoData = 3,    ///< NOERROR without records
};

/// Where in the query's life the decision fell. Mirrors tg_stage; append-only.
enum class Stage : std::uint8_t {
  Query = 0,   ///< when the query arrived
  Answer = 1,  ///< when the answer came back (a CNAME into a look-alike, a joined client)
  Error = 2,   ///< resolution failed; blocked instead of SERVFAIL
};

/// Stable names: "resolved", "nxdomain", "sinkhole", "nodata"; "unknown" out of range.
[[nodiscard]] std::string_view answer_name(Answer a) noexcept;
/// Stable names: "query", "answer", "error"; "unknown" out of range.
[[nodiscard]] std::string_view stage_name(Stage s) noexcept;

/// The client an event is about.
struct Client {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  ///< network byte order; IPv4 in the first 4 bytes
  std::uint16_t port = 0;                  ///< 0 when unknown (then not written)
};

/// Longest text of each field that kMaxEventLine has room for (the sizes of tg_verdict's
/// arrays less their terminator); longer texts make format_event_into() return 0.
inline constexpr std::size_t kMaxProtectedDomain = 255;
inline constexpr std::size_t kMaxMatched = 255;
inline constexpr std::size_t kMaxEvidence = 383;
inline constexpr std::size_t kMaxRevision = 127;

/// One event.
struct Event {
  std::span<const std::uint8_t> qname;  ///< wire format, the client's spelling
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  std::uint16_t query_id = 0;    ///< DNS message ID; 0 when unknown (then not written)
  std::optional<Client> client;  ///< none: no client known
  std::uint8_t rcode = 0;        ///< RCODE of the answer sent
  Answer answer = Answer::Resolved;
  Stage stage = Stage::Query;
  /// The look-alike the answer's CNAME chain led to (wire format); none when the question's
  /// own name matched.
  std::optional<std::span<const std::uint8_t>> target;
  // The match and the decision behind the answer.
  Technique technique = Technique::None;
  Technique secondary = Technique::None;  ///< None: not a label + suffix combination
  std::string_view protected_domain;      ///< the imitated domain, or the blocked suffix
  std::string_view matched;               ///< the part of the name that imitates it
  std::string_view evidence;              ///< human-readable, UTF-8
  Mode mode = Mode::Enforce;
  Action action = Action::Pass;
  std::string_view policy_revision;
};

}  // namespace tg::audit
