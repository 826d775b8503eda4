/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine's C interface: the only way module/ (C, Unbound's headers) talks to policy/
 * (C++20). Opaque handle, status codes, plain value structs. No function lets an exception
 * out or aborts; every one is safe to call from any resolver thread except where noted.
 *
 * Threading: tg_evaluate() and tg_is_lookalike() may run concurrently on one engine, also
 * while tg_engine_reload() swaps in a new policy (readers keep the snapshot they started with).
 * tg_engine_open()/tg_engine_close() are not concurrent with anything on the same engine.
 */
#ifndef TYPOGUARD_TYPOGUARD_H
#define TYPOGUARD_TYPOGUARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define TG_NOEXCEPT noexcept
extern "C" {
#else
#define TG_NOEXCEPT
#endif

/** Result of a call. */
typedef enum tg_status {
  TG_OK = 0,
  TG_ERR_ARGUMENT = 1, /**< a required pointer is NULL, a length is out of range, or no policy
                            was named (tg_engine_open with NULL or "") */
  TG_ERR_POLICY = 2,   /**< the policy could not be loaded; the error text says where and why */
  TG_ERR_MEMORY = 3,   /**< out of memory */
  TG_ERR_INTERNAL = 4 /**< an unexpected failure inside the engine (a bug); logged text says what */
} tg_status;

/** Static description of a status ("policy error", ...); never NULL. */
const char* tg_strerror(tg_status status) TG_NOEXCEPT;

/** What to do with a query. Values appear in events: append-only. */
typedef enum tg_action {
  TG_ACTION_PASS = 0,     /**< resolve normally */
  TG_ACTION_LOG_ONLY = 1, /**< resolve normally, log (monitor mode) */
  TG_ACTION_NXDOMAIN = 2, /**< answer NXDOMAIN with an SOA */
  TG_ACTION_SINKHOLE = 3  /**< answer with the sinkhole / quarantine records */
} tg_action;

/** MX answer of the sinkhole action. */
typedef enum tg_mx_kind { TG_MX_NONE = 0, TG_MX_HOST = 1, TG_MX_NULL = 2 } tg_mx_kind;

/** One client of a query. */
typedef struct tg_client {
  int ipv6;            /**< 1 for IPv6, 0 for IPv4 */
  uint8_t address[16]; /**< network byte order; IPv4 in the first 4 bytes */
  uint16_t port;       /**< host byte order; 0 if unknown */
} tg_client;

/** The engine (opaque). Owns its policy snapshots. */
typedef struct tg_engine tg_engine;

/** The outcome of tg_evaluate(). Strings are NUL-terminated and truncated to their arrays;
 *  it holds no pointer into the engine, so it stays valid after a reload or close. For a name
 *  that is no look-alike only lookalike (0), action (PASS) and client_index (-1) say anything:
 *  every other number is 0 and every string empty. */
typedef struct tg_verdict {
  tg_action action;        /**< for the most restrictive in-scope client */
  int lookalike;           /**< 1: the name is a look-alike whoever asks (keep it out of caches) */
  int in_scope;            /**< 1: at least one client is in scope */
  int watched;             /**< 1: the query type is watched */
  int blocks;              /**< 1: action answers in the resolver's place (NXDOMAIN or sinkhole):
                                the module answers with the block answer now */
  int client_index;        /**< which client decided the action (-1 if none) */
  uint8_t technique;       /**< the technique's number (docs/detection.md); 0 = none */
  uint8_t secondary;       /**< label technique of a label+suffix combination; 0 = none */
  char technique_name[24]; /**< "suffix-typo" ... or "" */
  char protected_domain[256]; /**< imitated protected domain, or the blocked suffix */
  char matched[256];          /**< the part of the name that imitates it */
  char evidence[384];         /**< human-readable evidence */
  char ede_text[256];         /**< Extended DNS Error text; "" when the policy disables EDE */
  uint32_t ttl;               /**< TTL of synthesised records and of the SOA */
  int has_ipv4;               /**< sinkhole_ipv4 is set */
  uint8_t sinkhole_ipv4[4];
  int has_ipv6; /**< sinkhole_ipv6 is set */
  uint8_t sinkhole_ipv6[16];
  tg_mx_kind mx_kind; /**< MX answer of the sinkhole */
  uint16_t mx_preference;
  char mx_host[256];   /**< quarantine exchange when mx_kind == TG_MX_HOST */
  uint8_t soa_owner_labels; /**< the SOA's owner: this many rightmost labels of the name (its
                                 listed public suffix, a zone that exists); 0: the root (also
                                 whenever `blocks` is 0) */
  char soa_mname[256];       /**< SOA of synthesised negative answers */
  char soa_rname[256];
  int monitor;               /**< 1 when the policy is in monitor mode */
  char policy_revision[128]; /**< revision of the snapshot that decided */
} tg_verdict;

/** The prefix of the engine's built-in policy names: a policy path that starts with it never
 *  names a file. */
#define TG_BUILTIN_POLICY_PREFIX "builtin:"

/** The name that selects the embedded demo policy (policy/examples/default.json: the main .mil
 *  domains, for the mail servers 127.0.0.2 and 127.0.0.3 only) instead of a policy file. */
#define TG_BUILTIN_DEMO_POLICY TG_BUILTIN_POLICY_PREFIX "demo"

/**
 * Opens an engine on the policy file at `policy_path` (JSON or XML), or on the embedded demo
 * policy when `policy_path` is TG_BUILTIN_DEMO_POLICY. There is no implicit policy: NULL or ""
 * fails with TG_ERR_ARGUMENT, and any other TG_BUILTIN_POLICY_PREFIX name with TG_ERR_POLICY.
 * On failure *engine stays NULL and, when `error` is not NULL, error[0 .. error_len) receives
 * why ("file:line: data path: message" for a policy that does not load).
 * The caller owns the engine and frees it with tg_engine_close().
 */
tg_status tg_engine_open(const char* policy_path, tg_engine** engine, char* error,
                         size_t error_len) TG_NOEXCEPT;

/** Stops the engine's background threads (flushing queued events, joining every thread) and
 *  frees it (NULL is fine). No call on it may be running or follow. */
void tg_engine_close(tg_engine* engine) TG_NOEXCEPT;

/**
 * Loads the engine's policy file (or its built-in policy) again and swaps the new snapshot in.
 * On failure the current
 * policy stays in force and `error` says why. Loads off the calling thread's query path only
 * in the sense that queries keep being answered meanwhile: call it from a control thread.
 */
tg_status tg_engine_reload(tg_engine* engine, char* error, size_t error_len) TG_NOEXCEPT;

/** One line describing the policy in force (source, revision, counts) and where the public
 *  suffix data came from (the list file, or libpsl's built-in copy), for operational logs. */
tg_status tg_engine_describe(const tg_engine* engine, char* out, size_t out_len) TG_NOEXCEPT;

/**
 * Classifies `qname` (DNS wire format, `qname_len` bytes) for a query of type `qtype` asked by
 * `clients[0 .. client_count)` (none for the resolver's own look-ups) and decides the action.
 * Malformed names are classified as far as they can be read; never fails on input bytes.
 */
tg_status tg_evaluate(const tg_engine* engine, const uint8_t* qname, size_t qname_len,
                      uint16_t qtype, const tg_client* clients, size_t client_count,
                      tg_verdict* verdict) TG_NOEXCEPT;

/**
 * The screen: 0 proves that `qname` (wire format) is no look-alike under the policy in force
 * (tg_evaluate() would set lookalike to 0); 1 means only tg_evaluate() can tell. An ordinary
 * host name costs a few hundred instructions and no allocation, so the module calls it first
 * and reads clients and builds a verdict only for the few names it lets through. Names the
 * screen cannot read (IDN, odd bytes, malformed) always give 1, and so do NULL arguments.
 */
int tg_may_be_lookalike(const tg_engine* engine, const uint8_t* qname,
                        size_t qname_len) TG_NOEXCEPT;

/** 1 when `qname` (wire format) is a look-alike for any client, else 0 (also on any error). */
int tg_is_lookalike(const tg_engine* engine, const uint8_t* qname, size_t qname_len) TG_NOEXCEPT;

/* ---- Running inside a resolver: background threads, events, statistics ---------------- */

/** Severity of an operational message from the engine's background threads. */
typedef enum tg_log_level { TG_LOG_ERROR = 0, TG_LOG_WARNING = 1, TG_LOG_INFO = 2 } tg_log_level;

/** Receives operational messages (policy reloads, event-log trouble, drops). Called from the
 *  engine's own threads, never while an engine lock is held; must be thread-safe. */
typedef void (*tg_log_fn)(void* arg, tg_log_level level, const char* message);

/** Called on the policy watcher's thread after a changed policy file was loaded and swapped
 *  in (the new snapshot is already in force). The module purges the resolver's cache there. */
typedef void (*tg_swap_fn)(void* arg, tg_engine* engine);

/** What tg_engine_start() runs. Zero-initialise, then set what you need. */
typedef struct tg_runtime {
  tg_log_fn log; /**< operational messages; NULL: none are reported */
  void* log_arg;
  tg_swap_fn on_swap; /**< after a watched reload; NULL: nothing is called */
  void* swap_arg;
  unsigned watch_interval_ms; /**< poll the policy file this often; 0: do not watch */
  const char* event_log_path; /**< overrides the policy's event-log path when not NULL/"" */
  size_t event_queue_size;    /**< events waiting to be written; 0: 8192 */
} tg_runtime;

/**
 * Starts the engine's background work: the event-log writer (for the policy's event-log path
 * or runtime->event_log_path) and, when watch_interval_ms > 0 and the engine has a policy
 * file (a built-in policy is not watched), the policy watcher, which reloads the file when it
 * changes (last good policy kept on failure, reported through runtime->log). An event log
 * that cannot be opened is not fatal: it is reported and retried, events meanwhile count as
 * dropped. Call once, before any
 * tg_engine_record(); tg_engine_close() stops and joins everything.
 * Fails with TG_ERR_ARGUMENT (NULL, or already started), TG_ERR_MEMORY or TG_ERR_INTERNAL
 * (a thread could not be started); the engine then still evaluates, without events.
 */
tg_status tg_engine_start(tg_engine* engine, const tg_runtime* runtime, char* error,
                          size_t error_len) TG_NOEXCEPT;

/**
 * Opens an engine on the last policy that loaded successfully in this process from
 * `policy_path` (a file, or TG_BUILTIN_DEMO_POLICY), for a resolver whose policy file turned
 * bad between two reloads. The engine keeps `policy_path` as its file (the watcher picks up
 * a repaired file). Fails with TG_ERR_ARGUMENT for NULL or "", and with TG_ERR_POLICY when no
 * policy from that path ever loaded here.
 */
tg_status tg_engine_open_last_good(const char* policy_path, tg_engine** engine) TG_NOEXCEPT;

/** The answer the resolver gave to a recorded query. Values appear in events: append-only. */
typedef enum tg_answer {
  TG_ANSWER_RESOLVED = 0, /**< resolved normally (monitor mode) */
  TG_ANSWER_NXDOMAIN = 1, /**< NXDOMAIN (with the SOA, or bare when synthesis failed) */
  TG_ANSWER_SINKHOLE = 2, /**< sinkhole A/AAAA, quarantine MX or Null MX */
  TG_ANSWER_NODATA = 3    /**< NOERROR without records (sinkhole action, nothing to give) */
} tg_answer;

/** Where in the query's life the decision fell. Values appear in events: append-only. */
typedef enum tg_stage {
  TG_STAGE_QUERY = 0,  /**< when the query arrived (the normal case) */
  TG_STAGE_ANSWER = 1, /**< when the answer came back: a CNAME led into a look-alike, or a
                            client joined the query (fail-closed re-check) */
  TG_STAGE_ERROR = 2   /**< resolution failed; blocked instead of SERVFAIL */
} tg_stage;

/** One event: a query whose name matched, what was decided and answered. */
typedef struct tg_event {
  const uint8_t* qname; /**< wire format, the client's spelling */
  size_t qname_len;
  uint16_t qtype;
  uint16_t qclass;
  uint16_t query_id;       /**< DNS message ID of the client's query; 0 if unknown */
  const tg_client* client; /**< the client the event is about; NULL: none known */
  uint8_t rcode;           /**< DNS RCODE of the answer sent (0 NOERROR, 3 NXDOMAIN) */
  tg_answer answer;
  tg_stage stage;
  const uint8_t* target; /**< the look-alike the answer's CNAME chain led to (wire format), or
                              NULL when the question's own name matched */
  size_t target_len;
  const tg_verdict* verdict; /**< the match and decision; required */
} tg_event;

/**
 * Formats one JSON line for `event` (docs/event-log.md) and queues it for the writer thread;
 * never blocks and never does I/O on the calling thread. A full queue drops the oldest
 * waiting line (counted). Does nothing (TG_OK) when no event log is configured or the engine
 * was not started. Fails with TG_ERR_ARGUMENT for NULL pointers, TG_ERR_MEMORY/INTERNAL when
 * the line cannot be built (the event is then counted as dropped).
 */
tg_status tg_engine_record(tg_engine* engine, const tg_event* event) TG_NOEXCEPT;

/** Counters since the engine was opened. */
typedef struct tg_stats {
  uint64_t events_queued;     /**< lines handed to the writer */
  uint64_t events_written;    /**< lines written to the file */
  uint64_t events_dropped;    /**< lost: queue overrun, formatting failure, or no file open */
  uint64_t event_log_reopens; /**< the file was reopened (rotation, or after an error) */
  uint64_t reloads;           /**< policy swaps by the watcher */
  uint64_t reload_failures;   /**< changed policy files that did not load */
  uint64_t policy_generation; /**< 1 for the policy opened, +1 per swap */
  uint64_t policy_bytes;      /**< bytes held by the compiled policy in force (its indexes and
                                   protected names): what the module's get_mem reports. Not
                                   counted: a superseded policy still held by a query, and the
                                   event queue (up to queue-size lines of about 1 KiB) */
} tg_stats;

/** The policy generation in force (1 at open, +1 per swap); 0 for NULL. One atomic load: cheap
 *  enough for the query path (the module compares it to skip re-checking a clean name). */
uint64_t tg_engine_generation(const tg_engine* engine) TG_NOEXCEPT;

/** Waits until every event queued so far is written or counted as dropped (lines are written
 *  in batches, up to 20 ms late); gives up after 10 s without progress (a hung disk). For
 *  shutdown and tests: it blocks, so never on a query path. Fails only with TG_ERR_ARGUMENT;
 *  does nothing (TG_OK) when the engine was not started. */
tg_status tg_engine_flush(tg_engine* engine) TG_NOEXCEPT;

/** Fills `stats`; safe from any thread. Fails only with TG_ERR_ARGUMENT. */
tg_status tg_engine_stats(const tg_engine* engine, tg_stats* stats) TG_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* TYPOGUARD_TYPOGUARD_H */
