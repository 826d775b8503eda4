// SPDX-License-Identifier: BSD-3-Clause
/*
 * typoguard as an Unbound dynlib module: the six functions dynlib looks up (init, deinit,
 * operate, inform_super, clear, get_mem) and the event dispatch, in the shape of Unbound's
 * dns64 module. Global state is the engine only (in the dynlib's dyn_env); nothing per query.
 */
#include "typoguard/typoguard.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dynlibmod/dynlibmod.h"
#include "qstate.h"
#include "reply.h"
#include "sldns/rrdef.h"
#include "util/data/dname.h"
#include "util/log.h"
#include "util/module.h"

#define TG_EXPORT __attribute__((visibility("default")))

/** Name of the policy file looked for next to the .so. */
#define TG_POLICY_FILE_NAME "typoguard.json"

/** An object inside this .so, so that dladdr() can name the file it was loaded from. */
static const char tg_self_anchor = 0;

/* The prototypes dynlib resolves with dlsym (dynlibmod/dynlibmod.h typedefs). */
TG_EXPORT int init(struct module_env* env, int id);
TG_EXPORT void deinit(struct module_env* env, int id);
TG_EXPORT void operate(struct module_qstate* qstate, enum module_ev event, int id,
                       struct outbound_entry* outbound);
TG_EXPORT void inform_super(struct module_qstate* qstate, int id, struct module_qstate* super);
TG_EXPORT void clear(struct module_qstate* qstate, int id);
TG_EXPORT size_t get_mem(struct module_env* env, int id);

/** The dynlib wrapper's per-module data; NULL when env or the slot is missing (never fails
 *  otherwise). */
static struct dynlibmod_env* dynlib_env(struct module_env* env, int id) {
  if (env == NULL || id < 0 || id >= MAX_MODULE) return NULL;
  return (struct dynlibmod_env*)env->modinfo[id];
}

/** The engine opened by init, or NULL before init / after deinit. */
static tg_engine* engine_of(struct module_env* env, int id) {
  struct dynlibmod_env* de = dynlib_env(env, id);
  return de != NULL ? (tg_engine*)de->dyn_env : NULL;
}

/**
 * Decides which policy file to load (one rule, documented in module/README.md):
 * $TYPOGUARD_POLICY when set and non-empty; else typoguard.json in the directory of this .so
 * when that file exists; else "" (the engine's embedded default policy).
 * Writes the path into out[0 .. out_len); fails (returns 0) only when the path does not fit.
 */
static int choose_policy_path(char* out, size_t out_len) {
  const char* from_env = getenv("TYPOGUARD_POLICY");
  out[0] = '\0';
  if (from_env != NULL && from_env[0] != '\0') {
    int w = snprintf(out, out_len, "%s", from_env);
    return w >= 0 && (size_t)w < out_len;
  }
  Dl_info info;
  if (dladdr(&tg_self_anchor, &info) != 0 && info.dli_fname != NULL) {
    const char* slash = strrchr(info.dli_fname, '/');
    size_t dir_len = slash != NULL ? (size_t)(slash - info.dli_fname) + 1 : 0;
    int w = snprintf(out, out_len, "%.*s%s", (int)dir_len, info.dli_fname, TG_POLICY_FILE_NAME);
    if (w < 0 || (size_t)w >= out_len) return 0;
    if (access(out, F_OK) == 0) return 1;
  }
  out[0] = '\0';
  return 1;
}

/** Module init: refuses (returns 0, with log_err saying why) when not the first module, when
 *  the dynlib slot is missing, or when the policy does not load; else returns 1. */
int init(struct module_env* env, int id) {
  char path[PATH_MAX], error[1024], description[512];
  if (id != 0) {
    log_err(
        "typoguard: must be the first module in module-config (it is module %d); use "
        "module-config: \"dynlib validator iterator\"",
        id);
    return 0;
  }
  struct dynlibmod_env* de = dynlib_env(env, id);
  if (de == NULL) {
    log_err("typoguard: no dynlib environment for module %d; load typoguard through dynlib", id);
    return 0;
  }
  if (!choose_policy_path(path, sizeof(path))) {
    log_err("typoguard: policy path too long (TYPOGUARD_POLICY or the module's directory)");
    return 0;
  }
  tg_engine* engine = NULL;
  error[0] = '\0';
  tg_status st = tg_engine_open(path, &engine, error, sizeof(error));
  if (st != TG_OK || engine == NULL) {
    log_err("typoguard: cannot load policy %s: %s: %s", path[0] ? path : "(embedded default)",
            tg_strerror(st), error[0] ? error : "(no detail)");
    return 0;
  }
  env->unique_mesh = 1; /* every client query gets its own mesh state (notes §1.4, §1.6) */
  de->dyn_env = engine;
  if (tg_engine_describe(engine, description, sizeof(description)) != TG_OK)
    snprintf(description, sizeof(description), "(no description)");
  verbose(VERB_OPS, "typoguard: module loaded, built for Unbound %s; policy %s: %s",
          PACKAGE_VERSION, path[0] ? path : "(embedded default)", description);
  return 1;
}

