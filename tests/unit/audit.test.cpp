// SPDX-License-Identifier: BSD-3-Clause
// The SOC event log: the JSON line (every field, escaping, malformed names) and the writer
// (real files in a temporary directory: rotation, open and write failures, queue overrun,
// shutdown, concurrent submitters). Runs under ASan+UBSan in CI.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include "audit/event_format.hpp"
#include "audit/event_log.hpp"
#include "capi_event.hpp"
#include "catch_compat.hpp"
#include "model/technique.hpp"
#include "temp_dir.hpp"
#include "typoguard/typoguard.h"

namespace fs = std::filesystem;
using tg::audit::EventLog;
using tg::audit::Severity;

namespace {

// ---- a minimal JSON checker: the grammar of RFC 8259, pure printable ASCII -------------

class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : s_(text) {}

  /// True when the whole text is one JSON object made of bytes 0x20..0x7e only.
  bool valid_ascii_object() {
    for (const char c : s_) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x20 || b > 0x7e) return false;
    }
    if (peek() != '{') return false;
    if (!value()) return false;
    ws();
    return pos_ == s_.size();
  }

 private:
  [[nodiscard]] char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool string() {
    if (peek() != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') continue;
      const char e = peek();
      ++pos_;
      if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) continue;
      if (e != 'u') return false;
      for (int i = 0; i < 4; ++i) {
        if (std::isxdigit(static_cast<unsigned char>(peek())) == 0) return false;
        ++pos_;
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    while (std::isdigit(static_cast<unsigned char>(peek())) != 0) ++pos_;
    return pos_ > start;
  }
  bool value() {
    ws();
    switch (peek()) {
      case '{':
        return members('}', true);
      case '[':
        return members(']', false);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }
  bool members(char close, bool object) {
    ++pos_;
    ws();
    if (peek() == close) {
      ++pos_;
      return true;
    }
    for (;;) {
      ws();
      if (object) {
        if (!string()) return false;
        ws();
        if (peek() != ':') return false;
        ++pos_;
      }
      if (!value()) return false;
      ws();
      if (peek() == close) {
        ++pos_;
        return true;
      }
      if (peek() != ',') return false;
      ++pos_;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

bool valid_json(const std::string& line) { return JsonChecker(line).valid_ascii_object(); }

// ---- building events ---------------------------------------------------------------------

template <std::size_t N>
void put(char (&field)[N], std::string_view text) {
  const std::size_t n = std::min(text.size(), N - 1);
  std::memcpy(field, text.data(), n);
  field[n] = '\0';
}

tg_verdict army_verdict() {
  tg_verdict v{};
  v.action = TG_ACTION_NXDOMAIN;
  v.lookalike = 1;
  v.in_scope = 1;
  v.watched = 1;
  v.technique = static_cast<std::uint8_t>(tg::Technique::SuffixTypo);
  put(v.technique_name, "suffix-typo");
  put(v.protected_domain, "army.mil");
  put(v.matched, "army.ml");
  put(v.evidence, "army.ml is army.mil with 'i' deleted in the suffix");
  put(v.policy_revision, "2026-11-23.1");
  return v;
}

const std::vector<std::uint8_t> kArmyMl{4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
const std::vector<std::uint8_t> kMailArmyMl{4,   'M', 'a', 'i', 'L', 4,   'a',
                                            'r', 'm', 'y', 2,   'm', 'l', 0};

/// 2026-11-23T17:02:11.123Z
std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{1795453331123LL}};
}

struct EventFixture {
  tg_verdict verdict = army_verdict();
  tg_client client{};
  std::vector<std::uint8_t> qname = kArmyMl;
  tg_event event{};

  EventFixture() {
    client.address[0] = 10;
    client.address[1] = 1;
    client.address[2] = 2;
    client.address[3] = 3;
    client.port = 53211;
    event.qtype = 15;
    event.qclass = 1;
    event.query_id = 4711;
    event.client = &client;
    event.rcode = 3;
    event.answer = TG_ANSWER_NXDOMAIN;
    event.stage = TG_STAGE_QUERY;
    event.verdict = &verdict;
  }

  std::string line(const std::string& host = "resolver1") {
    event.qname = qname.data();
    event.qname_len = qname.size();
    std::string out = tg::audit::format_event(tg::capi::to_event(event), fixed_time(), host);
    INFO(out);
    CHECK(valid_json(out));
    return out;
  }
};

std::string name_of(const std::vector<std::uint8_t>& wire) {
  EventFixture f;
  f.qname = wire;
  const std::string line = f.line();
  const std::string key = R"("question":{"name":")";
  const std::size_t start = line.find(key);
  REQUIRE(start != std::string::npos);
  const std::size_t from = start + key.size();
  return line.substr(from, line.find(R"(","type")", from) - from);
}

// ---- files -----------------------------------------------------------------------------

using tg::test::TempDir;

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> lines;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Collects what an EventLog reports.
struct Reports {
  std::mutex mutex;
  std::vector<std::pair<Severity, std::string>> items;

  tg::audit::Reporter reporter() {
    return [this](Severity s, const std::string& m) {
      const std::lock_guard<std::mutex> lock(mutex);
      items.emplace_back(s, m);
    };
  }
  std::size_t count(Severity s, const std::string& part) {
    const std::lock_guard<std::mutex> lock(mutex);
    std::size_t n = 0;
    for (const auto& [severity, message] : items) {
      if (severity == s && message.find(part) != std::string::npos) ++n;
    }
    return n;
  }
};

void submit_numbered(EventLog& log, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i) log.submit(prefix + std::to_string(i));
}

}  // namespace

// ---- format ------------------------------------------------------------------------------

TEST_CASE("audit: a blocked event is one exact ECS line", "[audit]") {
  EventFixture f;
  const std::string expected =
      R"({"@timestamp":"2026-11-23T17:02:11.123Z","ecs":{"version":"8.11.0"},)"
      R"("event":{"kind":"alert","category":["network"],"type":["denied"],)"
      R"("action":"dns-typo-blocked","outcome":"success","module":"typoguard",)"
      R"("dataset":"typoguard.events","reason":"army.ml is army.mil with 'i' deleted in the suffix"},)"
      R"("observer":{"product":"typoguard","type":"dns","hostname":"resolver1"},)"
      R"("source":{"ip":"10.1.2.3","port":53211},)"
      R"("dns":{"type":"query","id":"4711","question":{"name":"army.ml","type":"MX","class":"IN"},)"
      R"("response_code":"NXDOMAIN"},)"
      R"("rule":{"name":"suffix-typo","id":"army.mil/suffix-typo","ruleset":"typoguard",)"
      R"("category":"typosquatting","version":"2026-11-23.1"},)"
      R"("typoguard":{"protected_domain":"army.mil","technique":"suffix-typo","matched":"army.ml",)"
      R"("evidence":"army.ml is army.mil with 'i' deleted in the suffix","mode":"enforce",)"
      R"("action":"nxdomain","answer":"nxdomain","stage":"query","policy_revision":"2026-11-23.1"}})";
  CHECK(f.line() == expected);
}

TEST_CASE("audit: sinkhole, nodata and monitor events name their kind and mode", "[audit]") {
  EventFixture f;
  SECTION("sinkhole") {
    f.verdict.action = TG_ACTION_SINKHOLE;
    f.event.answer = TG_ANSWER_SINKHOLE;
    f.event.rcode = 0;
    const std::string line = f.line();
    CHECK(line.find(R"("type":["denied"],"action":"dns-typo-sinkholed")") != std::string::npos);
    CHECK(line.find(R"("response_code":"NOERROR")") != std::string::npos);
    CHECK(line.find(R"("mode":"enforce","action":"sinkhole","answer":"sinkhole")") !=
          std::string::npos);
  }
  SECTION("nodata") {
    f.verdict.action = TG_ACTION_SINKHOLE;
    f.event.answer = TG_ANSWER_NODATA;
    f.event.rcode = 0;
    const std::string line = f.line();
    CHECK(line.find(R"("action":"dns-typo-sinkholed")") != std::string::npos);
    CHECK(line.find(R"("answer":"nodata")") != std::string::npos);
  }
  SECTION("monitor") {
    f.verdict.action = TG_ACTION_LOG_ONLY;
    f.verdict.monitor = 1;
    f.event.answer = TG_ANSWER_RESOLVED;
    f.event.rcode = 0;
    const std::string line = f.line();
    CHECK(line.find(R"("type":["allowed"],"action":"dns-typo-observed")") != std::string::npos);
    CHECK(line.find(R"("mode":"monitor","action":"log-only","answer":"resolved")") !=
          std::string::npos);
  }
  SECTION("unknown stage, rcode, type and other classes") {
    f.event.stage = static_cast<tg_stage>(3);  // the largest value the C++ enum can hold
    f.event.rcode = 23;
    f.event.qtype = 4242;
    f.event.qclass = 3;
    const std::string line = f.line();
    CHECK(line.find(R"("stage":"unknown")") != std::string::npos);
    CHECK(line.find(R"("type":"TYPE4242","class":"CH"},"response_code":"RCODE23")") !=
          std::string::npos);
  }
}

TEST_CASE("audit: source is omitted without a client and written for IPv6", "[audit]") {
  EventFixture f;
  SECTION("no client") {
    f.event.client = nullptr;
    CHECK(f.line().find("\"source\"") == std::string::npos);
  }
  SECTION("IPv6, no port") {
    const std::uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35};
    f.client.ipv6 = 1;
    std::memcpy(f.client.address, v6, sizeof v6);
    f.client.port = 0;
    CHECK(f.line().find(R"("source":{"ip":"2001:db8::35"},)") != std::string::npos);
  }
  SECTION("empty hostname, unknown query id") {
    f.event.query_id = 0;
    const std::string line = f.line("");
    CHECK(line.find(R"("observer":{"product":"typoguard","type":"dns"},)") != std::string::npos);
    CHECK(line.find(R"("dns":{"type":"query","question")") != std::string::npos);
  }
}

