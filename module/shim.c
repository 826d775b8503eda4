// SPDX-License-Identifier: BSD-3-Clause
/*
 * typoguard as an Unbound dynlib module: the six functions dynlib looks up (init, deinit,
 * operate, inform_super, clear, get_mem) and the event dispatch, in the shape of Unbound's
 * dns64 module. Global state is the engine only (in the dynlib's dyn_env); nothing per query.
 */
#include "typoguard/typoguard.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "cache.h"
#include "config.h"
#include "daemon_check.h"
#include "dynlibmod/dynlibmod.h"
#include "qstate.h"
#include "reply.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "sldns/wire2str.h"
#include "util/config_file.h"
#include "util/data/dname.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/log.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/regional.h"

#define TG_EXPORT __attribute__((visibility("default")))

/** How often the policy file is checked for changes (module/README.md). */
#define TG_WATCH_INTERVAL_MS 1000

/** The policy file loaded when TYPOGUARD_POLICY is not set (module/README.md), as seen inside
 *  Unbound's chroot when one is configured. A build may define another. */
#ifndef TG_DEFAULT_POLICY_PATH
#define TG_DEFAULT_POLICY_PATH "/etc/typoguard/policy.json"
#endif

/** The environment variable that names the policy. */
#define TG_POLICY_ENV "TYPOGUARD_POLICY"

/** What every "no policy" message ends with: the way to the demo policy. */
#define TG_POLICY_HINT \
  "(" TG_POLICY_ENV "=" TG_BUILTIN_DEMO_POLICY " runs the embedded demo policy)"

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

/** Where the policy comes from: the path (or TG_BUILTIN_DEMO_POLICY) and which rule chose it. */
struct tg_policy_choice {
  char path[PATH_MAX];
  int from_env; /**< 1: $TYPOGUARD_POLICY; 0: the default path */
};

/**
 * Decides which policy to load (one rule, documented in module/README.md):
 * $TYPOGUARD_POLICY when set and non-empty (a file, or TG_BUILTIN_DEMO_POLICY), else
 * TG_DEFAULT_POLICY_PATH. Nothing is loaded implicitly: whether the file exists is the
 * engine's to find out. Fails (returns 0) only when the path does not fit.
 */
static int choose_policy(struct tg_policy_choice* out) {
  const char* from_env = getenv(TG_POLICY_ENV);
  out->from_env = from_env != NULL && from_env[0] != '\0';
  int w = snprintf(out->path, sizeof(out->path), "%s",
                   out->from_env ? from_env : TG_DEFAULT_POLICY_PATH);
  return w >= 0 && (size_t)w < sizeof(out->path);
}

/** 0 when `path` can be opened for reading (as Unbound's user, inside its chroot), else the
 *  errno that says why not. */
static int unreadable(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno != 0 ? errno : ENOENT;
  close(fd);
  return 0;
}

/**
 * Writes into why[0 .. why_len) why the policy of `choice` did not load, for log_err: for a
 * file that cannot be opened, the path rule and the default path; otherwise the engine's
 * status and error text. `chroot_dir` is Unbound's chroot ("" or NULL: none). Never fails
 * (long text is truncated).
 */
static void describe_failure(const struct tg_policy_choice* choice, const char* chroot_dir,
                             tg_status st, const char* error, char* why, size_t why_len) {
  /* A built-in name is never a file: the engine's message says what is wrong with it. */
  int builtin =
      strncmp(choice->path, TG_BUILTIN_POLICY_PREFIX, strlen(TG_BUILTIN_POLICY_PREFIX)) == 0;
  int err = builtin ? 0 : unreadable(choice->path);
  char where[PATH_MAX + 32] = "";
  if (!builtin && chroot_dir != NULL && chroot_dir[0] != '\0')
    snprintf(where, sizeof(where), " inside the chroot %s", chroot_dir);
  if (err == 0) {
    snprintf(why, why_len, "cannot load policy %s%s: %s: %s", choice->path, where, tg_strerror(st),
             error[0] ? error : "(no detail)");
  } else if (choice->from_env) {
    snprintf(why, why_len,
             "no policy at %s%s (from " TG_POLICY_ENV "): %s; set " TG_POLICY_ENV
             " to a policy file, or unset it to use " TG_DEFAULT_POLICY_PATH " " TG_POLICY_HINT,
             choice->path, where, strerror(err));
  } else {
    snprintf(why, why_len,
             "no policy at %s%s (" TG_POLICY_ENV " is unset or empty): %s; set " TG_POLICY_ENV
             " to a policy file, or install one at " TG_DEFAULT_POLICY_PATH " " TG_POLICY_HINT,
             choice->path, where, strerror(err));
  }
}

