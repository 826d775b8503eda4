// SPDX-License-Identifier: BSD-3-Clause
/* module_qstate -> {qname wire, qtype, clients}. Only this file looks into the mesh. */
#include "qstate.h"

#include <string.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "config.h"
#include "services/mesh.h"
#include "util/module.h"
#include "util/netevent.h"
#include "util/regional.h"

/** Converts one sockaddr into a tg_client; returns 0 (and leaves `out` alone) for an address
 *  family other than IPv4/IPv6 or a length too short for its family. */
static int client_from_sockaddr(const struct sockaddr_storage* sa, socklen_t len, tg_client* out) {
  static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  memset(out, 0, sizeof(*out));
  if (sa->ss_family == AF_INET && (size_t)len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in* in4 = (const struct sockaddr_in*)sa;
    memcpy(out->address, &in4->sin_addr, 4);
    out->port = ntohs(in4->sin_port);
    return 1;
  }
  if (sa->ss_family == AF_INET6 && (size_t)len >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6* in6 = (const struct sockaddr_in6*)sa;
    const uint8_t* a = (const uint8_t*)&in6->sin6_addr;
    out->port = ntohs(in6->sin6_port);
    if (memcmp(a, v4mapped, sizeof(v4mapped)) == 0) {
      memcpy(out->address, a + 12, 4);
    } else {
      out->ipv6 = 1;
      memcpy(out->address, a, 16);
    }
    return 1;
  }
  return 0;
}

/** See qstate.h. */
int tg_query_from_qstate(struct module_qstate* qstate, tg_query* out) {
  out->qname = qstate->qinfo.qname;
  out->qname_len = qstate->qinfo.qname_len;
  out->qtype = qstate->qinfo.qtype;
  out->clients = NULL;
  out->query_ids = NULL;
  out->client_count = 0;
  if (qstate->mesh_info == NULL) return 1;
  size_t n = 0;
  for (struct mesh_reply* r = qstate->mesh_info->reply_list; r != NULL; r = r->next) n++;
  if (n == 0) return 1;
  tg_client* clients = out->local_clients;
  uint16_t* ids = out->local_ids;
  if (n > TG_QUERY_LOCAL_CLIENTS) {
    clients = regional_alloc(qstate->region, n * sizeof(tg_client));
    ids = regional_alloc(qstate->region, n * sizeof(uint16_t));
    if (clients == NULL || ids == NULL) return 0;
  }
  size_t i = 0;
  for (struct mesh_reply* r = qstate->mesh_info->reply_list; r != NULL && i < n; r = r->next) {
    if (client_from_sockaddr(&r->query_reply.client_addr, r->query_reply.client_addrlen,
                             &clients[i])) {
      ids[i] = ntohs(r->qid);
      i++;
    }
  }
  out->clients = i > 0 ? clients : NULL;
  out->query_ids = i > 0 ? ids : NULL;
  out->client_count = i;
  return 1;
}
