// SPDX-License-Identifier: BSD-3-Clause
// One SOC event as a JSON line: Elastic Common Schema field names plus typoguard.* (every field
// is documented in docs/event-log.md). Pure function; no I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "audit/event.hpp"

namespace tg::audit {

/// Room that always holds one event line whose hostname has at most kMaxHostname bytes and
/// whose texts are within their kMax* lengths (event.hpp; at most 6 output bytes per input byte
/// when escaped, each written at most twice), two names of 255 wire bytes (at most 5 per byte
/// as \\DDD) and the fixed text.
inline constexpr std::size_t kMaxEventLine = 16384;

/// Longest hostname the line has room for (longer ones are cut by the caller).
inline constexpr std::size_t kMaxHostname = 255;

/// Formats `event` at time `now` as one line of pure-ASCII JSON without a trailing newline into
/// buffer[0 .. capacity); returns its length, or 0 when it may not fit (each field reserves
/// room for its worst case, escapes included, before it is written; never with kMaxEventLine
/// bytes, texts within their kMax* lengths and a hostname of at most kMaxHostname). Name bytes
/// outside printable ASCII are written as \DDD (DNS presentation escapes), so the line is valid
/// JSON whatever the query held. `hostname` fills observer.hostname (omitted when empty). No
/// allocation; never throws: this runs on the resolver's threads.
std::size_t format_event_into(char* buffer, std::size_t capacity, const Event& event,
                              std::chrono::system_clock::time_point now,
                              std::string_view hostname) noexcept;

/// The same as a string ("" when it does not fit in kMaxEventLine). Throws std::bad_alloc only.
std::string format_event(const Event& event, std::chrono::system_clock::time_point now,
                         std::string_view hostname);

}  // namespace tg::audit
