// SPDX-License-Identifier: BSD-3-Clause
/* Synthesised answers (NXDOMAIN + SOA, sinkhole A/AAAA/MX, NODATA + SOA) and the Extended DNS
 * Error, built as a wire packet and parsed into qstate->region. */
#include "reply.h"

#include <arpa/inet.h>
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

/** Parses the presentation-format RR `text` ("@" = `origin`) into `rr` (size *rr_len, set to
 *  the length written). Fails (returns 0) when the text does not parse or does not fit. */
static int text_to_rr(const char* text, uint32_t ttl, uint8_t* origin, size_t origin_len,
                      uint8_t* rr, size_t* rr_len) {
  size_t dname_len = 0;
  return sldns_str2wire_rr_buf(text, rr, rr_len, &dname_len, ttl, origin, origin_len, NULL, 0) ==
         0;
}

/** Builds the verdict's SOA (owner: the qname's parent; the root for a TLD) into `rr`.
 *  Fails (returns 0) when MNAME/RNAME do not fit or the SOA does not parse. */
static int soa_rr(struct module_qstate* qstate, const tg_verdict* verdict, uint8_t* rr,
                  size_t* rr_len) {
  char mname[260], rname[260], text[700];
  uint8_t* qname = qstate->qinfo.qname;
  size_t qname_len = qstate->qinfo.qname_len;
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
  return text_to_rr(text, verdict->ttl, owner, owner_len, rr, rr_len);
}

/**
 * Assembles header + question (as asked) + at most one answer RR + at most one authority RR
 * (either may be NULL) with rcode `rcode`, parses it into qstate->region and sets return_msg
 * (security insecure, not authoritative) and return_rcode NOERROR.
 * Fails (returns 0, return_msg NULL) when the scratch buffer is too small, the packet does not
 * parse, or the region is out of memory.
 */
static int set_reply(struct module_qstate* qstate, int rcode, const uint8_t* an, size_t an_len,
                     const uint8_t* ns, size_t ns_len) {
  uint8_t* qname = qstate->qinfo.qname;
  size_t qname_len = qstate->qinfo.qname_len;
  sldns_buffer* b = qstate->env->scratch_buffer;
  qstate->return_msg = NULL;
  sldns_buffer_clear(b);
  if (sldns_buffer_remaining(b) < 12 + qname_len + 4 + an_len + ns_len) return 0;
  sldns_buffer_write_u16(b, 0);                               /* id: set per client */
  sldns_buffer_write_u16(b, BIT_QR | BIT_RA | (uint16_t)rcode); /* no AA, no AD */
  sldns_buffer_write_u16(b, 1);                               /* qdcount */
  sldns_buffer_write_u16(b, an != NULL ? 1 : 0);              /* ancount */
  sldns_buffer_write_u16(b, ns != NULL ? 1 : 0);              /* nscount */
  sldns_buffer_write_u16(b, 0);                               /* arcount */
  sldns_buffer_write(b, qname, qname_len);
  sldns_buffer_write_u16(b, qstate->qinfo.qtype);
  sldns_buffer_write_u16(b, qstate->qinfo.qclass);
  if (an != NULL) sldns_buffer_write(b, an, an_len);
  if (ns != NULL) sldns_buffer_write(b, ns, ns_len);
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

/** See reply.h. */
int tg_reply_nxdomain_soa(struct module_qstate* qstate, const tg_verdict* verdict) {
  uint8_t rr[LDNS_RR_BUF_SIZE];
  size_t rr_len = sizeof(rr);
  qstate->return_msg = NULL;
  if (qstate->qinfo.qname == NULL || qstate->qinfo.qname_len == 0) return 0;
  if (!soa_rr(qstate, verdict, rr, &rr_len)) return 0;
  return set_reply(qstate, LDNS_RCODE_NXDOMAIN, NULL, 0, rr, rr_len);
}

/** Writes the sinkhole record for the question's type as presentation text into `text`
 *  ("" when the verdict has no record for that type: NODATA). Fails (returns 0) when a name
 *  does not fit or an address does not format. */
static int sinkhole_text(uint16_t qtype, const tg_verdict* v, char* text, size_t text_len) {
  char addr[INET6_ADDRSTRLEN], host[260];
  int w = 0;
  text[0] = '\0';
  if (qtype == LDNS_RR_TYPE_A && v->has_ipv4) {
    if (inet_ntop(AF_INET, v->sinkhole_ipv4, addr, sizeof(addr)) == NULL) return 0;
    w = snprintf(text, text_len, "@ %u IN A %s", (unsigned)v->ttl, addr);
  } else if (qtype == LDNS_RR_TYPE_AAAA && v->has_ipv6) {
    if (inet_ntop(AF_INET6, v->sinkhole_ipv6, addr, sizeof(addr)) == NULL) return 0;
    w = snprintf(text, text_len, "@ %u IN AAAA %s", (unsigned)v->ttl, addr);
  } else if (qtype == LDNS_RR_TYPE_MX && v->mx_kind == TG_MX_HOST && v->mx_host[0] != '\0') {
    if (!absolute_name(v->mx_host, host, sizeof(host))) return 0;
    w = snprintf(text, text_len, "@ %u IN MX %u %s", (unsigned)v->ttl,
                 (unsigned)v->mx_preference, host);
  } else if (qtype == LDNS_RR_TYPE_MX && v->mx_kind == TG_MX_NULL) {
    w = snprintf(text, text_len, "@ %u IN MX 0 .", (unsigned)v->ttl); /* RFC 7505 */
  } else {
    return 1;
  }
  return w > 0 && (size_t)w < text_len;
}

/** See reply.h. */
int tg_reply_sinkhole(struct module_qstate* qstate, const tg_verdict* verdict) {
  char text[400];
  uint8_t rr[LDNS_RR_BUF_SIZE];
  size_t rr_len = sizeof(rr);
  qstate->return_msg = NULL;
  if (qstate->qinfo.qname == NULL || qstate->qinfo.qname_len == 0) return 0;
  if (!sinkhole_text(qstate->qinfo.qtype, verdict, text, sizeof(text))) return 0;
  if (text[0] != '\0') {
    /* Owner "@" = the qname as asked (the client's case). */
    if (!text_to_rr(text, verdict->ttl, qstate->qinfo.qname, qstate->qinfo.qname_len, rr,
                    &rr_len))
      return 0;
    return set_reply(qstate, LDNS_RCODE_NOERROR, rr, rr_len, NULL, 0);
  }
  if (!soa_rr(qstate, verdict, rr, &rr_len)) return 0;
  return set_reply(qstate, LDNS_RCODE_NOERROR, NULL, 0, rr, rr_len); /* NODATA */
}

/** See reply.h. */
int tg_reply_ede(struct module_qstate* qstate, const tg_verdict* verdict) {
  if (verdict->ede_text[0] == '\0') return 1;
  return edns_opt_list_append_ede(&qstate->edns_opts_front_out, qstate->region, LDNS_EDE_BLOCKED,
                                  verdict->ede_text);
}