/** The module's global state, in the dynlib's dyn_env: the engine and the environment the
 *  watcher's cache purge needs. Shared by all threads; nothing per query. */
struct tg_module {
  tg_engine* engine;
  struct module_env* env; /**< the daemon's environment (msg_cache) */
};

/** The engine opened by init, or NULL before init / after deinit. `id` must be a valid
 *  module index (operate checks it once). */
static tg_engine* engine_of(struct module_env* env, int id) {
  struct dynlibmod_env* de = env != NULL ? (struct dynlibmod_env*)env->modinfo[id] : NULL;
  struct tg_module* m = de != NULL ? (struct tg_module*)de->dyn_env : NULL;
  return m != NULL ? m->engine : NULL;
}

/** Per-query state in qstate->minfo[id], allocated in qstate->region at the query. */
struct tg_query_state {
  uint64_t generation;   /**< policy generation that classified the qname */
  int lookalike;         /**< the qname was a look-alike under that generation */
  tg_verdict* monitored; /**< monitor mode would have blocked: the verdict, for the event
                              recorded at moddone (in the region); NULL otherwise */
};

/** Passes the engine's operational messages (watcher, event log) to Unbound's log. */
static void log_from_engine(void* arg, tg_log_level level, const char* message) {
  (void)arg;
  if (level == TG_LOG_ERROR)
    log_err("typoguard: %s", message);
  else if (level == TG_LOG_WARNING)
    log_warn("typoguard: %s", message);
  else
    verbose(VERB_OPS, "typoguard: %s", message);
}

/** After the watcher swapped a changed policy in: purge names that became look-alikes. Runs
 *  on the watcher's thread; the cache is thread-safe (cache.h). */
static void purge_after_swap(void* arg, tg_engine* engine) {
  struct tg_module* m = (struct tg_module*)arg;
  long removed = tg_cache_purge_lookalikes(m->env, engine);
  if (removed < 0)
    log_err(
        "typoguard: out of memory purging look-alikes after the policy change; run "
        "unbound-control reload");
  else
    verbose(VERB_OPS, "typoguard: purged %ld look-alike entries from the message cache", removed);
}

/** Opens the engine on the chosen policy; at a reload (the .so stays loaded, -z nodelete) a
 *  policy that no longer loads, or whose file is gone, is replaced by the last good one from
 *  the same path, with an error logged. Returns NULL (one error logged: describe_failure)
 *  when neither is available. */
static tg_engine* open_engine(const struct tg_policy_choice* choice, const char* chroot_dir) {
  char error[1024], why[2 * PATH_MAX + 1536];
  tg_engine* engine = NULL;
  error[0] = '\0';
  tg_status st = tg_engine_open(choice->path, &engine, error, sizeof(error));
  if (st == TG_OK && engine != NULL) return engine;
  describe_failure(choice, chroot_dir, st, error, why, sizeof(why));
  if (tg_engine_open_last_good(choice->path, &engine) == TG_OK && engine != NULL) {
    log_err("typoguard: %s; keeping the last good policy from that file in force", why);
    return engine;
  }
  log_err("typoguard: %s", why);
  return NULL;
}

/** Module init: refuses (returns 0, with log_err saying why) when the daemon is not the
 *  Unbound build the module was compiled against, when not the first module, when
 *  the dynlib slot is missing, or when the policy is missing or does not load (and no good
 *  policy from the same file was in force before a reload); else returns 1. Purges cached
 *  look-alikes (for reload_keep_cache) and starts the event log and the policy watcher. Runs
 *  after Unbound's chroot and privilege drop: the policy path is resolved inside the chroot. */
