// SPDX-License-Identifier: BSD-3-Clause
// IDNA goes through name/idna.hpp (libidn2); libidn2's wording of a refusal reaches the author.
#include "config/domain_checks.hpp"

#include <algorithm>

#include "config/wording.hpp"
#include "name/ascii.hpp"
#include "name/idna.hpp"
#include "name/psl.hpp"

namespace tg::config {
namespace {

/// The A-label form, without a final dot, of a Unicode (or mixed-case) name typed by a policy
/// author (so NFC first, and UTS #46 non-transitional), or nullopt with libidn2's reason in
/// `why`.
std::optional<std::string> a_label_of(const std::string& name, std::string& why) {
  IdnaError error;
  std::optional<std::string> result =
      to_a_label(name, ALabelOptions{.nfc_input = true, .nontransitional = true}, &error);
  if (!result) {
    why = error.message();
    return std::nullopt;
  }
  if (!result->empty() && result->back() == '.') result->pop_back();
  return result;
}

/// Whether `name` has the schema's domain-name syntax (lower-case LDH labels, no final dot).
bool domain_syntax_ok(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!is_ldh_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

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
    if (const auto a_label = a_label_of(std::string(core), why);
        a_label && domain_syntax_ok(*a_label)) {
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
  const std::string lower = ascii_lower(name);
  if (lower != name && domain_syntax_ok(lower)) {
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
      if (!is_ldh_char(c)) {
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

std::optional<std::string> a_label_problem(std::string_view name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = name.find('.', start);
    const std::string label(
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (label.starts_with("xn--")) {
      IdnaError error;
      const std::optional<std::string> unicode = to_u_label(label, &error);
      if (!unicode) {
        return "has the label " + in_quotes(label) + ", which is not a valid A-label (" +
               std::string(error.message()) + ")";
      }
      std::string why;
      const auto back = a_label_of(*unicode, why);
      if (!back) {
        return "has the label " + in_quotes(label) +
               ", which is not a valid A-label: it decodes to characters IDNA does not allow (" +
               why + ")";
      }
      if (*back != label) {
        return "has the label " + in_quotes(label) + ", which is not the canonical A-label of " +
               in_quotes(*unicode) + ": write " + in_quotes(*back);
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

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

}  // namespace tg::config
