// SPDX-License-Identifier: BSD-3-Clause
// The C layer's conversion of a module's event (tg_event and its tg_verdict) into the audit's
// C++ event. Part of the C interface: nothing below it sees the C structs.
#pragma once

#include "audit/event.hpp"
#include "typoguard/typoguard.h"

namespace tg::capi {

/// The audit event for `event`, whose verdict must not be NULL. The result views the C
/// structs' memory (names, texts up to their first NUL or the end of their arrays) and is
/// valid while they are. A technique number this build does not know becomes None. Never
/// throws.
[[nodiscard]] audit::Event to_event(const tg_event& event) noexcept;

}  // namespace tg::capi
