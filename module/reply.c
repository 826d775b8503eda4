// SPDX-License-Identifier: BSD-3-Clause
/* Synthesised answers (NXDOMAIN + SOA, sinkhole A/AAAA/MX, NODATA + SOA) and the Extended DNS
 * Error. Records are written in wire format (no text parsing on the query path), assembled
 * into a packet and parsed into qstate->region. */
#include "reply.h"

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

/** Writes `name` (presentation form, absolute or not; "" = the root) as a wire-format name at
 *  out[0 .. *len), *len being the room on entry and the length written on return. Fails
 *  (returns 0) when it does not parse or does not fit. */
static int name_to_wire(const char* name, uint8_t* out, size_t* len) {
  if (name[0] == '\0') {
    if (*len < 1) return 0;
    out[0] = 0;
    *len = 1;
    return 1;
  }
  return sldns_str2wire_dname_buf(name, out, len) == 0;
}

/** A resource record being written in wire format into a fixed buffer. */
struct rr_writer {
  uint8_t* buf;
  size_t cap;
  size_t len;
  int ok; /**< 0 once anything did not fit */
};

/** Appends `n` bytes (nothing, and ok = 0, when they do not fit). */
static void put(struct rr_writer* w, const void* data, size_t n) {
  if (!w->ok || w->cap - w->len < n) {
    w->ok = 0;
    return;
  }
  memcpy(w->buf + w->len, data, n);
  w->len += n;
}

/** Appends a 16-bit value in network order. */
static void put_u16(struct rr_writer* w, uint16_t v) {
  uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
  put(w, b, sizeof(b));
}

/** Appends a 32-bit value in network order. */
static void put_u32(struct rr_writer* w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  put(w, b, sizeof(b));
}

/** Appends a presentation-form name in wire format. */
static void put_name(struct rr_writer* w, const char* name) {
  size_t n = w->ok ? w->cap - w->len : 0;
  if (!w->ok || !name_to_wire(name, w->buf + w->len, &n)) {
    w->ok = 0;
    return;
  }
  w->len += n;
}

/** Starts an RR of class IN: owner, type, TTL and a zero RDLENGTH; returns the RDLENGTH offset,
 *  which end_rr() fills in. */
static size_t begin_rr(struct rr_writer* w, const uint8_t* owner, size_t owner_len, uint16_t type,
                       uint32_t ttl) {
  put(w, owner, owner_len);
  put_u16(w, type);
  put_u16(w, LDNS_RR_CLASS_IN);
  put_u32(w, ttl);
  size_t at = w->len;
  put_u16(w, 0);
  return at;
}

/** Sets the RDLENGTH of the RR begun at `at`; fails (ok = 0) when the RDATA is too long. */
static void end_rr(struct rr_writer* w, size_t at) {
  if (!w->ok) return;
  size_t rdlen = w->len - at - 2;
  if (rdlen > 0xffff) {
    w->ok = 0;
    return;
  }
  w->buf[at] = (uint8_t)(rdlen >> 8);
  w->buf[at + 1] = (uint8_t)rdlen;
}

/** The SOA's owner for `qname` (wire, `qname_len` bytes): its last `labels` labels, at most
 *  all but the first (the owner is an ancestor of the name the answer denies), the root for 0.
 *  Sets *owner_len; reads only inside the name. */
static const uint8_t* soa_owner(const uint8_t* qname, size_t qname_len, unsigned labels,
                                size_t* owner_len) {
  unsigned count = 0;
  for (size_t at = 0; at < qname_len && qname[at] != 0; at += (size_t)qname[at] + 1) count++;
  unsigned skip = count > labels ? count - labels : 1;
  size_t at = 0;
  for (unsigned i = 0; i < skip && at < qname_len && qname[at] != 0; i++)
    at += (size_t)qname[at] + 1;
  if (at >= qname_len) { /* malformed: the root */
    static const uint8_t root[1] = {0};
    *owner_len = 1;
    return root;
  }
  *owner_len = qname_len - at;
  return qname + at;
}

