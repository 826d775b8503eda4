// SPDX-License-Identifier: BSD-3-Clause
// classify(): from the name a client asked for back to the protected domain it imitates.
// Order of work for one name (docs/detection.md has the contract):
//   1. allow-list, then protected domains and their subtrees: never look-alikes;
//   2. every technique that finds a candidate adds it; the candidate with the best precedence
//      (technique.hpp kPrecedence, then policy order) is reported.
#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "classify/edits.hpp"
#include "classify/false_positive.hpp"
#include "classify/joined_spelling.hpp"
#include "classify/protected_index.hpp"
#include "name/ascii.hpp"
#include "name/homoglyph.hpp"
#include "name/psl.hpp"

namespace tg {
namespace {

std::string edit_word(EditKind kind) {
  switch (kind) {
    case EditKind::Insert:
      return "letter inserted";
    case EditKind::Delete:
      return "one letter omitted";
    case EditKind::Substitute:
      return "letter replaced";
    case EditKind::Transpose:
      return "letters swapped";
  }
  return "edited";
}

struct LabelVerdict {
  Technique technique = Technique::None;
  std::string evidence;
};

// The technique of one insertion of `c` before label[i].
LabelVerdict label_insertion(std::string_view label, std::size_t i, char c) {
  const std::size_t n = label.size();
  const std::size_t pos = i + 1;  // 1-based for people
  if ((i > 0 && label[i - 1] == c) || (i < n && label[i] == c)) {
    const std::size_t at = (i > 0 && label[i - 1] == c) ? i : pos;
    return {Technique::Repetition, fmt::format("'{}' doubled at position {}", c, at)};
  }
  if (c == '-') {  // a hyphen may not start or end a hostname label
    if (i == 0 || i == n) return {};
    return {Technique::Hyphenation, fmt::format("hyphen inserted at position {}", pos)};
  }
  if (c == 's' && i >= 2) {
    return {Technique::Plural,
            i == n ? std::string("'s' appended") : fmt::format("'s' inserted at position {}", pos)};
  }
  if (i == 0) return {Technique::Addition, fmt::format("'{}' added at the start", c)};
  if (i == n) return {Technique::Addition, fmt::format("'{}' added at the end", c)};
  if (keyboard_neighbours(c, label[i - 1]) || keyboard_neighbours(c, label[i])) {
    return {Technique::Insertion,
            fmt::format("'{}' inserted at position {} (neighbouring key)", c, pos)};
  }
  return {};
}

// The technique of one substitution of label[i] (`from`) by `to`. When several describe it,
// the most specific relation wins: vowels, then a single bit, then keyboard neighbours.
LabelVerdict label_substitution(std::size_t i, char from, char to) {
  const std::size_t pos = i + 1;
  if (is_vowel(from) && is_vowel(to)) {
    return {Technique::VowelSwap, fmt::format("'{}' for '{}' at position {}", to, from, pos)};
  }
  if (one_bit_apart(from, to)) {
    return {Technique::Bitsquatting,
            fmt::format("'{}' for '{}' at position {} (one bit flipped)", to, from, pos)};
  }
  if (keyboard_neighbours(from, to)) {
    return {Technique::Replacement,
            fmt::format("'{}' typed for '{}' at position {} (neighbouring key)", to, from, pos)};
  }
  return {};
}

// The technique of an edit confined to a label (no dot involved).
LabelVerdict label_edit(std::string_view label, const Edit& e) {
  switch (e.kind) {
    case EditKind::Insert:
      return label_insertion(label, e.pos, e.to);
    case EditKind::Delete:
      return {Technique::Omission, fmt::format("'{}' omitted at position {}", e.from, e.pos + 1)};
    case EditKind::Substitute:
      return label_substitution(e.pos, e.from, e.to);
    case EditKind::Transpose:
      return {Technique::Transposition,
              fmt::format("'{}' and '{}' swapped at position {}", e.from, e.to, e.pos + 1)};
  }
  return {};
}

// A substitution by a character that reads as the original one is a homoglyph, wherever it is:
// army.m1l, g0ogle.com.
std::optional<LabelVerdict> glyph_substitution(const HomoglyphTable& glyphs, const Edit& e) {
  if (e.kind != EditKind::Substitute) return std::nullopt;
  const char from[] = {e.from, '\0'};
  const char to[] = {e.to, '\0'};
  if (!glyphs.explain(to, from)) return std::nullopt;
  return LabelVerdict{
      Technique::Homoglyph,
      fmt::format("'{}' looks like '{}' at position {} (1 look-alike)", e.to, e.from, e.pos + 1)};
}

// The technique of one edit anywhere in the whole protected name `p` that gives `observed`.
LabelVerdict whole_name_edit(const ProtectedEntry& p, std::string_view observed, const Edit& e,
                             const HomoglyphTable& glyphs) {
  const std::string_view full = p.full;
  const std::size_t dot = p.label.size();  // index of the label/suffix dot
  const auto suffix_typo = [&](std::string_view observed_suffix) {
    return LabelVerdict{Technique::SuffixTypo, fmt::format("'{}' -> '{}' ({})", p.suffix,
                                                           observed_suffix, edit_word(e.kind))};
  };
  // Every suffix edit leaves the label and its dot in place, so the suffix starts at dot + 1.
  const std::string_view observed_suffix = observed.substr(std::min(observed.size(), dot + 1));
  // A typed character is a hostname character; other bytes are not typos of anything.
  if ((e.kind == EditKind::Insert || e.kind == EditKind::Substitute) && e.to != '.' &&
      !is_ldh_char(e.to)) {
    return {};
  }
  if (auto glyph = glyph_substitution(glyphs, e)) return std::move(*glyph);
  switch (e.kind) {
    case EditKind::Transpose:
      if (full[e.pos] == '.' || full[e.pos + 1] == '.') {
        return {Technique::DotShift, fmt::format("dot moved: '{}' -> '{}'", full, observed)};
      }
      if (e.pos + 1 < dot) return label_edit(p.label, e);
      return suffix_typo(observed_suffix);
    case EditKind::Delete:
      if (e.from == '.') {
        return {Technique::MissingDot, fmt::format("dot dropped: '{}' -> '{}'", full, observed)};
      }
      if (e.pos < dot) return label_edit(p.label, e);
      return suffix_typo(observed_suffix);
    case EditKind::Insert:
      if (e.to == '.') {
        if (makes_empty_label(full, e.pos)) return {};
        if (e.pos < dot) {
          return {Technique::Subdomain, fmt::format("dot inserted in '{}' -> '{}'", p.label,
                                                    observed.substr(0, dot + 1))};
        }
        return {Technique::SuffixTypo,
                fmt::format("'{}' -> '{}' (dot inserted)", p.suffix, observed_suffix)};
      }
      if (e.pos <= dot) return label_edit(p.label, e);
      return suffix_typo(observed_suffix);
    case EditKind::Substitute:
      if (e.from == '.') {
        if (e.to == '-') {
          return {Technique::DotToHyphen,
                  fmt::format("dot became a hyphen: '{}' -> '{}'", full, observed)};
        }
        return {};
      }
      if (e.to == '.') return {};
      if (e.pos < dot) return label_edit(p.label, e);
      return suffix_typo(observed_suffix);
  }
  return {};
}

bool any_invalid_punycode(const NameInfo& name, std::size_t first) {
  for (std::size_t i = first; i < name.labels.size(); ++i) {
    if (name.labels[i].invalid_punycode) return true;
  }
  return false;
}

}  // namespace

struct ProtectedIndex::Candidate {
  Technique technique = Technique::None;
  Technique secondary = Technique::None;
  std::uint32_t entry = 0;      // protected entry, or blocked-suffix index for BlockedSuffix
  std::size_t first_label = 0;  // the matched part starts at this label
  std::string evidence;
};

// One classification in progress: the name's strings computed once, the best candidate so far.
class ProtectedIndex::Query {
 public:
  Query(const ProtectedIndex& index, const NameInfo& name)
      : index_(index), name_(name), ascii_(name.tail(0, false)) {
    starts_.reserve(name.labels.size());
    std::size_t offset = 0;
    for (const LabelInfo& label : name.labels) {
      starts_.push_back(offset);
      offset += label.ascii.size() + 1;
    }
    if (!name.ascii_only) {
      unicode_ = name.tail(0, true);
      ustarts_.reserve(name.labels.size());
      std::size_t uoffset = 0;
      for (const LabelInfo& label : name.labels) {
        ustarts_.push_back(uoffset);
        uoffset += label.unicode.size() + 1;
      }
    }
    reg_ = name.registrable_index();
    if (reg_ < name.labels.size()) suffix_ = tail(reg_ + 1);
  }