TEST_CASE("audit: secondary technique and CNAME target at the answer stage", "[audit]") {
  EventFixture f;
  f.verdict.technique = static_cast<std::uint8_t>(tg::Technique::SuffixTypo);
  f.verdict.secondary = static_cast<std::uint8_t>(tg::Technique::Omission);
  const std::vector<std::uint8_t> target{3, 'A', 'r', 'M', 2, 'm', 'l', 0};
  f.event.target = target.data();
  f.event.target_len = target.size();
  f.event.stage = TG_STAGE_ANSWER;
  f.qname = kMailArmyMl;
  const std::string line = f.line();
  CHECK(line.find(R"("name":"mail.army.ml")") != std::string::npos);
  CHECK(line.find(R"("technique":"suffix-typo","secondary_technique":"omission",)") !=
        std::string::npos);
  CHECK(line.find(R"("stage":"answer","target":"arm.ml","policy_revision")") != std::string::npos);
  CHECK(line.find("malformed") == std::string::npos);
}

TEST_CASE("audit: name bytes outside a-z 0-9 - _ become \\DDD", "[audit]") {
  const std::vector<std::uint8_t> wire{11,   'a', 0x00, '"', '\\', '.', ' ', 0xff, 0xd0,
                                       0xb0, 'Z', '_',  3,   'c',  '-', '9', 0};
  CHECK(name_of(wire) == R"(a\\000\\034\\092\\046\\032\\255\\208\\176z_.c-9)");
  CHECK(name_of({0}) == ".");
  CHECK(name_of({1, '*', 0}) == R"(\\042)");
}

