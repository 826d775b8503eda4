// SPDX-License-Identifier: BSD-3-Clause
// Policy loading: read the file, parse it with libyang (strict: unknown nodes are errors),
// validate it against the typoguard YANG module, turn libyang's errors into messages for
// policy authors, run the checks YANG cannot express, and build the typed Policy.
//
// Line numbers: libyang 2.1 reports a line only for errors found while parsing (and for JSON
// often the line of the token after the bad value); errors found in validation and in the
// semantic checks below are located in the file text by SourceText (best effort: each step of
// the data path is searched after the previous one, see source_text.hpp).
#include "config/loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include <arpa/inet.h>
#include <idn2.h>
#include <libyang/libyang.h>
#include <libyang/version.h>

#include "config/default_policy.hpp"
#include "config/sha256.hpp"
#include "config/source_text.hpp"
#include "config/yang_module.hpp"
#include "name/psl.hpp"

namespace tg {
namespace fs = std::filesystem;

namespace {

constexpr const char* kModuleName = "typoguard";
constexpr const char* kModuleRevision = "2026-11-23";
constexpr std::string_view kRootPath = "/typoguard:policy";

// ---------------------------------------------------------------------------------------------
// RAII over libyang handles

struct ContextDeleter {
  void operator()(ly_ctx* ctx) const noexcept { ly_ctx_destroy(ctx); }
};
using ContextPtr = std::unique_ptr<ly_ctx, ContextDeleter>;

struct TreeDeleter {
  void operator()(lyd_node* tree) const noexcept { lyd_free_all(tree); }
};
using TreePtr = std::unique_ptr<lyd_node, TreeDeleter>;

struct SetDeleter {
  void operator()(ly_set* set) const noexcept { ly_set_free(set, nullptr); }
};
using SetPtr = std::unique_ptr<ly_set, SetDeleter>;

struct MallocDeleter {
  void operator()(void* p) const noexcept { std::free(p); }
};
using CString = std::unique_ptr<char, MallocDeleter>;

// libyang 3 (Debian 13) passes the data path, schema path and line to the log callback and
// keeps them apart in ly_err_item; libyang 2 (Debian 12) packs them into one path string.
#if LY_VERSION_MAJOR >= 3
void discard_log(LY_LOG_LEVEL /*level*/, const char* /*msg*/, const char* /*data_path*/,
                 const char* /*schema_path*/, std::uint64_t /*line*/) {}
void install_silent_log() { ly_set_log_clb(discard_log); }
#else
void discard_log(LY_LOG_LEVEL /*level*/, const char* /*msg*/, const char* /*path*/) {}
void install_silent_log() { ly_set_log_clb(discard_log, 1); }
#endif

/// While alive, libyang stores this thread's errors in the context instead of printing them.
/// libyang 2.1 still prints some messages with LY_LOSTORE alone, so a silent callback is also
/// installed (process-wide, once, and only when nobody installed one before).
class QuietLibyang {
 public:
  QuietLibyang() {
    static std::once_flag once;
    std::call_once(once, [] {
      if (ly_get_log_clb() == nullptr) install_silent_log();
    });
    ly_temp_log_options(&options_);
  }
  ~QuietLibyang() { ly_temp_log_options(nullptr); }
  QuietLibyang(const QuietLibyang&) = delete;
  QuietLibyang& operator=(const QuietLibyang&) = delete;

