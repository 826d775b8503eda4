// SPDX-License-Identifier: BSD-3-Clause
// The one JSON string escaper of typoguard, shared by the event log and the `typoguard`
// command: pure-ASCII output whatever the input bytes, so a line is valid JSON and survives
// any log pipeline.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tg::audit {

/// Most output bytes one input byte can become (\u00XX, or \ufffd for a malformed byte).
inline constexpr std::size_t kMaxJsonEscape = 6;

/// Writes `text` (UTF-8, possibly malformed) as the body of a JSON string (no quotes) into
/// out[0 ..), which must have room for kMaxJsonEscape * text.size() bytes; returns the bytes
/// written. '"' and '\\' are backslash-escaped, control characters and DEL become \u00XX,
/// other non-ASCII code points \uXXXX (surrogate pairs above U+FFFF), each byte that is not
/// part of valid UTF-8 \ufffd. A JSON parser gives back the text (malformed bytes as U+FFFD).
/// No allocation; never throws.
std::size_t escape_json_into(char* out, std::string_view text) noexcept;

/// The same, appended to `out` between double quotes. Throws std::bad_alloc only.
void append_json_string(std::string& out, std::string_view text);

}  // namespace tg::audit
