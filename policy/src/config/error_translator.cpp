// SPDX-License-Identifier: BSD-3-Clause
#include "config/error_translator.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <arpa/inet.h>

#include "config/data_tree.hpp"
#include "config/domain_checks.hpp"
#include "config/wording.hpp"
#include "name/ascii.hpp"

namespace tg::config {
namespace {

std::string prefix_problem(const std::string& value) {
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

/// The entries a missing `item` belongs to: libyang 2 names the item's schema path,
/// libyang 3 the data path of the entry (or of the item, for too few instances).
std::string owner_of(const RawError& e, const std::string& item) {
  if (!e.schema_path.empty() || e.data_path.empty()) return parent_path(e.schema_path);
  if (last_step_name(e.data_path) == item) return parent_path(e.data_path);
  return e.data_path;
}

}  // namespace

RawError trailing_comma_error(const TrailingComma& comma) {
  RawError e;
  e.message = "Invalid character sequence \"" + comma.rest + "\", expected " +
              (comma.in_object ? "a JSON object's member." : "a JSON value.");
  e.data_path = comma.data_path;
  e.line = comma.line;
  e.vecode = LYVE_SYNTAX_JSON;
  return e;
}

ErrorTranslator::ErrorTranslator(ly_ctx* ctx, const lyd_node* tree, const SourceText& source,
                                 std::string file, PolicyFormat format)
    : ctx_(ctx), tree_(tree), source_(source), file_(std::move(file)), format_(format) {}

PolicyError ErrorTranslator::translate(const RawError& e) {
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
  } else if (m.starts_with("Invalid non-number-encoded") || m.starts_with("Invalid non-boolean") ||
             m.starts_with("Invalid non-string-encoded")) {
    wrong_json_kind(out, e);
  } else {
    other_value_error(out, e);
  }
  return out;
}

std::string ErrorTranslator::top_level_name() const {
  return format_ == PolicyFormat::Json ? "\"typoguard:policy\""
                                       : "<policy xmlns=\"urn:typoguard:yang:typoguard\">";
}

const lysc_node* ErrorTranslator::schema_of(std::string_view path) const {
  const std::string plain = strip_predicates(path);
  if (plain.empty()) return nullptr;
  return lys_find_path(ctx_, nullptr, plain.c_str(), 0);
}

/// The value of the node libyang rejected, and its line: the latest value of that node at or
/// before libyang's line that libyang itself rejects (or equals `hint`).
std::pair<int, std::optional<std::string>> ErrorTranslator::bad_value(
    const RawError& e, const std::optional<std::string>& hint) {
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
void ErrorTranslator::fix_line_backwards(PolicyError& out, const RawError& e,
                                         const std::string& name) {
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

void ErrorTranslator::syntax(PolicyError& out) const {
  std::string msg = out.message;
  if (msg.size() > 160) msg = msg.substr(0, 160) + "...";
  out.message =
      (format_ == PolicyFormat::Json ? "JSON syntax error: " : "XML syntax error: ") + msg;
}

void ErrorTranslator::unknown_child(PolicyError& out, const RawError& e) {
  const std::string unknown = first_quoted(e.message).value_or("");
  const lysc_node* parent = schema_of(e.data_path);
  const lys_module* module = typoguard_module(ctx_);
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

void ErrorTranslator::own_restriction(PolicyError& out, const RawError& e) {
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

void ErrorTranslator::invalid_union(PolicyError& out, const RawError& e) {
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
  const std::string upper = ascii_upper(value);
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

void ErrorTranslator::invalid_enum(PolicyError& out, const RawError& e) {
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
  if (const auto guess = closest(value, names)) msg += "; did you mean " + in_quotes(*guess) + "?";
  out.message = msg;
}

void ErrorTranslator::invalid_leafref(PolicyError& out, const RawError& e) {
  const std::string value = first_quoted(e.message).value_or("");
  out.line = source_.locate(e.data_path);
  std::vector<std::string> defined;
  for (const lyd_node* g : find_all(tree_, "/typoguard:policy/client-group")) {
    defined.push_back(value_of(child(g, "name")));
  }
  std::string msg =
      "scope names the client group " + in_quotes(value) + ", but no client-group has that name: ";
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

void ErrorTranslator::duplicate(PolicyError& out, const RawError& e) {
  out.line = source_.locate(e.data_path, std::nullopt, 2);
  if (out.line == 0) out.line = source_.locate(e.data_path);
  const std::vector<PathStep> steps = split_data_path(e.data_path);
  if (steps.empty()) return;
  const PathStep& last = steps.back();
  if (last.predicates.empty()) {
    out.message =
        in_quotes(last.name) + " is given twice in " + describe_node(parent_path(e.data_path));
  } else if (last.predicates.front().first == ".") {
    out.message = last.name + " " + in_quotes(last.predicates.front().second) + " is listed twice";
    if (steps.size() > 2) out.message += " in " + describe_node(parent_path(e.data_path));
  } else {
    out.message = last.name + " " + in_quotes(last.predicates.front().second) +
                  " is listed twice: merge the two entries";
  }
}

void ErrorTranslator::both_cases(PolicyError& out, const RawError& e) {
  const std::string list_path = parent_path(e.schema_path);
  for (const lyd_node* entry : find_all(tree_, list_path)) {
    const bool full = child(entry, "technique") != nullptr;
    const bool adjust =
        child(entry, "add-technique") != nullptr || child(entry, "remove-technique") != nullptr;
    if (full && adjust) {
      out.data_path = path_of(entry);
      out.line =
          std::max({source_.locate(out.data_path), source_.locate(out.data_path + "/add-technique"),
                    source_.locate(out.data_path + "/remove-technique")});
      out.message = describe_node(out.data_path) +
                    " has both technique (its complete technique set) and add-technique/"
                    "remove-technique (changes to the policy-wide set): use one or the other";
      return;
    }
  }
  out.data_path = e.schema_path;
}

void ErrorTranslator::mandatory(PolicyError& out, const RawError& e) {
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

void ErrorTranslator::too_few(PolicyError& out, const RawError& e) {
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

void ErrorTranslator::wrong_json_kind(PolicyError& out, const RawError& e) {
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

void ErrorTranslator::other_value_error(PolicyError& out, const RawError& e) {
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

}  // namespace tg::config