  [[nodiscard]] std::string_view tail(std::size_t first) const {
    return std::string_view(ascii_).substr(starts_[first]);
  }
  [[nodiscard]] std::string_view unicode_tail(std::size_t first) const {
    return name_.ascii_only ? tail(first) : std::string_view(unicode_).substr(ustarts_[first]);
  }
  [[nodiscard]] std::size_t size() const noexcept { return name_.labels.size(); }

  void offer(Candidate c) {
    const ProtectedEntry* e =
        c.technique == Technique::BlockedSuffix ? nullptr : &index_.entries_[c.entry];
    if (e != nullptr) {
      if (!e->techniques.contains(c.technique)) return;
      if (c.secondary != Technique::None && !e->techniques.contains(c.secondary)) return;
      const bool label_technique = is_label_edit(c.technique) || is_label_edit(c.secondary);
      if (label_technique && !label_long_enough(e->label, e->short_label_length)) return;
    }
    if (best_) {
      const int a = rank(c);
      const int b = rank(*best_);
      const std::uint32_t ea = e != nullptr ? e->policy_index : UINT32_MAX;
      const std::uint32_t eb = best_->technique == Technique::BlockedSuffix
                                   ? UINT32_MAX
                                   : index_.entries_[best_->entry].policy_index;
      if (a > b || (a == b && ea >= eb)) return;
    }
    best_ = std::move(c);
  }