/** Module deinit: closes the engine; never fails (a missing engine is fine). */
void deinit(struct module_env* env, int id) {
  struct dynlibmod_env* de = dynlib_env(env, id);
  if (de == NULL) return;
  tg_engine_close((tg_engine*)de->dyn_env);
  de->dyn_env = NULL;
}

/** Logs a block decision at verbosity 1; never fails (a long name is truncated by dname_str). */
static void log_block(struct module_qstate* qstate, const tg_verdict* v, const char* answer) {
  char name[LDNS_MAX_DOMAINLEN + 1];
  dname_str(qstate->qinfo.qname, name);
  verbose(VERB_OPS, "typoguard: %s %s type %u (client %d): %s of %s: %s [policy %s]", answer, name,
          (unsigned)qstate->qinfo.qtype, v->client_index, v->technique_name, v->protected_domain,
          v->evidence, v->policy_revision);
}

/**
 * Handles module_event_new/pass: classifies the question for its clients and either answers
 * it (NXDOMAIN + SOA or the sinkhole answer, plus the EDE; module_finished) or hands it on
 * (module_wait_module). When the engine
 * or the client list is unavailable the query is handed on and the failure logged; when the
 * synthesised answer cannot be built a bare NXDOMAIN rcode is sent instead (no allocation).
 */
static void handle_query(struct module_qstate* qstate, int id) {
  tg_engine* engine = engine_of(qstate->env, id);
  tg_query q;
  tg_verdict v;
  if (engine == NULL) {
    log_err("typoguard: no engine (init did not run); query passed on");
    qstate->ext_state[id] = module_wait_module;
    return;
  }
  if (!tg_query_from_qstate(qstate, &q)) {
    log_err("typoguard: out of memory reading the clients; classifying without them");
    q.clients = NULL;
    q.client_count = 0;
  }
  memset(&v, 0, sizeof(v));
  tg_status st = tg_evaluate(engine, q.qname, q.qname_len, q.qtype, q.clients, q.client_count, &v);
  if (st != TG_OK) {
    log_err("typoguard: evaluate failed: %s; query passed on", tg_strerror(st));
    qstate->ext_state[id] = module_wait_module;
    return;
  }
  if (v.lookalike) {
    /* Keep look-alikes out of the message cache whoever asks (notes §2.5). */
    qstate->no_cache_store = 1;
    qstate->no_cache_lookup = 1;
  }
  if (v.watched && (v.action == TG_ACTION_NXDOMAIN || v.action == TG_ACTION_SINKHOLE)) {
    int sinkhole = v.action == TG_ACTION_SINKHOLE;
    if (sinkhole ? tg_reply_sinkhole(qstate, &v) : tg_reply_nxdomain_soa(qstate, &v)) {
      log_block(qstate, &v, sinkhole ? "sinkhole" : "NXDOMAIN+SOA");
    } else {
      qstate->return_msg = NULL;
      qstate->return_rcode = LDNS_RCODE_NXDOMAIN;
      log_block(qstate, &v, "NXDOMAIN (synthesis failed)");
    }
    if (!tg_reply_ede(qstate, &v))
      log_err("typoguard: out of memory attaching the Extended DNS Error; sent without it");
    qstate->ext_state[id] = module_finished;
    return;
  }
  if (v.watched && v.action == TG_ACTION_LOG_ONLY) log_block(qstate, &v, "would block (monitor)");
  qstate->ext_state[id] = module_wait_module;
}

/** Module operate: dispatches the event; every path sets ext_state[id]; never fails. */
void operate(struct module_qstate* qstate, enum module_ev event, int id,
             struct outbound_entry* outbound) {
  (void)outbound;
  switch (event) {
    case module_event_new:
    case module_event_pass:
      handle_query(qstate, id);
      return;
    case module_event_moddone:
      /* Purge and in-scope re-check at moddone are not done yet (module/README.md). */
      qstate->ext_state[id] = module_finished;
      return;
    case module_event_error: {
      tg_engine* engine = engine_of(qstate->env, id);
      if (engine != NULL && tg_is_lookalike(engine, qstate->qinfo.qname, qstate->qinfo.qname_len)) {
        /* Never end a look-alike with SERVFAIL (serve-expired path): fail closed. */
        qstate->return_msg = NULL;
        qstate->return_rcode = LDNS_RCODE_NXDOMAIN;
        qstate->ext_state[id] = module_finished;
      } else {
        qstate->ext_state[id] = module_error;
      }
      return;
    }
    default:
      qstate->ext_state[id] = module_finished;
      return;
  }
}

/** Module inform_super: typoguard starts no subqueries, so there is nothing to do. */
void inform_super(struct module_qstate* qstate, int id, struct module_qstate* super) {
  (void)qstate;
  (void)id;
  (void)super;
}

/** Module clear: no per-query state yet; resets the slot. Never fails. */
void clear(struct module_qstate* qstate, int id) {
  if (qstate == NULL || id < 0 || id >= MAX_MODULE) return;
  qstate->minfo[id] = NULL;
}

/** Module get_mem: 0 (the engine does not report its size yet). Never fails. */
size_t get_mem(struct module_env* env, int id) {
  (void)env;
  (void)id;
  return 0;
}
