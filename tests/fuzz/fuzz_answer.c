/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: answer building (module/reply.c) against Unbound's own parser, linked from
 * the configured Unbound tree (libunbound.a of module/build-unbound.sh).
 *   input = [qtype: 2][which: 1][ttl: 4][mx preference: 2][ipv4: 4][ipv6: 16][flags: 1]
 *           then NUL-separated fields: qname (presentation text, converted to wire format),
 *           soa_mname, soa_rname, mx_host, ede_text.
 * The verdict strings are what the policy author controls: the names (SOA MNAME/RNAME, MX host)
 * are filtered to the schema's domain-name alphabet (a-z 0-9 - .) unless flags bit 0 lets
 * any printable byte through (robustness beyond the schema: must fail cleanly, not crash);
 * the EDE text (built by the engine from a technique name and a domain) is any bytes.
 * which: 0 NXDOMAIN+SOA, 1 sinkhole, 2 EDE, 3 all three on one state.
 * Checks: a successful answer has one question equal to the qinfo, the expected rcode flag
 * and section counts; on failure return_msg stays NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "reply.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "sldns/sbuffer.h"
#include "sldns/str2wire.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/regional.h"

static struct module_env env;
static struct regional* region;

static void setup(void) {
  env.scratch = regional_create();
  env.scratch_buffer = sldns_buffer_new(65535);
  region = regional_create();
  if (env.scratch == NULL || env.scratch_buffer == NULL || region == NULL) abort();
}

/** Next NUL-separated field of at most out_len-1 bytes (longer fields are cut). */
static void take(const uint8_t** p, const uint8_t* end, char* out, size_t out_len, int filter,
                 int any_printable) {
  size_t n = 0;
  while (*p < end && **p != 0) {
    unsigned char c = **p;
    (*p)++;
    if (filter) {
      if (any_printable) {
        if (c < 0x20 || c > 0x7e) continue;
      } else {
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) continue;
      }
    }
    if (n + 1 < out_len) out[n++] = (char)c;
  }
  if (*p < end) (*p)++; /* the NUL */
  out[n] = '\0';
}

static uint32_t be32(const uint8_t* p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void check_msg(struct module_qstate* q, int want_rcode) {
  if (q->return_msg == NULL) return;
  struct dns_msg* m = q->return_msg;
  if (m->qinfo.qname_len != q->qinfo.qname_len ||
      memcmp(m->qinfo.qname, q->qinfo.qname, q->qinfo.qname_len) != 0 ||
      m->qinfo.qtype != q->qinfo.qtype)
    __builtin_trap();
  if (FLAGS_GET_RCODE(m->rep->flags) != want_rcode) __builtin_trap();
  if (m->rep->an_numrrsets + m->rep->ns_numrrsets > 1 || m->rep->ar_numrrsets != 0)
    __builtin_trap();
  if (m->rep->security != sec_status_insecure || q->return_rcode != LDNS_RCODE_NOERROR)
    __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (env.scratch == NULL) setup();
  if (size < 30) return 0;
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  tg_verdict v;
  memset(&v, 0, sizeof(v));
  uint16_t qtype = (uint16_t)((p[0] << 8) | p[1]);
  /* Mostly the watched types, so the sinkhole records get built. */
  static const uint16_t kTypes[4] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_MX, 0};
  if (kTypes[qtype & 3] != 0 && (qtype & 0x8000) == 0) qtype = kTypes[qtype & 3];
  int which = p[2] & 3;
  v.ttl = be32(p + 3);
  if (p[2] & 4) v.ttl %= 86401; /* the schema's range */
  v.soa_owner_labels = (uint8_t)(p[2] >> 3); /* any count: more labels than the name has too */
  v.mx_preference = (uint16_t)((p[7] << 8) | p[8]);
  memcpy(v.sinkhole_ipv4, p + 9, 4);
  memcpy(v.sinkhole_ipv6, p + 13, 16);
  uint8_t flags = p[29];
  v.has_ipv4 = (flags >> 1) & 1;
  v.has_ipv6 = (flags >> 2) & 1;
  v.mx_kind = (tg_mx_kind)((flags >> 3) % 3);
  int any = flags & 1;
  p += 30;

  char qtext[300];
  take(&p, end, qtext, sizeof(qtext), 1, any);
  take(&p, end, v.soa_mname, sizeof(v.soa_mname), 1, any);
  take(&p, end, v.soa_rname, sizeof(v.soa_rname), 1, any);
  take(&p, end, v.mx_host, sizeof(v.mx_host), 1, any);
  take(&p, end, v.ede_text, sizeof(v.ede_text), 0, 0);

  uint8_t qname[LDNS_MAX_DOMAINLEN + 1];
  size_t qname_len = sizeof(qname);
  if (sldns_str2wire_dname_buf(qtext[0] != '\0' ? qtext : ".", qname, &qname_len) != 0) return 0;

  struct module_qstate q;
  memset(&q, 0, sizeof(q));
  q.env = &env;
  q.region = region;
  q.qinfo.qname = qname;
  q.qinfo.qname_len = qname_len;
  q.qinfo.qtype = qtype;
  q.qinfo.qclass = LDNS_RR_CLASS_IN;

  if (which == 0 || which == 3) {
    int ok = tg_reply_nxdomain_soa(&q, &v);
    if (ok != (q.return_msg != NULL)) __builtin_trap();
    check_msg(&q, LDNS_RCODE_NXDOMAIN);
  }
  if (which == 1 || which == 3) {
    int ok = tg_reply_sinkhole(&q, &v);
    if (ok != (q.return_msg != NULL)) __builtin_trap();
    check_msg(&q, LDNS_RCODE_NOERROR);
  }
  if (which == 2 || which == 3) {
    if (tg_reply_ede(&q, &v) && v.ede_text[0] != '\0') {
      struct edns_option* o = q.edns_opts_front_out;
      if (o == NULL || o->opt_code != LDNS_EDNS_EDE || o->opt_len != 2 + strlen(v.ede_text))
        __builtin_trap();
    }
  }
  regional_free_all(region);
  regional_free_all(env.scratch);
  return 0;
}
