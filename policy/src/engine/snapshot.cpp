// SPDX-License-Identifier: BSD-3-Clause
#include "engine/snapshot.hpp"

#include "classify/protected_index.hpp"
#include "name/homoglyph.hpp"
#include "name/plain_name.hpp"
#include "name/psl.hpp"

namespace tg {

Snapshot::Snapshot(Policy policy) : policy_(std::move(policy)) {
  index_ = std::make_unique<ProtectedIndex>(policy_, PublicSuffixList::instance(),
                                            HomoglyphTable::instance());
}

Snapshot::~Snapshot() = default;

std::shared_ptr<const Snapshot> Snapshot::compile(Policy policy) {
  return std::shared_ptr<const Snapshot>(new Snapshot(std::move(policy)));
}

NameInfo Snapshot::analyse(std::string_view name) const {
  return analyse_name(name, PublicSuffixList::instance(), policy_.private_suffixes);
}

Match Snapshot::classify(const NameInfo& name) const { return index_->classify(name); }

bool Snapshot::may_be_lookalike(const std::uint8_t* wire, std::size_t len) const noexcept {
  PlainName name;
  return !name.read(wire, len, HomoglyphTable::instance()) || index_->may_match(name);
}

const ProtectedIndex& Snapshot::index() const noexcept { return *index_; }

std::size_t Snapshot::memory_bytes() const noexcept {
  return sizeof(*this) + sizeof(ProtectedIndex) + index_->memory_bytes();
}

}  // namespace tg
