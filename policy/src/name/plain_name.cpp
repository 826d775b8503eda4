// SPDX-License-Identifier: BSD-3-Clause
#include "name/plain_name.hpp"

#include "name/ascii.hpp"
#include "name/homoglyph.hpp"

namespace tg {
namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxPresentation = 253;

/// Label bytes of a plain name (kPlainNameBytes without the dot, upper case too) lower-cased;
/// 0 for every other byte.
struct PlainBytes {
  std::array<char, 256> map{};
  constexpr PlainBytes() {
    for (std::size_t b = 0; b < map.size(); ++b) {
      const char c = ascii_lower(static_cast<char>(b));
      if (is_plain_label_char(c)) map[b] = c;
    }
  }
};
constexpr PlainBytes kPlain;

}  // namespace

bool PlainName::read(const std::uint8_t* wire, std::size_t len,
                     const HomoglyphTable& glyphs) noexcept {
  labels_ = 0;
  size_ = 0;
  key_size_ = 0;
  hashes_.clear();
  key_hashes_.clear();
  if (wire == nullptr) return false;
  const std::array<std::uint8_t, 128>& key_bytes = glyphs.ascii_key_bytes();
  // One pass, in locals: the compiler cannot keep members in registers across the stores.
  char* const text = text_.data();
  char* const key = key_.data();
  std::size_t size = 0;
  std::size_t key_size = 0;
  std::uint64_t h = 0;  // poly(text[0, size))
  std::uint64_t k = 0;  // poly(key[0, key_size))
  std::size_t labels = 0;
  std::size_t pos = 0;
  while (true) {
    if (pos >= len) return false;  // no root label
    const std::size_t n = wire[pos];
    if (n == 0) break;
    // n > 63 also rejects compression pointers; the name must fit in 253 bytes with its dots.
    if (n > kMaxLabel || pos + 1 + n > len) return false;
    if (size + (labels > 0 ? 1 : 0) + n > kMaxPresentation || labels == kMaxLabels) return false;
    if (labels > 0) {  // the dot: keys to itself, and no collapse runs across it
      text[size++] = '.';
      h = hashing::step(h, '.');
      hashes_.set_prefix(size, h);
      key[key_size++] = '.';
      k = hashing::step(k, '.');
      key_hashes_.set_prefix(key_size, k);
    }
    starts_[labels] = static_cast<std::uint8_t>(size);
    key_starts_[labels] = static_cast<std::uint8_t>(key_size);
    const std::uint8_t* label = wire + pos + 1;
    std::uint8_t last = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = kPlain.map[label[i]];
      if (c == 0) return false;
      text[size++] = c;
      h = hashing::step(h, c);
      hashes_.set_prefix(size, h);
      const std::size_t before = key_size;
      append_key_byte(key_bytes[static_cast<unsigned char>(c)], key, key_size, last);
      if (key_size != before) {
        k = hashing::step(k, key[before]);
        key_hashes_.set_prefix(key_size, k);
      }
    }
    const char* first = text + starts_[labels];
    if (n >= 4 && first[0] == 'x' && first[1] == 'n' && first[2] == '-' && first[3] == '-') {
      return false;  // an A-label (or what looks like one): IDNA has to read it
    }
    ++labels;
    pos += 1 + n;
  }
  if (pos + 1 != len || labels == 0) return false;  // bytes after the root, or the root
  starts_[labels] = static_cast<std::uint8_t>(size + 1);
  key_starts_[labels] = static_cast<std::uint8_t>(key_size + 1);
  labels_ = labels;
  size_ = size;
  key_size_ = key_size;
  hashes_.resize(size);
  key_hashes_.resize(key_size);
  return true;
}

}  // namespace tg