/** Builds the verdict's SOA (owner: the name's listed public suffix, a zone that exists, never
 *  the look-alike's own apex; the root when the suffix is not listed; serial 1, refresh
 *  3600, retry 600, expire 86400, MINIMUM and TTL from the verdict) into `rr` (room *rr_len,
 *  set to the length written). Fails (returns 0) when MNAME/RNAME do not parse or fit. */
static int soa_rr(struct module_qstate* qstate, const tg_verdict* verdict, uint8_t* rr,
                  size_t* rr_len) {
  size_t owner_len = 0;
  const uint8_t* owner = soa_owner(qstate->qinfo.qname, qstate->qinfo.qname_len,
                                   verdict->soa_owner_labels, &owner_len);
  struct rr_writer w = {rr, *rr_len, 0, 1};
  size_t at = begin_rr(&w, owner, owner_len, LDNS_RR_TYPE_SOA, verdict->ttl);
  put_name(&w, verdict->soa_mname);
  put_name(&w, verdict->soa_rname);
  put_u32(&w, 1);     /* serial */
  put_u32(&w, 3600);  /* refresh */
  put_u32(&w, 600);   /* retry */
  put_u32(&w, 86400); /* expire */
  put_u32(&w, verdict->ttl);
  end_rr(&w, at);
  *rr_len = w.len;
  return w.ok;
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

/** Builds the sinkhole record for the question's type (owner: the qname as asked, the
 *  client's case) into `rr` (room *rr_len, set to the length written; 0 when the verdict has no
 *  record for that type: NODATA). Fails (returns 0) when the MX host does not parse or fit. */
static int sinkhole_rr(struct module_qstate* qstate, const tg_verdict* v, uint8_t* rr,
                       size_t* rr_len) {
  uint16_t qtype = qstate->qinfo.qtype;
  struct rr_writer w = {rr, *rr_len, 0, 1};
  size_t at = 0;
  if (qtype == LDNS_RR_TYPE_A && v->has_ipv4) {
    at = begin_rr(&w, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, v->ttl);
    put(&w, v->sinkhole_ipv4, sizeof(v->sinkhole_ipv4));
  } else if (qtype == LDNS_RR_TYPE_AAAA && v->has_ipv6) {
    at = begin_rr(&w, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, v->ttl);
    put(&w, v->sinkhole_ipv6, sizeof(v->sinkhole_ipv6));
  } else if (qtype == LDNS_RR_TYPE_MX && v->mx_kind == TG_MX_HOST && v->mx_host[0] != '\0') {
    at = begin_rr(&w, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, v->ttl);
    put_u16(&w, v->mx_preference);
    put_name(&w, v->mx_host);
  } else if (qtype == LDNS_RR_TYPE_MX && v->mx_kind == TG_MX_NULL) {
    at = begin_rr(&w, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, v->ttl);
    put_u16(&w, 0); /* RFC 7505: preference 0, exchange "." */
    put_name(&w, "");
  } else {
    *rr_len = 0;
    return 1;
  }
  end_rr(&w, at);
  *rr_len = w.len;
  return w.ok;
}

/** See reply.h. */
int tg_reply_sinkhole(struct module_qstate* qstate, const tg_verdict* verdict) {
  uint8_t rr[LDNS_RR_BUF_SIZE];
  size_t rr_len = sizeof(rr);
  qstate->return_msg = NULL;
  if (qstate->qinfo.qname == NULL || qstate->qinfo.qname_len == 0) return 0;
  if (!sinkhole_rr(qstate, verdict, rr, &rr_len)) return 0;
  if (rr_len > 0) return set_reply(qstate, LDNS_RCODE_NOERROR, rr, rr_len, NULL, 0);
  rr_len = sizeof(rr);
  if (!soa_rr(qstate, verdict, rr, &rr_len)) return 0;
  return set_reply(qstate, LDNS_RCODE_NOERROR, NULL, 0, rr, rr_len); /* NODATA */
}

/** See reply.h. */
int tg_reply_ede(struct module_qstate* qstate, const tg_verdict* verdict) {
  if (verdict->ede_text[0] == '\0') return 1;
  return edns_opt_list_append_ede(&qstate->edns_opts_front_out, qstate->region, LDNS_EDE_BLOCKED,
                                  verdict->ede_text);
}