 private:
  std::uint32_t options_ = LY_LOSTORE;
};

// ---------------------------------------------------------------------------------------------
// Small string helpers

std::string normalise_space(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += sep;
    out += items[i];
  }
  return out;
}

#if LY_VERSION_MAJOR < 3
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

/// Text between the first pair of double quotes after `after` (for libyang's `value "x"`).
std::optional<std::string> first_quoted(std::string_view s, std::size_t after = 0) {
  const std::size_t open = s.find('"', after);
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t close = s.find('"', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(s.substr(open + 1, close - open - 1));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  std::string lower(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const std::string& c : candidates) {
    std::string lc = c;
    for (char& ch : lc) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    const std::size_t d = edit_distance(lower, lc);
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  if (best && best_distance <= limit && *best != word) return best;
  // An abbreviation ("descr" for "description") is a likely slip too.
  if (lower.size() >= 3) {
    for (const std::string& c : candidates) {
      if (c.starts_with(lower) && c != word) return c;
    }
  }
  return std::nullopt;
}

std::size_t count_labels(std::string_view name) {
  return name.empty() ? 0 : static_cast<std::size_t>(std::count(name.begin(), name.end(), '.')) + 1;
}

/// The last `labels` labels of `name`.
std::string_view last_labels(std::string_view name, std::size_t labels) {
  std::size_t start = name.size();
  for (std::size_t n = 0; n < labels; ++n) {
    const std::size_t dot = name.rfind('.', start == 0 ? 0 : start - 1);
    if (dot == std::string_view::npos || start == 0) return name;
    start = dot;
  }
  return name.substr(start + 1);
}

/// True when `name` is `ancestor` or lies under it.
bool at_or_under(std::string_view name, std::string_view ancestor) {
  if (name == ancestor) return true;
  return name.size() > ancestor.size() && name.ends_with(ancestor) &&
         name[name.size() - ancestor.size() - 1] == '.';
}

struct IdnString {
  char* p = nullptr;
  IdnString() = default;
  IdnString(const IdnString&) = delete;
  IdnString& operator=(const IdnString&) = delete;
  ~IdnString() { idn2_free(p); }
};

/// The A-label form of a Unicode (or mixed-case) name, or nullopt with the reason in `why`.
std::optional<std::string> to_a_label(std::string_view name, std::string& why) {
  IdnString out;
  const std::string in(name);
  uint8_t* raw = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(in.c_str()), &raw,
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  out.p = reinterpret_cast<char*>(raw);
  if (rc != IDN2_OK || out.p == nullptr) {
    why = idn2_strerror(rc);
    return std::nullopt;
  }
  std::string result(out.p);
  if (!result.empty() && result.back() == '.') result.pop_back();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Domain-name checks shared by the policy checks and load_protect_list

bool ldh_label_ok(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

/// Whether `name` has the schema's domain-name syntax (lower-case LDH labels, no final dot).
bool domain_syntax_ok(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!ldh_label_ok(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

/// What is wrong with `name` as a lower-case A-label domain name, phrased to follow the name
/// ("has upper-case letters: ..."); nullopt when its syntax is fine.
std::optional<std::string> domain_syntax_problem(std::string_view name) {
  if (domain_syntax_ok(name)) return std::nullopt;
  if (name.empty()) return std::string("is empty: write a domain name such as army.mil");
  const std::size_t first = name.find_first_not_of(" \t");
  const std::size_t last = name.find_last_not_of(" \t");
  if (first == std::string_view::npos) return std::string("is blank: write a domain name");
  if (first != 0 || last + 1 != name.size()) {
    return "has spaces around it: write " + in_quotes(name.substr(first, last - first + 1));
  }
  if (name.find('@') != std::string_view::npos) {
    return "looks like an e-mail address: write only the domain after the @, " +
           in_quotes(name.substr(name.rfind('@') + 1));
  }
  if (name.find("://") != std::string_view::npos || name.find('/') != std::string_view::npos) {
    return std::string("looks like a URL: write only the domain name, e.g. army.mil");
  }
  if (name.find('*') != std::string_view::npos) {
    return std::string(
        "has a wildcard: wildcards are not used, an entry covers every name under it "
        "(army.mil covers mail.army.mil)");
  }
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
  if (!ascii) {
    std::string why;
    std::string_view core = name;
    if (core.ends_with('.')) core.remove_suffix(1);
    if (const auto a_label = to_a_label(core, why); a_label && domain_syntax_ok(*a_label)) {
      return "is written in Unicode: domain names are written as A-labels, " + in_quotes(*a_label);
    }
    return "has characters that cannot be in a domain name (" + why +
           "): use a-z, 0-9, hyphens, and A-labels (xn--...) for Unicode labels";
  }
  if (name.ends_with('.') && name.size() > 1) {
    // Every trailing dot at once: the check below then recurses at most once, however many
    // dots a policy holds (one a level overflowed the stack; found by fuzz_policy).
    const std::size_t kept = name.find_last_not_of('.');
    const std::string without(name.substr(0, kept == std::string_view::npos ? 0 : kept + 1));
    const bool one = without.size() + 1 == name.size();
    if (domain_syntax_ok(without)) {
      return std::string(one ? "ends with a dot" : "ends with dots") + ": write " +
             in_quotes(without);
    }
    if (auto inner = domain_syntax_problem(without)) return inner;
  }
  std::string lower(name);
  bool upper = false;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
      upper = true;
    }
  }
  if (upper && domain_syntax_ok(lower)) {
    return "has upper-case letters: domain names are written in lower case, " + in_quotes(lower);
  }
  if (name.size() > 253) {
    return "has " + std::to_string(name.size()) + " characters: a domain name has at most 253";
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = lower.find('.', start);
    const std::string_view label = std::string_view(lower).substr(
        start, dot == std::string::npos ? std::string_view::npos : dot - start);
    if (label.empty()) {
      return std::string("has an empty label (a leading dot or two dots in a row)");
    }
    if (label.size() > 63) {
      return "has a label of " + std::to_string(label.size()) +
             " characters: a label has at most 63";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "has a label that starts or ends with a hyphen: " + in_quotes(label);
    }
    for (const char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        if (c == '_') {
          return std::string(
              "has an underscore: protected and listed names are host names (a-z, 0-9, "
              "hyphens); service labels such as _25._tcp are covered by their domain");
        }
        return "has the character " + in_quotes(std::string_view(&c, 1)) +
               ", which cannot be in a domain name: use a-z, 0-9 and hyphens";
      }
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return std::string("is not a valid domain name");
}

/// Problems with "xn--" labels (not decodable, or not the canonical A-label of their U-label).
std::optional<std::string> a_label_problem(std::string_view name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = name.find('.', start);
    const std::string label(
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (label.starts_with("xn--")) {
      IdnString unicode;
      const int rc = idn2_to_unicode_8z8z(label.c_str(), &unicode.p, 0);
      if (rc != IDN2_OK || unicode.p == nullptr) {
        return "has the label " + in_quotes(label) + ", which is not a valid A-label (" +
               idn2_strerror(rc) + ")";
      }
      std::string why;
      const auto back = to_a_label(unicode.p, why);
      if (!back) {
        return "has the label " + in_quotes(label) +
               ", which is not a valid A-label: it decodes to characters IDNA does not allow (" +
               why + ")";
      }
      if (*back != label) {
        return "has the label " + in_quotes(label) + ", which is not the canonical A-label of " +
               in_quotes(unicode.p) + ": write " + in_quotes(*back);
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

/// Why `name` cannot be a protected domain under the Public Suffix List, or nullopt.
/// `siblings` (other protected names) provide a realistic example for a public suffix.
std::optional<std::string> registrable_problem(std::string_view name, bool private_suffixes,
                                               const std::vector<std::string>& siblings) {
  const PublicSuffixList& psl = PublicSuffixList::instance();
  const std::size_t labels = count_labels(name);
  const std::size_t suffix = psl.suffix_labels(name, private_suffixes);
  if (suffix >= labels) {
    std::string example = "example." + std::string(name);
    for (const std::string& s : siblings) {
      if (s != name && at_or_under(s, name) && count_labels(s) == labels + 1) {
        example = s;
        break;
      }
    }
    return "is a public suffix, not a registrable domain: protect registrable domains under "
           "it, e.g. " +
           example + ", and block look-alike suffixes with blocked-suffix";
  }
  if (labels > suffix + 1) {
    const std::string_view registrable = last_labels(name, suffix + 1);
    std::string msg = "is not a registrable domain but a name under " + std::string(registrable) +
                      ": protect " + in_quotes(registrable) +
                      " instead (every name under a protected domain is covered)";
    if (!private_suffixes && psl.suffix_labels(name, true) + 1 == labels) {
      msg += "; with psl-private-section true it would count as registrable";
    }
    return msg;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// libyang data-tree helpers

std::string value_of(const lyd_node* node) {
  const char* v = lyd_get_value(node);
  return v == nullptr ? std::string() : std::string(v);
}

/// The unsigned value of a validated integer leaf; `fallback` when absent or unparsable.
std::uint64_t number_of(const lyd_node* node, std::uint64_t fallback) {
  const std::string v = value_of(node);
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return (node == nullptr || ec != std::errc() || end != v.data() + v.size()) ? fallback : out;
}

bool named(const lyd_node* node, std::string_view name) {
  return node != nullptr && node->schema != nullptr && name == node->schema->name;
}

const lyd_node* child(const lyd_node* parent, std::string_view name) {
  for (const lyd_node* c = lyd_child(parent); c != nullptr; c = c->next) {
    if (named(c, name)) return c;
  }
  return nullptr;
}

std::vector<const lyd_node*> children(const lyd_node* parent, std::string_view name) {
  std::vector<const lyd_node*> out;
  for (const lyd_node* c = lyd_child(parent); c != nullptr; c = c->next) {
    if (named(c, name)) out.push_back(c);
  }
  return out;
}

std::string path_of(const lyd_node* node) {
  const CString p(lyd_path(node, LYD_PATH_STD, nullptr, 0));
  return p ? std::string(p.get()) : std::string();
}

bool is_explicit(const lyd_node* node) {
  return node != nullptr && (node->flags & LYD_DEFAULT) == 0;
}

/// The data nodes matching a schema-like path ("/typoguard:policy/allow-list").
std::vector<const lyd_node*> find_all(const lyd_node* tree, const std::string& xpath) {
  std::vector<const lyd_node*> out;
  if (tree == nullptr) return out;
  ly_set* raw = nullptr;
  if (lyd_find_xpath(tree, xpath.c_str(), &raw) != LY_SUCCESS) return out;
  const SetPtr set(raw);
  for (std::uint32_t i = 0; i < set->count; ++i) out.push_back(set->dnodes[i]);
  return out;
}

/// "/typoguard:policy/protected-domain[name='x']/name" without predicates.
std::string strip_predicates(std::string_view path) {
  std::string out;
  char quote = 0;
  int depth = 0;
  for (const char c : path) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (depth > 0) {
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']') {
        --depth;
      }
      continue;
    }
    if (c == '[') {
      depth = 1;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string parent_path(std::string_view path) {
  const std::string plain(path);
  const std::size_t slash = plain.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string() : plain.substr(0, slash);
}

std::string last_step_name(std::string_view path) {
  const std::vector<PathStep> steps = split_data_path(path);
  return steps.empty() ? std::string() : steps.back().name;
}

const lysc_type* type_of(const lysc_node* snode) {
  if (snode == nullptr) return nullptr;
  if (snode->nodetype == LYS_LEAF) return reinterpret_cast<const lysc_node_leaf*>(snode)->type;
  if (snode->nodetype == LYS_LEAFLIST) {
    return reinterpret_cast<const lysc_node_leaflist*>(snode)->type;
  }
  return nullptr;
}

/// Items of a libyang sized array (the count is stored just before the first item).
template <typename T>
std::size_t sized_array_count(const T* array) {
  if (array == nullptr) return 0;
  const auto* count = reinterpret_cast<const LY_ARRAY_COUNT_TYPE*>(array) - 1;
  return static_cast<std::size_t>(*count);
}

std::vector<std::string> enum_names(const lysc_type* type) {
  std::vector<std::string> out;
  if (type == nullptr || type->basetype != LY_TYPE_ENUM) return out;
  const auto* e = reinterpret_cast<const lysc_type_enum*>(type);
  for (std::size_t i = 0; i < sized_array_count(e->enums); ++i) out.emplace_back(e->enums[i].name);
  return out;
}

std::vector<std::string> child_names(const lysc_node* parent, const lys_module* module) {
  std::vector<std::string> out;
  const lysc_module* compiled = parent == nullptr && module != nullptr ? module->compiled : nullptr;
  for (const lysc_node* c = lys_getnext(nullptr, parent, compiled, 0); c != nullptr;
       c = lys_getnext(c, parent, compiled, 0)) {
    out.emplace_back(c->name);
  }
  return out;
}

/// Schema paths (without prefixes) of every data node called `name` in the module.
void find_schema_nodes(const lysc_node* parent, const lys_module* module, std::string_view name,
                       const std::string& prefix, std::vector<std::string>& out) {
  const lysc_module* compiled = parent == nullptr && module != nullptr ? module->compiled : nullptr;
  for (const lysc_node* c = lys_getnext(nullptr, parent, compiled, 0); c != nullptr;
       c = lys_getnext(c, parent, compiled, 0)) {
    const std::string here = prefix.empty() ? std::string(c->name) : prefix + "/" + c->name;
    if (name == c->name) out.push_back(here);
    if ((c->nodetype & (LYS_CONTAINER | LYS_LIST)) != 0) {
      find_schema_nodes(c, module, name, here, out);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What a node is, in words

/// "protected domain", "allow-list entry", ... for the name leaves; else the leaf's own name.
std::string describe_leaf(std::string_view path) {
  const std::string plain = strip_predicates(path);
  static const std::map<std::string, std::string, std::less<>> kWords{
      {"/typoguard:policy/protected-domain/name", "protected domain"},
      {"/typoguard:policy/allow-list/name", "allow-list entry"},
      {"/typoguard:policy/blocked-suffix/name", "blocked suffix"},
      {"/typoguard:policy/client-group/name", "client group name"},
      {"/typoguard:policy/answer/mx/host", "MX host"},
      {"/typoguard:policy/answer/soa/mname", "SOA mname"},
      {"/typoguard:policy/answer/soa/rname", "SOA rname"},
      {"/typoguard:policy/answer/sinkhole-ipv4", "sinkhole-ipv4"},
      {"/typoguard:policy/answer/sinkhole-ipv6", "sinkhole-ipv6"},
      {"/typoguard:policy/scope/client-group", "scope client-group"},
  };
  if (const auto it = kWords.find(plain); it != kWords.end()) return it->second;
  return last_step_name(plain);
}

/// 'protected-domain "army.mil"' for a list entry path, "policy" for the root, "scope" for a
/// container.
std::string describe_node(std::string_view path) {
  const std::vector<PathStep> steps = split_data_path(path);
  if (steps.empty()) return "the file";
  const PathStep& last = steps.back();
  if (steps.size() == 1) return "the policy";
  if (!last.predicates.empty()) return last.name + " " + in_quotes(last.predicates.front().second);
  return last.name;
}

/// The error for a file that holds no top-level node.
std::string no_policy_message(PolicyFormat format) {
  return format == PolicyFormat::Json
             ? "the file holds no policy: expected {\"typoguard:policy\": {...}}"
             : "the file holds no policy: expected <policy "
               "xmlns=\"urn:typoguard:yang:typoguard\">";
}

// ---------------------------------------------------------------------------------------------
// libyang errors → PolicyError

struct RawError {
  std::string message;
  std::string data_path;
  std::string schema_path;
  std::string apptag;
  int line = 0;
  LY_VECODE vecode = LYVE_SUCCESS;
};

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

/// libyang 3 accepts a trailing comma; this is the error libyang 2 gives for it.
RawError trailing_comma_error(const TrailingComma& comma) {
  RawError e;
  e.message = "Invalid character sequence \"" + comma.rest + "\", expected " +
              (comma.in_object ? "a JSON object's member." : "a JSON value.");
  e.data_path = comma.data_path;
  e.line = comma.line;
  e.vecode = LYVE_SYNTAX_JSON;
  return e;
}

class ErrorTranslator {
 public:
  ErrorTranslator(ly_ctx* ctx, const lyd_node* tree, const SourceText& source, std::string file,
                  PolicyFormat format)
      : ctx_(ctx), tree_(tree), source_(source), file_(std::move(file)), format_(format) {}

  PolicyError translate(const RawError& e) {
    PolicyError out{file_, e.line, e.data_path, normalise_space(e.message)};
    const std::string& m = e.message;
    if (m.starts_with("Node \"") && m.find("not found as a child of") != std::string::npos) {
      unknown_child(out, e);
    } else if (m.starts_with("Node \"") && m.find("not found in the") != std::string::npos) {
      out.message = "unknown top-level node " + in_quotes(first_quoted(m).value_or("")) +
                    ": a policy file holds one top-level node, " + top_level_name();
    } else if (m.starts_with("Top-level JSON object member")) {
      out.message = "the top-level member " + in_quotes(first_quoted(m).value_or("")) +
                    " must name its module: write \"typoguard:policy\"";
    } else if (m.starts_with("No module named")) {
      out.message = "the file names the YANG module " + in_quotes(first_quoted(m).value_or("")) +
                    ", which typoguard does not know: a policy file holds " + top_level_name();
    } else if (m.starts_with("Missing XML namespace")) {
      out.message =
          "the element has no XML namespace: write <policy "
          "xmlns=\"urn:typoguard:yang:typoguard\">";
      for (const TextEvent& ev : source_.events()) {
        if (!ev.is_value) {
          out.line = ev.line;
          break;
        }
      }
    } else if (m.starts_with("No module with namespace")) {
      out.message = "unknown XML namespace " + in_quotes(first_quoted(m).value_or("")) +
                    ": write <policy xmlns=\"urn:typoguard:yang:typoguard\">";
    } else if (m.starts_with("Empty JSON file")) {
      // libyang 3 rejects an empty JSON file; libyang 2 parses it to no policy.
      out = PolicyError{file_, 1, {}, no_policy_message(format_)};
    } else if (e.vecode == LYVE_SYNTAX || e.vecode == LYVE_SYNTAX_JSON ||
               e.vecode == LYVE_SYNTAX_XML) {
      syntax(out);
    } else if (e.apptag.starts_with("tg-")) {
      own_restriction(out, e);
    } else if (m.starts_with("Invalid union value")) {
      invalid_union(out, e);
    } else if (m.starts_with("Invalid enumeration value")) {
      invalid_enum(out, e);
    } else if (m.starts_with("Invalid leafref value")) {
      invalid_leafref(out, e);
    } else if (m.starts_with("Duplicate instance of")) {
      duplicate(out, e);
    } else if (m.starts_with("Data for both cases")) {
      both_cases(out, e);
    } else if (m.starts_with("Mandatory node")) {
      mandatory(out, e);
    } else if (m.starts_with("Too few")) {
      too_few(out, e);
    } else if (m.starts_with("List instance is missing its key")) {
      out.message = "an entry of " + describe_node(e.data_path) + " has no " +
                    in_quotes(first_quoted(m).value_or("name")) + ": every entry needs one";
      fix_line_backwards(out, e, "");
    } else if (m.starts_with("Invalid non-number-encoded") ||
               m.starts_with("Invalid non-boolean") ||
               m.starts_with("Invalid non-string-encoded")) {
      wrong_json_kind(out, e);
    } else {
      other_value_error(out, e);
    }
    return out;
  }

 private:
  [[nodiscard]] std::string top_level_name() const {
    return format_ == PolicyFormat::Json ? "\"typoguard:policy\""
                                         : "<policy xmlns=\"urn:typoguard:yang:typoguard\">";
  }

  [[nodiscard]] const lysc_node* schema_of(std::string_view path) const {
    const std::string plain = strip_predicates(path);
    if (plain.empty()) return nullptr;
    return lys_find_path(ctx_, nullptr, plain.c_str(), 0);
  }

  /// The value of the node libyang rejected, and its line: the latest value of that node at or
  /// before libyang's line that libyang itself rejects (or equals `hint`).
  std::pair<int, std::optional<std::string>> bad_value(const RawError& e,
                                                       const std::optional<std::string>& hint) {
    const lysc_node* snode = schema_of(e.data_path);
    const std::string name =
        snode != nullptr ? std::string(snode->name) : last_step_name(e.data_path);
    std::vector<const TextEvent*> candidates;
    for (const TextEvent& ev : source_.events()) {
      if (ev.is_value && ev.name == name && (e.line == 0 || ev.line <= e.line)) {
        candidates.push_back(&ev);
      }
    }
    if (hint) {
      for (std::size_t i = candidates.size(); i-- > 0;) {
        const TextEvent* c = candidates[i];
        if (c->value == *hint) return {c->line, c->value};
      }
    }
    if (snode != nullptr && type_of(snode) != nullptr) {
      for (std::size_t i = candidates.size(); i-- > 0;) {
        const TextEvent* c = candidates[i];
        const std::string& v = c->value;
        const LY_ERR r =
            lyd_value_validate(ctx_, snode, v.c_str(), v.size(), nullptr, nullptr, nullptr);
        ly_err_clean(ctx_, nullptr);
        if (r != LY_SUCCESS && r != LY_EINCOMPLETE) return {c->line, v};
      }
    }
    if (!candidates.empty()) return {candidates.back()->line, candidates.back()->value};
    return {e.line, hint};
  }

  /// Moves the line back to the last occurrence of the member `name` at or before it.
  void fix_line_backwards(PolicyError& out, const RawError& e, const std::string& name) {
    if (e.line == 0) {
      out.line = source_.locate(e.data_path);
      return;
    }
    const std::string& want = name.empty() ? last_step_name(e.data_path) : name;
    int best = 0;
    for (const TextEvent& ev : source_.events()) {
      if (ev.line > e.line) break;
      if (!ev.is_value && ev.name == want) best = ev.line;
    }
    if (best != 0) out.line = best;
  }

  void syntax(PolicyError& out) const {
    std::string msg = out.message;
    if (msg.size() > 160) msg = msg.substr(0, 160) + "...";
    out.message =
        (format_ == PolicyFormat::Json ? "JSON syntax error: " : "XML syntax error: ") + msg;
  }

  void unknown_child(PolicyError& out, const RawError& e) {
    const std::string unknown = first_quoted(e.message).value_or("");
    const lysc_node* parent = schema_of(e.data_path);
    const lys_module* module = ly_ctx_get_module_implemented(ctx_, kModuleName);
    std::vector<std::string> allowed = child_names(parent, module);
    std::string msg = "unknown node " + in_quotes(unknown) + " in " + describe_node(e.data_path);
    if (const auto guess = closest(unknown, allowed)) {
      msg += ": did you mean " + in_quotes(*guess) + "?";
    } else {
      std::vector<std::string> elsewhere;
      find_schema_nodes(nullptr, module, unknown, "", elsewhere);
      if (!elsewhere.empty()) {
        msg += ": " + in_quotes(unknown) + " belongs at " + join(elsewhere, " or ");
      }
    }
    msg += " (allowed here: " + join(allowed, ", ") + ")";
    out.message = msg;
    fix_line_backwards(out, e, unknown);
  }

  void own_restriction(PolicyError& out, const RawError& e) {
    const std::string rule = normalise_space(e.message);
    if (e.apptag == "tg-mx-host-missing") {
      out.line = out.line != 0 ? out.line : source_.locate(e.data_path, std::string_view("host"));
      return;
    }
    if (e.vecode != LYVE_DATA) {
      // must / other validation errors carry no value
      if (out.line == 0) out.line = source_.locate(e.data_path);
      return;
    }
    auto [line, value] = bad_value(e, std::nullopt);
    out.line = line;
    const std::string what = describe_leaf(e.data_path);
    if (value && e.apptag.starts_with("tg-domain-name")) {
      if (const auto problem = domain_syntax_problem(*value)) {
        out.message = what + " " + in_quotes(*value) + " " + *problem;
        return;
      }
    }
    if (value && e.apptag == "tg-ip-prefix-syntax") {
      out.message = prefix_problem(*value);
      return;
    }
    if (value) {
      out.message = what + " " + in_quotes(*value) + " is not allowed: " + rule;
    } else {
      out.message = what + ": " + rule;
    }
  }

  static std::string prefix_problem(const std::string& value) {
    std::string msg = "prefix " + in_quotes(value);
    const std::size_t slash = value.find('/');
    const std::string address = value.substr(0, slash);
    std::array<std::uint8_t, 16> bytes{};
    const bool v4 = inet_pton(AF_INET, address.c_str(), bytes.data()) == 1;
    const bool v6 = !v4 && inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1;
    if (slash == std::string::npos && (v4 || v6)) {
      return msg + " has no prefix length: write " + in_quotes(value + (v4 ? "/32" : "/128")) +
             " for that single address";
    }
    if (v4) return msg + " has a prefix length beyond 32: IPv4 prefix lengths are 0..32";
    if (v6) return msg + " has a prefix length beyond 128: IPv6 prefix lengths are 0..128";
    return msg +
           " is not an IP prefix: write an IPv4 address and a length 0..32 (192.0.2.0/24, "
           "192.0.2.25/32) or an IPv6 address and a length 0..128 (2001:db8::/32)";
  }

  void invalid_union(PolicyError& out, const RawError& e) {
    const std::string value = first_quoted(e.message).value_or("");
    auto [line, found] = bad_value(e, value);
    out.line = line;
    const std::string what = describe_leaf(e.data_path);
    if (what != "query-type") {
      out.message = what + " " + in_quotes(value) + " is not a valid value";
      return;
    }
    std::string msg = "query type " + in_quotes(value) +
                      " is neither an RR type name (A, AAAA, MX, TXT, ...) nor a number 0..65535";
    const lysc_node* snode = schema_of(e.data_path);
    std::vector<std::string> names;
    if (const lysc_type* t = type_of(snode); t != nullptr && t->basetype == LY_TYPE_UNION) {
      const auto* u = reinterpret_cast<const lysc_type_union*>(t);
      for (std::size_t i = 0; i < sized_array_count(u->types); ++i) {
        for (auto& n : enum_names(u->types[i])) names.push_back(std::move(n));
      }
    }
    std::string upper = value;
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    const bool digits = !value.empty() && std::all_of(value.begin(), value.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
    bool was_quoted = false;
    for (const TextEvent& ev : source_.events()) {
      if (ev.is_value && ev.line == line && ev.value == value && ev.quoted) was_quoted = true;
    }
    const std::string subject = "query type " + in_quotes(value);
    if (upper != value && std::find(names.begin(), names.end(), upper) != names.end()) {
      msg = subject + " is not a type name: type names are upper case, write " + in_quotes(upper);
    } else if (digits && value.size() <= 5 && std::stoul(value) <= 65535U && was_quoted) {
      msg = subject + " is a number in quotes: in JSON write numbers without quotes, " + value;
    } else if (digits) {
      msg = subject + " is out of range: type numbers are 0..65535";
    } else if (const auto guess = closest(upper, names)) {
      msg += ": did you mean " + in_quotes(*guess) + "?";
    }
    out.message = msg;
  }

  void invalid_enum(PolicyError& out, const RawError& e) {
    const std::string value = first_quoted(e.message).value_or("");
    auto [line, found] = bad_value(e, value);
    out.line = line;
    const lysc_node* snode = schema_of(e.data_path);
    const std::vector<std::string> names = enum_names(type_of(snode));
    const std::string what = describe_leaf(e.data_path);
    std::string msg = what + " " + in_quotes(value) + " is not one of: " + join(names, ", ");
    if (what == "technique" || what == "add-technique" || what == "remove-technique") {
      if (value == "blocked-suffix") {
        msg = what + " " + in_quotes(value) +
              " is not a per-domain technique: list the suffix under blocked-suffix instead "
              "(techniques: " +
              join(names, ", ") + ")";
      }
    }
    if (const auto guess = closest(value, names))
      msg += "; did you mean " + in_quotes(*guess) + "?";
    out.message = msg;
  }

  void invalid_leafref(PolicyError& out, const RawError& e) {
    const std::string value = first_quoted(e.message).value_or("");
    out.line = source_.locate(e.data_path);
    std::vector<std::string> defined;
    for (const lyd_node* g : find_all(tree_, "/typoguard:policy/client-group")) {
      defined.push_back(value_of(child(g, "name")));
    }
    std::string msg = "scope names the client group " + in_quotes(value) +
                      ", but no client-group has that name: ";
    if (defined.empty()) {
      msg += R"(define it, e.g. client-group {"name": )" + in_quotes(value) +
             R"(, "prefix": ["192.0.2.25/32"]})";
    } else {
      msg += "define it or use one of: " + join(defined, ", ");
      if (const auto guess = closest(value, defined))
        msg += " (did you mean " + in_quotes(*guess) + "?)";
    }
    out.message = msg;
  }

  void duplicate(PolicyError& out, const RawError& e) {
    out.line = source_.locate(e.data_path, std::nullopt, 2);
    if (out.line == 0) out.line = source_.locate(e.data_path);
    const std::vector<PathStep> steps = split_data_path(e.data_path);
    if (steps.empty()) return;
    const PathStep& last = steps.back();
    if (last.predicates.empty()) {
      out.message =
          in_quotes(last.name) + " is given twice in " + describe_node(parent_path(e.data_path));
    } else if (last.predicates.front().first == ".") {
      out.message =
          last.name + " " + in_quotes(last.predicates.front().second) + " is listed twice";
      if (steps.size() > 2) out.message += " in " + describe_node(parent_path(e.data_path));
    } else {
      out.message = last.name + " " + in_quotes(last.predicates.front().second) +
                    " is listed twice: merge the two entries";
    }
  }

  void both_cases(PolicyError& out, const RawError& e) {
    const std::string list_path = parent_path(e.schema_path);
    for (const lyd_node* entry : find_all(tree_, list_path)) {
      const bool full = child(entry, "technique") != nullptr;
      const bool adjust =
          child(entry, "add-technique") != nullptr || child(entry, "remove-technique") != nullptr;
      if (full && adjust) {
        out.data_path = path_of(entry);
        out.line = std::max({source_.locate(out.data_path),
                             source_.locate(out.data_path + "/add-technique"),
                             source_.locate(out.data_path + "/remove-technique")});
        out.message = describe_node(out.data_path) +
                      " has both technique (its complete technique set) and add-technique/"
                      "remove-technique (changes to the policy-wide set): use one or the other";
        return;
      }
    }
    out.data_path = e.schema_path;
  }

  /// The entries a missing `item` belongs to: libyang 2 names the item's schema path,
  /// libyang 3 the data path of the entry (or of the item, for too few instances).
  static std::string owner_of(const RawError& e, const std::string& item) {
    if (!e.schema_path.empty() || e.data_path.empty()) return parent_path(e.schema_path);
    if (last_step_name(e.data_path) == item) return parent_path(e.data_path);
    return e.data_path;
  }

  void mandatory(PolicyError& out, const RawError& e) {
    const std::string missing = first_quoted(e.message).value_or("");
    const std::string owner = owner_of(e, missing);
    for (const lyd_node* entry : find_all(tree_, owner)) {
      if (child(entry, missing) != nullptr) continue;
      out.data_path = path_of(entry);
      out.line = source_.locate(out.data_path);
      const std::string who = describe_node(out.data_path);
      if (missing == "reason" && strip_predicates(owner).ends_with("allow-list")) {
        out.message = "allow-list entry " + in_quotes(value_of(child(entry, "name"))) +
                      " has no reason: every allow-list entry must say why the name is allowed, "
                      "e.g. \"reason\": \"partner, ticket 1234\"";
      } else if (missing == "reason") {
        out.message = who +
                      " has no reason: say why the suffix is blocked, e.g. \"reason\": "
                      "\"look-alike of mil\"";
      } else {
        out.message = who + " has no " + in_quotes(missing) + ", which is required";
      }
      return;
    }
    out.data_path = e.schema_path;
    out.message = in_quotes(missing) + " is required";
  }

  void too_few(PolicyError& out, const RawError& e) {
    const std::string item = first_quoted(e.message).value_or("");
    const std::string owner = owner_of(e, item);
    for (const lyd_node* entry : find_all(tree_, owner)) {
      if (child(entry, item) != nullptr) continue;
      out.data_path = path_of(entry);
      out.line = source_.locate(out.data_path);
      if (item == "prefix") {
        out.message = describe_node(out.data_path) +
                      " has no prefix: list the addresses of its clients, e.g. \"prefix\": "
                      "[\"192.0.2.25/32\", \"2001:db8::25/128\"]";
      } else {
        out.message = describe_node(out.data_path) + " needs at least one " + in_quotes(item);
      }
      return;
    }
    out.data_path = e.schema_path;
    out.message = "at least one " + in_quotes(item) + " is required";
  }

  void wrong_json_kind(PolicyError& out, const RawError& e) {
    const std::string value = first_quoted(e.message).value_or("");
    auto [line, found] = bad_value(e, value);
    out.line = line;
    const std::string what = describe_leaf(e.data_path);
    if (e.message.find("boolean") != std::string::npos) {
      out.message =
          what + " " + in_quotes(value) + " is not a boolean: write true or false, without quotes";
    } else if (e.message.find("number") != std::string::npos) {
      out.message = what + " " + in_quotes(value) + " must be a JSON number: write " + value +
                    " without quotes";
    } else if (value.empty()) {
      out.message = what + " must be a JSON string, in quotes";
    } else {
      out.message = what + " " + in_quotes(value) + " must be a JSON string: put it in quotes";
    }
  }

  void other_value_error(PolicyError& out, const RawError& e) {
    const std::optional<std::string> value = first_quoted(e.message);
    if (out.data_path.empty() && e.line == 0) return;
    const std::string what = describe_leaf(e.data_path);
    if (e.vecode == LYVE_DATA && value) {
      auto [line, found] = bad_value(e, value);
      out.line = line;
      // libyang 2 checks the address type's pattern, libyang 3 converts the address.
      const bool not_address = e.message.starts_with("Unsatisfied pattern") ||
                               e.message.starts_with("Failed to convert IPv");
      if (not_address && what == "sinkhole-ipv4") {
        out.message =
            "sinkhole-ipv4 " + in_quotes(*value) + " is not an IPv4 address, e.g. 192.0.2.1";
      } else if (not_address && what == "sinkhole-ipv6") {
        out.message =
            "sinkhole-ipv6 " + in_quotes(*value) + " is not an IPv6 address, e.g. 2001:db8::1";
      } else if (e.message.find("min/max bounds") != std::string::npos) {
        out.message = what + " " + *value + " is out of range for its type";
        if (const lysc_type* t = type_of(schema_of(e.data_path)); t != nullptr) {
          if (t->basetype == LY_TYPE_UINT8) out.message += " (0..255)";
          if (t->basetype == LY_TYPE_UINT16) out.message += " (0..65535)";
          if (t->basetype == LY_TYPE_UINT32) out.message += " (0..4294967295)";
        }
      } else {
        out.message = what + ": " + normalise_space(e.message);
      }
      return;
    }
    if (out.line == 0 && !e.data_path.empty()) out.line = source_.locate(e.data_path);
    if (!what.empty()) out.message = what + ": " + out.message;
  }

  ly_ctx* ctx_;
  const lyd_node* tree_;
  const SourceText& source_;
  std::string file_;
  PolicyFormat format_;
};

// ---------------------------------------------------------------------------------------------
// Tree → Policy, with the semantic checks

std::optional<PolicyAction> parse_action(std::string_view v) {
  if (v == "nxdomain") return PolicyAction::NxDomain;
  if (v == "sinkhole") return PolicyAction::Sinkhole;
  return std::nullopt;
}

std::uint16_t query_type_number(const lyd_node* node) {
  const auto* term = reinterpret_cast<const lyd_node_term*>(node);
  const lyd_value* v = &term->value;
  if (v->realtype != nullptr && v->realtype->basetype == LY_TYPE_UNION && v->subvalue != nullptr) {
    v = &v->subvalue->value;
  }
  if (v->realtype == nullptr) return 0;
  if (v->realtype->basetype == LY_TYPE_UINT16) return v->uint16;
  if (v->realtype->basetype == LY_TYPE_ENUM && v->enum_item != nullptr) {
    return static_cast<std::uint16_t>(v->enum_item->value);
  }
  return 0;
}

struct ParsedPrefix {
  IpPrefix prefix;
  bool host_bits = false;
  IpPrefix network;  ///< the prefix with the host bits cleared
};

std::optional<ParsedPrefix> parse_prefix(std::string_view text) {
  const std::size_t slash = text.rfind('/');
  if (slash == std::string_view::npos || slash + 1 >= text.size()) return std::nullopt;
  const std::string address(text.substr(0, slash));
  unsigned length = 0;
  for (const char c : text.substr(slash + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10U + static_cast<unsigned>(c - '0');
    if (length > 128U) return std::nullopt;
  }
  ParsedPrefix p;
  p.prefix.ipv6 = address.find(':') != std::string::npos;
  const unsigned max_length = p.prefix.ipv6 ? 128U : 32U;
  if (length > max_length) return std::nullopt;
  if (inet_pton(p.prefix.ipv6 ? AF_INET6 : AF_INET, address.c_str(), p.prefix.address.data()) !=
      1) {
    return std::nullopt;
  }
  p.prefix.length = static_cast<std::uint8_t>(length);
  p.network = p.prefix;
  const std::size_t bytes = p.prefix.ipv6 ? 16 : 4;
  for (std::size_t i = 0; i < bytes; ++i) {
    const unsigned first_bit = static_cast<unsigned>(i) * 8U;
    std::uint8_t mask = 0;
    if (length >= first_bit + 8U) {
      mask = 0xff;
    } else if (length > first_bit) {
      mask = static_cast<std::uint8_t>(0xffU << (8U - (length - first_bit)));
    }
    p.network.address[i] = static_cast<std::uint8_t>(p.prefix.address[i] & mask);
    if (p.network.address[i] != p.prefix.address[i]) p.host_bits = true;
  }
  return p;
}

/// True when `outer` contains every address of `inner`.
bool covers(const IpPrefix& outer, const IpPrefix& inner) {
  return outer.ipv6 == inner.ipv6 && outer.length <= inner.length &&
         outer.contains(inner.ipv6, inner.address.data());
}

class PolicyBuilder {
 public:
  PolicyBuilder(const SourceText& source, std::string file, std::vector<PolicyError>& errors)
      : source_(source), file_(std::move(file)), errors_(errors) {}

  Policy build(const lyd_node* root) {
    Policy p;
    p.private_suffixes = value_of(child(root, "psl-private-section")) == "true";
    p.description = value_of(child(root, "description"));
    p.revision = value_of(child(root, "revision"));
    p.mode = value_of(child(root, "mode")) == "monitor" ? Mode::Monitor : Mode::Enforce;
    p.default_action =
        parse_action(value_of(child(root, "action"))).value_or(PolicyAction::NxDomain);
    p.extended_dns_error = value_of(child(root, "extended-dns-error")) != "false";
    if (const lyd_node* log = child(root, "event-log"))
      p.event_log_path = value_of(child(log, "path"));

    read_protected(root, p);
    read_blocked(root, p);
    read_allow(root, p);
    read_client_groups(root, p);
    read_scope(root, p);
    read_answer(root, p);
    cross_checks(root, p);
    return p;
  }

 private:
  /// The `name` children of `parent` in file order: libyang 3 keeps ordered-by system lists and
  /// leaf-lists sorted (defaults too), libyang 2 keeps them as written.
  [[nodiscard]] std::vector<const lyd_node*> children_of(const lyd_node* parent,
                                                         std::string_view name) const {
    std::vector<const lyd_node*> nodes = children(parent, name);
#if LY_VERSION_MAJOR >= 3
    const auto rank = [this](const lyd_node* n) {
      if (!is_explicit(n) && n->schema->nodetype == LYS_LEAFLIST) {
        const auto* leaflist = reinterpret_cast<const lysc_node_leaflist*>(n->schema);
        const std::string value = value_of(n);
        for (std::size_t i = 0; i < sized_array_count(leaflist->dflts); ++i) {
          const char* d = lyd_value_get_canonical(LYD_CTX(n), leaflist->dflts[i]);
          if (d != nullptr && value == d) return i;
        }
      }
      return source_.position(path_of(n)).value_or(std::numeric_limits<std::size_t>::max());
    };
    std::vector<std::pair<std::size_t, const lyd_node*>> ranked;
    ranked.reserve(nodes.size());
    for (const lyd_node* n : nodes) ranked.emplace_back(rank(n), n);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i] = ranked[i].second;
#endif
    return nodes;
  }

  void fail(const lyd_node* node, std::string message, std::optional<std::string_view> value = {}) {
    const std::string path = node != nullptr ? path_of(node) : std::string(kRootPath);
    errors_.push_back(PolicyError{file_, source_.locate(path, value), path, std::move(message)});
  }

  void check_a_labels(const lyd_node* node) {
    const std::string name = value_of(node);
    if (const auto problem = a_label_problem(name)) {
      fail(node, describe_leaf(path_of(node)) + " " + in_quotes(name) + " " + *problem);
    }
  }

  void read_protected(const lyd_node* root, Policy& p) {
    TechniqueSet global;
    for (const lyd_node* t : children_of(root, "technique")) {
      if (const auto tech = technique_from_name(value_of(t))) global.insert(*tech);
    }
    const auto global_short =
        static_cast<std::uint8_t>(number_of(child(root, "short-label-length"), 4));
    const std::vector<const lyd_node*> entries = children_of(root, "protected-domain");
    std::vector<std::string> all_names;
    all_names.reserve(entries.size());
    for (const lyd_node* e : entries) all_names.push_back(value_of(child(e, "name")));

    for (const lyd_node* e : entries) {
      ProtectedDomain d;
      const lyd_node* name_node = child(e, "name");
      d.name = value_of(name_node);
      d.description = value_of(child(e, "description"));
      const std::vector<const lyd_node*> full = children_of(e, "technique");
      if (!full.empty()) {
        for (const lyd_node* t : full) {
          if (const auto tech = technique_from_name(value_of(t))) d.techniques.insert(*tech);
        }
      } else {
        d.techniques = global;
        const std::vector<const lyd_node*> added = children_of(e, "add-technique");
        const std::vector<const lyd_node*> removed = children_of(e, "remove-technique");
        for (const lyd_node* t : added) {
          if (const auto tech = technique_from_name(value_of(t))) d.techniques.insert(*tech);
        }
        for (const lyd_node* t : removed) {
          const std::string v = value_of(t);
          if (const auto tech = technique_from_name(v)) d.techniques.erase(*tech);
          for (const lyd_node* a : added) {
            if (value_of(a) == v) {
              fail(t, "protected domain " + in_quotes(d.name) +
                          " both adds and removes the technique " + in_quotes(v) +
                          ": keep one of the two");
            }
          }
        }
      }
      if (d.techniques.empty()) {
        fail(e, "protected domain " + in_quotes(d.name) +
                    " is left with no technique, so nothing would be detected for it: keep at "
                    "least one");
      }
      const lyd_node* sl = child(e, "short-label-length");
      d.short_label_length =
          sl != nullptr ? static_cast<std::uint8_t>(number_of(sl, global_short)) : global_short;
      if (const lyd_node* a = child(e, "action")) d.action = parse_action(value_of(a));

      if (const auto problem = registrable_problem(d.name, p.private_suffixes, all_names)) {
        fail(name_node, "protected domain " + in_quotes(d.name) + " " + *problem);
      }
      check_a_labels(name_node);
      p.protected_domains.push_back(std::move(d));
    }
  }

  void read_blocked(const lyd_node* root, Policy& p) {
    for (const lyd_node* e : children_of(root, "blocked-suffix")) {
      BlockedSuffix b;
      const lyd_node* name_node = child(e, "name");
      b.name = value_of(name_node);
      b.reason = value_of(child(e, "reason"));
      if (const lyd_node* a = child(e, "action")) b.action = parse_action(value_of(a));
      check_a_labels(name_node);
      blocked_nodes_.push_back(name_node);
      p.blocked_suffixes.push_back(std::move(b));
    }
  }

  void read_allow(const lyd_node* root, Policy& p) {
    for (const lyd_node* e : children_of(root, "allow-list")) {
      AllowEntry a;
      const lyd_node* name_node = child(e, "name");
      a.name = value_of(name_node);
      a.reason = value_of(child(e, "reason"));
      check_a_labels(name_node);
      allow_nodes_.push_back(name_node);
      p.allow.push_back(std::move(a));
    }
  }

  void read_client_groups(const lyd_node* root, Policy& p) {
    for (const lyd_node* e : children_of(root, "client-group")) {
      ClientGroup g;
      g.name = value_of(child(e, "name"));
      g.description = value_of(child(e, "description"));
      std::vector<std::pair<IpPrefix, std::string>> seen;
      for (const lyd_node* n : children_of(e, "prefix")) {
        const std::string text = value_of(n);
        const auto parsed = parse_prefix(text);
        if (!parsed) {
          fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                      " is not an IPv4 or IPv6 prefix, e.g. 192.0.2.0/24 or 2001:db8::/32");
          continue;
        }
        if (parsed->host_bits) {
          const std::string network = parsed->network.to_string();
          std::string host = parsed->prefix.to_string();
          host = host.substr(0, host.rfind('/')) + (parsed->prefix.ipv6 ? "/128" : "/32");
          fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                      " has bits set after the first " + std::to_string(parsed->prefix.length) +
                      ": write the network " + in_quotes(network) + ", or " + in_quotes(host) +
                      " for that single address");
          continue;
        }
        bool overlap = false;
        for (const auto& [other, other_text] : seen) {
          if (covers(other, parsed->prefix)) {
            fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                        " is already covered by " + in_quotes(other_text) +
                        " in the same group: "
                        "remove one of them");
            overlap = true;
            break;
          }
          if (covers(parsed->prefix, other)) {
            fail(n, "prefix " + in_quotes(text) + " in client group " + in_quotes(g.name) +
                        " covers " + in_quotes(other_text) +
                        ", listed before it in the same group: "
                        "remove one of them");
            overlap = true;
            break;
          }
        }
        if (overlap) continue;
        seen.emplace_back(parsed->prefix, text);
        g.prefixes.push_back(parsed->prefix);
      }
      p.client_groups.push_back(std::move(g));
    }
  }

  void read_scope(const lyd_node* root, Policy& p) {
    const lyd_node* scope = child(root, "scope");
    if (scope == nullptr) return;
    for (const lyd_node* g : children_of(scope, "client-group"))
      p.scope_client_groups.push_back(value_of(g));
    p.query_types.clear();
    std::map<std::uint16_t, std::string> seen;
    for (const lyd_node* q : children_of(scope, "query-type")) {
      const std::uint16_t number = query_type_number(q);
      const std::string text = value_of(q);
      if (const auto it = seen.find(number); it != seen.end()) {
        fail(q, "query type " + in_quotes(text) + " is the same type as " + in_quotes(it->second) +
                    ", listed before it: remove one of them");
        continue;
      }
      seen.emplace(number, text);
      p.query_types.push_back(number);
    }
  }

  void read_answer(const lyd_node* root, Policy& p) {
    const lyd_node* answer = child(root, "answer");
    if (answer == nullptr) return;
    AnswerSettings& a = p.answers;
    if (const lyd_node* ttl = child(answer, "ttl"))
      a.ttl = static_cast<std::uint32_t>(number_of(ttl, a.ttl));
    if (const lyd_node* v4 = child(answer, "sinkhole-ipv4")) {
      std::array<std::uint8_t, 4> bytes{};
      if (inet_pton(AF_INET, value_of(v4).c_str(), bytes.data()) == 1) a.sinkhole_ipv4 = bytes;
    }
    if (const lyd_node* v6 = child(answer, "sinkhole-ipv6")) {
      std::array<std::uint8_t, 16> bytes{};
      if (inet_pton(AF_INET6, value_of(v6).c_str(), bytes.data()) == 1) a.sinkhole_ipv6 = bytes;
    }
    if (const lyd_node* mx = child(answer, "mx")) {
      const std::string kind = value_of(child(mx, "answer"));
      a.mx = kind == "host"   ? AnswerSettings::MxKind::Host
             : kind == "none" ? AnswerSettings::MxKind::None
                              : AnswerSettings::MxKind::NullMx;
      if (const lyd_node* host = child(mx, "host")) {
        a.mx_host = value_of(host);
        check_a_labels(host);
      }
      if (const lyd_node* pref = child(mx, "preference")) {
        a.mx_preference = static_cast<std::uint16_t>(number_of(pref, a.mx_preference));
      }
    }
    if (const lyd_node* soa = child(answer, "soa")) {
      if (const lyd_node* m = child(soa, "mname")) a.soa_mname = value_of(m);
      if (const lyd_node* r = child(soa, "rname")) a.soa_rname = value_of(r);
    }
  }

  void cross_checks(const lyd_node* root, const Policy& p) {
    // An allow-list entry must be able to matter.
    for (std::size_t i = 0; i < p.allow.size(); ++i) {
      const std::string& name = p.allow[i].name;
      bool reported = false;
      for (const ProtectedDomain& d : p.protected_domains) {
        if (at_or_under(name, d.name)) {
          fail(allow_nodes_[i], "allow-list entry " + in_quotes(name) +
                                    (name == d.name ? " is" : " lies under") +
                                    " the protected domain " + d.name +
                                    ", whose names are never look-alikes anyway: remove the entry");
          reported = true;
          break;
        }
      }
      if (reported) continue;
      for (const BlockedSuffix& b : p.blocked_suffixes) {
        if (at_or_under(b.name, name)) {
          fail(allow_nodes_[i],
               "allow-list entry " + in_quotes(name) + " would allow the whole blocked suffix " +
                   b.name + ": allow the partner domains under it instead (e.g. partner-example." +
                   b.name + "), or remove the blocked suffix");
          reported = true;
          break;
        }
      }
      if (reported) continue;
      for (std::size_t j = 0; j < p.allow.size(); ++j) {
        if (j != i && at_or_under(name, p.allow[j].name) && name != p.allow[j].name) {
          fail(allow_nodes_[i], "allow-list entry " + in_quotes(name) +
                                    " is already covered by the allow-list entry " +
                                    p.allow[j].name + ": remove one of them");
          break;
        }
      }
    }

    // A blocked suffix must not swallow a protected domain, nor another blocked suffix.
    for (std::size_t i = 0; i < p.blocked_suffixes.size(); ++i) {
      const std::string& name = p.blocked_suffixes[i].name;
      bool reported = false;
      for (const ProtectedDomain& d : p.protected_domains) {
        if (at_or_under(d.name, name)) {
          fail(blocked_nodes_[i],
               "blocked suffix " + in_quotes(name) + (name == d.name ? " is" : " contains") +
                   " the protected domain " + d.name +
                   ": a blocked suffix is for look-alike suffixes (ml for mil); remove it, or "
                   "protect the domains under it instead");
          reported = true;
          break;
        }
        if (at_or_under(name, d.name)) {
          fail(blocked_nodes_[i], "blocked suffix " + in_quotes(name) +
                                      " lies under the protected domain " + d.name +
                                      ", whose names are never look-alikes: remove it");
          reported = true;
          break;
        }
      }
      if (reported) continue;
      for (std::size_t j = 0; j < p.blocked_suffixes.size(); ++j) {
        if (j != i && at_or_under(name, p.blocked_suffixes[j].name) &&
            name != p.blocked_suffixes[j].name) {
          fail(blocked_nodes_[i], "blocked suffix " + in_quotes(name) +
                                      " is already blocked by the blocked suffix " +
                                      p.blocked_suffixes[j].name + ": remove it");
          break;
        }
      }
    }

    // Sinkhole needs something to answer with.
    if (!p.answers.sinkhole_ipv4 && !p.answers.sinkhole_ipv6) {
      const lyd_node* chooser = nullptr;
      std::string who;
      if (const lyd_node* a = child(root, "action"); is_explicit(a) && value_of(a) == "sinkhole") {
        chooser = a;
        who = "the policy-wide action";
      }
      for (const lyd_node* e : children_of(root, "protected-domain")) {
        if (chooser != nullptr) break;
        if (const lyd_node* a = child(e, "action"); a != nullptr && value_of(a) == "sinkhole") {
          chooser = a;
          who = "protected domain " + value_of(child(e, "name"));
        }
      }
      for (const lyd_node* e : children_of(root, "blocked-suffix")) {
        if (chooser != nullptr) break;
        if (const lyd_node* a = child(e, "action"); a != nullptr && value_of(a) == "sinkhole") {
          chooser = a;
          who = "blocked suffix " + value_of(child(e, "name"));
        }
      }
      if (chooser != nullptr) {
        fail(chooser,
             "the action sinkhole (chosen by " + who +
                 ") needs an address to answer with: add answer/sinkhole-ipv4 (e.g. "
                 "192.0.2.1) and/or answer/sinkhole-ipv6 (e.g. 2001:db8::1)",
             std::string_view("sinkhole"));
      }
    }

    if (p.protected_domains.empty() && p.blocked_suffixes.empty()) {
      fail(root,
           "the policy protects no domain and blocks no suffix, so typoguard would do nothing: "
           "add protected-domain entries (e.g. {\"name\": \"army.mil\"}) or blocked-suffix "
           "entries");
    }
  }

  const SourceText& source_;
  std::string file_;
  std::vector<PolicyError>& errors_;
  std::vector<const lyd_node*> blocked_nodes_;
  std::vector<const lyd_node*> allow_nodes_;
};

// ---------------------------------------------------------------------------------------------
// The pipeline

// A libyang context holding the compiled-in typoguard module (yang_module_text()) and
// libyang's own internal modules; it searches no directory and reads no file. A failure is a
// build defect, reported as an error naming `origin`.
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
    for (const RawError& e : take_errors(ctx.get())) why += " " + normalise_space(e.message);
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
    ly_err_clean(ctx, nullptr);  // nothing left over from an earlier load
  }

  // A UTF-8 byte order mark is not part of the JSON or XML text; lines are unaffected.
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const SourceText source(body, format);
  const std::string buffer(body);
  lyd_node* raw = nullptr;
  const LYD_FORMAT ly_format = format == PolicyFormat::Json ? LYD_JSON : LYD_XML;
  LY_ERR rc = lyd_parse_data_mem(ctx, buffer.c_str(), ly_format,
                                 LYD_PARSE_STRICT | LYD_PARSE_NO_STATE | LYD_PARSE_ONLY, 0, &raw);
  TreePtr tree(raw);
  // libyang 3 reads on past a trailing comma, where libyang 2 stops with a syntax error: that
  // error comes first unless libyang 3 found one on an earlier line.
  const std::optional<TrailingComma>& comma = source.trailing_comma();
  bool comma_first = comma && rc == LY_SUCCESS;
#if LY_VERSION_MAJOR >= 3
  if (comma && rc != LY_SUCCESS) {
    const ly_err_item* first = ly_err_first(ctx);
    while (first != nullptr && first->level != LY_LLERR) first = first->next;
    comma_first = first != nullptr && first->line != 0 &&
                  static_cast<std::uint64_t>(comma->line) < first->line;
  }
#endif
  if (comma_first) {
    ly_err_clean(ctx, nullptr);
    result.errors.push_back(ErrorTranslator(ctx, tree.get(), source, origin, format)
                                .translate(trailing_comma_error(*comma)));
    return result;
  }
  if (rc == LY_SUCCESS) {
    raw = tree.release();
    rc = lyd_validate_all(&raw, ctx, LYD_VALIDATE_PRESENT | LYD_VALIDATE_NO_STATE, nullptr);
    tree.reset(raw);
  }
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

  const lyd_node* root = nullptr;
  for (const lyd_node* n = tree ? lyd_first_sibling(tree.get()) : nullptr; n != nullptr;
       n = n->next) {
    if (named(n, "policy") && n->schema->module != nullptr &&
        std::string_view(n->schema->module->name) == kModuleName) {
      root = n;
    }
  }
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
    std::string ext = file.extension().string();
    for (char& c : ext) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
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

    // The names passed the domain-name syntax check, so they need no JSON escaping.
    std::string json = R"({"typoguard:policy":{"protected-domain":[)";
    for (std::size_t i = 0; i < domains.size(); ++i) {
      json += (i == 0 ? R"({"name":")" : R"(,{"name":")") + domains[i].first + R"("})";
    }
    json += "]}}";
    LoadResult loaded = load_text(json, PolicyFormat::Json, name);
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