TEST_CASE("audit: malformed wire names are written as far as they can be read", "[audit]") {
  CHECK(name_of({4, 'a', 'r'}) == "ar");                          // label runs past the end
  CHECK(name_of({4, 'a', 'r', 'm', 'y'}) == "army");              // no root label
  CHECK(name_of({4, 'a', 'r', 'm', 'y', 0xc0, 0x0c}) == "army");  // compression pointer
  CHECK(name_of({2, 'a', 'b', 64, 'x', 0}) == "ab");              // length byte > 63
  CHECK(name_of({1, 'a', 0, 1, 'b', 0}) == "a");                  // bytes after the root
  CHECK(name_of({}) == "");
  EventFixture f;
  f.qname = {4, 'a', 'r'};
  CHECK(f.line().find(R"("malformed_name":true,)") != std::string::npos);
  f.event.qname_len = 0;
  f.event.qname = nullptr;
  const std::string null_name =
      tg::audit::format_event(tg::capi::to_event(f.event), fixed_time(), "h");
  CHECK(valid_json(null_name));
  CHECK(null_name.find(R"("question":{"name":"",)") != std::string::npos);
  const std::vector<std::uint8_t> bad_target{63, 'x'};
  f.event.target = bad_target.data();
  f.event.target_len = bad_target.size();
  const std::string line = f.line();
  CHECK(line.find(R"("target":"x","malformed_target":true,)") != std::string::npos);
}