  void run() {
    const std::size_t n = size();
    const std::size_t window = std::min(n, index_.max_labels_ + 1);
    for (std::size_t j = n - window; j < n; ++j) {
      whole_name_edits(j);
      homoglyphs(j);
    }
    for (std::size_t k = n - window; k + 1 < n; ++k) label_and_suffix(k);
    joined_spellings();
    suffix_appended();
    same_label();
    blocked_suffixes();
  }

  [[nodiscard]] Match result() const {
    Match m;
    if (!best_) return m;
    m.verdict = Verdict::LookAlike;
    m.technique = best_->technique;
    m.secondary = best_->secondary;
    m.matched = std::string(tail(best_->first_label));
    m.evidence = best_->evidence;
    if (any_invalid_punycode(name_, best_->first_label)) m.evidence += " (invalid punycode)";
    if (best_->technique == Technique::BlockedSuffix) {
      const BlockedSuffix& b = index_.policy_.blocked_suffixes[best_->entry];
      m.protected_domain = b.name;
      m.entry = best_->entry;
    } else {
      const ProtectedEntry& e = index_.entries_[best_->entry];
      m.protected_domain = e.full;
      m.entry = e.policy_index;
    }
    return m;
  }

 private:
  // One edit anywhere in the whole name (label, dots, suffix): deletion neighbourhoods.
  void whole_name_edits(std::size_t j) {
    const std::string_view t = tail(j);
    if (t.size() + 1 < index_.min_length_ || t.size() > index_.max_length_ + 1) return;
    const auto try_entries = [&](std::uint64_t h) {
      for (const std::uint32_t id : index_.probe(index_.full_del1_, h)) {
        const ProtectedEntry& e = index_.entries_[id];
        const auto edit = single_edit(e.full, t);
        if (!edit) continue;
        LabelVerdict v = whole_name_edit(e, t, *edit, index_.glyphs_);
        if (v.technique != Technique::None)
          offer({v.technique, Technique::None, id, j, std::move(v.evidence)});
      }
    };
    const DeletionHashes hashes(t);
    try_entries(hashes.whole());
    for (std::size_t i = 0; i < t.size(); ++i) try_entries(hashes.without(i));
  }

  // Reads as a protected name glyph by glyph (rn for m, Cyrillic а for a, 0 for o ...).
  void homoglyphs(std::size_t j) {
    const std::string_view u = unicode_tail(j);
    const std::string key = index_.glyphs_.key(u);
    for (const std::uint32_t id : index_.probe(index_.visual_full_, hash_bytes(key))) {
      const ProtectedEntry& e = index_.entries_[id];
      const auto ev = index_.glyphs_.explain(u, e.full);
      if (!ev || !weak_glyphs_plausible(ev->weak_substitutions, e.full.size())) continue;
      offer({Technique::Homoglyph, Technique::None, id, j, glyph_evidence(*ev)});
    }
  }