int init(struct module_env* env, int id) {
  struct tg_policy_choice choice;
  char error[1024], description[512];
  /* First of all: env's layout is only known for the daemon this module was built for. */
  if (!tg_daemon_matches(error, sizeof(error))) {
    log_err("typoguard: %s", error);
    return 0;
  }
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
  if (!choose_policy(&choice)) {
    log_err("typoguard: the policy path in " TG_POLICY_ENV " is too long (at most %d bytes)",
            PATH_MAX - 1);
    return 0;
  }
  struct tg_module* m = calloc(1, sizeof(*m));
  if (m == NULL) {
    log_err("typoguard: out of memory");
    return 0;
  }
  m->env = env;
  m->engine = open_engine(&choice, env->cfg != NULL ? env->cfg->chrootdir : NULL);
  if (m->engine == NULL) {
    free(m);
    return 0;
  }
  env->unique_mesh = 1; /* every client query gets its own mesh state, as subnetmod asks: no
                          client joins a state whose answer was decided for another */
  de->dyn_env = m;
  long removed = tg_cache_purge_lookalikes(env, m->engine);
  if (removed < 0) {
    log_err("typoguard: out of memory purging cached look-alikes at start");
    deinit(env, id);
    return 0;
  }

  tg_runtime rt;
  memset(&rt, 0, sizeof(rt));
  rt.log = &log_from_engine;
  rt.on_swap = &purge_after_swap;
  rt.swap_arg = m;
  rt.watch_interval_ms = TG_WATCH_INTERVAL_MS;
  rt.event_log_path = getenv("TYPOGUARD_EVENT_LOG");
  error[0] = '\0';
  if (tg_engine_start(m->engine, &rt, error, sizeof(error)) != TG_OK)
    log_err("typoguard: %s; blocking continues without events and without the policy watcher",
            error[0] ? error : "cannot start the engine's threads");

  if (tg_engine_describe(m->engine, description, sizeof(description)) != TG_OK)
    snprintf(description, sizeof(description), "(no description)");
  verbose(VERB_OPS,
          "typoguard: module loaded, built for Unbound %s; policy %s; cached look-alikes purged: "
          "%ld",
          PACKAGE_VERSION, description, removed);
  return 1;
}

/** Module deinit: stops the watcher and the event writer (joining their threads, flushing
 *  queued events) and frees the engine; never fails. */
void deinit(struct module_env* env, int id) {
  struct dynlibmod_env* de = dynlib_env(env, id);
  if (de == NULL || de->dyn_env == NULL) return;
  struct tg_module* m = (struct tg_module*)de->dyn_env;
  tg_stats stats;
  (void)tg_engine_flush(m->engine); /* the last batch, so that the figures below are final */
  if (tg_engine_stats(m->engine, &stats) == TG_OK && stats.events_dropped > 0)
    log_warn("typoguard: %llu of %llu events were dropped (queue overrun or log not writable)",
             (unsigned long long)stats.events_dropped,
             (unsigned long long)(stats.events_queued + stats.events_dropped));
  tg_engine_close(m->engine);
  free(m);
  de->dyn_env = NULL;
}

/** Logs a decision at verbosity 2 (the event log is the per-query record): name, type, deciding
 * client, technique, protected domain, evidence, policy revision. Never fails (a long name is
 * truncated by dname_str). */
static void log_block(struct module_qstate* qstate, const tg_query* q, const tg_verdict* v,
                      const char* answer) {
  char name[LDNS_MAX_DOMAINLEN + 1], type[16], client[INET6_ADDRSTRLEN] = "none";
  if (verbosity < VERB_DETAIL) return; /* nothing to format */
  dname_str(qstate->qinfo.qname, name);
  sldns_wire2str_type_buf(qstate->qinfo.qtype, type, sizeof(type));
  if (v->client_index >= 0 && (size_t)v->client_index < q->client_count) {
    const tg_client* c = &q->clients[v->client_index];
    if (inet_ntop(c->ipv6 ? AF_INET6 : AF_INET, c->address, client, sizeof(client)) == NULL)
      snprintf(client, sizeof(client), "?");
  }
  verbose(VERB_DETAIL, "typoguard: %s %s %s from %s: %s of %s: %s [policy %s]", answer, name, type,
          client, v->technique_name, v->protected_domain, v->evidence, v->policy_revision);
}

/** The rcode the client will see for the state's current answer. */
static uint8_t answer_rcode(const struct module_qstate* qstate) {
  if (qstate->return_msg != NULL && qstate->return_msg->rep != NULL)
    return (uint8_t)FLAGS_GET_RCODE(qstate->return_msg->rep->flags);
  return (uint8_t)qstate->return_rcode;
}

