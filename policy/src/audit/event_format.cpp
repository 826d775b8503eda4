// SPDX-License-Identifier: BSD-3-Clause
#include "audit/event_format.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string_view>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "classify/technique.hpp"
#include "name/utf8.hpp"

namespace tg::audit {
namespace {

constexpr char kHex[] = "0123456789abcdef";

/// The text of a fixed-size C string field: up to its first NUL or the end of the array, so a
/// field without a terminator is still read in bounds.
template <std::size_t N>
std::string_view field(const char (&text)[N]) noexcept {
  return {text, ::strnlen(text, N)};
}

void append_u_escape(std::string& out, unsigned value) {
  out += "\\u";
  out += kHex[(value >> 12U) & 0xFU];
  out += kHex[(value >> 8U) & 0xFU];
  out += kHex[(value >> 4U) & 0xFU];
  out += kHex[value & 0xFU];
}

/// Appends `text` (UTF-8, possibly malformed) as the body of a JSON string in pure ASCII:
/// '"' and '\\' backslash-escaped, controls and DEL as \u00XX, other non-ASCII code points as
/// \uXXXX (surrogate pairs above U+FFFF), each malformed byte as \ufffd.
void append_json_text(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (!c.valid) {
      append_u_escape(out, 0xFFFDU);
    } else if (c.code_point == U'"' || c.code_point == U'\\') {
      out += '\\';
      out += static_cast<char>(c.code_point);
    } else if (c.code_point >= 0x20U && c.code_point < 0x7FU) {
      out += static_cast<char>(c.code_point);
    } else if (c.code_point < 0x10000U) {
      append_u_escape(out, static_cast<unsigned>(c.code_point));
    } else {
      const auto v = static_cast<unsigned>(c.code_point) - 0x10000U;
      append_u_escape(out, 0xD800U + (v >> 10U));
      append_u_escape(out, 0xDC00U + (v & 0x3FFU));
    }
  }
}

/// Appends one name byte in presentation form (already JSON-safe): a-z 0-9 '-' '_' as is,
/// A-Z lower-cased, anything else as \DDD with the backslash doubled for JSON.
void append_name_byte(std::string& out, std::uint8_t b) {
  if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_') {
    out += static_cast<char>(b);
  } else if (b >= 'A' && b <= 'Z') {
    out += static_cast<char>(b - 'A' + 'a');
  } else {
    out += "\\\\";
    out += static_cast<char>('0' + b / 100);
    out += static_cast<char>('0' + (b / 10) % 10);
    out += static_cast<char>('0' + b % 10);
  }
}

/// Appends the wire-format name `wire[0 .. len)` as the body of a JSON string: labels joined
/// with '.', no trailing dot, the root as ".". Reads only inside the buffer; returns false when
/// the name is malformed (a label longer than 63, a label running past `len`, no root label,
/// bytes after the root), in which case what could be read has been appended.
bool append_wire_name(std::string& out, const std::uint8_t* wire, std::size_t len) {
  if (wire == nullptr || len == 0) return false;
  std::size_t pos = 0;
  bool first = true;
  while (pos < len) {
    const std::uint8_t label = wire[pos++];
    if (label == 0) {
      if (first) out += '.';
      return pos == len;
    }
    if (label > 63) return false;
    if (!first) out += '.';
    first = false;
    const std::size_t available = len - pos < label ? len - pos : label;
    for (std::size_t i = 0; i < available; ++i) append_name_byte(out, wire[pos + i]);
    pos += available;
    if (available < label) return false;
  }
  return false;
}

