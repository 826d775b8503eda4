// SPDX-License-Identifier: BSD-3-Clause
#include "name/idna.hpp"

#include <cstdint>
#include <memory>

#include <idn2.h>

namespace tg {
namespace {

// What libidn2 allocates for a result, released with idn2_free.
struct Idn2Free {
  void operator()(char* p) const noexcept { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Free>;

std::optional<std::string> result(int rc, Idn2String out, IdnaError* error) {
  if (rc == IDN2_OK && out != nullptr) return std::string(out.get());
  if (error != nullptr) error->code = rc == IDN2_OK ? IDN2_MALLOC : rc;
  return std::nullopt;
}

}  // namespace

std::string_view IdnaError::message() const noexcept { return idn2_strerror(code); }

std::optional<std::string> to_a_label(const std::string& utf8, const ALabelOptions& options,
                                      IdnaError* error) {
  int flags = 0;
  if (options.nfc_input) flags |= IDN2_NFC_INPUT;
  if (options.nontransitional) flags |= IDN2_NONTRANSITIONAL;
  std::uint8_t* out = nullptr;
  const int rc =
      idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(utf8.c_str()), &out, flags);  // NOLINT
  return result(rc, Idn2String(reinterpret_cast<char*>(out)), error);                    // NOLINT
}

std::optional<std::string> to_u_label(const std::string& ascii, IdnaError* error) {
  char* out = nullptr;
  const int rc = idn2_to_unicode_8z8z(ascii.c_str(), &out, 0);
  return result(rc, Idn2String(out), error);
}

}  // namespace tg
