// SPDX-License-Identifier: BSD-3-Clause
// Public suffixes from libpsl (RAII over psl_ctx_t), with a confirmed fast path.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "name/string_set.hpp"

struct psl_ctx_st;

namespace tg {

/// Read-only view of the Public Suffix List. Thread-safe after construction.
///
/// libpsl is the authority. When Debian's list file is present, libpsl is loaded from it and
/// every name the file spells out that libpsl confirms as a suffix (plain rules and the parents
/// of wildcard rules) goes into a flat hash set, so the common look-up is one hash probe and no
/// allocation; children of wildcard parents, and all names when the file is missing, are asked
/// of libpsl directly.
class PublicSuffixList {
 public:
  /// The process-wide list (built on first use). Throws std::runtime_error only if libpsl has
  /// no data at all.
  static const PublicSuffixList& instance();

  /// Labels of the public suffix of `name` (lower-case A-labels, no trailing dot): the longest
  /// tail is_public_suffix() accepts, walking from the right and stopping at the second tail in
  /// a row that is none (so a private suffix above two unlisted levels, as
  /// s3.eu-west-3.amazonaws.com, is missed). Unknown TLDs count as one-label suffixes (the
  /// PSL's "*" rule). 0 for an empty name.
  [[nodiscard]] std::size_t suffix_labels(std::string_view name, bool include_private) const;

  /// True when `name` is itself a public suffix, as libpsl answers: a wildcard's parent is one
  /// ("kawasaki.jp" of "*.kawasaki.jp"), an exception is not ("city.kawasaki.jp"). With
  /// `listed_only`, the "*" rule does not count (so "ml", "ck" and "co.uk" are, "notatld" is
  /// not).
  [[nodiscard]] bool is_public_suffix(std::string_view name, bool include_private,
                                      bool listed_only) const;

  /// Where the data came from, for logs: the list file, or "libpsl built-in data".
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;
  ~PublicSuffixList();

 private:
  PublicSuffixList();
  [[nodiscard]] bool ask_libpsl(std::string_view name, bool include_private,
                                bool listed_only) const;
  void load_rules(const std::string& file);

  struct Deleter {
    void operator()(psl_ctx_st* p) const noexcept;
  };
  std::unique_ptr<psl_ctx_st, Deleter> owned_;
  const psl_ctx_st* ctx_ = nullptr;
  std::string source_;
  bool fast_ = false;    // the sets below mirror ctx_
  StringSet icann_;      // plain ICANN rules confirmed by libpsl
  StringSet private_;    // plain private rules confirmed by libpsl
  StringSet irregular_;  // parents of wildcard rules, and exceptions
};

}  // namespace tg
