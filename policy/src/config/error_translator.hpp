// SPDX-License-Identifier: BSD-3-Clause
// libyang's errors turned into PolicyErrors for a policy author: each error is recognised by
// the start of libyang's English message (or its validation code and error-app-tag), then
// re-phrased with the value and the line from the file text.
//
// The message patterns were written against Debian 12's libyang2 2.1.x (2.1.30) and adapted
// to Debian 13's libyang 3 (commits "Policy loader compiles against libyang 3", "Policy errors
// on libyang 3 read as on libyang 2"; the differences are marked where they are matched).
// libyang's messages are not a stable interface, so each pattern matched in translate(), and
// the message checks inside other_value_error() and wrong_json_kind(), has a case under
// tests/policy/invalid whose .expect message only the re-phrasing produces (the fallback keeps
// libyang's words): a pattern that stops matching after a libyang upgrade fails the unit test
// "every invalid policy fails with its expected message, data path and line". "Empty JSON
// file" is libyang 3's alone (empty-file.json; libyang 2 parses it to no policy).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include <libyang/libyang.h>

#include "config/policy_error.hpp"
#include "config/source_text.hpp"
#include "config/yang_context.hpp"

namespace tg::config {

/// The error libyang 2 gives for a trailing comma, which libyang 3 accepts.
[[nodiscard]] RawError trailing_comma_error(const TrailingComma& comma);

/// Translates the errors of one load. Borrows everything it is given: `ctx`, `tree` (may be
/// null, or a partly parsed tree) and `source` must outlive it. Not thread-safe (it validates
/// values with `ctx`). translate() never fails other than with std::bad_alloc: a message it
/// does not recognise keeps libyang's words.
class ErrorTranslator {
 public:
  ErrorTranslator(ly_ctx* ctx, const lyd_node* tree, const SourceText& source, std::string file,
                  PolicyFormat format);

  /// The PolicyError for one libyang error, with the file, line and data path it concerns.
  [[nodiscard]] PolicyError translate(const RawError& e);

 private:
  [[nodiscard]] std::string top_level_name() const;
  [[nodiscard]] const lysc_node* schema_of(std::string_view path) const;
  std::pair<int, std::optional<std::string>> bad_value(const RawError& e,
                                                       const std::optional<std::string>& hint);
  void fix_line_backwards(PolicyError& out, const RawError& e, const std::string& name);
  void syntax(PolicyError& out) const;
  void unknown_child(PolicyError& out, const RawError& e);
  void own_restriction(PolicyError& out, const RawError& e);
  void invalid_union(PolicyError& out, const RawError& e);
  void invalid_enum(PolicyError& out, const RawError& e);
  void invalid_leafref(PolicyError& out, const RawError& e);
  void duplicate(PolicyError& out, const RawError& e);
  void both_cases(PolicyError& out, const RawError& e);
  void mandatory(PolicyError& out, const RawError& e);
  void too_few(PolicyError& out, const RawError& e);
  void wrong_json_kind(PolicyError& out, const RawError& e);
  void other_value_error(PolicyError& out, const RawError& e);

  ly_ctx* ctx_;
  const lyd_node* tree_;
  const SourceText& source_;
  std::string file_;
  PolicyFormat format_;
};

}  // namespace tg::config
