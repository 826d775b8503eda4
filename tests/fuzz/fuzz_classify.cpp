// SPDX-License-Identifier: BSD-3-Clause
// libFuzzer target: name classification from wire-format names through the C API, plus the
// event formatter on every verdict.
//   input = [qtype: 2 bytes, big-endian][selector: 1 byte][qname: wire format, any bytes]
//   selector bits 0-1: client count (0..3); bits 2-4: first client of kClients;
//   bit 5: the company policy (policy/examples/company.json) instead of the embedded demo one;
//   bit 6: the event's CNAME target is the qname itself; bit 7: no client in the event.
// Checks: tg_evaluate never fails on input bytes, tg_is_lookalike agrees with the verdict, the
// screen (tg_may_be_lookalike) lets every look-alike through, a clean verdict says nothing,
// every verdict string is NUL-terminated inside its array, and format_event emits pure
// printable ASCII (0x20..0x7e).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "audit/event_format.hpp"
#include "capi_event.hpp"
#include "typoguard/typoguard.h"

namespace {

tg_engine* open_engine(const char* path) {
  tg_engine* engine = nullptr;
  char error[512] = {};
  if (tg_engine_open(path, &engine, error, sizeof error) != TG_OK || engine == nullptr) {
    __builtin_trap();  // a shipped example policy that does not load is a defect too
  }
  return engine;
}

tg_client make_client(int ipv6, std::initializer_list<std::uint8_t> address, std::uint16_t port) {
  tg_client c{};
  c.ipv6 = ipv6;
  std::size_t i = 0;
  for (std::uint8_t b : address) c.address[i++] = b;
  c.port = port;
  return c;
}

const tg_client kClients[8] = {
    make_client(0, {127, 0, 0, 1}, 53000),
    make_client(0, {127, 0, 0, 2}, 0),
    make_client(0, {198, 51, 100, 3}, 25),  // company: mail-servers
    make_client(0, {203, 0, 113, 10}, 1),   // company: smtp-relays
    make_client(1, {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 4000),
    make_client(1, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 65535),
    make_client(0, {10, 1, 2, 3}, 5353),
    make_client(1, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}, 0),
};

template <std::size_t N>
void check_terminated(const char (&s)[N]) {
  if (std::memchr(s, '\0', N) == nullptr) __builtin_trap();
}

void check_ascii(const std::string& line) {
  for (const char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tg_engine* const default_engine = open_engine(TG_BUILTIN_DEMO_POLICY);
  static tg_engine* const company_engine =
      open_engine(TG_SOURCE_DIR "/policy/examples/company.json");
  if (size < 3) return 0;
  const auto qtype = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
  const std::uint8_t sel = data[2];
  const std::uint8_t* qname = data + 3;
  const std::size_t qname_len = size - 3;

  const tg_engine* engine = (sel & 0x20) != 0 ? company_engine : default_engine;
  tg_client clients[3];
  const std::size_t client_count = sel & 0x3u;
  for (std::size_t i = 0; i < client_count; ++i) clients[i] = kClients[((sel >> 2) + i) & 7u];

  tg_verdict v{};
  if (tg_evaluate(engine, qname, qname_len, qtype, client_count != 0 ? clients : nullptr,
                  client_count, &v) != TG_OK) {
    __builtin_trap();  // "never fails on input bytes"
  }
  const int lookalike = tg_is_lookalike(engine, qname, qname_len);
  if (lookalike != v.lookalike) __builtin_trap();
  // The screen never hides a look-alike (it may let clean names through).
  if (v.lookalike != 0 && tg_may_be_lookalike(engine, qname, qname_len) == 0) __builtin_trap();
  if (v.lookalike == 0 && (v.action != TG_ACTION_PASS || v.technique != 0 || v.evidence[0] != 0))
    __builtin_trap();
  if (v.client_index < -1 || v.client_index >= static_cast<int>(client_count)) __builtin_trap();
  check_terminated(v.technique_name);
  check_terminated(v.protected_domain);
  check_terminated(v.matched);
  check_terminated(v.evidence);
  check_terminated(v.ede_text);
  check_terminated(v.mx_host);
  check_terminated(v.soa_mname);
  check_terminated(v.soa_rname);
  check_terminated(v.policy_revision);

  tg_event event{};
  event.qname = qname;
  event.qname_len = qname_len;
  event.qtype = qtype;
  event.qclass = 1;
  event.query_id = static_cast<std::uint16_t>(qtype ^ sel);
  event.client = ((sel & 0x80) != 0 || client_count == 0)
                     ? nullptr
                     : &clients[v.client_index >= 0 ? v.client_index : 0];
  event.rcode = v.action == TG_ACTION_NXDOMAIN ? 3 : 0;
  event.answer = v.action == TG_ACTION_NXDOMAIN   ? TG_ANSWER_NXDOMAIN
                 : v.action == TG_ACTION_SINKHOLE ? TG_ANSWER_SINKHOLE
                                                  : TG_ANSWER_RESOLVED;
  event.stage = static_cast<tg_stage>(sel % 3);
  if ((sel & 0x40) != 0) {
    event.target = qname;
    event.target_len = qname_len;
  }
  event.verdict = &v;
  const std::string line = tg::audit::format_event(
      tg::capi::to_event(event),
      std::chrono::system_clock::time_point(std::chrono::seconds(1795478400)), "fuzz-host");
  if (line.empty()) __builtin_trap();
  check_ascii(line);
  return 0;
}
