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

#include "model/technique.hpp"
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

/// Writes one line into a caller's fixed buffer. Every append checks the room left once; when
/// something does not fit, nothing more is written and ok() turns false.
class Line {
 public:
  Line(char* buffer, std::size_t capacity) noexcept
      : begin_(buffer), pos_(buffer), end_(buffer + capacity) {}

  /// Room for `n` more bytes; false (and the line failed) when there is not.
  bool room(std::size_t n) noexcept {
    if (failed_ || static_cast<std::size_t>(end_ - pos_) < n) {
      failed_ = true;
      return false;
    }
    return true;
  }
  void raw(std::string_view s) noexcept {
    if (!room(s.size())) return;
    std::memcpy(pos_, s.data(), s.size());
    pos_ += s.size();
  }
  void ch(char c) noexcept {
    if (room(1)) *pos_++ = c;
  }
  /// Unchecked: only after room() said yes for these bytes.
  void put(char c) noexcept { *pos_++ = c; }
  /// Unchecked, likewise.
  void put(std::string_view s) noexcept {
    std::memcpy(pos_, s.data(), s.size());
    pos_ += s.size();
  }

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  [[nodiscard]] std::size_t size() const noexcept {
    return static_cast<std::size_t>(pos_ - begin_);
  }

 private:
  char* begin_;
  char* pos_;
  char* end_;
  bool failed_ = false;
};

/// Most bytes one input byte can become in a JSON string (\u00XX, \ufffd) or as a name byte
/// (\\DDD): what a field reserves before it is written unchecked.
constexpr std::size_t kMaxEscaped = 6;

void put_u_escape(Line& out, unsigned value) {
  out.put('\\');
  out.put('u');
  out.put(kHex[(value >> 12U) & 0xFU]);
  out.put(kHex[(value >> 8U) & 0xFU]);
  out.put(kHex[(value >> 4U) & 0xFU]);
  out.put(kHex[value & 0xFU]);
}

/// Which bytes go into a JSON string as they are: printable ASCII except '"' and '\\'.
constexpr auto kPlainJson = [] {
  std::array<bool, 256> plain{};
  for (unsigned b = 0x20; b < 0x7F; ++b) plain[b] = b != '"' && b != '\\';
  return plain;
}();

/// Whether all 8 bytes of `w` are plain (kPlainJson), tested at once: no byte with the high bit,
/// below 0x20, DEL, '"' or '\\'.
constexpr bool plain_word(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  return (w & kHigh) == 0 && ((w - kOnes * 0x20) & ~w & kHigh) == 0 &&
         !has_zero(w ^ (kOnes * 0x7F)) && !has_zero(w ^ (kOnes * '"')) &&
         !has_zero(w ^ (kOnes * '\\'));
}

/// Writes `text` (UTF-8, possibly malformed) as the body of a JSON string in pure ASCII:
/// '"' and '\\' backslash-escaped, controls and DEL as \u00XX, other non-ASCII code points as
/// \uXXXX (surrogate pairs above U+FFFF), each malformed byte as \ufffd. Runs of plain bytes
/// are found 8 at a time and copied at once. Unchecked: the caller reserved kMaxEscaped bytes
/// a byte of `text`.
void put_json_text(Line& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t run = pos;
    while (run + 8 <= text.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, text.data() + run, sizeof(w));
      if (!plain_word(w)) break;
      run += 8;
    }
    while (run < text.size() && kPlainJson[static_cast<unsigned char>(text[run])]) ++run;
    if (run > pos) {
      out.put(text.substr(pos, run - pos));
      pos = run;
      if (pos == text.size()) break;
    }
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (!c.valid) {
      put_u_escape(out, 0xFFFDU);
    } else if (c.code_point == U'"' || c.code_point == U'\\') {
      out.put('\\');
      out.put(static_cast<char>(c.code_point));
    } else if (c.code_point < 0x10000U) {
      put_u_escape(out, static_cast<unsigned>(c.code_point));
    } else {  // four input bytes, twelve output bytes
      const auto v = static_cast<unsigned>(c.code_point) - 0x10000U;
      put_u_escape(out, 0xD800U + (v >> 10U));
      put_u_escape(out, 0xDC00U + (v & 0x3FFU));
    }
  }
}

/// The same, checked: reserves room for the worst case first.
void append_json_text(Line& out, std::string_view text) {
  if (out.room(kMaxEscaped * text.size())) put_json_text(out, text);
}

/// How each name byte is written in presentation form (already JSON-safe): a-z 0-9 '-' '_' as
/// they are, A-Z lower-cased; 0 for every other byte, written as \DDD (backslash doubled).
constexpr auto kNameByte = [] {
  std::array<char, 256> map{};
  for (int c = 'a'; c <= 'z'; ++c) map[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) map[static_cast<std::size_t>(c)] = static_cast<char>(c + 32);
  for (int c = '0'; c <= '9'; ++c) map[static_cast<std::size_t>(c)] = static_cast<char>(c);
  map['-'] = '-';
  map['_'] = '_';
  return map;
}();

