// SPDX-License-Identifier: BSD-3-Clause
#include "classify/false_positive.hpp"

namespace tg {

bool label_long_enough(std::string_view protected_label, std::uint8_t min_length) noexcept {
  return protected_label.size() >= min_length;
}

bool is_sister_domain(std::string_view observed_label, std::string_view observed_suffix,
                      std::string_view protected_label,
                      std::string_view protected_suffix) noexcept {
  return observed_label == protected_label && observed_suffix != protected_suffix;
}

bool weak_glyphs_plausible(std::size_t weak_substitutions, std::size_t target_length) noexcept {
  return weak_substitutions <= 1 || weak_substitutions * 3 <= target_length;
}

bool makes_empty_label(std::string_view reference, std::size_t insert_pos) noexcept {
  if (insert_pos == 0 || insert_pos >= reference.size()) return true;
  return reference[insert_pos - 1] == '.' || reference[insert_pos] == '.';
}

}  // namespace tg