/** Records one event for the verdict's deciding client; failures are counted by the engine
 *  as drops, never reported per query. */
static void record_event(tg_engine* engine, struct module_qstate* qstate, const tg_query* q,
                         const tg_verdict* v, tg_answer answer, tg_stage stage,
                         const uint8_t* target, size_t target_len) {
  tg_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.qname = qstate->qinfo.qname;
  ev.qname_len = qstate->qinfo.qname_len;
  ev.qtype = qstate->qinfo.qtype;
  ev.qclass = qstate->qinfo.qclass;
  if (v->client_index >= 0 && (size_t)v->client_index < q->client_count) {
    ev.client = &q->clients[v->client_index];
    ev.query_id = q->query_ids != NULL ? q->query_ids[v->client_index] : 0;
  }
  ev.rcode = answer_rcode(qstate);
  ev.answer = answer;
  ev.stage = stage;
  ev.target = target;
  ev.target_len = target_len;
  ev.verdict = v;
  (void)tg_engine_record(engine, &ev);
}

/**
 * Replaces the state's answer with the block answer of `v` (NXDOMAIN + SOA, or the sinkhole
 * answer) plus the EDE, logs it and records the event. When the answer cannot be built a bare
 * NXDOMAIN rcode is used (needs no allocation). Never fails.
 */
static void block(tg_engine* engine, struct module_qstate* qstate, const tg_query* q,
                  const tg_verdict* v, tg_stage stage, const uint8_t* target, size_t target_len) {
  int sinkhole = v->action == TG_ACTION_SINKHOLE;
  tg_answer answer = TG_ANSWER_NXDOMAIN;
  qstate->return_msg = NULL;
  if (sinkhole ? tg_reply_sinkhole(qstate, v) : tg_reply_nxdomain_soa(qstate, v)) {
    qstate->return_rcode = LDNS_RCODE_NOERROR;
    if (sinkhole)
      answer = qstate->return_msg->rep->an_numrrsets > 0 ? TG_ANSWER_SINKHOLE : TG_ANSWER_NODATA;
    log_block(qstate, q, v, sinkhole ? "sinkhole" : "NXDOMAIN+SOA");
  } else {
    qstate->return_msg = NULL;
    qstate->return_rcode = LDNS_RCODE_NXDOMAIN;
    log_block(qstate, q, v, "NXDOMAIN (synthesis failed)");
  }
  if (!tg_reply_ede(qstate, v))
    log_err("typoguard: out of memory attaching the Extended DNS Error; sent without it");
  record_event(engine, qstate, q, v, answer, stage, target, target_len);
}

/** Reads the clients; on allocation failure classifies without them (logged). */
static void read_clients(struct module_qstate* qstate, tg_query* q) {
  if (!tg_query_from_qstate(qstate, q)) {
    log_err("typoguard: out of memory reading the clients; classifying without them");
    q->clients = NULL;
    q->query_ids = NULL;
    q->client_count = 0;
  }
}

/** The clients of a state, read on first use. */
struct lazy_clients {
  tg_query q;
  int read;
};

/** The clients of `c`, read now if they were not yet. */
static const tg_query* clients_of(struct module_qstate* qstate, struct lazy_clients* c) {
  if (!c->read) {
    read_clients(qstate, &c->q);
    c->read = 1;
  }
  return &c->q;
}

/**
 * Whether `name` (wire format) is a look-alike for the state's clients, with its verdict in
 * `v`: the engine's screen first (most names stop there, with no client read and no verdict
 * built), then the clients and the full evaluation. Returns 0 for no look-alike and when the
 * evaluation fails (logged, `what` says where); never fails otherwise.
 */
static int lookalike(tg_engine* engine, struct module_qstate* qstate, const uint8_t* name,
                     size_t name_len, struct lazy_clients* c, tg_verdict* v, const char* what) {
  if (!tg_may_be_lookalike(engine, name, name_len)) return 0;
  const tg_query* q = clients_of(qstate, c);
  tg_status st =
      tg_evaluate(engine, name, name_len, qstate->qinfo.qtype, q->clients, q->client_count, v);
  if (st != TG_OK) {
    log_err("typoguard: evaluate failed at the %s: %s; treated as no look-alike", what,
            tg_strerror(st));
    return 0;
  }
  return v->lookalike;
}

