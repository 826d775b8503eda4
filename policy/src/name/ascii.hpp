// SPDX-License-Identifier: BSD-3-Clause
// The ASCII text of DNS names, written once: lower-casing (and upper-casing, for the names of
// RR types), the letter-digit-hyphen rules, counting labels, the last labels of a name, and
// whether a name lies at or under a domain. Names are in presentation form without escapes
// ("mail.army.mil", a trailing dot allowed where said). No locale, no UTF-8: bytes from 0x80
// up are never letters here. All inline: the query path uses them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tg {

/// `c` lower-cased when it is A-Z, otherwise `c` itself. Never fails.
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Lower-cases every A-Z byte of `text` in place; other bytes are left alone. Never fails.
constexpr void ascii_lower_in_place(std::string& text) noexcept {
  for (char& c : text) c = ascii_lower(c);
}

/// A copy of `text` with every A-Z byte lower-cased. Throws only std::bad_alloc.
[[nodiscard]] inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  ascii_lower_in_place(out);
  return out;
}

/// `c` upper-cased when it is a-z, otherwise `c` itself. Never fails.
[[nodiscard]] constexpr char ascii_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

/// A copy of `text` with every a-z byte upper-cased ("aaaa" -> "AAAA"). Throws only
/// std::bad_alloc.
[[nodiscard]] inline std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

/// a-z, 0-9 or '-': a byte of a host-name label (LDH) in lower case. Never fails.
[[nodiscard]] constexpr bool is_ldh_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/// is_ldh_char() or '_': a byte of a plain label, which may also be a service label such as
/// "_25" or "_tcp" (the bytes of name/plain_name.hpp, in lower case). Never fails.
[[nodiscard]] constexpr bool is_plain_label_char(char c) noexcept {
  // Spelt out rather than built on is_ldh_char(): GCC then tests letters first, with one
  // branch, in the per-byte loops of the query path.
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/// Whether every byte of `text` is_plain_label_char() (true for the empty string). Never
/// fails.
[[nodiscard]] constexpr bool all_plain_label_chars(std::string_view text) noexcept {
  for (const char c : text) {
    if (!is_plain_label_char(c)) return false;
  }
  return true;
}

/// Whether `label` is a host-name label: 1 to 63 is_ldh_char() bytes, neither the first nor
/// the last a hyphen ("army", "x-1"; not "", "-a", "a-", "Army", "_tcp"). Never fails.
[[nodiscard]] constexpr bool is_ldh_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (const char c : label) {
    if (!is_ldh_char(c)) return false;
  }
  return true;
}

/// Whether `name` is a plain name: one or more labels of 1 to 63 is_plain_label_char() bytes
/// joined with dots, no trailing dot ("_25._tcp.mail.army.mil"; not "", ".", "a..b",
/// "army.mil."). Never fails.
[[nodiscard]] constexpr bool is_plain_name(std::string_view name) noexcept {
  std::size_t label = 0;  // bytes of the current label
  for (const char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!is_plain_label_char(c) || ++label > 63) return false;
  }
  return label != 0;
}

/// Number of labels of `name`: 0 for the root ("" or "."); one trailing dot does not count
/// ("army.mil" and "army.mil." have 2). An empty label inside counts ("a..b" has 3). Never
/// fails.
[[nodiscard]] constexpr std::size_t count_labels(std::string_view name) noexcept {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty()) return 0;
  std::size_t labels = 1;
  for (const char c : name) labels += c == '.' ? 1 : 0;
  return labels;
}

/// The last `labels` labels of `name`, a view into it: last_labels("mail.army.mil", 2) is
/// "army.mil". The whole name when it has no more labels than that; empty for 0 labels. One
/// trailing dot is ignored and not part of the result. Never fails.
[[nodiscard]] constexpr std::string_view last_labels(std::string_view name,
                                                     std::size_t labels) noexcept {
  if (name.ends_with('.')) name.remove_suffix(1);
  std::size_t start = name.size();  // where the labels taken so far begin
  for (; labels > 0; --labels) {
    if (start == 0) return name;
    const std::size_t dot = name.rfind('.', start - 1);
    if (dot == std::string_view::npos) return name;
    start = dot;
  }
  return start == name.size() ? name.substr(start) : name.substr(start + 1);
}

/// Whether `name` is `domain` or lies under it, label by label: "army.mil" and
/// "mail.army.mil" are at or under "army.mil", "xarmy.mil" (which only ends with the same
/// bytes) is not. Bytes are compared as they are, so both must be in the same case. One
/// trailing dot on either side is ignored; every name is at or under the root ("" or ".").
/// Never fails.
[[nodiscard]] constexpr bool at_or_under(std::string_view name, std::string_view domain) noexcept {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (domain.ends_with('.')) domain.remove_suffix(1);
  if (domain.empty() || name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

}  // namespace tg
