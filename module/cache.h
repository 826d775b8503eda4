// SPDX-License-Identifier: BSD-3-Clause
/* Keeps look-alike names out of Unbound's message cache: removal of one name, and a purge of
 * every cached look-alike (at init, which covers reload_keep_cache, and after a watched policy
 * change). Only the message cache matters: it is what answers clients before any module runs
 * (the worker looks a query up there before the query reaches any module). */
#ifndef TYPOGUARD_MODULE_CACHE_H
#define TYPOGUARD_MODULE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "typoguard/typoguard.h"

struct module_env;

/**
 * Removes the message-cache entries of (`name`, `qtype`, `qclass`): for AAAA both hash variants
 * (with and without the CD bit, util/data/msgreply.c query_info_hash). Never fails; a name that
 * is not cached is fine. Must not be called while the caller holds a lock on a cache entry
 * (e.g. from an inplace_cb_reply_cache callback).
 */
void tg_cache_remove(struct module_env* env, uint8_t* name, size_t name_len, uint16_t qtype,
                     uint16_t qclass);

/**
 * Removes every message-cache entry whose question name is a look-alike under the engine's
 * policy in force. Keys are copied under the cache locks, classified after the traversal (the
 * locks are not held during classification) and removed one by one. Safe while workers run.
 * Returns the number of entries removed, or -1 when memory for the key list ran out (then
 * nothing is removed and the caller logs it).
 */
long tg_cache_purge_lookalikes(struct module_env* env, const tg_engine* engine);

#endif
