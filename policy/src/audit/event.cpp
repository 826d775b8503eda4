// SPDX-License-Identifier: BSD-3-Clause
#include "audit/event.hpp"

namespace tg::audit {

std::string_view answer_name(Answer a) noexcept {
  switch (a) {
    case Answer::Resolved:
      return "resolved";
    case Answer::NxDomain:
      return "nxdomain";
    case Answer::Sinkhole:
      return "sinkhole";
    case Answer::NoData:
      return "nodata";
  }
  return "unknown";
}

std::string_view stage_name(Stage s) noexcept {
  switch (s) {
    case Stage::Query:
      return "query";
    case Stage::Answer:
      return "answer";
    case Stage::Error:
      return "error";
  }
  return "unknown";
}

}  // namespace tg::audit