TEST_CASE("audit: a wire name longer than 255 bytes is cut there and marked malformed", "[audit]") {
  EventFixture f;
  f.qname.clear();
  for (int i = 0; i < 64; ++i) {  // 4,096 bytes of 63-byte labels and no root label
    f.qname.push_back(63);
    f.qname.insert(f.qname.end(), 63, '\x01');
  }
  f.event.target = f.qname.data();
  f.event.target_len = f.qname.size();
  const std::string line = f.line();
  REQUIRE_FALSE(line.empty());
  CHECK(line.find(R"("malformed_name":true)") != std::string::npos);
  CHECK(line.find(R"("malformed_target":true)") != std::string::npos);
  CHECK(line.size() < 4000);
  f.event.target = nullptr;
  f.qname = {3, 'a', 'b', 'c', 0};
  f.qname.insert(f.qname.end(), 300, 'x');  // bytes after the root, past 255
  const std::string trailing = f.line();
  CHECK(trailing.find(R"("name":"abc","type")") != std::string::npos);
  CHECK(trailing.find(R"("malformed_name":true)") != std::string::npos);
}

TEST_CASE("audit: verdict strings come out as pure-ASCII JSON", "[audit]") {
  EventFixture f;
  // quote, backslash, tab, DEL, Cyrillic a, U+1F600, a lone continuation byte, a truncated
  // sequence at the end
  put(f.verdict.evidence, "q\"b\\t\tx\x7f\xd0\xb0\xf0\x9f\x98\x80\x80z\xe2\x82");
  put(f.verdict.protected_domain, "\xd0\xb0rmy.mil");
  const std::string line = f.line();
  CHECK(line.find(R"("evidence":"q\"b\\t\u0009x\u007f\u0430\ud83d\ude00\ufffdz\ufffd\ufffd")") !=
        std::string::npos);
  CHECK(line.find(R"("id":"\u0430rmy.mil/suffix-typo")") != std::string::npos);
  // an array filled to the last byte without a terminator is read in bounds
  std::memset(f.verdict.matched, 'm', sizeof f.verdict.matched);
  const std::string full = f.line();
  CHECK(full.find("\"matched\":\"" + std::string(sizeof f.verdict.matched, 'm') + "\"") !=
        std::string::npos);
}

TEST_CASE("audit: text is escaped the same wherever the special bytes fall", "[audit]") {
  // A byte-at-a-time reference for ASCII plus lone continuation bytes (each one malformed).
  const auto reference = [](const std::string& in) {
    std::string out;
    for (const char ch : in) {
      const auto b = static_cast<unsigned char>(ch);
      if (b == '"' || b == '\\') {
        out += '\\';
        out += ch;
      } else if (b < 0x20 || b == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", b);
        out += buf;
      } else if (b >= 0x80) {
        out += "\\ufffd";
      } else {
        out += ch;
      }
    }
    return out;
  };
  std::mt19937 rng(5);
  const char specials[] = {'"', '\\', '\x1f', '\x7f', '\x80', '\t', '\0'};
  EventFixture f;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const std::size_t n = rng() % 60;
    for (std::size_t k = 0; k < n; ++k) {
      text += rng() % 9 == 0 ? specials[rng() % sizeof specials]
                             : static_cast<char>(0x20 + rng() % 0x5f);
    }
    std::memset(f.verdict.evidence, 0, sizeof f.verdict.evidence);
    std::memcpy(f.verdict.evidence, text.data(), text.size());
    const std::string visible = text.substr(0, text.find('\0'));  // the field ends at a NUL
    const std::string line = f.line();
    INFO(line);
    CHECK(line.find("\"evidence\":\"" + reference(visible) + "\"") != std::string::npos);
  }
}

