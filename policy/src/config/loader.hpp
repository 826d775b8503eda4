// SPDX-License-Identifier: BSD-3-Clause
// Policy loading: file → libyang parse and YANG validation → semantic checks → typed Policy.
// Pure load-time code: never called on the query path.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/policy_error.hpp"
#include "model/policy.hpp"

namespace tg {

/// Either a policy or the errors that prevented it (never both, never neither).
struct LoadResult {
  std::optional<Policy> policy;
  std::vector<PolicyError> errors;
  [[nodiscard]] bool ok() const noexcept { return policy.has_value(); }
};

/// Loads and validates a policy file; the format follows the extension (.json / .xml).
/// Never throws: I/O and validation problems come back as errors naming the file.
[[nodiscard]] LoadResult load_policy_file(const std::filesystem::path& file) noexcept;

/// Loads a policy from memory; `origin` names it in errors and in Policy::source.
[[nodiscard]] LoadResult load_policy_text(std::string_view text, PolicyFormat format,
                                          std::string_view origin) noexcept;

/// Loads many policies with one compiled libyang context: the YANG module is compiled once
/// (about 15 ms) instead of at every load. For callers that load policy after policy in one
/// thread (the policy fuzzer); the resolver and the command use the functions above, which
/// compile a context of their own for each load. Not thread-safe: one thread per loader.
class PolicyLoader {
 public:
  /// Compiles the context from the compiled-in YANG module; a failure (a build defect) is
  /// reported by every load_text().
  PolicyLoader();
  ~PolicyLoader();
  PolicyLoader(const PolicyLoader&) = delete;
  PolicyLoader& operator=(const PolicyLoader&) = delete;

  /// load_policy_text() with this loader's context. Never throws.
  [[nodiscard]] LoadResult load_text(std::string_view text, PolicyFormat format,
                                     std::string_view origin) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The name of the embedded demo policy, as the resolver and the C interface ask for it
/// (TG_BUILTIN_DEMO_POLICY) and as errors and Policy::source name it.
inline constexpr std::string_view kDemoPolicyName = "builtin:demo";

/// The embedded demo policy, policy/examples/default.json (protects the main .mil domains for
/// the demo's mail servers 127.0.0.2 and 127.0.0.3, blocks all of .ml with a few partners
/// allowed); nothing loads it unless asked for by name. Validated like any file; a failure here
/// is a build defect.
[[nodiscard]] LoadResult load_default_policy() noexcept;

/// A policy protecting `domains` (lower-case A-labels) with every other setting at its YANG
/// default, e.g. for a command given one domain and no policy. Policy::source is `origin`,
/// Policy::revision "sha256:" of the policy text built. Never throws: a name that is not a
/// registrable domain comes back as an error.
[[nodiscard]] LoadResult load_protected_domains(std::span<const std::string> domains,
                                                std::string_view origin) noexcept;

/// A policy protecting each listed domain with every other setting at its default
/// (`typoguard check --protect-file`). Lines: a domain each; '#' starts a comment.
[[nodiscard]] LoadResult load_protect_list(const std::filesystem::path& file) noexcept;

}  // namespace tg
