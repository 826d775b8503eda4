// SPDX-License-Identifier: BSD-3-Clause
// Policy loading, the pipeline: read the file, parse it with libyang (strict: unknown nodes are
// errors; yang_context), validate it against the typoguard YANG module, turn libyang's errors
// into messages for policy authors (error_translator), then run the checks YANG cannot express
// and build the typed Policy (policy_builder).
//
// Line numbers: libyang 2.1 reports a line only for errors found while parsing (and for JSON
// often the line of the token after the bad value); errors found in validation and in the
// semantic checks are located in the file text by SourceText (best effort: each step of the
// data path is searched after the previous one, see source_text.hpp).
#include "config/loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <system_error>
#include <utility>

#include "config/default_policy.hpp"
#include "config/domain_checks.hpp"
#include "config/error_translator.hpp"
#include "config/policy_builder.hpp"
#include "config/sha256.hpp"
#include "config/source_text.hpp"
#include "config/wording.hpp"
#include "config/yang_context.hpp"
#include "name/ascii.hpp"

namespace tg {
namespace fs = std::filesystem;

namespace {

using config::a_label_problem;
using config::clear_errors;
using config::ContextPtr;
using config::domain_syntax_problem;
using config::ErrorTranslator;
using config::first_error_line;
using config::in_quotes;
using config::make_context;
using config::no_policy_message;
using config::parse_policy_data;
using config::policy_root;
using config::PolicyBuilder;
using config::QuietLibyang;
using config::RawError;
using config::registrable_problem;
using config::take_errors;
using config::trailing_comma_error;
using config::TreePtr;
using config::validate_policy_data;

// Loads `text` with the compiled context `shared`, or with a context made for this load when
// `shared` is null (each load then owns its context: no libyang state is shared between
// threads).
LoadResult load_text(std::string_view text, PolicyFormat format, const std::string& origin,
                     ly_ctx* shared = nullptr) {
  LoadResult result;
  const QuietLibyang quiet;

  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const int line = static_cast<int>(std::count(
                         text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n')) +
                     1;
    result.errors.push_back(
        PolicyError{origin, line, {}, "the file contains a NUL byte: a policy is a text file"});
    return result;
  }

  ContextPtr owned;
  ly_ctx* ctx = shared;
  if (ctx == nullptr) {
    owned = make_context(origin, result.errors);
    if (!owned) return result;
    ctx = owned.get();
  } else {
    clear_errors(ctx);  // nothing left over from an earlier load
  }

  // A UTF-8 byte order mark is not part of the JSON or XML text; lines are unaffected.
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const SourceText source(body, format);
  const std::string buffer(body);
  TreePtr tree;
  LY_ERR rc = parse_policy_data(ctx, buffer.c_str(), format, tree);
  // libyang 3 reads on past a trailing comma, where libyang 2 stops with a syntax error: that
  // error comes first unless libyang 3 found one on an earlier line.
  const std::optional<TrailingComma>& comma = source.trailing_comma();
  bool comma_first = comma && rc == LY_SUCCESS;
  if (comma && rc != LY_SUCCESS) {
    const std::optional<int> first = first_error_line(ctx);
    comma_first = first && comma->line < *first;
  }
  if (comma_first) {
    clear_errors(ctx);
    result.errors.push_back(ErrorTranslator(ctx, tree.get(), source, origin, format)
                                .translate(trailing_comma_error(*comma)));
    return result;
  }
  if (rc == LY_SUCCESS) rc = validate_policy_data(ctx, tree);
  if (rc != LY_SUCCESS) {
    const std::vector<RawError> raw_errors = take_errors(ctx);
    ErrorTranslator translator(ctx, tree.get(), source, origin, format);
    for (const RawError& e : raw_errors) result.errors.push_back(translator.translate(e));
    if (result.errors.empty()) {
      result.errors.push_back(PolicyError{
          origin,
          0,
          {},
          "libyang rejected the policy (error " + std::to_string(static_cast<int>(rc)) + ")"});
    }
    return result;
  }

  const lyd_node* root = policy_root(tree.get());
  if (root == nullptr) {
    result.errors.push_back(PolicyError{origin, 1, {}, no_policy_message(format)});
    return result;
  }

  PolicyBuilder builder(source, origin, result.errors);
  Policy policy = builder.build(root);
  if (!result.errors.empty()) {
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const PolicyError& a, const PolicyError& b) {
                       const int la = a.line == 0 ? std::numeric_limits<int>::max() : a.line;
                       const int lb = b.line == 0 ? std::numeric_limits<int>::max() : b.line;
                       return la < lb;
                     });
    return result;
  }
  policy.source = origin;
  if (policy.revision.empty()) policy.revision = "sha256:" + sha256_hex(text);
  result.policy = std::move(policy);
  return result;
}

/// The policy text protecting `names`, every other setting left to the YANG defaults. The
/// names must have passed domain_syntax_problem(), so they need no JSON escaping.
std::string protect_json(const std::vector<std::string>& names) {
  std::string json = R"({"typoguard:policy":{"protected-domain":[)";
  for (std::size_t i = 0; i < names.size(); ++i) {
    json += (i == 0 ? R"({"name":")" : R"(,{"name":")") + names[i] + R"("})";
  }
  json += "]}}";
  return json;
}

