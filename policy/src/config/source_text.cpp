// SPDX-License-Identifier: BSD-3-Clause
#include "config/source_text.hpp"

#include <cstdint>

namespace tg {
namespace {

std::string_view strip_prefix(std::string_view name) noexcept {
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80U) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800U) {
    out.push_back(static_cast<char>(0xc0U | (cp >> 6U)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
  } else if (cp < 0x10000U) {
    out.push_back(static_cast<char>(0xe0U | (cp >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3fU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
  } else {
    out.push_back(static_cast<char>(0xf0U | (cp >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3fU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3fU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
  }
}

std::uint32_t hex_value(std::string_view digits, bool& ok) noexcept {
  std::uint32_t v = 0;
  for (const char c : digits) {
    v <<= 4U;
    if (c >= '0' && c <= '9') {
      v |= static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      ok = false;
    }
  }
  return v;
}

// Decodes the XML entities libyang understands; unknown ones are kept as written.
std::string decode_xml_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out.push_back(raw[i]);
      continue;
    }
    const std::size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back(raw[i]);
      continue;
    }
    const std::string_view entity = raw.substr(i + 1, semi - i - 1);
    bool ok = true;
    if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() > 2 && entity[0] == '#' && (entity[1] == 'x' || entity[1] == 'X')) {
      const std::uint32_t cp = hex_value(entity.substr(2), ok);
      if (ok) append_utf8(out, cp);
    } else if (entity.size() > 1 && entity[0] == '#') {
      std::uint32_t cp = 0;
      for (const char c : entity.substr(1)) {
        if (c < '0' || c > '9') ok = false;
        cp = cp * 10U + static_cast<std::uint32_t>(c - '0');
      }
      if (ok) append_utf8(out, cp);
    } else {
      ok = false;
    }
    if (!ok) {
      out.append(raw.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

}  // namespace

std::vector<PathStep> split_data_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '/') break;
    ++i;
    PathStep step;
    const std::size_t name_start = i;
    while (i < path.size() && path[i] != '/' && path[i] != '[') ++i;
    step.name = std::string(strip_prefix(path.substr(name_start, i - name_start)));
    while (i < path.size() && path[i] == '[') {
      ++i;
      const std::size_t eq = path.find('=', i);
      if (eq == std::string_view::npos || eq + 1 >= path.size()) return steps;
      std::string key(strip_prefix(path.substr(i, eq - i)));
      const char quote = path[eq + 1];
      if (quote != '\'' && quote != '"') return steps;
      const std::size_t close = path.find(quote, eq + 2);
      if (close == std::string_view::npos) return steps;
      step.predicates.emplace_back(std::move(key),
                                   std::string(path.substr(eq + 2, close - eq - 2)));
      i = close + 1;
      if (i < path.size() && path[i] == ']') ++i;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

SourceText::SourceText(std::string_view text, PolicyFormat format) {
  if (format == PolicyFormat::Json) {
    scan_json(text);
  } else {
    scan_xml(text);
  }
}

void SourceText::scan_json(std::string_view t) {
  struct Frame {
    bool array = false;
    std::string key;     // for arrays: the member the array belongs to
    std::string path;    // data path of the innermost object (a list entry with its key)
    bool entry = false;  // an object in an array: a list entry, keyed by its "name"
  };
  std::vector<Frame> stack;
  std::string current_key;
  std::string current_raw_key;  // as written, with a module prefix
  int line = 1;
  std::size_t i = 0;

  const auto value_name = [&]() -> const std::string& {
    return (!stack.empty() && stack.back().array) ? stack.back().key : current_key;
  };
  const auto skip_space = [&]() {
    while (i < t.size() && is_space(t[i])) {
      if (t[i] == '\n') ++line;
      ++i;
    }
  };

  while (i < t.size()) {
    const char c = t[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '"') {
      const int start_line = line;
      std::string s;
      ++i;
      while (i < t.size() && t[i] != '"') {
        if (t[i] == '\n') ++line;
        if (t[i] == '\\' && i + 1 < t.size()) {
          const char e = t[i + 1];
          i += 2;
          switch (e) {
            case 'n':
              s.push_back('\n');
              break;
            case 't':
              s.push_back('\t');
              break;
            case 'r':
              s.push_back('\r');
              break;
            case 'b':
              s.push_back('\b');
              break;
            case 'f':
              s.push_back('\f');
              break;
            case 'u': {
              bool ok = i + 4 <= t.size();
              std::uint32_t cp = ok ? hex_value(t.substr(i, 4), ok) : 0;
              if (ok) i += 4;
              if (ok && cp >= 0xd800U && cp < 0xdc00U && i + 6 <= t.size() && t[i] == '\\' &&
                  t[i + 1] == 'u') {
                bool ok2 = true;
                const std::uint32_t low = hex_value(t.substr(i + 2, 4), ok2);
                if (ok2 && low >= 0xdc00U && low < 0xe000U) {
                  cp = 0x10000U + ((cp - 0xd800U) << 10U) + (low - 0xdc00U);
                  i += 6;
                }
              }
              if (ok) append_utf8(s, cp);
              break;
            }
            default:
              s.push_back(e);
              break;
          }
          continue;
        }
        s.push_back(t[i]);
        ++i;
      }
      ++i;  // closing quote
      const std::size_t after = i;
      const int after_line = line;
      skip_space();
      if (i < t.size() && t[i] == ':') {
        current_raw_key = s;
        current_key = std::string(strip_prefix(s));
        events_.push_back(TextEvent{current_key, {}, start_line, false, false});
        ++i;
      } else {
        i = after;
        line = after_line;
        if (!stack.empty() && stack.back().entry && current_key == "name") {
          stack.back().path += "[name='" + s + "']";
          stack.back().entry = false;
        }
        events_.push_back(TextEvent{value_name(), std::move(s), start_line, true, true});
      }
    } else if (c == '{') {
      Frame frame;
      if (!stack.empty() && stack.back().array) {
        frame.path = stack.back().path + "/" + stack.back().key;
        frame.entry = true;
      } else if (!stack.empty()) {
        frame.path =
            stack.back().path + "/" + (stack.back().path.empty() ? current_raw_key : current_key);
      }
      stack.push_back(std::move(frame));
      ++i;
    } else if (c == '[') {
      const std::string parent = stack.empty() ? std::string() : stack.back().path;
      stack.push_back(Frame{true, value_name(), parent, false});
      ++i;
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      ++i;
    } else if (c == ',') {
      ++i;
      skip_space();
      if (!trailing_comma_ && i < t.size() && (t[i] == '}' || t[i] == ']')) {
        trailing_comma_ = TrailingComma{line, t[i] == '}', std::string(t.substr(i, 20)),
                                        stack.empty() ? std::string() : stack.back().path};
      }
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
      const std::size_t start = i;
      while (i < t.size() && !is_space(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']') ++i;
      events_.push_back(
          TextEvent{value_name(), std::string(t.substr(start, i - start)), line, true, false});
    } else {
      ++i;
    }
  }
}

void SourceText::scan_xml(std::string_view t) {
  int line = 1;
  std::size_t i = 0;
  const auto skip_to = [&](std::string_view end) {
    const std::size_t stop = t.find(end, i);
    const std::size_t limit = stop == std::string_view::npos ? t.size() : stop + end.size();
    for (; i < limit; ++i) {
      if (t[i] == '\n') ++line;
    }
  };
  while (i < t.size()) {
    const char c = t[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    const std::string_view rest = t.substr(i);
    if (rest.starts_with("<!--")) {
      skip_to("-->");
    } else if (rest.starts_with("<![CDATA[")) {
      skip_to("]]>");
    } else if (rest.starts_with("<?")) {
      skip_to("?>");
    } else if (rest.starts_with("<!") || rest.starts_with("</")) {
      skip_to(">");
    } else {
      const int start_line = line;
      ++i;
      const std::size_t name_start = i;
      while (i < t.size() && !is_space(t[i]) && t[i] != '>' && t[i] != '/') ++i;
      const std::string name(strip_prefix(t.substr(name_start, i - name_start)));
      bool self_closing = false;
      char quote = 0;
      while (i < t.size()) {
        const char d = t[i];
        if (d == '\n') ++line;
        if (quote != 0) {
          if (d == quote) quote = 0;
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          self_closing = i > 0 && t[i - 1] == '/';
          ++i;
          break;
        }
        ++i;
      }
      events_.push_back(TextEvent{name, {}, start_line, false, false});
      if (!self_closing) {
        const std::size_t next = t.find('<', i);
        if (next != std::string_view::npos && t.substr(next).starts_with("</")) {
          events_.push_back(
              TextEvent{name, decode_xml_text(t.substr(i, next - i)), start_line, true, false});
        }
      }
    }
  }
}

int SourceText::locate(std::string_view data_path, std::optional<std::string_view> value,
                       int nth) const {
  return search(data_path, value, nth).line;
}

std::optional<std::size_t> SourceText::position(std::string_view data_path) const {
  const Found found = search(data_path, std::nullopt, 1);
  if (!found.complete) return std::nullopt;
  return found.index;
}

SourceText::Found SourceText::search(std::string_view data_path,
                                     std::optional<std::string_view> value, int nth) const {
  const std::vector<PathStep> steps = split_data_path(data_path);
  std::size_t pos = 0;
  int best = 0;
  const auto find = [&](std::string_view name, const std::string* val, int count) -> bool {
    // A step naming the key just matched by a predicate ("[name='x']/name") stays there.
    if (val == nullptr && count == 1 && pos < events_.size() && events_[pos].is_value &&
        events_[pos].name == name) {
      best = events_[pos].line;
      return true;
    }
    for (std::size_t i = pos; i < events_.size(); ++i) {
      const TextEvent& e = events_[i];
      if (e.name != name) continue;
      if (val == nullptr ? e.is_value : (!e.is_value || e.value != *val)) continue;
      if (--count > 0) continue;
      pos = i;
      best = e.line;
      return true;
    }
    return false;
  };
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const PathStep& step = steps[s];
    const bool last_plain = s + 1 == steps.size() && step.predicates.empty() && !value;
    if (!find(step.name, nullptr, last_plain ? nth : 1)) return {best, pos, false};
    for (std::size_t p = 0; p < step.predicates.size(); ++p) {
      const auto& [key, val] = step.predicates[p];
      const bool last = s + 1 == steps.size() && p + 1 == step.predicates.size() && !value;
      if (!find(key == "." ? std::string_view{step.name} : std::string_view{key}, &val,
                last ? nth : 1)) {
        return {best, pos, false};
      }
    }
  }
  if (value && !steps.empty()) {
    const std::string v(*value);
    if (!find(steps.back().name, &v, nth)) return {best, pos, false};
  }
  return {best, pos, !steps.empty()};
}

}  // namespace tg