/**
 * Handles module_event_new/pass: classifies the question for its clients; a look-alike is
 * kept out of the cache whoever asks; for an in-scope client it is answered here (block
 * answer, module_finished), otherwise handed on (module_wait_module). When the engine is
 * unavailable or evaluation fails the query is handed on and the failure logged.
 */
static void handle_query(struct module_qstate* qstate, int id) {
  tg_engine* engine = engine_of(qstate->env, id);
  struct lazy_clients c;
  tg_verdict v;
  c.read = 0;
  qstate->ext_state[id] = module_wait_module;
  if (engine == NULL) {
    log_err("typoguard: no engine (init did not run); query passed on");
    return;
  }
  uint64_t generation = tg_engine_generation(engine);
  struct tg_query_state* qs = regional_alloc(qstate->region, sizeof(*qs));
  if (qs != NULL) { /* lets moddone skip re-classifying a name already found clean */
    qs->generation = generation;
    qs->lookalike = 0;
    qs->monitored = NULL;
    qstate->minfo[id] = qs;
  }
  if (!lookalike(engine, qstate, qstate->qinfo.qname, qstate->qinfo.qname_len, &c, &v, "query"))
    return;
  if (qs != NULL) qs->lookalike = 1;
  /* Keep look-alikes out of the message cache whoever asks: it answers before any module. */
  qstate->no_cache_store = 1;
  qstate->no_cache_lookup = 1;
  if (v.blocks) {
    block(engine, qstate, &c.q, &v, TG_STAGE_QUERY, NULL, 0);
    qstate->ext_state[id] = module_finished;
    return;
  }
  if (v.action == TG_ACTION_LOG_ONLY) {
    log_block(qstate, &c.q, &v, "would block (monitor)");
    tg_verdict* kept = qs != NULL ? regional_alloc(qstate->region, sizeof(*kept)) : NULL;
    if (kept != NULL) {
      *kept = v;
      qs->monitored = kept;
    } else {
      record_event(engine, qstate, &c.q, &v, TG_ANSWER_RESOLVED, TG_STAGE_QUERY, NULL, 0);
    }
  }
}

/** 1 when the wire names a and b are the same name (case-insensitive); the common case of
 *  identical bytes is compared first. */
static int same_name(const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
  if (a_len != b_len) return 0;
  return memcmp(a, b, a_len) == 0 || query_dname_compare((uint8_t*)a, (uint8_t*)b) == 0;
}

/**
 * Handles module_event_moddone: removes from the message cache the qname when it is a
 * look-alike and every look-alike owner name of the answer (CNAME targets, stored by the
 * iterator under this state's flags; dns64), plus the qname whose answer led into a
 * look-alike. Then re-checks the clients, failing closed: an in-scope client whose qname or
 * CNAME target is a look-alike gets the block answer. Records the monitor event with the rcode
 * the client gets. Always ends with module_finished.
 */
static void handle_answer(struct module_qstate* qstate, int id) {
  tg_engine* engine = engine_of(qstate->env, id);
  struct tg_query_state* qs = (struct tg_query_state*)qstate->minfo[id];
  struct lazy_clients c;
  tg_verdict v;
  c.read = 0;
  qstate->ext_state[id] = module_finished;
  if (engine == NULL) return;
  uint16_t qtype = qstate->qinfo.qtype, qclass = qstate->qinfo.qclass;
  /* A name found clean at the query under the policy still in force stays clean (with
   * unique_mesh no client can have joined); anything else is classified again. */
  int known_clean = qs != NULL && !qs->lookalike && qs->generation == tg_engine_generation(engine);
  if (!known_clean &&
      lookalike(engine, qstate, qstate->qinfo.qname, qstate->qinfo.qname_len, &c, &v, "answer")) {
    tg_cache_remove(qstate->env, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, qclass);
    if (v.blocks) {
      log_warn(
          "typoguard: an in-scope client reached a look-alike's answer (joined query?); "
          "blocked at the answer");
      block(engine, qstate, &c.q, &v, TG_STAGE_ANSWER, NULL, 0);
      return;
    }
  }
  /* Owner names of the answer other than the qname: a CNAME chain into a look-alike. */
  struct reply_info* rep = qstate->return_msg != NULL ? qstate->return_msg->rep : NULL;
  int led_into_lookalike = 0;
  for (size_t i = 0; rep != NULL && i < rep->an_numrrsets; i++) {
    struct ub_packed_rrset_key* k = rep->rrsets[i];
    if (same_name(k->rk.dname, k->rk.dname_len, qstate->qinfo.qname, qstate->qinfo.qname_len))
      continue;
    tg_verdict tv;
    if (!lookalike(engine, qstate, k->rk.dname, k->rk.dname_len, &c, &tv, "answer")) continue;
    tg_cache_remove(qstate->env, k->rk.dname, k->rk.dname_len, qtype, qclass);
    led_into_lookalike = 1;
    if (tv.blocks) {
      tg_cache_remove(qstate->env, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, qclass);
      block(engine, qstate, &c.q, &tv, TG_STAGE_ANSWER, k->rk.dname, k->rk.dname_len);
      return;
    }
  }
  if (led_into_lookalike)
    tg_cache_remove(qstate->env, qstate->qinfo.qname, qstate->qinfo.qname_len, qtype, qclass);
  if (qs != NULL && qs->monitored != NULL)
    record_event(engine, qstate, clients_of(qstate, &c), qs->monitored, TG_ANSWER_RESOLVED,
                 TG_STAGE_QUERY, NULL, 0);
}

