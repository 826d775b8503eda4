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
 * Fails (returns 0, return_msg left NULL) when the SOA text does not parse or the region is out
 * of memory; the caller then falls back to a bare NXDOMAIN rcode, which needs no allocation.
 */
int tg_reply_nxdomain_soa(struct module_qstate* qstate, const tg_verdict* verdict);

#endif
