// SPDX-License-Identifier: BSD-3-Clause
#include "audit/event_format.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <span>
#include <string_view>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "audit/json_text.hpp"
#include "model/dns_names.hpp"
#include "name/ascii.hpp"

namespace tg::audit {
namespace {

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
  /// Unchecked, likewise: `text` escaped as a JSON string body (escape_json_into).
  void put_json(std::string_view text) noexcept { pos_ += escape_json_into(pos_, text); }

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
constexpr std::size_t kMaxEscaped = kMaxJsonEscape;

/// The same, checked: reserves room for the worst case first.
void append_json_text(Line& out, std::string_view text) {
  if (out.room(kMaxEscaped * text.size())) out.put_json(text);
}

/// How each name byte is written in presentation form (already JSON-safe): a-z 0-9 '-' '_' as
/// they are, A-Z lower-cased; 0 for every other byte, written as \DDD (backslash doubled).
constexpr auto kNameByte = [] {
  std::array<char, 256> map{};
  for (std::size_t b = 0; b < map.size(); ++b) {
    const char c = ascii_lower(static_cast<char>(b));
    if (is_plain_label_char(c)) map[b] = c;
  }
  return map;
}();
static_assert(kNameByte['a'] == 'a' && kNameByte['Z'] == 'z' && kNameByte['0'] == '0' &&
              kNameByte['-'] == '-' && kNameByte['_'] == '_');
static_assert(kNameByte['.'] == 0 && kNameByte['\\'] == 0 && kNameByte['@'] == 0 &&
              kNameByte['['] == 0 && kNameByte[0x80] == 0 && kNameByte[0xFF] == 0);

/// A DNS name has at most 255 bytes in wire format; what follows is never written.
constexpr std::size_t kMaxWireName = 255;

/// Appends the wire-format name `name` as the body of a JSON string: labels joined
/// with '.', no trailing dot, the root as ".". Reads only inside the buffer and its first 255
/// bytes; returns false when the name is malformed (a label longer than 63, a label running past
/// its end, no root label within 255 bytes, bytes after the root), in which case what could be
/// read has been appended.
bool append_wire_name(Line& out, std::span<const std::uint8_t> name) {
  const std::uint8_t* wire = name.data();
  std::size_t len = name.size();
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

[[gnu::always_inline]] inline void key(Line& out, std::string_view name) {
  if (!out.room(name.size() + 3)) return;
  out.put('"');
  out.put(name);
  out.put("\":");
}

/// A member whose value is known to be JSON-safe ASCII (our own constant names).
[[gnu::always_inline]] inline void str(Line& out, std::string_view name,
                                       std::string_view ascii_value) {
  if (!out.room(name.size() + ascii_value.size() + 5)) return;
  out.put('"');
  out.put(name);
  out.put("\":\"");
  out.put(ascii_value);
  out.put('"');
}

/// A member whose value is any UTF-8 text, escaped.
[[gnu::always_inline]] inline void text(Line& out, std::string_view name,
                                        std::string_view utf8_value) {
  if (!out.room(name.size() + kMaxEscaped * utf8_value.size() + 5)) return;
  out.put('"');
  out.put(name);
  out.put("\":\"");
  out.put_json(utf8_value);
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

/// A DNS number by its mnemonic, or RFC 3597's generic form (`prefix` and the number).
void append_mnemonic(Line& out, std::string_view mnemonic, std::string_view prefix,
                     unsigned value) {
  if (!mnemonic.empty()) {
    out.raw(mnemonic);
    return;
  }
  out.raw(prefix);
  append_uint(out, value);
}

/// event.action and event.type for the answer given.
struct EventKind {
  std::string_view action;
  std::string_view type;
};

EventKind event_kind(Answer answer) noexcept {
  switch (answer) {
    case Answer::NxDomain:
      return {"dns-typo-blocked", "denied"};
    case Answer::Sinkhole:
    case Answer::NoData:
      return {"dns-typo-sinkholed", "denied"};
    case Answer::Resolved:
      return {"dns-typo-observed", "allowed"};
  }
  return {"dns-typo-observed", "info"};
}

/// The client's address as text: IPv4 dotted quad written here, IPv6 through inet_ntop.
void append_ip(Line& out, const Client& client) {
  if (!client.ipv6) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (i != 0) out.ch('.');
      append_uint(out, client.address[i]);
    }
    return;
  }
  std::array<char, INET6_ADDRSTRLEN> ip{};
  if (::inet_ntop(AF_INET6, client.address.data(), ip.data(), static_cast<socklen_t>(ip.size())) !=
      nullptr) {
    out.raw(ip.data());
  }
}

void append_source(Line& out, const Client& client) {
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

std::size_t format_event_into(char* buffer, std::size_t capacity, const Event& event,
                              std::chrono::system_clock::time_point now,
                              std::string_view hostname) noexcept {
  const std::string_view technique = technique_name(event.technique);
  const EventKind kind = event_kind(event.answer);
  const std::string_view protected_domain = event.protected_domain;
  const std::string_view evidence = event.evidence;
  const std::string_view revision = event.policy_revision;

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

  if (event.client) append_source(out, *event.client);

  out.raw(R"(,"dns":{"type":"query")");
  if (event.query_id != 0) {
    out.raw(R"(,"id":")");
    append_uint(out, event.query_id);
    out.ch('"');
  }
  out.raw(R"(,"question":{"name":")");
  const bool name_ok = append_wire_name(out, event.qname);
  out.raw(R"(","type":")");
  append_mnemonic(out, rr_type_name(event.qtype), "TYPE", event.qtype);
  out.raw(R"(","class":")");
  append_mnemonic(out, rr_class_name(event.qclass), "CLASS", event.qclass);
  out.raw(R"("},"response_code":")");
  append_mnemonic(out, rcode_name(event.rcode), "RCODE", event.rcode);
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
  if (event.secondary != Technique::None) {
    out.ch(',');
    text(out, "secondary_technique", technique_name(event.secondary));
  }
  out.ch(',');
  text(out, "matched", event.matched);
  out.ch(',');
  text(out, "evidence", evidence);
  out.ch(',');
  str(out, "mode", event.mode == Mode::Monitor ? "monitor" : "enforce");
  out.ch(',');
  str(out, "action", action_name(event.action));
  out.ch(',');
  str(out, "answer", answer_name(event.answer));
  out.ch(',');
  str(out, "stage", stage_name(event.stage));
  if (event.target) {
    out.raw(R"(,"target":")");
    const bool target_ok = append_wire_name(out, *event.target);
    out.ch('"');
    if (!target_ok) out.raw(",\"malformed_target\":true");
  }
  if (!name_ok) out.raw(",\"malformed_name\":true");
  out.ch(',');
  text(out, "policy_revision", revision);
  out.raw("}}");
  return out.ok() ? out.size() : 0;
}

std::string format_event(const Event& event, std::chrono::system_clock::time_point now,
                         std::string_view hostname) {
  std::string line(kMaxEventLine, '\0');
  line.resize(format_event_into(line.data(), line.size(), event, now, hostname));
  return line;
}

}  // namespace tg::audit