LoadResult internal_error(const std::string& origin, const char* what) {
  LoadResult r;
  r.errors.push_back(
      PolicyError{origin, 0, {}, std::string("internal error while loading: ") + what});
  return r;
}

/// Reads a whole file; on failure returns nullopt and says why in `why`.
std::optional<std::string> read_file(const fs::path& file, std::string& why) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    why = "is a directory, not a policy file";
    return std::nullopt;
  }
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    why = "cannot be read: " + std::error_code(errno, std::generic_category()).message();
    return std::nullopt;
  }
  std::string data;
  std::array<char, 8192> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) data.append(buf.data(), n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    why = "could not be read completely";
    return std::nullopt;
  }
  return data;
}

}  // namespace

LoadResult load_policy_text(std::string_view text, PolicyFormat format,
                            std::string_view origin) noexcept {
  std::string name;
  try {
    name = std::string(origin);
    return load_text(text, format, name);
  } catch (const std::exception& e) {
    return internal_error(name, e.what());
  } catch (...) {
    return internal_error(name, "unknown exception");
  }
}

struct PolicyLoader::Impl {
  ContextPtr context;
  std::vector<PolicyError> context_errors;  // why there is no context
};

PolicyLoader::PolicyLoader() : impl_(std::make_unique<Impl>()) {
  const QuietLibyang quiet;
  impl_->context = make_context("<policy loader>", impl_->context_errors);
}

PolicyLoader::~PolicyLoader() = default;

LoadResult PolicyLoader::load_text(std::string_view text, PolicyFormat format,
                                   std::string_view origin) noexcept {
  std::string name;
  try {
    name = std::string(origin);
    if (!impl_->context) {
      LoadResult r;
      r.errors = impl_->context_errors;
      for (PolicyError& e : r.errors) e.file = name;
      return r;
    }
    return ::tg::load_text(text, format, name, impl_->context.get());
  } catch (const std::exception& e) {
    return internal_error(name, e.what());
  } catch (...) {
    return internal_error(name, "unknown exception");
  }
}

LoadResult load_policy_file(const fs::path& file) noexcept {
  std::string name;
  try {
    name = file.string();
    const std::string ext = ascii_lower(file.extension().string());
    PolicyFormat format = PolicyFormat::Json;
    if (ext == ".xml") {
      format = PolicyFormat::Xml;
    } else if (ext != ".json") {
      LoadResult r;
      r.errors.push_back(PolicyError{
          name,
          0,
          {},
          "unsupported file type " + in_quotes(ext.empty() ? std::string("(none)") : ext) +
              ": a policy file is .json (RFC 7951 JSON) or .xml (XML); the extension chooses "
              "the format"});
      return r;
    }
    std::string why;
    const auto data = read_file(file, why);
    if (!data) {
      LoadResult r;
      r.errors.push_back(PolicyError{name, 0, {}, "the policy file " + why});
      return r;
    }
    return load_text(*data, format, name);
  } catch (const std::exception& e) {
    return internal_error(name, e.what());
  } catch (...) {
    return internal_error(name, "unknown exception");
  }
}