TEST_CASE("audit: timestamps are UTC with milliseconds", "[audit]") {
  EventFixture f;
  f.event.qname = f.qname.data();
  f.event.qname_len = f.qname.size();
  const auto epoch = std::chrono::system_clock::time_point{std::chrono::milliseconds{5}};
  CHECK(tg::audit::format_event(tg::capi::to_event(f.event), epoch, "")
            .rfind(R"({"@timestamp":"1970-01-01T00:00:00.005Z",)", 0) == 0);
  // 2028-02-29T23:59:59.999Z (a leap day, the last millisecond of it)
  const auto leap =
      std::chrono::system_clock::time_point{std::chrono::milliseconds{1835481599999LL}};
  CHECK(tg::audit::format_event(tg::capi::to_event(f.event), leap, "")
            .rfind(R"({"@timestamp":"2028-02-29T23:59:59.999Z",)", 0) == 0);
}

TEST_CASE("audit: the largest possible line fits kMaxEventLine; a smaller buffer fails cleanly",
          "[audit]") {
  EventFixture f;
  // Every text field full of bytes that escape to six characters, names of 255 wire bytes
  // that escape to \\DDD, a hostname of the longest length the engine keeps.
  for (char* text : {f.verdict.technique_name, f.verdict.protected_domain, f.verdict.matched,
                     f.verdict.evidence, f.verdict.policy_revision}) {
    std::size_t size = 0;
    if (text == f.verdict.technique_name) size = sizeof f.verdict.technique_name;
    if (text == f.verdict.protected_domain) size = sizeof f.verdict.protected_domain;
    if (text == f.verdict.matched) size = sizeof f.verdict.matched;
    if (text == f.verdict.evidence) size = sizeof f.verdict.evidence;
    if (text == f.verdict.policy_revision) size = sizeof f.verdict.policy_revision;
    std::memset(text, 0x01, size);
  }
  std::vector<std::uint8_t> name;
  while (name.size() + 64 < 255) {
    name.push_back(63);
    name.insert(name.end(), 63, 0x01);
  }
  name.push_back(static_cast<std::uint8_t>(254 - name.size()));
  name.insert(name.end(), 254 - name.size(), 0x01);
  name.push_back(0);
  REQUIRE(name.size() == 255);
  f.qname = name;
  f.event.target = name.data();
  f.event.target_len = name.size();
  f.client.ipv6 = 1;
  std::memset(f.client.address, 0xab, sizeof f.client.address);
  const std::string host(tg::audit::kMaxHostname, '\x01');
  const std::string line = f.line(host);
  INFO("line length " << line.size());
  CHECK(line.size() > 10000);
  CHECK(line.size() <= tg::audit::kMaxEventLine);
  CHECK(line.find("\\u0001\\u0001") != std::string::npos);

  std::vector<char> small(line.size() - 1);
  CHECK(tg::audit::format_event_into(small.data(), small.size(), tg::capi::to_event(f.event),
                                     fixed_time(), host) == 0);
  std::vector<char> exact(line.size());
  CHECK(tg::audit::format_event_into(exact.data(), exact.size(), tg::capi::to_event(f.event),
                                     fixed_time(), host) == line.size());
  CHECK(std::string(exact.data(), exact.size()) == line);
}

// ---- writer ------------------------------------------------------------------------------

