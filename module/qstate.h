// SPDX-License-Identifier: BSD-3-Clause
/* Reads what the engine needs out of an Unbound module_qstate: qname, qtype, clients. */
#ifndef TYPOGUARD_MODULE_QSTATE_H
#define TYPOGUARD_MODULE_QSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "typoguard/typoguard.h"

struct module_qstate;
struct regional;

/** Clients held inside a tg_query itself (with unique_mesh a state has one). */
#define TG_QUERY_LOCAL_CLIENTS 2

/** The question and the clients waiting for it. May point into itself: do not copy it. */
typedef struct tg_query {
  const uint8_t* qname; /**< wire format, points into the qstate */
  size_t qname_len;
  uint16_t qtype;
  tg_client* clients;  /**< local_clients or the qstate's region; NULL when client_count == 0 */
  uint16_t* query_ids; /**< DNS message ID of each client's query, parallel to clients */
  size_t client_count;
  tg_client local_clients[TG_QUERY_LOCAL_CLIENTS];
  uint16_t local_ids[TG_QUERY_LOCAL_CLIENTS];
} tg_query;

/**
 * Fills `out` from `qstate`. Clients come from mesh_info->reply_list (client_addr, which is the
 * PROXYv2 source when proxied, else the socket peer); IPv4-mapped IPv6 is turned into IPv4.
 * Up to TG_QUERY_LOCAL_CLIENTS clients are kept in `out` itself, more in qstate->region.
 * Fails (returns 0) only when that region allocation fails; a state with no mesh_info or no
 * clients (the resolver's own look-ups) succeeds with client_count 0.
 */
int tg_query_from_qstate(struct module_qstate* qstate, tg_query* out);

#endif
