// SPDX-License-Identifier: BSD-3-Clause
// One SOC event as a JSON line: Elastic Common Schema field names plus typoguard.* (every field
// is documented in docs/event-log.md). Pure function; no I/O.
#pragma once

#include <chrono>
#include <string>

#include "typoguard/typoguard.h"

namespace tg::audit {

/// Formats `event` (its verdict must not be NULL) at time `now` as one line of pure-ASCII JSON
/// without a trailing newline. Name bytes outside printable ASCII are written as \DDD (DNS
/// presentation escapes), so the line is valid JSON whatever the query held. `hostname` fills
/// observer.hostname (omitted when empty). Throws std::bad_alloc only.
std::string format_event(const tg_event& event, std::chrono::system_clock::time_point now,
                         const std::string& hostname);

}  // namespace tg::audit
