// SPDX-License-Identifier: BSD-3-Clause
/*
 * A dynlib module that does nothing: it passes every new query on and finishes at moddone.
 * Loaded in place of typoguard.so by tests/bench/callgrind_bench.py to measure what the
 * dynlib wrapper and one more module in the chain cost Unbound, before any typoguard work.
 * Benchmark only; never installed.
 */
#include "config.h"
#include "dynlibmod/dynlibmod.h"
#include "util/module.h"

#define NOOP_EXPORT __attribute__((visibility("default")))

NOOP_EXPORT int init(struct module_env* env, int id);
NOOP_EXPORT void deinit(struct module_env* env, int id);
NOOP_EXPORT void operate(struct module_qstate* qstate, enum module_ev event, int id,
                         struct outbound_entry* outbound);
NOOP_EXPORT void inform_super(struct module_qstate* qstate, int id, struct module_qstate* super);
NOOP_EXPORT void clear(struct module_qstate* qstate, int id);
NOOP_EXPORT size_t get_mem(struct module_env* env, int id);

/** Sets up nothing; always succeeds. */
int init(struct module_env* env, int id) {
  (void)env;
  (void)id;
  return 1;
}

/** Frees nothing. */
void deinit(struct module_env* env, int id) {
  (void)env;
  (void)id;
}

/** new/pass: hand on to the next module; anything else (moddone, error): finished. */
void operate(struct module_qstate* qstate, enum module_ev event, int id,
             struct outbound_entry* outbound) {
  (void)outbound;
  if (event == module_event_new || event == module_event_pass)
    qstate->ext_state[id] = module_wait_module;
  else if (event == module_event_error)
    qstate->ext_state[id] = module_error;
  else
    qstate->ext_state[id] = module_finished;
}

/** Starts no subqueries: nothing to do. */
void inform_super(struct module_qstate* qstate, int id, struct module_qstate* super) {
  (void)qstate;
  (void)id;
  (void)super;
}

/** Keeps no per-query state. */
void clear(struct module_qstate* qstate, int id) {
  qstate->minfo[id] = NULL;
}

/** Holds no memory. */
size_t get_mem(struct module_env* env, int id) {
  (void)env;
  (void)id;
  return 0;
}