/// A DNS name has at most 255 bytes in wire format; what follows is never written.
constexpr std::size_t kMaxWireName = 255;

/// Appends the wire-format name `wire[0 .. len)` as the body of a JSON string: labels joined
/// with '.', no trailing dot, the root as ".". Reads only inside the buffer and its first 255
/// bytes; returns false when the name is malformed (a label longer than 63, a label running past
/// `len`, no root label within 255 bytes, bytes after the root), in which case what could be
/// read has been appended.
bool append_wire_name(Line& out, const std::uint8_t* wire, std::size_t len) {
  if (wire == nullptr || len == 0) return false;
  const bool too_long = len > kMaxWireName;
  if (too_long) len = kMaxWireName;
  if (!out.room(len * (kMaxEscaped - 1) + 1)) return false;  // \\DDD a byte, or the "."
  std::size_t pos = 0;
  bool first = true;
  while (pos < len) {
    const std::uint8_t label = wire[pos++];
    if (label == 0) {
      if (first) out.put('.');
      return pos == len && !too_long;
    }
    if (label > 63) return false;
    if (!first) out.put('.');
    first = false;
    const std::size_t available = len - pos < label ? len - pos : label;
    for (std::size_t i = 0; i < available; ++i) {
      const std::uint8_t b = wire[pos + i];
      const char c = kNameByte[b];
      if (c != 0) {
        out.put(c);
      } else {
        out.put('\\');
        out.put('\\');
        out.put(static_cast<char>('0' + b / 100));
        out.put(static_cast<char>('0' + (b / 10) % 10));
        out.put(static_cast<char>('0' + b % 10));
      }
    }
    pos += available;
    if (available < label) return false;
  }
  return false;
}

void key(Line& out, std::string_view name) {
  if (!out.room(name.size() + 3)) return;
  out.put('"');
  out.put(name);
  out.put("\":");
}

/// A member whose value is known to be JSON-safe ASCII (our own constant names).
void str(Line& out, std::string_view name, std::string_view ascii_value) {
  if (!out.room(name.size() + ascii_value.size() + 5)) return;
  out.put('"');
  out.put(name);
  out.put("\":\"");
  out.put(ascii_value);
  out.put('"');
}

/// A member whose value is any UTF-8 text, escaped.
void text(Line& out, std::string_view name, std::string_view utf8_value) {
  if (!out.room(name.size() + kMaxEscaped * utf8_value.size() + 5)) return;
  out.put('"');
  out.put(name);
  out.put("\":\"");
  put_json_text(out, utf8_value);
  out.put('"');
}

void append_uint(Line& out, unsigned long long value) {
  std::array<char, 24> digits{};
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  if (!out.room(n)) return;
  while (n > 0) out.put(digits[--n]);
}

/// `value` (0 .. 10^width - 1) with leading zeros to `width` digits.
void append_padded(Line& out, unsigned value, int width) {
  if (!out.room(static_cast<std::size_t>(width))) return;
  std::array<char, 10> digits{};
  for (int i = width; i-- > 0;) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  for (int i = 0; i < width; ++i) out.put(digits[static_cast<std::size_t>(i)]);
}

/// "2026-11-23T17:02:11.123Z" (UTC, milliseconds; years before 0 or after 9999 clamp to their
/// digits). Calendar arithmetic only: no gmtime(), no locale.
void append_timestamp(Line& out, std::chrono::system_clock::time_point now) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace): calendar types
  const auto ms = floor<milliseconds>(now);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{ms - day};
  const int y = static_cast<int>(date.year());
  append_padded(out, static_cast<unsigned>(y < 0 ? 0 : y), 4);
  out.ch('-');
  append_padded(out, static_cast<unsigned>(date.month()), 2);
  out.ch('-');
  append_padded(out, static_cast<unsigned>(date.day()), 2);
  out.ch('T');
  append_padded(out, static_cast<unsigned>(time.hours().count()), 2);
  out.ch(':');
  append_padded(out, static_cast<unsigned>(time.minutes().count()), 2);
  out.ch(':');
  append_padded(out, static_cast<unsigned>(time.seconds().count()), 2);
  out.ch('.');
  append_padded(out, static_cast<unsigned>(time.subseconds().count()), 3);
  out.ch('Z');
}

void append_type(Line& out, std::uint16_t qtype) {
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
      out.raw(e.name);
      return;
    }
  }
  out.raw("TYPE");
  append_uint(out, qtype);
}

void append_class(Line& out, std::uint16_t qclass) {
  switch (qclass) {
    case 1:
      out.raw("IN");
      return;
    case 3:
      out.raw("CH");
      return;
    case 4:
      out.raw("HS");
      return;
    case 254:
      out.raw("NONE");
      return;
    case 255:
      out.raw("ANY");
      return;
    default:
      out.raw("CLASS");
      append_uint(out, qclass);
  }
}

