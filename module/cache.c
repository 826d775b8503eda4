// SPDX-License-Identifier: BSD-3-Clause
/* Message-cache removal and the look-alike purge (cache.h). */
#include "cache.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "util/data/msgreply.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/storage/lruhash.h"
#include "util/storage/slabhash.h"

/** See cache.h. */
void tg_cache_remove(struct module_env* env, uint8_t* name, size_t name_len, uint16_t qtype,
                     uint16_t qclass) {
  if (env == NULL || env->msg_cache == NULL || name == NULL) return;
  msg_cache_remove(env, name, name_len, qtype, qclass, 0);
  if (qtype == LDNS_RR_TYPE_AAAA) msg_cache_remove(env, name, name_len, qtype, qclass, BIT_CD);
}

/** One cached question, copied out of the cache during the traversal. */
struct cached_key {
  hashvalue_type hash;
  uint16_t qtype, qclass;
  size_t qname_len;
  uint8_t* qname; /* malloc'd copy */
};

/** The keys collected by the traversal; `failed` is set when an allocation failed. */
struct key_list {
  struct cached_key* keys;
  size_t count, capacity;
  int failed;
};

/** slabhash_traverse callback: copies the entry's question (runs with the table and bin locks
 *  held, so it only copies; classification happens after the traversal). */
static void collect_key(struct lruhash_entry* e, void* arg) {
  struct key_list* list = (struct key_list*)arg;
  struct msgreply_entry* m = (struct msgreply_entry*)e->key;
  if (list->failed || m == NULL) return;
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? list->capacity * 2 : 256;
    struct cached_key* keys = realloc(list->keys, capacity * sizeof(*keys));
    if (keys == NULL) {
      list->failed = 1;
      return;
    }
    list->keys = keys;
    list->capacity = capacity;
  }
  struct cached_key* k = &list->keys[list->count];
  k->qname = malloc(m->key.qname_len);
  if (k->qname == NULL) {
    list->failed = 1;
    return;
  }
  memcpy(k->qname, m->key.qname, m->key.qname_len);
  k->qname_len = m->key.qname_len;
  k->qtype = m->key.qtype;
  k->qclass = m->key.qclass;
  k->hash = e->hash;
  list->count++;
}

/** See cache.h. */
long tg_cache_purge_lookalikes(struct module_env* env, const tg_engine* engine) {
  if (env == NULL || env->msg_cache == NULL || engine == NULL) return 0;
  struct key_list list = {NULL, 0, 0, 0};
  slabhash_traverse(env->msg_cache, 0, &collect_key, &list);
  long removed = list.failed ? -1 : 0;
  for (size_t i = 0; i < list.count; i++) {
    struct cached_key* k = &list.keys[i];
    if (!list.failed && tg_is_lookalike(engine, k->qname, k->qname_len)) {
      struct query_info q;
      memset(&q, 0, sizeof(q));
      q.qname = k->qname;
      q.qname_len = k->qname_len;
      q.qtype = k->qtype;
      q.qclass = k->qclass;
      slabhash_remove(env->msg_cache, k->hash, &q);
      removed++;
    }
    free(k->qname);
  }
  free(list.keys);
  return removed;
}
