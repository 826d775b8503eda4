// SPDX-License-Identifier: BSD-3-Clause
#include "name/psl.hpp"

#include <libpsl.h>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "name/idna.hpp"

namespace tg {
namespace {

// libpsl wants NUL-terminated strings; DNS names fit in 255 bytes (+1). Longer input is
// treated as having a one-label suffix, which is what the "*" rule would say anyway.
constexpr std::size_t kMaxName = 256;
constexpr const char* kListFile = "/usr/share/publicsuffix/public_suffix_list.dat";

int suffix_type(bool include_private, bool listed_only) noexcept {
  int type = include_private ? PSL_TYPE_ANY : PSL_TYPE_ICANN;
  if (listed_only) type |= PSL_TYPE_NO_STAR_RULE;
  return type;
}

// Rules are written in Unicode; names reach us as A-labels. Empty when libidn2 refuses one.
std::string to_ascii(const std::string& rule) {
  return to_a_label(rule, {.nontransitional = false}).value_or(std::string());
}

std::string_view parent_of(std::string_view name) {
  const std::size_t dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
}

}  // namespace

void PublicSuffixList::Deleter::operator()(psl_ctx_st* p) const noexcept { psl_free(p); }

PublicSuffixList::PublicSuffixList() {
  owned_.reset(psl_load_file(kListFile));
  if (owned_) {
    ctx_ = owned_.get();
    source_ = kListFile;
    load_rules(kListFile);
  } else {
    // No list file: the newer of libpsl's built-in data and its distribution file, no fast path.
    owned_.reset(psl_latest(nullptr));
    ctx_ = owned_ ? owned_.get() : psl_builtin();
    source_ = "libpsl built-in data";
  }
  if (ctx_ == nullptr) throw std::runtime_error("libpsl has no public suffix data");
}

PublicSuffixList::~PublicSuffixList() = default;

void PublicSuffixList::load_rules(const std::string& file) {
  std::ifstream in(file);
  if (!in) return;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("//")) continue;
    const std::size_t end = line.find_first_of(" \t\r");
    std::string rule = line.substr(0, end);
    if (rule.empty()) continue;
    std::string ascii;
    if (rule.starts_with("!")) {  // exception: its parent's wildcard does not apply to it
      ascii = to_ascii(rule.substr(1));
      if (ascii.empty()) continue;
      ascii = std::string(parent_of(ascii));
      irregular_.insert(ascii);
    } else if (rule.starts_with("*.")) {  // wildcard: every child of the parent is a suffix
      ascii = to_ascii(rule.substr(2));
      if (ascii.empty()) continue;
      irregular_.insert(ascii);
    } else {
      ascii = to_ascii(rule);
      if (ascii.empty()) continue;
    }
    // libpsl stays the authority: the sets hold its answers (without the "*" rule) for every
    // name the list spells out, wildcard parents included. libpsl counts "kawasaki.jp" of
    // "*.kawasaki.jp" a suffix; answered "no", the walk in suffix_labels would stop before
    // "city.kawasaki.jp" (an exception) and give it "jp" instead of "kawasaki.jp".
    if (ask_libpsl(ascii, false, true)) {
      icann_.insert(ascii);
    } else if (ask_libpsl(ascii, true, true)) {
      private_.insert(ascii);
    }
  }
  fast_ = !icann_.empty();
}

const PublicSuffixList& PublicSuffixList::instance() {
  static const PublicSuffixList kList;
  return kList;
}

bool PublicSuffixList::ask_libpsl(std::string_view name, bool include_private,
                                  bool listed_only) const {
  if (name.empty() || name.size() >= kMaxName) return false;
  std::array<char, kMaxName> buf{};
  std::memcpy(buf.data(), name.data(), name.size());
  return psl_is_public_suffix2(ctx_, buf.data(), suffix_type(include_private, listed_only)) != 0;
}

bool PublicSuffixList::is_public_suffix(std::string_view name, bool include_private,
                                        bool listed_only) const {
  if (name.empty() || name.size() >= kMaxName) return false;
  if (!fast_) return ask_libpsl(name, include_private, listed_only);
  if (icann_.contains(name) || (include_private && private_.contains(name))) return true;
  const std::string_view parent = parent_of(name);
  // A single label is a suffix by the "*" rule; listed, it would be in the sets.
  if (parent.empty()) return !listed_only;
  // A child of a wildcard's parent (a wildcard match or an exception): libpsl decides.
  if (irregular_.contains(parent)) {
    return ask_libpsl(name, include_private, listed_only);
  }
  return false;
}

std::size_t PublicSuffixList::suffix_labels(std::string_view name, bool include_private) const {
  if (name.empty()) return 0;
  // Walk tails from the right; the public suffix is the longest tail that is one. The list
  // does not name every level of a multi-label suffix (forgot.his.name, not his.name), so one
  // missing level is stepped over; a second in a row ends the walk, which saves probing the
  // labels of long names. No ICANN rule sits above two missing levels (tests/unit/psl.test.cpp
  // checks the list); some private ones do (s3.eu-west-3.amazonaws.com) and are missed.
  std::size_t best = 0;
  std::size_t labels = 0;
  std::size_t misses = 0;
  std::size_t end = name.size();
  while (true) {
    const std::size_t dot = end == 0 ? std::string_view::npos : name.rfind('.', end - 1);
    const std::size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    ++labels;
    if (is_public_suffix(name.substr(start), include_private, false)) {
      best = labels;
      misses = 0;
    } else if (++misses > 1) {
      break;
    }
    if (start == 0) break;
    end = start - 1;
  }
  return best == 0 ? 1 : best;
}

}  // namespace tg
