/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiled as C11: the engine's header must be plain C, as module/ will include it. */
#include "typoguard/typoguard.h"

/** Evaluates `army.ml MX` for one IPv4 client; returns the action, or -1 on error. C linkage. */
int tg_header_check_evaluate(const tg_engine* engine, const uint8_t client_v4[4]);

int tg_header_check_evaluate(const tg_engine* engine, const uint8_t client_v4[4]) {
  static const uint8_t qname[] = {4, 'a', 'r', 'm', 'y', 2, 'm', 'l', 0};
  tg_client client = {0};
  tg_verdict verdict;
  int i;
  for (i = 0; i < 4; ++i) client.address[i] = client_v4[i];
  if (tg_evaluate(engine, qname, sizeof qname, 15, &client, 1, &verdict) != TG_OK) return -1;
  return (int)verdict.action;
}