TEST_CASE("audit: the event log writes every line and counts it", "[audit]") {
  const TempDir dir("tg-audit-test");
  const fs::path file = dir.path() / "events.json";
  Reports reports;
  EventLog log(0, reports.reporter());
  log.set_path(file.string());
  submit_numbered(log, "line ", 200);
  log.flush();
  const tg::audit::EventLogStats s = log.stats();
  CHECK(s.queued == 200);
  CHECK(s.written == 200);
  CHECK(s.dropped == 0);
  CHECK(s.reopens == 0);
  const std::vector<std::string> lines = lines_of(file);
  REQUIRE(lines.size() == 200);
  CHECK(lines.front() == "line 0");
  CHECK(lines.back() == "line 199");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777 & ~static_cast<mode_t>(0640)) == 0);  // at most rw-r-----
}

TEST_CASE("audit: the event log follows logrotate: move, delete, copytruncate", "[audit]") {
  const TempDir dir("tg-audit-test");
  const fs::path file = dir.path() / "events.json";
  Reports reports;
  EventLog log(0, reports.reporter());
  log.set_path(file.string());
  submit_numbered(log, "before ", 5);
  log.flush();

  SECTION("moved away (logrotate create)") {
    fs::rename(file, dir.path() / "events.json.1");
    submit_numbered(log, "late ", 1);  // may still land in the moved file: checks once a second
    log.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    submit_numbered(log, "after ", 7);
    log.flush();
    const std::vector<std::string> fresh = lines_of(file);
    REQUIRE(fresh.size() == 7);
    CHECK(fresh.front() == "after 0");
    CHECK(lines_of(dir.path() / "events.json.1").size() == 6);
    CHECK(log.stats().reopens >= 1);
    CHECK(reports.count(Severity::Info, "event log reopened after rotation: " + file.string()) ==
          1);
  }
  SECTION("deleted") {
    fs::remove(file);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    submit_numbered(log, "after ", 3);
    log.flush();
    CHECK(lines_of(file).size() == 3);
    CHECK(log.stats().reopens == 1);
  }
  SECTION("copytruncate") {
    fs::resize_file(file, 0);
    submit_numbered(log, "after ", 2);
    log.flush();
    const std::vector<std::string> lines = lines_of(file);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "after 0");
    CHECK(log.stats().reopens == 0);
  }
  CHECK(log.stats().dropped == 0);
}

TEST_CASE("audit: an event log that cannot be opened drops, reports, and recovers", "[audit]") {
  const TempDir dir("tg-audit-test");
  Reports reports;
  EventLog log(0, reports.reporter());

  SECTION("missing directory, created later") {
    const fs::path sub = dir.path() / "not-yet";
    const fs::path file = sub / "events.json";
    log.set_path(file.string());
    submit_numbered(log, "lost ", 5);
    log.flush();
    CHECK(log.stats().written == 0);
    CHECK(log.stats().dropped == 5);
    CHECK(reports.count(Severity::Error, "cannot open event log " + file.string() + ": ") == 1);
    fs::create_directories(sub);
    std::this_thread::sleep_for(std::chrono::milliseconds(5200));  // the retry interval
    submit_numbered(log, "kept ", 3);
    log.flush();
    const std::vector<std::string> lines = lines_of(file);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "kept 0");
    CHECK(log.stats().reopens == 1);
    CHECK(reports.count(Severity::Info, file.string()) == 1);
  }
  SECTION("the path is a directory; set_path() to a good file") {
    log.set_path(dir.path().string());
    submit_numbered(log, "lost ", 2);
    log.flush();
    CHECK(log.stats().dropped == 2);
    CHECK(reports.count(Severity::Error, "cannot open event log " + dir.path().string()) == 1);
    const fs::path file = dir.path() / "events.json";
    log.set_path(file.string());
    submit_numbered(log, "kept ", 2);
    log.flush();
    CHECK(lines_of(file).size() == 2);
    CHECK(log.stats().written == 2);
  }
  SECTION("no path") {
    submit_numbered(log, "lost ", 2);
    log.set_path("");
    submit_numbered(log, "lost ", 2);
    log.flush();
    CHECK(log.stats().dropped == 4);
    CHECK(reports.count(Severity::Error, "") == 0);
  }
  SECTION("write errors (ENOSPC on /dev/full) are reported once per streak") {
    log.set_path("/dev/full");
    submit_numbered(log, "lost ", 4);
    log.flush();
    CHECK(log.stats().dropped == 4);
    CHECK(log.stats().written == 0);
    CHECK(reports.count(Severity::Error, "cannot write event log /dev/full: ") == 1);
  }
}

