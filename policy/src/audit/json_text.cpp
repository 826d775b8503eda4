// SPDX-License-Identifier: BSD-3-Clause
#include "audit/json_text.hpp"

namespace tg::audit {

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + 2 + kMaxJsonEscape * text.size());
  out[start] = '"';
  const std::size_t n = escape_json_into(out.data() + start + 1, text);
  out[start + 1 + n] = '"';
  out.resize(start + 2 + n);
}

}  // namespace tg::audit
