// SPDX-License-Identifier: BSD-3-Clause
// The one wrapper of the libyang C library for policy loading: RAII handles over its objects
// (as libyang-cpp holds them, a std::unique_ptr with the library's own free function each),
// the compiled context of the typoguard module, and the capture of libyang's errors. What
// differs between libyang 2 (Debian 12) and libyang 3 (Debian 13) in those is kept here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libyang/libyang.h>

#include "config/policy_error.hpp"

namespace tg::config {

inline constexpr const char* kModuleName = "typoguard";
inline constexpr const char* kModuleRevision = "2026-11-23";
/// The data path of the policy's root container.
inline constexpr std::string_view kRootPath = "/typoguard:policy";

struct ContextDeleter {
  void operator()(ly_ctx* ctx) const noexcept { ly_ctx_destroy(ctx); }
};
/// Owns a libyang context (and every schema compiled into it).
using ContextPtr = std::unique_ptr<ly_ctx, ContextDeleter>;

struct TreeDeleter {
  void operator()(lyd_node* tree) const noexcept { lyd_free_all(tree); }
};
/// Owns a data tree with all its siblings; it must not outlive its context.
using TreePtr = std::unique_ptr<lyd_node, TreeDeleter>;

struct SetDeleter {
  void operator()(ly_set* set) const noexcept { ly_set_free(set, nullptr); }
};
/// Owns a result set of lyd_find_xpath(), not the nodes in it.
using SetPtr = std::unique_ptr<ly_set, SetDeleter>;

struct MallocDeleter {
  void operator()(void* p) const noexcept;
};
/// Owns a string libyang allocated with malloc (lyd_path()).
using CString = std::unique_ptr<char, MallocDeleter>;

/// While alive, libyang stores this thread's errors in the context instead of printing them.
/// libyang 2.1 still prints some messages with LY_LOSTORE alone, so a silent callback is also
/// installed (process-wide, once, and only when nobody installed one before).
class QuietLibyang {
 public:
  QuietLibyang();
  ~QuietLibyang();
  QuietLibyang(const QuietLibyang&) = delete;
  QuietLibyang& operator=(const QuietLibyang&) = delete;

 private:
  std::uint32_t options_ = LY_LOSTORE;
};

/// One error libyang stored in its context, with the location split out of it.
struct RawError {
  std::string message;      ///< libyang's English message, unchanged
  std::string data_path;    ///< empty when libyang gave none
  std::string schema_path;  ///< empty when libyang gave none
  std::string apptag;       ///< the YANG error-app-tag ("tg-..." for the module's own rules)
  int line = 0;             ///< 0 when libyang gave none
  LY_VECODE vecode = LYVE_SUCCESS;
};

/// The errors (not the warnings) stored in `ctx`, oldest first; clears the context's list.
/// Throws only std::bad_alloc.
[[nodiscard]] std::vector<RawError> take_errors(ly_ctx* ctx);

/// Forgets the errors stored in `ctx` (those of an earlier load).
void clear_errors(ly_ctx* ctx) noexcept;

/// The line of the first error stored in `ctx` (without taking it), when libyang gave one;
/// libyang 2 keeps lines inside its message text, so there it is always nullopt.
[[nodiscard]] std::optional<int> first_error_line(const ly_ctx* ctx) noexcept;

/// A context holding the compiled-in typoguard module (yang_module_text()) and libyang's own
/// internal modules; it searches no directory and reads no file. Null on failure (a build
/// defect), with an error naming `origin` appended to `errors`.
[[nodiscard]] ContextPtr make_context(const std::string& origin, std::vector<PolicyError>& errors);

/// The compiled typoguard module of `ctx`, or null when `ctx` has none.
[[nodiscard]] const lys_module* typoguard_module(const ly_ctx* ctx) noexcept;

/// Parses `text` (NUL-terminated) strictly, without validating it: unknown nodes and state
/// data are errors, stored in `ctx`. `tree` owns whatever was parsed, even on failure.
[[nodiscard]] LY_ERR parse_policy_data(ly_ctx* ctx, const char* text, PolicyFormat format,
                                       TreePtr& tree) noexcept;

/// Validates `tree` against the modules of `ctx` whose data it holds, and adds the YANG
/// defaults of absent nodes (flagged LYD_DEFAULT, see is_explicit()). Errors are stored in
/// `ctx`; `tree` stays owned by the caller and may be replaced.
[[nodiscard]] LY_ERR validate_policy_data(ly_ctx* ctx, TreePtr& tree) noexcept;

/// The typoguard:policy node among the top-level siblings of `tree`, or null.
[[nodiscard]] const lyd_node* policy_root(const lyd_node* tree) noexcept;

}  // namespace tg::config
