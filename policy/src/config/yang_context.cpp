// SPDX-License-Identifier: BSD-3-Clause
#include "config/yang_context.hpp"

#include <cstdlib>
#include <mutex>
#include <utility>

#include <libyang/version.h>

#include "config/wording.hpp"
#include "config/yang_module.hpp"

namespace tg::config {
namespace {

// libyang 3 (Debian 13) passes the data path, schema path and line to the log callback and
// keeps them apart in ly_err_item; libyang 2 (Debian 12) packs them into one path string.
#if LY_VERSION_MAJOR >= 3
void discard_log(LY_LOG_LEVEL /*level*/, const char* /*msg*/, const char* /*data_path*/,
                 const char* /*schema_path*/, std::uint64_t /*line*/) {}
void install_silent_log() { ly_set_log_clb(discard_log); }
#else
void discard_log(LY_LOG_LEVEL /*level*/, const char* /*msg*/, const char* /*path*/) {}
void install_silent_log() { ly_set_log_clb(discard_log, 1); }

/// The text between `open` and the next '"' after it; empty when `open` is absent.
std::string between_quotes(std::string_view s, std::string_view open) {
  const std::size_t at = s.find(open);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + open.size();
  const std::size_t end = s.find('"', start);
  if (end == std::string_view::npos) return {};
  return std::string(s.substr(start, end - start));
}
#endif

}  // namespace

void MallocDeleter::operator()(void* p) const noexcept { std::free(p); }

QuietLibyang::QuietLibyang() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (ly_get_log_clb() == nullptr) install_silent_log();
  });
  ly_temp_log_options(&options_);
}

QuietLibyang::~QuietLibyang() { ly_temp_log_options(nullptr); }

std::vector<RawError> take_errors(ly_ctx* ctx) {
  std::vector<RawError> out;
  for (const ly_err_item* e = ly_err_first(ctx); e != nullptr; e = e->next) {
    if (e->level != LY_LLERR) continue;
    RawError r;
    r.message = e->msg != nullptr ? e->msg : "";
    r.apptag = e->apptag != nullptr ? e->apptag : "";
    r.vecode = e->vecode;
#if LY_VERSION_MAJOR >= 3
    r.data_path = e->data_path != nullptr ? e->data_path : "";
    r.schema_path = e->schema_path != nullptr ? e->schema_path : "";
    r.line = static_cast<int>(e->line);
#else
    const std::string_view where = e->path != nullptr ? e->path : "";
    r.data_path = between_quotes(where, "Data location \"");
    if (r.data_path.empty()) r.data_path = between_quotes(where, "data location \"");
    r.schema_path = between_quotes(where, "Schema location \"");
    for (const std::string_view key : {"line number ", "Line number "}) {
      const std::size_t at = where.find(key);
      if (at == std::string_view::npos) continue;
      int line = 0;
      for (std::size_t i = at + key.size(); i < where.size() && where[i] >= '0' && where[i] <= '9';
           ++i) {
        line = line * 10 + (where[i] - '0');
      }
      r.line = line;
      break;
    }
#endif
    out.push_back(std::move(r));
  }
  ly_err_clean(ctx, nullptr);
  return out;
}

void clear_errors(ly_ctx* ctx) noexcept { ly_err_clean(ctx, nullptr); }

std::optional<int> first_error_line(const ly_ctx* ctx) noexcept {
#if LY_VERSION_MAJOR >= 3
  const ly_err_item* e = ly_err_first(ctx);
  while (e != nullptr && e->level != LY_LLERR) e = e->next;
  if (e == nullptr || e->line == 0) return std::nullopt;
  return static_cast<int>(e->line);
#else
  static_cast<void>(ctx);
  return std::nullopt;
#endif
}

ContextPtr make_context(const std::string& origin, std::vector<PolicyError>& errors) {
  ly_ctx* raw = nullptr;
  if (ly_ctx_new(nullptr, LY_CTX_DISABLE_SEARCHDIRS | LY_CTX_NO_YANGLIBRARY, &raw) != LY_SUCCESS ||
      raw == nullptr) {
    errors.push_back(PolicyError{origin, 0, {}, "libyang could not create a context"});
    return nullptr;
  }
  ContextPtr ctx(raw);
  lys_module* module = nullptr;
  const LY_ERR rc = lys_parse_mem(ctx.get(), yang_module_text().data(), LYS_IN_YANG, &module);
  if (rc != LY_SUCCESS || module == nullptr || module->revision == nullptr ||
      std::string_view(module->name) != kModuleName ||
      std::string_view(module->revision) != kModuleRevision) {
    std::string why;
    for (const RawError& e : take_errors(ctx.get())) {
      why += ' ';  // not `" " + ...`: GCC 12 -O3 warns of a false overlap there (-Wrestrict)
      why += normalise_space(e.message);
    }
    errors.push_back(PolicyError{
        origin,
        0,
        {},
        std::string("the compiled-in YANG module typoguard@") + kModuleRevision +
            " does not load (a build defect):" + (why.empty() ? std::string(" no detail") : why)});
    return nullptr;
  }
  return ctx;
}

const lys_module* typoguard_module(const ly_ctx* ctx) noexcept {
  return ly_ctx_get_module_implemented(ctx, kModuleName);
}

LY_ERR parse_policy_data(ly_ctx* ctx, const char* text, PolicyFormat format,
                         TreePtr& tree) noexcept {
  lyd_node* raw = nullptr;
  const LYD_FORMAT ly_format = format == PolicyFormat::Json ? LYD_JSON : LYD_XML;
  const LY_ERR rc = lyd_parse_data_mem(
      ctx, text, ly_format, LYD_PARSE_STRICT | LYD_PARSE_NO_STATE | LYD_PARSE_ONLY, 0, &raw);
  tree.reset(raw);
  return rc;
}

LY_ERR validate_policy_data(ly_ctx* ctx, TreePtr& tree) noexcept {
  lyd_node* raw = tree.release();
  const LY_ERR rc =
      lyd_validate_all(&raw, ctx, LYD_VALIDATE_PRESENT | LYD_VALIDATE_NO_STATE, nullptr);
  tree.reset(raw);
  return rc;
}

const lyd_node* policy_root(const lyd_node* tree) noexcept {
  const lyd_node* root = nullptr;
  for (const lyd_node* n = tree != nullptr ? lyd_first_sibling(tree) : nullptr; n != nullptr;
       n = n->next) {
    if (n->schema != nullptr && std::string_view(n->schema->name) == "policy" &&
        n->schema->module != nullptr && std::string_view(n->schema->module->name) == kModuleName) {
      root = n;
    }
  }
  return root;
}

}  // namespace tg::config
