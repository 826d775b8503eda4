// SPDX-License-Identifier: BSD-3-Clause
// Output helpers of the `typoguard` command: a buffered writer for streaming results, a JSON
// string escaper whose output is pure ASCII, and the text and JSON forms of one classification.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "audit/json_text.hpp"
#include "classify/match.hpp"
#include "name/name_info.hpp"

namespace tg::cli {

/// Buffers text for a stdio stream and writes it in large blocks. When the stream is a
/// terminal, every finished line is written at once instead.
class Writer {
 public:
  /// Writes to `stream` (not owned; typically stdout).
  explicit Writer(std::FILE* stream);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  /// Flushes what is left; errors are lost here, so call flush() first to see them.
  ~Writer();

  /// Appends text to the buffer.
  void write(std::string_view text);
  /// Appends text and a newline; writes the buffer out when it is large or interactive.
  void line(std::string_view text);
  /// Writes everything buffered to the stream and flushes it. Returns false on a write error
  /// (and keeps returning false afterwards).
  bool flush();

 private:
  std::FILE* stream_;
  std::string buffer_;
  bool interactive_ = false;
  bool failed_ = false;
};

/// Appends `text` as a JSON string literal (with quotes), pure ASCII: the event log's escaper
/// (audit/json_text.hpp), so the command and the events write the same text the same way.
using tg::audit::append_json_string;

/// Text safe for a terminal: keeps printable ASCII and valid UTF-8, and writes control
/// characters and invalid bytes as \DDD.
[[nodiscard]] std::string printable(std::string_view text);

/// One readable sentence for a classified name, e.g.
/// "army.ml is a look-alike of army.mil: suffix-typo, 'mil' -> 'ml' (one letter omitted)".
/// `name` is the name as the user gave it; `info` its analysis.
[[nodiscard]] std::string describe_text(std::string_view name, const NameInfo& info,
                                        const Match& match);

/// One JSON object (without newline) with the fields name, verdict, protected, technique,
/// secondary_technique, matched and evidence. `name` is escaped with escape_name().
[[nodiscard]] std::string describe_json(std::string_view name, const Match& match);

}  // namespace tg::cli