  // A label typo (or homoglyph) together with a suffix typo: arny.ml, аrmy.ml.
  void label_and_suffix(std::size_t k) {
    const std::string_view label = name_.labels[k].ascii;
    const std::string_view suffix = tail(k + 1);
    if (!index_.near_protected_suffix(suffix)) return;  // most names: nothing to combine with
    const auto try_entry = [&](std::uint32_t id, Technique label_technique,
                               std::string label_evidence) {
      const ProtectedEntry& e = index_.entries_[id];
      const auto suffix_edit = single_edit(e.suffix, suffix);
      if (!suffix_edit) return;
      if ((suffix_edit->kind == EditKind::Insert || suffix_edit->kind == EditKind::Substitute) &&
          suffix_edit->to != '.' && !is_ldh_char(suffix_edit->to)) {
        return;
      }
      if (suffix_edit->kind == EditKind::Insert && suffix_edit->to == '.' &&
          makes_empty_label(e.suffix, suffix_edit->pos)) {
        return;
      }
      offer({Technique::SuffixTypo, label_technique, id, k,
             fmt::format("'{}' -> '{}' ({}); label: {}", e.suffix, suffix,
                         edit_word(suffix_edit->kind), label_evidence)});
    };
    const auto try_label = [&](std::uint64_t h) {
      for (const std::uint32_t id : index_.probe(index_.label_del1_, h)) {
        const ProtectedEntry& e = index_.entries_[id];
        const auto edit = single_edit(e.label, label);
        if (!edit) continue;
        if ((edit->kind == EditKind::Insert || edit->kind == EditKind::Substitute) &&
            !is_ldh_char(edit->to)) {
          continue;
        }
        LabelVerdict v = label_edit(e.label, *edit);
        if (v.technique != Technique::None) try_entry(id, v.technique, std::move(v.evidence));
      }
    };
    const DeletionHashes hashes(label);
    try_label(hashes.whole());
    for (std::size_t i = 0; i < label.size(); ++i) try_label(hashes.without(i));

    const std::string& ulabel = name_.labels[k].unicode;
    for (const std::uint32_t id :
         index_.probe(index_.visual_label_, hash_bytes(index_.glyphs_.key(ulabel)))) {
      const auto ev = index_.glyphs_.explain(ulabel, index_.entries_[id].label);
      if (ev && weak_glyphs_plausible(ev->weak_substitutions, index_.entries_[id].label.size()))
        try_entry(id, Technique::Homoglyph, glyph_evidence(*ev));
    }
  }

  // armymil.com, army-mil.com, wwwarmy.mil, www-army.mil.
  void joined_spellings() {
    if (reg_ >= size()) return;
    const std::string_view label = name_.labels[reg_].ascii;
    for (const std::uint32_t v : index_.probe(index_.joined_, hash_bytes(label))) {
      const std::uint32_t id = v / 2;
      const ProtectedEntry& e = index_.entries_[id];
      if (static_cast<JoinKind>(v % 2) == JoinKind::JoinedAll) {
        if (without_dots(e.full, 0) != label) continue;
        offer({Technique::MissingDot, Technique::None, id, reg_,
               fmt::format("dots dropped: '{}' -> '{}' under '{}'", e.full, label, suffix_)});
      } else {
        if (without_dots(e.full, '-') != label) continue;
        offer(
            {Technique::DotToHyphen, Technique::None, id, reg_,
             fmt::format("dots became hyphens: '{}' -> '{}' under '{}'", e.full, label, suffix_)});
      }
    }
    // A host label glued on, same suffix: the rest of the label is a protected label.
    for_each_host_prefix(label, [&](std::string_view prefix, std::size_t rest, bool hyphen) {
      const std::string_view protected_label = label.substr(rest);
      for (const std::uint32_t id :
           index_.probe(index_.label_exact_, hash_bytes(protected_label))) {
        const ProtectedEntry& e = index_.entries_[id];
        if (e.label != protected_label || e.suffix != suffix_) continue;
        offer(
            {hyphen ? Technique::DotToHyphen : Technique::MissingDot, Technique::None, id, reg_,
             fmt::format("dot after '{}' {}: '{}.{}' -> '{}.{}'", prefix,
                         hyphen ? "became a hyphen" : "dropped", prefix, e.full, label, suffix_)});
      }
    });
  }

  // army.mil.ml, gmail.com.com: a protected name followed by a further public suffix.
  void suffix_appended() {
    const std::size_t n = size();
    for (std::size_t j = 0; j + 1 < n; ++j) {
      for (std::size_t m = 2; m <= index_.max_labels_ && j + m < n; ++m) {
        const std::string_view span =
            std::string_view(ascii_).substr(starts_[j], starts_[j + m] - starts_[j] - 1);
        const std::string_view rest = tail(j + m);
        for (const std::uint32_t id : index_.probe(index_.exact_, hash_bytes(span))) {
          const ProtectedEntry& e = index_.entries_[id];
          if (e.full != span) continue;
          if (!index_.psl_.is_public_suffix(rest, index_.policy_.private_suffixes, false)) continue;
          if (reg_ < n && is_sister_domain(name_.labels[reg_].ascii, suffix_, e.label, e.suffix))
            continue;
          offer({Technique::SuffixAppended, Technique::None, id, j,
                 fmt::format("'{}' followed by '.{}'", e.full, rest)});
        }
      }
    }
  }