LoadResult load_default_policy() noexcept {
  return load_policy_text(default_policy_json(), PolicyFormat::Json, kDemoPolicyName);
}

LoadResult load_protected_domains(std::span<const std::string> domains,
                                  std::string_view origin) noexcept {
  std::string name;
  try {
    name = std::string(origin);
    LoadResult result;
    for (const std::string& domain : domains) {
      if (const auto problem = domain_syntax_problem(domain)) {
        result.errors.push_back(PolicyError{
            name, 0, {}, "invalid domain name " + in_quotes(domain) + ": it " + *problem});
      }
    }
    if (!result.errors.empty()) return result;
    return load_text(protect_json({domains.begin(), domains.end()}), PolicyFormat::Json, name);
  } catch (const std::exception& e) {
    return internal_error(name, e.what());
  } catch (...) {
    return internal_error(name, "unknown exception");
  }
}

LoadResult load_protect_list(const fs::path& file) noexcept {
  std::string name;
  try {
    name = file.string();
    LoadResult result;
    std::string why;
    const auto data = read_file(file, why);
    if (!data) {
      result.errors.push_back(PolicyError{name, 0, {}, "the protect list " + why});
      return result;
    }
    std::string_view text = *data;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

    std::vector<std::pair<std::string, int>> domains;
    std::map<std::string, int, std::less<>> first_line;
    int line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = text.find('\n', start);
      std::string_view line =
          text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      ++line_no;
      start = end == std::string_view::npos ? text.size() + 1 : end + 1;
      if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
        line = line.substr(0, hash);
      }
      const std::size_t b = line.find_first_not_of(" \t\r");
      if (b == std::string_view::npos) continue;
      const std::size_t e = line.find_last_not_of(" \t\r");
      const std::string domain(line.substr(b, e - b + 1));
      const auto add_error = [&](std::string message) {
        result.errors.push_back(PolicyError{name, line_no, {}, std::move(message)});
      };
      if (const auto problem = domain_syntax_problem(domain)) {
        add_error("invalid domain name " + in_quotes(domain) + ": it " + *problem);
        continue;
      }
      if (const auto problem = a_label_problem(domain)) {
        add_error("invalid domain name " + in_quotes(domain) + ": it " + *problem);
        continue;
      }
      if (const auto it = first_line.find(domain); it != first_line.end()) {
        add_error(domain + " is already listed on line " + std::to_string(it->second));
        continue;
      }
      first_line.emplace(domain, line_no);
      domains.emplace_back(domain, line_no);
    }
    std::vector<std::string> names;
    names.reserve(domains.size());
    for (const auto& d : domains) names.push_back(d.first);
    for (const auto& [domain, line] : domains) {
      if (const auto problem = registrable_problem(domain, false, names)) {
        result.errors.push_back(PolicyError{name, line, {}, domain + " " + *problem});
      }
    }
    if (result.errors.empty() && domains.empty()) {
      result.errors.push_back(PolicyError{
          name,
          0,
          {},
          "the protect list names no domain: write one registrable domain a line (army.mil); "
          "'#' starts a comment"});
    }
    if (!result.errors.empty()) return result;

    LoadResult loaded = load_text(protect_json(names), PolicyFormat::Json, name);
    if (loaded.policy) loaded.policy->revision = "sha256:" + sha256_hex(*data);
    for (PolicyError& e : loaded.errors) e.line = 0;
    return loaded;
  } catch (const std::exception& e) {
    return internal_error(name, e.what());
  } catch (...) {
    return internal_error(name, "unknown exception");
  }
}
}  // namespace tg
