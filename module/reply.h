// SPDX-License-Identifier: BSD-3-Clause
/* Synthesised answers of the module, built in qstate->region. */
#ifndef TYPOGUARD_MODULE_REPLY_H
#define TYPOGUARD_MODULE_REPLY_H

#include "typoguard/typoguard.h"

struct module_qstate;

/**
 * Sets qstate->return_msg to NXDOMAIN for the question with one SOA in the authority section
 * (owner: the qname's parent; MNAME/RNAME/TTL from `verdict`; MINIMUM = TTL), no AA, no AD
 * (security insecure), and return_rcode to NOERROR (the NXDOMAIN rcode is in the message flags,
 * which is what keeps the SOA in the encoded answer).
 * Fails (returns 0, return_msg left NULL) when MNAME or RNAME does not parse or the region is out
 * of memory; the caller then falls back to a bare NXDOMAIN rcode, which needs no allocation.
 */
int tg_reply_nxdomain_soa(struct module_qstate* qstate, const tg_verdict* verdict);

/**
 * Sets qstate->return_msg to the sinkhole answer for the question (rcode NOERROR, no AA, no AD,
 * security insecure; return_rcode NOERROR). Owner of the answer: the qname as asked (client's
 * case); TTL from `verdict`. A -> sinkhole_ipv4, AAAA -> sinkhole_ipv6, MX -> `MX pref host`
 * (TG_MX_HOST) or `MX 0 .` (TG_MX_NULL, RFC 7505); anything else (no address of that family,
 * TG_MX_NONE, other types) -> NODATA with the verdict's SOA in the authority section.
 * Fails (returns 0, return_msg left NULL) when a name does not parse or the region is out of
 * memory; the caller then falls back to a bare NXDOMAIN rcode.
 */
int tg_reply_sinkhole(struct module_qstate* qstate, const tg_verdict* verdict);

/**
 * Appends an Extended DNS Error (RFC 8914, INFO-CODE 15 Blocked, EXTRA-TEXT verdict->ede_text)
 * to qstate->edns_opts_front_out when ede_text is non-empty; does nothing (returns 1) when it is
 * empty. Unbound 1.17.1 copies that list into every reply of the state (mesh_send_reply ->
 * inplace_cb_reply_call) and writes it only when the client sent EDNS; `ede:` is not consulted.
 * Fails (returns 0, list unchanged or partly allocated) when qstate->region is out of memory.
 */
int tg_reply_ede(struct module_qstate* qstate, const tg_verdict* verdict);

#endif