void key(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

void str(std::string& out, std::string_view name, std::string_view ascii_value) {
  key(out, name);
  out += '"';
  out += ascii_value;
  out += '"';
}

void text(std::string& out, std::string_view name, std::string_view utf8_value) {
  key(out, name);
  out += '"';
  append_json_text(out, utf8_value);
  out += '"';
}

void append_uint(std::string& out, unsigned long long value) {
  std::array<char, 24> digits{};
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void append_padded(std::string& out, long long value, int width) {
  std::array<char, 24> digits{};
  int n = 0;
  auto v = static_cast<unsigned long long>(value < 0 ? 0 : value);
  do {
    digits[static_cast<std::size_t>(n++)] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 20);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += digits[static_cast<std::size_t>(--n)];
}

/// "2026-11-23T17:02:11.123Z" (UTC, milliseconds).
void append_timestamp(std::string& out, std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  const auto ms = std::chrono::floor<milliseconds>(now.time_since_epoch()).count();
  const long long seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const long long millis = ms - seconds * 1000;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  append_padded(out, static_cast<long long>(tm.tm_year) + 1900, 4);
  out += '-';
  append_padded(out, tm.tm_mon + 1, 2);
  out += '-';
  append_padded(out, tm.tm_mday, 2);
  out += 'T';
  append_padded(out, tm.tm_hour, 2);
  out += ':';
  append_padded(out, tm.tm_min, 2);
  out += ':';
  append_padded(out, tm.tm_sec, 2);
  out += '.';
  append_padded(out, millis, 3);
  out += 'Z';
}

void append_type(std::string& out, std::uint16_t qtype) {
  struct Entry {
    std::uint16_t type;
    const char* name;
  };
  static constexpr Entry kTypes[] = {
      {1, "A"},       {2, "NS"},     {5, "CNAME"},    {6, "SOA"},         {12, "PTR"},
      {13, "HINFO"},  {15, "MX"},    {16, "TXT"},     {28, "AAAA"},       {29, "LOC"},
      {33, "SRV"},    {35, "NAPTR"}, {39, "DNAME"},   {43, "DS"},         {44, "SSHFP"},
      {46, "RRSIG"},  {47, "NSEC"},  {48, "DNSKEY"},  {50, "NSEC3"},      {52, "TLSA"},
      {53, "SMIMEA"}, {59, "CDS"},   {60, "CDNSKEY"}, {61, "OPENPGPKEY"}, {64, "SVCB"},
      {65, "HTTPS"},  {99, "SPF"},   {251, "IXFR"},   {252, "AXFR"},      {255, "ANY"},
      {256, "URI"},   {257, "CAA"},
  };
  for (const Entry& e : kTypes) {
    if (e.type == qtype) {
      out += e.name;
      return;
    }
  }
  out += "TYPE";
  append_uint(out, qtype);
}

void append_class(std::string& out, std::uint16_t qclass) {
  switch (qclass) {
    case 1:
      out += "IN";
      return;
    case 3:
      out += "CH";
      return;
    case 4:
      out += "HS";
      return;
    case 254:
      out += "NONE";
      return;
    case 255:
      out += "ANY";
      return;
    default:
      out += "CLASS";
      append_uint(out, qclass);
  }
}

void append_rcode(std::string& out, std::uint8_t rcode) {
  static constexpr const char* kRcodes[] = {
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI",
  };
  if (rcode < std::size(kRcodes)) {
    out += kRcodes[rcode];
  } else {
    out += "RCODE";
    append_uint(out, rcode);
  }
}

std::string_view action_name(tg_action action) noexcept {
  switch (action) {
    case TG_ACTION_PASS:
      return "pass";
    case TG_ACTION_LOG_ONLY:
      return "log-only";
    case TG_ACTION_NXDOMAIN:
      return "nxdomain";
    case TG_ACTION_SINKHOLE:
      return "sinkhole";
  }
  return "unknown";
}

std::string_view answer_name(tg_answer answer) noexcept {
  switch (answer) {
    case TG_ANSWER_RESOLVED:
      return "resolved";
    case TG_ANSWER_NXDOMAIN:
      return "nxdomain";
    case TG_ANSWER_SINKHOLE:
      return "sinkhole";
    case TG_ANSWER_NODATA:
      return "nodata";
  }
  return "unknown";
}

std::string_view stage_name(tg_stage stage) noexcept {
  switch (stage) {
    case TG_STAGE_QUERY:
      return "query";
    case TG_STAGE_ANSWER:
      return "answer";
    case TG_STAGE_ERROR:
      return "error";
  }
  return "unknown";
}

/// event.action and event.type for the answer given.
struct EventKind {
  std::string_view action;
  std::string_view type;
};

EventKind event_kind(tg_answer answer) noexcept {
  switch (answer) {
    case TG_ANSWER_NXDOMAIN:
      return {"dns-typo-blocked", "denied"};
    case TG_ANSWER_SINKHOLE:
    case TG_ANSWER_NODATA:
      return {"dns-typo-sinkholed", "denied"};
    case TG_ANSWER_RESOLVED:
      return {"dns-typo-observed", "allowed"};
  }
  return {"dns-typo-observed", "info"};
}

/// The technique's stable name from its number; the verdict's own text when the number is
/// unknown to this build.
std::string_view technique_text(std::uint8_t number, std::string_view fallback) noexcept {
  if (number != 0 && number < kTechniqueCount) {
    return technique_name(static_cast<Technique>(number));
  }
  return fallback.empty() ? std::string_view{"none"} : fallback;
}

void append_source(std::string& out, const tg_client& client) {
  std::array<char, INET6_ADDRSTRLEN> ip{};
  const int family = client.ipv6 != 0 ? AF_INET6 : AF_INET;
  if (::inet_ntop(family, client.address, ip.data(), static_cast<socklen_t>(ip.size())) ==
      nullptr) {
    return;
  }
  out += ",\"source\":{";
  str(out, "ip", ip.data());
  if (client.port != 0) {
    out += ',';
    key(out, "port");
    append_uint(out, client.port);
  }
  out += '}';
}

}  // namespace

std::string format_event(const tg_event& event, std::chrono::system_clock::time_point now,
                         const std::string& hostname) {
  const tg_verdict& v = *event.verdict;
  const std::string_view technique = technique_text(v.technique, field(v.technique_name));
  const EventKind kind = event_kind(event.answer);
  const std::string_view protected_domain = field(v.protected_domain);
  const std::string_view evidence = field(v.evidence);
  const std::string_view revision = field(v.policy_revision);

  std::string out;
  out.reserve(1536);
  out += '{';
  key(out, "@timestamp");
  out += '"';
  append_timestamp(out, now);
  out += "\",\"ecs\":{\"version\":\"8.11.0\"}";

  out += ",\"event\":{\"kind\":\"alert\",\"category\":[\"network\"],\"type\":[\"";
  out += kind.type;
  out += "\"],";
  str(out, "action", kind.action);
  out += ",\"outcome\":\"success\",\"module\":\"typoguard\",\"dataset\":\"typoguard.events\",";
  text(out, "reason", evidence);
  out += '}';

  out += ",\"observer\":{\"product\":\"typoguard\",\"type\":\"dns\"";
  if (!hostname.empty()) {
    out += ',';
    text(out, "hostname", hostname);
  }
  out += '}';

  if (event.client != nullptr) append_source(out, *event.client);

  out += ",\"dns\":{\"type\":\"query\"";
  if (event.query_id != 0) {
    out += ",\"id\":\"";
    append_uint(out, event.query_id);
    out += '"';
  }
  out += ",\"question\":{\"name\":\"";
  const bool name_ok = append_wire_name(out, event.qname, event.qname_len);
  out += "\",\"type\":\"";
  append_type(out, event.qtype);
  out += "\",\"class\":\"";
  append_class(out, event.qclass);
  out += "\"},\"response_code\":\"";
  append_rcode(out, event.rcode);
  out += "\"}";

  out += ",\"rule\":{";
  str(out, "name", technique);
  out += ",\"id\":\"";
  append_json_text(out, protected_domain);
  out += '/';
  out += technique;
  out += "\",\"ruleset\":\"typoguard\",\"category\":\"typosquatting\",";
  text(out, "version", revision);
  out += '}';

  out += ",\"typoguard\":{";
  text(out, "protected_domain", protected_domain);
  out += ',';
  str(out, "technique", technique);
  if (v.secondary != 0) {
    out += ',';
    str(out, "secondary_technique", technique_text(v.secondary, {}));
  }
  out += ',';
  text(out, "matched", field(v.matched));
  out += ',';
  text(out, "evidence", evidence);
  out += ',';
  str(out, "mode", v.monitor != 0 ? "monitor" : "enforce");
  out += ',';
  str(out, "action", action_name(v.action));
  out += ',';
  str(out, "answer", answer_name(event.answer));
  out += ',';
  str(out, "stage", stage_name(event.stage));
  if (event.target != nullptr) {
    out += ",\"target\":\"";
    const bool target_ok = append_wire_name(out, event.target, event.target_len);
    out += '"';
    if (!target_ok) out += ",\"malformed_target\":true";
  }
  if (!name_ok) out += ",\"malformed_name\":true";
  out += ',';
  text(out, "policy_revision", revision);
  out += "}}";
  return out;
}

}  // namespace tg::audit
