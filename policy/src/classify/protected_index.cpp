// SPDX-License-Identifier: BSD-3-Clause
// Building ProtectedIndex from a Policy: every index and the screen in front of them, once
// per snapshot (never on the query path). The look-ups are in classifier.cpp and screen.cpp.
#include "classify/protected_index.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "classify/edits.hpp"
#include "classify/joined_spelling.hpp"
#include "name/ascii.hpp"
#include "name/homoglyph.hpp"
#include "name/psl.hpp"

namespace tg {

ProtectedIndex::ProtectedIndex(const Policy& policy, const PublicSuffixList& psl,
                               const HomoglyphTable& glyphs)
    : policy_(policy), psl_(psl), glyphs_(glyphs) {
  entries_.reserve(policy.protected_domains.size());
  min_length_ = SIZE_MAX;
  for (std::size_t i = 0; i < policy.protected_domains.size(); ++i) {
    const ProtectedDomain& d = policy.protected_domains[i];
    const std::size_t suffix_labels = psl.suffix_labels(d.name, policy.private_suffixes);
    const std::size_t labels = count_labels(d.name);
    if (labels != suffix_labels + 1) {
      throw std::invalid_argument("'" + d.name + "' is not a registrable domain");
    }
    ProtectedEntry e;
    e.full = d.name;
    const std::size_t dot = d.name.find('.');
    e.label = d.name.substr(0, dot);
    e.suffix = d.name.substr(dot + 1);
    e.policy_index = static_cast<std::uint32_t>(i);
    e.labels = static_cast<std::uint8_t>(labels);
    e.short_label_length = d.short_label_length;
    e.techniques = d.techniques;
    const auto id = static_cast<std::uint32_t>(entries_.size());

    exact_.add(hash_bytes(e.full), id);
    full_del1_.add(hash_bytes(e.full), id);
    tail_starts_.add(e.full);
    for (std::size_t k = 0; k < e.full.size(); ++k) {
      full_del1_.add(hash_without(e.full, k), id);
      std::string deleted = e.full;
      tail_starts_.add(deleted.erase(k, 1));
    }
    label_del1_.add(hash_bytes(e.label), id);
    for (std::size_t k = 0; k < e.label.size(); ++k) label_del1_.add(hash_without(e.label, k), id);
    label_exact_.add(hash_bytes(e.label), id);
    const std::string full_key = glyphs.key(e.full);
    const std::string label_key = glyphs.key(e.label);
    visual_full_.add(hash_bytes(full_key), id);
    visual_label_.add(hash_bytes(label_key), id);
    for (auto [range, size] : {std::pair{&visual_full_length_, full_key.size()},
                               std::pair{&visual_label_length_, label_key.size()}}) {
      range->first = std::min(range->first, size);
      range->second = std::max(range->second, size);
    }
    joined_.add(hash_bytes(without_dots(e.full, 0)), join_value(id, JoinKind::JoinedAll));
    joined_.add(hash_bytes(without_dots(e.full, '-')), join_value(id, JoinKind::HyphenatedAll));
    if (std::find(suffixes_.begin(), suffixes_.end(), e.suffix) == suffixes_.end()) {
      const auto sid = static_cast<std::uint32_t>(suffixes_.size());
      suffixes_.push_back(e.suffix);
      suffix_del1_.add(hash_bytes(e.suffix), sid);
      for (std::size_t k = 0; k < e.suffix.size(); ++k)
        suffix_del1_.add(hash_without(e.suffix, k), sid);
    }
    max_labels_ = std::max(max_labels_, labels);
    min_length_ = std::min(min_length_, e.full.size());
    max_length_ = std::max(max_length_, e.full.size());
    entries_.push_back(std::move(e));
  }
  if (entries_.empty()) min_length_ = 0;
  for (std::size_t i = 0; i < policy.allow.size(); ++i) {
    allow_.add(hash_bytes(policy.allow[i].name), static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < policy.blocked_suffixes.size(); ++i) {
    blocked_.add(hash_bytes(policy.blocked_suffixes[i].name), static_cast<std::uint32_t>(i));
    tail_starts_.add(policy.blocked_suffixes[i].name);
  }
  tail_starts_.build();
  for (HashIndex* h : {&exact_, &full_del1_, &label_del1_, &label_exact_, &visual_full_,
                       &visual_label_, &joined_, &allow_, &blocked_, &suffix_del1_}) {
    h->build();
  }
  // The screen: every hash whose index can offer a candidate (screen.cpp probes the same).
  std::vector<std::uint64_t> keys;
  for (const HashIndex* h :
       {&exact_, &full_del1_, &label_exact_, &visual_full_, &joined_, &blocked_}) {
    h->append_hashes(keys);
  }
  screen_.build(std::move(keys));
  // The label indexes are probed only for a label next to a suffix one edit from a protected
  // one: apart, they keep screen_ (probed for every name) small.
  std::vector<std::uint64_t> label_keys;
  label_del1_.append_hashes(label_keys);
  visual_label_.append_hashes(label_keys);
  screen_labels_.build(std::move(label_keys));
  // What near_protected_suffix() accepts, for the screen: every string over the bytes of a
  // plain name (name/plain_name.hpp) and the dot that is one edit from a protected suffix.
  std::vector<std::uint64_t> near;
  for (const std::string& suffix : suffixes_) {
    for_each_single_edit(suffix, kPlainNameBytes,
                         [&](std::string_view s) { near.push_back(hash_bytes(s)); });
  }
  near_suffixes_.build(std::move(near));
}

std::size_t ProtectedIndex::memory_bytes() const noexcept {
  std::size_t bytes = entries_.capacity() * sizeof(ProtectedEntry);
  for (const ProtectedEntry& e : entries_) {
    bytes += e.full.capacity() + e.label.capacity() + e.suffix.capacity();
  }
  for (const HashIndex* h : {&exact_, &full_del1_, &label_del1_, &label_exact_, &visual_full_,
                             &visual_label_, &joined_, &allow_, &blocked_, &suffix_del1_}) {
    bytes += h->memory_bytes();
  }
  return bytes + screen_.memory_bytes() + screen_labels_.memory_bytes() +
         near_suffixes_.memory_bytes() + tail_starts_.memory_bytes();
}

}  // namespace tg
