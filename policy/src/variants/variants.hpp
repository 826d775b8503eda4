// SPDX-License-Identifier: BSD-3-Clause
// The forward direction: the names classify() accepts as look-alikes of one protected domain.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/technique.hpp"

namespace tg {

class Snapshot;

/// One generated look-alike (A-label form) and the technique classify() reports for it.
struct Variant {
  std::string name;
  Technique technique = Technique::None;
};

/// Bounds for variants().
struct VariantOptions {
  std::optional<Technique> only;      ///< just this technique
  std::size_t homoglyph_limit = 200;  ///< cap on homoglyph variants (0 = no cap)
  bool unreal_suffixes = false;       ///< suffix-typos also into suffixes not in the PSL
};

/// Look-alikes of `domain` (which must be protected by `snapshot`'s policy; else empty),
/// sorted by technique precedence then name, without duplicates. Each one classifies back to
/// `domain` with its technique. Deterministic: the same list on every run.
[[nodiscard]] std::vector<Variant> variants(const Snapshot& snapshot, std::string_view domain,
                                            const VariantOptions& options = {});

}  // namespace tg
