// SPDX-License-Identifier: BSD-3-Clause
#include "output.hpp"

#include <unistd.h>

#include <cstdint>
#include <optional>

#include "name/utf8.hpp"

namespace tg::cli {

namespace {

/// Buffer size at which Writer::line() writes the buffer out.
constexpr std::size_t kWriterBlock = std::size_t{64} * 1024;

/// A decoded UTF-8 sequence: its code point and length in bytes.
struct CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 0;
};

/// Decodes one well-formed UTF-8 sequence at the start of `text`; std::nullopt if the bytes
/// there are not one (see tg::decode_utf8).
std::optional<CodePoint> decode_utf8(std::string_view text) {
  const tg::Utf8Char u = tg::decode_utf8(text, 0);
  if (!u.valid) return std::nullopt;
  return CodePoint{static_cast<std::uint32_t>(u.code_point), u.length};
}

void append_ddd_escape(std::string& out, std::uint8_t byte) {
  out += '\\';
  out += static_cast<char>('0' + byte / 100);
  out += static_cast<char>('0' + byte / 10 % 10);
  out += static_cast<char>('0' + byte % 10);
}

void append_json_or_null(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += "null";
  } else {
    append_json_string(out, text);
  }
}

std::string_view technique_or_empty(Technique technique) {
  return technique == Technique::None ? std::string_view() : technique_name(technique);
}

}  // namespace

Writer::Writer(std::FILE* stream) : stream_(stream), interactive_(isatty(fileno(stream)) == 1) {
  buffer_.reserve(kWriterBlock + 4096);
}

Writer::~Writer() { flush(); }

void Writer::write(std::string_view text) { buffer_ += text; }

void Writer::line(std::string_view text) {
  buffer_ += text;
  buffer_ += '\n';
  if (interactive_ || buffer_.size() >= kWriterBlock) flush();
}

bool Writer::flush() {
  if (!buffer_.empty() && !failed_) {
    failed_ = std::fwrite(buffer_.data(), 1, buffer_.size(), stream_) != buffer_.size();
  }
  buffer_.clear();
  if (!failed_) failed_ = std::fflush(stream_) != 0;
  return !failed_;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<std::uint8_t>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    const std::optional<CodePoint> code_point = decode_utf8(text.substr(i));
    if (!code_point || code_point->value < 0xA0) {
      append_ddd_escape(out, byte);
      ++i;
      continue;
    }
    out += text.substr(i, code_point->length);
    i += code_point->length;
  }
  return out;
}

std::string describe_text(std::string_view name, const NameInfo& info, const Match& match) {
  std::string out = printable(name);
  if (!info.ascii_only) {
    // Show the other spelling: the Unicode a reader sees for punycode input, the A-label for
    // Unicode input.
    const std::string ascii = info.ascii();
    out += " (" + printable(name == ascii ? info.unicode() : ascii) + ")";
  }
  const std::string target = printable(match.protected_domain);
  switch (match.verdict) {
    case Verdict::Clean:
      out += " is clean";
      return out;
    case Verdict::Protected:
      out += " is protected (" + target + ")";
      return out;
    case Verdict::Allowed:
      out += " is allowed (allow-list: " + target + ")";
      return out;
    case Verdict::LookAlike:
      break;
  }
  if (match.technique == Technique::BlockedSuffix) {
    out += " is a look-alike: blocked-suffix";
    if (match.evidence.empty()) out += " ." + target;
  } else {
    out += " is a look-alike of " + target;
    if (!match.matched.empty() && match.matched != info.ascii()) {
      out += " (as " + printable(match.matched) + ")";
    }
    out += ": ";
    out += technique_name(match.technique);
    if (match.secondary != Technique::None) {
      out += " + ";
      out += technique_name(match.secondary);
    }
  }
  if (!match.evidence.empty()) out += ", " + printable(match.evidence);
  return out;
}

std::string describe_json(std::string_view name, const Match& match) {
  std::string out;
  out.reserve(160);
  out += "{\"name\":";
  append_json_string(out, escape_name(name));
  out += ",\"verdict\":";
  append_json_string(out, verdict_name(match.verdict));
  out += ",\"protected\":";
  append_json_or_null(out, match.protected_domain);
  out += ",\"technique\":";
  append_json_or_null(out, technique_or_empty(match.technique));
  out += ",\"secondary_technique\":";
  append_json_or_null(out, technique_or_empty(match.secondary));
  out += ",\"matched\":";
  append_json_or_null(out, match.matched);
  out += ",\"evidence\":";
  append_json_or_null(out, match.evidence);
  out += '}';
  return out;
}

}  // namespace tg::cli