/**
 * Handles module_event_error (the modules below failed): a look-alike never ends with SERVFAIL
 * (the serve-expired fallback, and EDE is stripped from SERVFAIL): an in-scope client gets the
 * block answer, other clients NXDOMAIN with the SOA (a monitored query records its event here).
 * Internal look-ups (no client) and other names keep the error.
 */
static void handle_error(struct module_qstate* qstate, int id) {
  tg_engine* engine = engine_of(qstate->env, id);
  struct lazy_clients c;
  tg_verdict v;
  c.read = 0;
  qstate->ext_state[id] = module_error;
  if (engine == NULL) return;
  if (clients_of(qstate, &c)->client_count == 0 ||
      !lookalike(engine, qstate, qstate->qinfo.qname, qstate->qinfo.qname_len, &c, &v, "error"))
    return;
  qstate->ext_state[id] = module_finished;
  if (v.blocks) {
    block(engine, qstate, &c.q, &v, TG_STAGE_ERROR, NULL, 0);
    return;
  }
  qstate->return_msg = NULL;
  if (tg_reply_nxdomain_soa(qstate, &v)) {
    qstate->return_rcode = LDNS_RCODE_NOERROR;
  } else {
    qstate->return_msg = NULL;
    qstate->return_rcode = LDNS_RCODE_NXDOMAIN;
  }
  struct tg_query_state* qs = (struct tg_query_state*)qstate->minfo[id];
  if (qs != NULL && qs->monitored != NULL)
    record_event(engine, qstate, &c.q, qs->monitored, TG_ANSWER_NXDOMAIN, TG_STAGE_ERROR, NULL, 0);
}

/** Module operate: dispatches the event; every path sets ext_state[id] (an id outside
 *  Unbound's module array has no slot and is ignored); never fails. */
void operate(struct module_qstate* qstate, enum module_ev event, int id,
             struct outbound_entry* outbound) {
  (void)outbound;
  if (qstate == NULL || id < 0 || id >= MAX_MODULE) return; /* no slot to report in */
  switch (event) {
    case module_event_new:
    case module_event_pass:
      handle_query(qstate, id);
      return;
    case module_event_moddone:
      handle_answer(qstate, id);
      return;
    case module_event_error:
      handle_error(qstate, id);
      return;
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

/** Module clear: the per-query state lives in qstate->region (freed with it); resets the
 *  slot. Never fails. */
void clear(struct module_qstate* qstate, int id) {
  if (qstate == NULL || id < 0 || id >= MAX_MODULE) return;
  qstate->minfo[id] = NULL;
}

/** Module get_mem: the bytes of the compiled policy in force and of the module's state, shown
 *  as mem.mod.dynlibmod by `unbound-control stats` (tg_stats.policy_bytes says what is left
 *  out). 0 before init or after deinit. Never fails. */
size_t get_mem(struct module_env* env, int id) {
  tg_stats stats;
  if (env == NULL || id < 0 || id >= MAX_MODULE) return 0;
  tg_engine* engine = engine_of(env, id);
  if (engine == NULL || tg_engine_stats(engine, &stats) != TG_OK) return 0;
  return (size_t)stats.policy_bytes + sizeof(struct tg_module);
}
