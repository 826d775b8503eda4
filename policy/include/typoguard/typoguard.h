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
  TG_ERR_ARGUMENT = 1, /**< a required pointer is NULL or a length is out of range */
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
 *  it holds no pointer into the engine, so it stays valid after a reload or close. */
typedef struct tg_verdict {
  tg_action action;        /**< for the most restrictive in-scope client */
  int lookalike;           /**< 1: the name is a look-alike whoever asks (keep it out of caches) */
  int in_scope;            /**< 1: at least one client is in scope */
  int watched;             /**< 1: the query type is watched */
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
  char soa_mname[256]; /**< SOA of synthesised negative answers */
  char soa_rname[256];
  int monitor;               /**< 1 when the policy is in monitor mode */
  char policy_revision[128]; /**< revision of the snapshot that decided */
} tg_verdict;

/**
 * Opens an engine on the policy file at `policy_path` (JSON or XML), or on the embedded
 * default policy when `policy_path` is NULL or "". On failure *engine stays NULL and, when
 * `error` is not NULL, error[0 .. error_len) receives "file:line: data path: message".
 * The caller owns the engine and frees it with tg_engine_close().
 */
tg_status tg_engine_open(const char* policy_path, tg_engine** engine, char* error,
                         size_t error_len) TG_NOEXCEPT;

/** Frees an engine (NULL is fine). No call on it may be running or follow. */
void tg_engine_close(tg_engine* engine) TG_NOEXCEPT;

/**
 * Loads the engine's policy file again and swaps the new snapshot in. On failure the current
 * policy stays in force and `error` says why. Loads off the calling thread's query path only
 * in the sense that queries keep being answered meanwhile: call it from a control thread.
 */
tg_status tg_engine_reload(tg_engine* engine, char* error, size_t error_len) TG_NOEXCEPT;

/** One line describing the policy in force (source, revision, counts) for operational logs. */
tg_status tg_engine_describe(const tg_engine* engine, char* out, size_t out_len) TG_NOEXCEPT;

/**
 * Classifies `qname` (DNS wire format, `qname_len` bytes) for a query of type `qtype` asked by
 * `clients[0 .. client_count)` (none for the resolver's own look-ups) and decides the action.
 * Malformed names are classified as far as they can be read; never fails on input bytes.
 */
tg_status tg_evaluate(const tg_engine* engine, const uint8_t* qname, size_t qname_len,
                      uint16_t qtype, const tg_client* clients, size_t client_count,
                      tg_verdict* verdict) TG_NOEXCEPT;

/** 1 when `qname` (wire format) is a look-alike for any client, else 0 (also on any error). */
int tg_is_lookalike(const tg_engine* engine, const uint8_t* qname, size_t qname_len) TG_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* TYPOGUARD_TYPOGUARD_H */
