// SPDX-License-Identifier: BSD-3-Clause
#include "config/wording.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

#include "config/data_tree.hpp"
#include "config/source_text.hpp"
#include "name/ascii.hpp"

namespace tg::config {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string normalise_space(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += sep;
    out += items[i];
  }
  return out;
}

std::optional<std::string> first_quoted(std::string_view s, std::size_t after) {
  const std::size_t open = s.find('"', after);
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t close = s.find('"', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(s.substr(open + 1, close - open - 1));
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  const std::string lower = ascii_lower(word);
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(lower, ascii_lower(c));
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  if (best && best_distance <= limit && *best != word) return best;
  // An abbreviation ("descr" for "description") is a likely slip too.
  if (lower.size() >= 3) {
    for (const std::string& c : candidates) {
      if (c.starts_with(lower) && c != word) return c;
    }
  }
  return std::nullopt;
}

std::string describe_leaf(std::string_view path) {
  const std::string plain = strip_predicates(path);
  static const std::map<std::string, std::string, std::less<>> kWords{
      {"/typoguard:policy/protected-domain/name", "protected domain"},
      {"/typoguard:policy/allow-list/name", "allow-list entry"},
      {"/typoguard:policy/blocked-suffix/name", "blocked suffix"},
      {"/typoguard:policy/client-group/name", "client group name"},
      {"/typoguard:policy/answer/mx/host", "MX host"},
      {"/typoguard:policy/answer/soa/mname", "SOA mname"},
      {"/typoguard:policy/answer/soa/rname", "SOA rname"},
      {"/typoguard:policy/answer/sinkhole-ipv4", "sinkhole-ipv4"},
      {"/typoguard:policy/answer/sinkhole-ipv6", "sinkhole-ipv6"},
      {"/typoguard:policy/scope/client-group", "scope client-group"},
  };
  if (const auto it = kWords.find(plain); it != kWords.end()) return it->second;
  return last_step_name(plain);
}

std::string describe_node(std::string_view path) {
  const std::vector<PathStep> steps = split_data_path(path);
  if (steps.empty()) return "the file";
  const PathStep& last = steps.back();
  if (steps.size() == 1) return "the policy";
  if (!last.predicates.empty()) return last.name + " " + in_quotes(last.predicates.front().second);
  return last.name;
}

std::string no_policy_message(PolicyFormat format) {
  return format == PolicyFormat::Json
             ? "the file holds no policy: expected {\"typoguard:policy\": {...}}"
             : "the file holds no policy: expected <policy "
               "xmlns=\"urn:typoguard:yang:typoguard\">";
}

}  // namespace tg::config
