// SPDX-License-Identifier: BSD-3-Clause
// The screen in front of classify(): most names a resolver sees imitate nothing, and proving
// that needs only the hashes classify() would look up, not the strings, the public suffix or
// the evidence. For a plain name (name/plain_name.hpp) every hash is computed from prefix sums
// of the name and of its visual key, and looked up in one fingerprint set holding every hash
// of every index that can offer a look-alike. No hit: no index could have offered a candidate,
// so classify() would find no look-alike. Any hit: classify() decides. A tail's one-byte
// deletions, most of the probes, are first asked of a smaller filter of the strings' starts
// and lengths (PrefixLengthFilter), which rules most of them out with one or a few loads.
//
// Each probe below mirrors one in classifier.cpp (Query::run and its techniques), over the
// same or a wider set of names: where classify() uses the registrable label, which needs the
// public suffix, the screen probes every label. tests/unit/screen.test.cpp holds it to that.
#include <algorithm>
#include <array>

#include "classify/protected_index.hpp"
#include "name/homoglyph.hpp"

namespace tg {

bool ProtectedIndex::may_match(const PlainName& name) const noexcept {
  const std::string_view text = name.text();
  const std::size_t n = name.label_count();
  const std::size_t end = text.size();
  if (n == 0) return false;  // the root: classify() returns at once

  // The visual key's prefix sums: the key of any tail or label is a substring of the name's.
  const PrefixHashes& hashes = name.hashes();
  const PrefixHashes& visual = name.key_hashes();
  const std::size_t key_len = name.key().size();
  // A visual key can only equal one of the same length.
  const auto full_key = [&](std::size_t begin) {
    const std::size_t size = key_len - begin;
    return size >= visual_full_length_.first && size <= visual_full_length_.second;
  };
  const auto label_key = [&](std::size_t begin, std::size_t stop) {
    return stop - begin >= visual_label_length_.first &&
           stop - begin <= visual_label_length_.second;
  };

  const auto hit = [this](std::uint64_t h) { return screen_.contains(h); };
  // A tail [begin, end) and its one-byte deletions, each looked up only when some string of
  // full_del1_ or blocked_ has its first bytes and length (tail_starts_): the tail and the
  // deletions past its first kPrefix bytes start alike, so one word answers for all of them.
  const auto tail_hit = [&](std::size_t begin) {
    constexpr std::size_t kStart = PrefixLengthFilter::kPrefix;
    const std::size_t size = end - begin;
    const std::uint64_t lengths =
        tail_starts_.lengths(hashes.hash(begin, begin + std::min(kStart, size)));
    if (PrefixLengthFilter::has(lengths, size) && hit(hashes.hash(begin, end))) return true;
    if (size > kStart && PrefixLengthFilter::has(lengths, size - 1) &&
        hashes.any_without_from(begin, end, begin + kStart, hit)) {
      return true;
    }
    // A deletion among the first kStart bytes: its first m bytes are [begin, begin + m + 1) less
    // it.
    const std::size_t m = std::min(kStart, size - 1);
    for (std::size_t i = begin; i < begin + std::min(kStart, size); ++i) {
      if (PrefixLengthFilter::has(
              tail_starts_.lengths(hashes.hash_without(begin, begin + m + 1, i)), size - 1) &&
          hit(hashes.hash_without(begin, end, i))) {
        return true;
      }
    }
    return false;
  };
  const auto label_hit = [this](std::uint64_t h) { return screen_labels_.contains(h); };

  // whole_name_edits() and homoglyphs() on the tails within the window.
  const std::size_t window = std::min(n, max_labels_ + 1);
  for (std::size_t j = n - window; j < n; ++j) {
    const std::size_t begin = name.label_start(j);
    const std::size_t size = end - begin;
    if (size + 1 >= min_length_ && size <= max_length_ + 1 && tail_hit(begin)) {
      return true;
    }
    if (full_key(name.key_start(j)) && hit(visual.hash(name.key_start(j), key_len))) return true;
  }
  // label_and_suffix(): a label's deletions and visual key, next to a suffix one edit from a
  // protected one (near_protected_suffix(), answered from the set of all such strings).
  for (std::size_t k = n - window; k + 1 < n; ++k) {
    if (!near_suffixes_.contains(hashes.hash(name.label_start(k + 1), end))) continue;
    const std::size_t begin = name.label_start(k);
    const std::size_t stop = name.label_start(k + 1) - 1;
    if (label_hit(hashes.hash(begin, stop)) || hashes.any_without(begin, stop, label_hit)) {
      return true;
    }
    if (label_key(name.key_start(k), name.key_start(k + 1) - 1) &&
        label_hit(visual.hash(name.key_start(k), name.key_start(k + 1) - 1))) {
      return true;
    }
  }
  // joined_spellings() and same_label() look up the registrable label, its "es" stem and what
  // follows a host prefix; without the public suffix, every label that can be the registrable
  // one is looked up: all but the last (a public suffix has at least one label).
  for (std::size_t j = 0; j + 1 < n; ++j) {
    const std::size_t begin = name.label_start(j);
    const std::size_t stop = name.label_start(j + 1) - 1;
    if (hit(hashes.hash(begin, stop))) return true;
    bool glued = false;
    for_each_host_prefix(name.label(j), [&](std::string_view, std::size_t rest, bool) {
      glued = glued || hit(hashes.hash(begin + rest, stop));
    });
    if (glued) return true;
    if (stop - begin > 2 && text[stop - 2] == 'e' && text[stop - 1] == 's' &&
        hit(hashes.hash(begin, stop - 2))) {
      return true;
    }
  }
  // suffix_appended(): spans of 2 .. max_labels_ labels with at least one label after them.
  for (std::size_t j = 0; j + 1 < n; ++j) {
    for (std::size_t m = 2; m <= max_labels_ && j + m < n; ++m) {
      if (hit(hashes.hash(name.label_start(j), name.label_start(j + m) - 1))) return true;
    }
  }
  // blocked_suffixes(): every tail (those the window loop looked up already skipped).
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t begin = name.label_start(j);
    const bool looked_up =
        j >= n - window && end - begin + 1 >= min_length_ && end - begin <= max_length_ + 1;
    if (!looked_up && hit(hashes.hash(begin, end))) return true;
  }
  return false;
}

}  // namespace tg
