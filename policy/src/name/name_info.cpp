// SPDX-License-Identifier: BSD-3-Clause
#include "name/name_info.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "name/ascii.hpp"
#include "name/idna.hpp"
#include "name/psl.hpp"

namespace tg {
namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxPresentation = 253;
// A wire label may contain a '.' byte; inside a split presentation it would read as a label
// separator, so it is kept as DEL, which no technique ever matches.
constexpr char kDotInLabel = '\x7f';

// Decodes an "xn--" label. libidn2's to_unicode neither validates nor lower-cases, so the
// decoded form is mapped back with a TR46 lookup and must give the same A-label to count as
// valid (detection-anchors §3.2). A decodable but invalid label keeps its decoded text: the
// homoglyph check still sees what a reader would see.
void decode_punycode(LabelInfo& label) {
  std::optional<std::string> decoded = to_u_label(label.ascii);
  if (!decoded) {
    label.invalid_punycode = true;
    return;
  }
  const std::optional<std::string> roundtrip = to_a_label(*decoded);
  label.invalid_punycode = !roundtrip || label.ascii != *roundtrip;
  label.unicode = std::move(*decoded);
  if (label.unicode.empty()) label.invalid_punycode = true;
}

void finish(NameInfo& info, const PublicSuffixList& psl, bool private_suffixes) {
  std::size_t total = 0;
  for (LabelInfo& label : info.labels) {
    total += label.ascii.size() + 1;
    if (label.ascii.empty() || label.ascii.size() > kMaxLabel) info.malformed = true;
    label.ldh = all_plain_label_chars(label.ascii);
    label.punycode = label.ascii.size() > 4 && label.ascii.starts_with("xn--");
    label.unicode = label.ascii;
    if (label.punycode && label.ldh) decode_punycode(label);
    if (label.unicode != label.ascii) info.ascii_only = false;
  }
  if (total > kMaxPresentation + 1) info.malformed = true;
  if (!info.labels.empty()) {
    info.suffix_labels = psl.suffix_labels(info.tail(0, false), private_suffixes);
    if (info.suffix_labels > info.labels.size()) info.suffix_labels = info.labels.size();
  }
}

// Maps a Unicode presentation name to A-labels (UTS #46, non-transitional, which also
// lower-cases and maps full-width dots). Returns the input unchanged when that fails.
std::string to_ascii(std::string_view text) {
  std::string input(text);
  if (std::optional<std::string> ascii = to_a_label(input, {.nfc_input = true})) {
    return std::move(*ascii);
  }
  return input;
}

}  // namespace

std::string NameInfo::tail(std::size_t first, bool unicode_form) const {
  std::string out;
  for (std::size_t i = first; i < labels.size(); ++i) {
    if (i != first) out.push_back('.');
    out += unicode_form ? labels[i].unicode : labels[i].ascii;
  }
  return out;
}

std::string NameInfo::ascii() const { return labels.empty() ? std::string(".") : tail(0, false); }

std::string NameInfo::unicode() const { return labels.empty() ? std::string(".") : tail(0, true); }

std::size_t NameInfo::registrable_index() const noexcept {
  // No suffix (a name made of one empty label) means no registrable label either.
  if (suffix_labels == 0 || labels.size() <= suffix_labels) return labels.size();
  return labels.size() - suffix_labels - 1;
}

NameInfo analyse_name(std::string_view text, const PublicSuffixList& psl, bool private_suffixes) {
  NameInfo info;
  if (text.ends_with('.')) text.remove_suffix(1);
  if (text.empty()) return info;  // the root

  bool non_ascii = false;
  for (const char c : text) non_ascii = non_ascii || (static_cast<unsigned char>(c) >= 0x80);
  const std::string ascii = non_ascii ? to_ascii(text) : std::string(text);
  info.labels.reserve(static_cast<std::size_t>(std::count(ascii.begin(), ascii.end(), '.')) + 1);

  std::size_t start = 0;
  while (true) {
    const std::size_t dot = ascii.find('.', start);
    LabelInfo label;
    const std::string_view piece = std::string_view(ascii).substr(
        start, dot == std::string::npos ? std::string::npos : dot - start);
    label.ascii.reserve(piece.size());
    for (const char c : piece) label.ascii.push_back(ascii_lower(c));
    info.labels.push_back(std::move(label));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  finish(info, psl, private_suffixes);
  return info;
}

NameInfo analyse_wire_name(const std::uint8_t* wire, std::size_t len, const PublicSuffixList& psl,
                           bool private_suffixes) {
  NameInfo info;
  std::size_t pos = 0;
  while (true) {
    if (pos >= len) {  // ran off the buffer without the root label
      info.malformed = true;
      break;
    }
    const std::size_t n = wire[pos];
    if (n == 0) break;
    if (n > kMaxLabel || pos + 1 + n > len) {  // compression pointer or truncated label
      info.malformed = true;
      break;
    }
    LabelInfo label;
    label.ascii.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const char c = static_cast<char>(wire[pos + 1 + i]);
      label.ascii.push_back(c == '.' ? kDotInLabel : ascii_lower(c));
    }
    info.labels.push_back(std::move(label));
    pos += 1 + n;
  }
  finish(info, psl, private_suffixes);
  return info;
}

std::string escape_name(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (const char c : raw) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f || c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + b / 100));
      out.push_back(static_cast<char>('0' + (b / 10) % 10));
      out.push_back(static_cast<char>('0' + b % 10));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace tg