void append_rcode(Line& out, std::uint8_t rcode) {
  static constexpr const char* kRcodes[] = {
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI",
  };
  if (rcode < std::size(kRcodes)) {
    out.raw(kRcodes[rcode]);
  } else {
    out.raw("RCODE");
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

/// The client's address as text: IPv4 dotted quad written here, IPv6 through inet_ntop.
void append_ip(Line& out, const tg_client& client) {
  if (client.ipv6 == 0) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (i != 0) out.ch('.');
      append_uint(out, client.address[i]);
    }
    return;
  }
  std::array<char, INET6_ADDRSTRLEN> ip{};
  if (::inet_ntop(AF_INET6, client.address, ip.data(), static_cast<socklen_t>(ip.size())) !=
      nullptr) {
    out.raw(ip.data());
  }
}

void append_source(Line& out, const tg_client& client) {
  out.raw(R"(,"source":{"ip":")");
  append_ip(out, client);
  out.ch('"');
  if (client.port != 0) {
    out.raw(",\"port\":");
    append_uint(out, client.port);
  }
  out.ch('}');
}

}  // namespace

std::size_t format_event_into(char* buffer, std::size_t capacity, const tg_event& event,
                              std::chrono::system_clock::time_point now,
                              std::string_view hostname) noexcept {
  const tg_verdict& v = *event.verdict;
  const std::string_view technique = technique_text(v.technique, field(v.technique_name));
  const EventKind kind = event_kind(event.answer);
  const std::string_view protected_domain = field(v.protected_domain);
  const std::string_view evidence = field(v.evidence);
  const std::string_view revision = field(v.policy_revision);

  Line out(buffer, capacity);
  out.ch('{');
  key(out, "@timestamp");
  out.ch('"');
  append_timestamp(out, now);
  out.raw(R"(","ecs":{"version":"8.11.0"})");

  out.raw(R"(,"event":{"kind":"alert","category":["network"],"type":[")");
  out.raw(kind.type);
  out.raw("\"],");
  str(out, "action", kind.action);
  out.raw(R"(,"outcome":"success","module":"typoguard","dataset":"typoguard.events",)");
  text(out, "reason", evidence);
  out.ch('}');

  out.raw(R"(,"observer":{"product":"typoguard","type":"dns")");
  if (!hostname.empty()) {
    out.ch(',');
    text(out, "hostname", hostname);
  }
  out.ch('}');

  if (event.client != nullptr) append_source(out, *event.client);

  out.raw(R"(,"dns":{"type":"query")");
  if (event.query_id != 0) {
    out.raw(R"(,"id":")");
    append_uint(out, event.query_id);
    out.ch('"');
  }
  out.raw(R"(,"question":{"name":")");
  const bool name_ok = append_wire_name(out, event.qname, event.qname_len);
  out.raw(R"(","type":")");
  append_type(out, event.qtype);
  out.raw(R"(","class":")");
  append_class(out, event.qclass);
  out.raw(R"("},"response_code":")");
  append_rcode(out, event.rcode);
  out.raw("\"}");

  out.raw(",\"rule\":{");
  text(out, "name", technique);
  out.raw(R"(,"id":")");
  append_json_text(out, protected_domain);
  out.ch('/');
  append_json_text(out, technique);
  out.raw(R"(","ruleset":"typoguard","category":"typosquatting",)");
  text(out, "version", revision);
  out.ch('}');

  out.raw(",\"typoguard\":{");
  text(out, "protected_domain", protected_domain);
  out.ch(',');
  text(out, "technique", technique);
  if (v.secondary != 0) {
    out.ch(',');
    text(out, "secondary_technique", technique_text(v.secondary, {}));
  }
  out.ch(',');
  text(out, "matched", field(v.matched));
  out.ch(',');
  text(out, "evidence", evidence);
  out.ch(',');
  str(out, "mode", v.monitor != 0 ? "monitor" : "enforce");
  out.ch(',');
  str(out, "action", action_name(v.action));
  out.ch(',');
  str(out, "answer", answer_name(event.answer));
  out.ch(',');
  str(out, "stage", stage_name(event.stage));
  if (event.target != nullptr) {
    out.raw(R"(,"target":")");
    const bool target_ok = append_wire_name(out, event.target, event.target_len);
    out.ch('"');
    if (!target_ok) out.raw(",\"malformed_target\":true");
  }
  if (!name_ok) out.raw(",\"malformed_name\":true");
  out.ch(',');
  text(out, "policy_revision", revision);
  out.raw("}}");
  return out.ok() ? out.size() : 0;
}

std::string format_event(const tg_event& event, std::chrono::system_clock::time_point now,
                         std::string_view hostname) {
  std::string line(kMaxEventLine, '\0');
  line.resize(format_event_into(line.data(), line.size(), event, now, hostname));
  return line;
}

}  // namespace tg::audit
