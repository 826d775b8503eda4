// SPDX-License-Identifier: BSD-3-Clause
/* NXDOMAIN + SOA answers, built as a wire packet and parsed into qstate->region. */
#include "reply.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "sldns/sbuffer.h"
#include "sldns/str2wire.h"
#include "util/data/msgparse.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/regional.h"

/** Copies `name` into `out` (size `out_len`) as an absolute domain name ("." when empty).
 *  Fails (returns 0) when it does not fit. */
static int absolute_name(const char* name, char* out, size_t out_len) {
  size_t n = strlen(name);
  if (n == 0) name = ".";
  int w = snprintf(out, out_len, "%s%s", name, (n > 0 && name[n - 1] != '.') ? "." : "");
  return w > 0 && (size_t)w < out_len;
}

/** See reply.h. */
int tg_reply_nxdomain_soa(struct module_qstate* qstate, const tg_verdict* verdict) {
  char mname[260], rname[260], text[700];
  uint8_t rr[LDNS_RR_BUF_SIZE];
  size_t rr_len = sizeof(rr), dname_len = 0;
  uint8_t* qname = qstate->qinfo.qname;
  size_t qname_len = qstate->qinfo.qname_len;
  qstate->return_msg = NULL;
  if (qname == NULL || qname_len == 0) return 0;
  /* SOA owner: the qname's parent (the root for a TLD; the root itself for the root). */
  uint8_t* owner = qname;
  size_t owner_len = qname_len;
  if (qname[0] != 0 && (size_t)qname[0] + 1 < qname_len) {
    owner = qname + 1 + qname[0];
    owner_len = qname_len - 1 - qname[0];
  }
  if (!absolute_name(verdict->soa_mname, mname, sizeof(mname)) ||
      !absolute_name(verdict->soa_rname, rname, sizeof(rname)))
    return 0;
  int w = snprintf(text, sizeof(text), "@ %u IN SOA %s %s 1 3600 600 86400 %u",
                   (unsigned)verdict->ttl, mname, rname, (unsigned)verdict->ttl);
  if (w <= 0 || (size_t)w >= sizeof(text)) return 0;
  if (sldns_str2wire_rr_buf(text, rr, &rr_len, &dname_len, verdict->ttl, owner, owner_len, NULL,
                            0) != 0)
    return 0;

  sldns_buffer* b = qstate->env->scratch_buffer;
  sldns_buffer_clear(b);
  if (sldns_buffer_remaining(b) < 12 + qname_len + 4 + rr_len) return 0;
  sldns_buffer_write_u16(b, 0);                                     /* id: set per client */
  sldns_buffer_write_u16(b, BIT_QR | BIT_RA | LDNS_RCODE_NXDOMAIN); /* no AA, no AD */
  sldns_buffer_write_u16(b, 1);                                     /* qdcount */
  sldns_buffer_write_u16(b, 0);                                     /* ancount */
  sldns_buffer_write_u16(b, 1);                                     /* nscount */
  sldns_buffer_write_u16(b, 0);                                     /* arcount */
  sldns_buffer_write(b, qname, qname_len);
  sldns_buffer_write_u16(b, qstate->qinfo.qtype);
  sldns_buffer_write_u16(b, qstate->qinfo.qclass);
  sldns_buffer_write(b, rr, rr_len);
  sldns_buffer_flip(b);

  struct msg_parse* parsed = regional_alloc_zero(qstate->env->scratch, sizeof(*parsed));
  if (parsed == NULL) return 0;
  if (parse_packet(b, parsed, qstate->env->scratch) != LDNS_RCODE_NOERROR) return 0;
  struct dns_msg* msg = regional_alloc_zero(qstate->region, sizeof(*msg));
  if (msg == NULL) return 0;
  if (!parse_create_msg(b, parsed, NULL, &msg->qinfo, &msg->rep, qstate->region)) return 0;
  /* Unchecked (0) would become SERVFAIL behind the validator; insecure gives no AD. */
  msg->rep->security = sec_status_insecure;
  msg->rep->authoritative = 0;
  qstate->return_msg = msg;
  qstate->return_rcode = LDNS_RCODE_NOERROR;
  return 1;
}