TEST_CASE("audit: a queue overrun drops the oldest lines and counts them", "[audit]") {
  const TempDir dir("tg-audit-test");
  Reports reports;
  constexpr int kBurst = 20000;

  SECTION("stalled writer: a FIFO nobody reads yet") {
    const fs::path fifo = dir.path() / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::vector<std::string> received;
    std::thread reader;
    std::uint64_t written = 0;
    {
      EventLog log(2, reports.reporter());
      log.set_path(fifo.string());
      log.submit("first");  // the writer blocks in open() until a reader comes
      submit_numbered(log, "burst ", kBurst);
      reader = std::thread([&received, &fifo] {
        std::ifstream in(fifo);
        for (std::string line; std::getline(in, line);) received.push_back(line);
      });
      log.flush();
      const tg::audit::EventLogStats s = log.stats();
      CHECK(s.queued == kBurst + 1);
      CHECK(s.written + s.dropped == s.queued);
      CHECK(s.dropped >= kBurst - 3);
      CHECK(s.written >= 1);
      written = s.written;
    }  // closes the FIFO: the reader sees EOF
    reader.join();
    CHECK(received.size() == written);
    CHECK(received.back() == "burst " + std::to_string(kBurst - 1));  // the newest stays
    CHECK(reports.count(Severity::Warning, "dropped") >= 1);
  }
  SECTION("plain file: the counters always add up") {
    const fs::path file = dir.path() / "events.json";
    EventLog log(2, reports.reporter());
    log.set_path(file.string());
    submit_numbered(log, "burst ", kBurst);
    log.flush();
    const tg::audit::EventLogStats s = log.stats();
    CHECK(s.queued == kBurst);
    CHECK(s.written + s.dropped == s.queued);
    CHECK(lines_of(file).size() == s.written);
  }
}

TEST_CASE("audit: destroying an event log with pending lines writes them and joins", "[audit]") {
  const TempDir dir("tg-audit-test");
  const fs::path file = dir.path() / "events.json";
  for (int round = 0; round < 50; ++round) {
    EventLog log(0, nullptr);
    log.set_path(file.string());
    submit_numbered(log, "round " + std::to_string(round) + " ", 100);
  }
  CHECK(lines_of(file).size() == 5000);
  for (int round = 0; round < 50; ++round) {
    EventLog idle(16, nullptr);  // never given a path or a line
  }
}

TEST_CASE("audit: four threads submit at once; lines stay whole", "[audit][threads]") {
  const TempDir dir("tg-audit-test");
  const fs::path file = dir.path() / "events.json";
  Reports reports;
  EventLog log(0, reports.reporter());
  log.set_path(file.string());
  std::vector<std::thread> threads;
  threads.reserve(4);
  const std::string payload(300, 'x');
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, &payload, t] {
      for (int i = 0; i < 1000; ++i) {
        std::string line = std::to_string(t);  // built in steps: GCC 12 -O3 warns (-Wrestrict,
        line.insert(0, 1, 't');                // a known false positive) on "t" + ... + payload
        line += ' ';
        line += payload;
        log.submit(std::move(line));
      }
    });
  }
  std::thread reader([&log] {
    for (int i = 0; i < 100; ++i) (void)log.stats();
  });
  for (std::thread& t : threads) t.join();
  reader.join();
  log.flush();
  const tg::audit::EventLogStats s = log.stats();
  CHECK(s.queued == 4000);
  CHECK(s.written + s.dropped == 4000);
  const std::vector<std::string> lines = lines_of(file);
  CHECK(lines.size() == s.written);
  for (const std::string& line : lines) {
    REQUIRE(line.size() == 3 + payload.size());
    REQUIRE(line.substr(3) == payload);
  }
}