  // The same label under another suffix (tld-swap, opt-in) and the "es" plural.
  void same_label() {
    if (reg_ >= size()) return;
    const std::string_view label = name_.labels[reg_].ascii;
    for (const std::uint32_t id : index_.probe(index_.label_exact_, hash_bytes(label))) {
      const ProtectedEntry& e = index_.entries_[id];
      if (e.label != label || e.suffix == suffix_) continue;
      offer({Technique::TldSwap, Technique::None, id, reg_,
             fmt::format("same label '{}' under '{}' instead of '{}'", label, suffix_, e.suffix)});
    }
    if (label.size() > 2 && label.ends_with("es")) {
      const std::string_view stem = label.substr(0, label.size() - 2);
      for (const std::uint32_t id : index_.probe(index_.label_exact_, hash_bytes(stem))) {
        const ProtectedEntry& e = index_.entries_[id];
        if (e.label != stem || e.suffix != suffix_) continue;
        offer({Technique::Plural, Technique::None, id, reg_, std::string("'es' appended")});
      }
    }
  }

  void blocked_suffixes() {
    for (std::size_t j = 0; j < size(); ++j) {
      const std::string_view t = tail(j);
      for (const std::uint32_t id : index_.probe(index_.blocked_, hash_bytes(t))) {
        const BlockedSuffix& b = index_.policy_.blocked_suffixes[id];
        if (b.name != t) continue;
        offer({Technique::BlockedSuffix, Technique::None, id, j,
               fmt::format("under blocked suffix '{}': {}", b.name, b.reason)});
      }
    }
  }

  // Ordering of candidates: one-edit explanations first, then label+suffix combinations (two
  // edits), then the opt-in tld-swap, then blocked suffixes; within a tier, kPrecedence.
  static int rank(const Candidate& c) noexcept {
    int tier = 0;
    if (c.technique == Technique::BlockedSuffix) {
      tier = 3;
    } else if (c.technique == Technique::TldSwap) {
      tier = 2;
    } else if (c.secondary != Technique::None) {
      tier = 1;
    }
    return tier * 100 + precedence_rank(c.technique);
  }

  static std::string glyph_evidence(const HomoglyphEvidence& ev) {
    return fmt::format("'{}' looks like '{}' at position {} ({} look-alike{})", ev.glyph,
                       ev.stands_for, ev.position + 1, ev.substitutions,
                       ev.substitutions == 1 ? "" : "s");
  }

  const ProtectedIndex& index_;
  const NameInfo& name_;
  std::string ascii_;
  std::string unicode_;
  std::vector<std::size_t> starts_;
  std::vector<std::size_t> ustarts_;
  std::size_t reg_ = 0;
  std::string_view suffix_;
  std::optional<Candidate> best_;
};

bool ProtectedIndex::near_protected_suffix(std::string_view suffix) const noexcept {
  const auto one_edit = [&](std::uint64_t h) {
    for (const std::uint32_t id : suffix_del1_.find(h)) {
      if (single_edit(suffixes_[id], suffix)) return true;
    }
    return false;
  };
  const DeletionHashes hashes(suffix);
  if (one_edit(hashes.whole())) return true;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (one_edit(hashes.without(i))) return true;
  }
  return false;
}

Match ProtectedIndex::classify(const NameInfo& name) const {
  Match m;
  if (name.labels.empty()) return m;
  Query q(*this, name);
  // Rule 1: allow-listed names, protected domains and their subtrees never match.
  for (std::size_t j = 0; j < q.size(); ++j) {
    const std::string_view t = q.tail(j);
    for (const std::uint32_t id : allow_.find(hash_bytes(t))) {
      if (policy_.allow[id].name != t) continue;
      m.verdict = Verdict::Allowed;
      m.protected_domain = policy_.allow[id].name;
      m.matched = std::string(t);
      m.evidence = policy_.allow[id].reason;
      m.entry = id;
      return m;
    }
  }
  for (std::size_t j = 0; j < q.size(); ++j) {
    const std::string_view t = q.tail(j);
    for (const std::uint32_t id : probe(exact_, hash_bytes(t))) {
      if (entries_[id].full != t) continue;
      m.verdict = Verdict::Protected;
      m.protected_domain = entries_[id].full;
      m.matched = std::string(t);
      m.entry = entries_[id].policy_index;
      return m;
    }
  }
  q.run();
  return q.result();
}

}  // namespace tg
