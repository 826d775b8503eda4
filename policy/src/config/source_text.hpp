// SPDX-License-Identifier: BSD-3-Clause
// Where things are in a policy file's text. libyang 2.1 data nodes carry no line numbers, so
// errors found after parsing are located here, best effort, from the data path and the value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/policy_error.hpp"

namespace tg {

/// One member name or scalar value seen in the text, in document order.
struct TextEvent {
  std::string name;       ///< member / element name without a module prefix
  std::string value;      ///< decoded scalar value (is_value only)
  int line = 0;           ///< 1-based line of the name (or of the value, for values)
  bool is_value = false;  ///< a scalar value of `name` (JSON string/number/literal, XML text)
  bool quoted = false;    ///< a JSON string (as opposed to a JSON number or literal)
};

/// One step of a data path: "protected-domain[name='army.mil']" or "technique[.='omission']".
struct PathStep {
  std::string name;                                             ///< without module prefix
  std::vector<std::pair<std::string, std::string>> predicates;  ///< key ("." for leaf-list), value
};

/// A comma right before a closing '}' or ']': JSON and libyang 2 reject it, libyang 3 accepts it.
struct TrailingComma {
  int line = 0;            ///< line of the closing bracket
  bool in_object = false;  ///< before '}' (else ']')
  std::string rest;        ///< the text from the bracket on, at most 20 characters
  std::string data_path;   ///< the innermost object's data path ("" for the top-level object)
};

/// Splits "/typoguard:policy/protected-domain[name='x']/name" into steps. Never throws on odd
/// input other than std::bad_alloc; unparsable parts end the path.
[[nodiscard]] std::vector<PathStep> split_data_path(std::string_view path);

/// The events of a policy text. A tolerant scanner: it never fails, text it does not
/// understand yields fewer events.
class SourceText {
 public:
  SourceText(std::string_view text, PolicyFormat format);

  [[nodiscard]] const std::vector<TextEvent>& events() const noexcept { return events_; }

  /// The first trailing comma of a JSON text, if any.
  [[nodiscard]] const std::optional<TrailingComma>& trailing_comma() const noexcept {
    return trailing_comma_;
  }

  /// Best-effort line of the node at `data_path` (with `value`, of that value): each step is
  /// searched after the previous one; the `nth` match of the last predicate or value is taken
  /// (2 for the second of two duplicates). 0 when nothing matches.
  [[nodiscard]] int locate(std::string_view data_path, std::optional<std::string_view> value = {},
                           int nth = 1) const;

  /// The index in events() of the node at `data_path` (of its key or value for a list entry
  /// or leaf-list value), when every step and predicate of the path is found.
  [[nodiscard]] std::optional<std::size_t> position(std::string_view data_path) const;

 private:
  struct Found {
    int line = 0;
    std::size_t index = 0;
    bool complete = false;
  };
  [[nodiscard]] Found search(std::string_view data_path, std::optional<std::string_view> value,
                             int nth) const;

  void scan_json(std::string_view text);
  void scan_xml(std::string_view text);
  std::vector<TextEvent> events_;
  std::optional<TrailingComma> trailing_comma_;
};

}  // namespace tg
