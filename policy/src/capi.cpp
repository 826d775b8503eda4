// SPDX-License-Identifier: BSD-3-Clause
// The C interface (typoguard/typoguard.h) over tg::Engine: argument checks, conversion between
// the C structs and the engine's C++ types, and every exception turned into a tg_status. No
// policy logic lives here.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "capi_event.hpp"
#include "config/loader.hpp"
#include "engine/engine.hpp"
#include "typoguard/typoguard.h"

static_assert(TG_ACTION_PASS == static_cast<int>(tg::Action::Pass));
static_assert(TG_ACTION_LOG_ONLY == static_cast<int>(tg::Action::LogOnly));
static_assert(TG_ACTION_NXDOMAIN == static_cast<int>(tg::Action::NxDomain));
static_assert(TG_ACTION_SINKHOLE == static_cast<int>(tg::Action::Sinkhole));
static_assert(TG_MX_NONE == static_cast<int>(tg::AnswerSettings::MxKind::None));
static_assert(TG_MX_HOST == static_cast<int>(tg::AnswerSettings::MxKind::Host));
static_assert(TG_MX_NULL == static_cast<int>(tg::AnswerSettings::MxKind::NullMx));
static_assert(TG_LOG_ERROR == static_cast<int>(tg::LogLevel::Error));
static_assert(TG_LOG_WARNING == static_cast<int>(tg::LogLevel::Warning));
static_assert(TG_LOG_INFO == static_cast<int>(tg::LogLevel::Info));
static_assert(tg::kDemoPolicyName == TG_BUILTIN_DEMO_POLICY);

/// The opaque C handle: the engine it owns.
struct tg_engine {
  std::unique_ptr<tg::Engine> engine;
};

namespace {

// Copies `text` into a C buffer of `size` bytes, truncating on a UTF-8 boundary and always
// terminating.
void copy_text_n(char* out, std::size_t size, std::string_view text) noexcept {
  if (out == nullptr || size == 0) return;
  std::size_t n = std::min(text.size(), size - 1);
  // Do not cut a multi-byte sequence in half.
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0U) == 0x80U) --n;
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

// The same for a fixed-size member array.
template <std::size_t N>
void copy_text(char (&out)[N], std::string_view text) noexcept {
  copy_text_n(out, N, text);
}

/// Runs `body`, turning what it throws into a status and, when `error` is given, a message
/// ending in `context` ("while loading the policy").
template <class Body>
tg_status guarded(char* error, std::size_t error_len, std::string_view context,
                  Body&& body) noexcept {
  try {
    body();
    return TG_OK;
  } catch (const tg::EngineError& e) {
    copy_text_n(error, error_len, e.what());
    return e.kind() == tg::EngineError::Kind::Policy ? TG_ERR_POLICY : TG_ERR_ARGUMENT;
  } catch (const std::bad_alloc&) {
    copy_text_n(error, error_len, fmt::format("out of memory {}", context));
    return TG_ERR_MEMORY;
  } catch (const std::exception& e) {
    copy_text_n(error, error_len, fmt::format("{} {}", e.what(), context));
    return TG_ERR_INTERNAL;
  } catch (...) {
    copy_text_n(error, error_len, fmt::format("unknown exception {}", context));
    return TG_ERR_INTERNAL;
  }
}

void fill_answer(tg_verdict& v, const tg::Policy& policy) {
  const tg::AnswerSettings& a = policy.answers;
  v.ttl = a.ttl;
  v.has_ipv4 = a.sinkhole_ipv4.has_value() ? 1 : 0;
  if (a.sinkhole_ipv4) std::memcpy(v.sinkhole_ipv4, a.sinkhole_ipv4->data(), 4);
  v.has_ipv6 = a.sinkhole_ipv6.has_value() ? 1 : 0;
  if (a.sinkhole_ipv6) std::memcpy(v.sinkhole_ipv6, a.sinkhole_ipv6->data(), 16);
  v.mx_kind = static_cast<tg_mx_kind>(a.mx);
  v.mx_preference = a.mx_preference;
  copy_text(v.mx_host, a.mx_host);
  copy_text(v.soa_mname, a.soa_mname);
  copy_text(v.soa_rname, a.soa_rname);
  v.monitor = policy.mode == tg::Mode::Monitor ? 1 : 0;
  copy_text(v.policy_revision, policy.revision);
}

// The verdict for a name that is no look-alike: scalars zero (action PASS, no client), every
// string empty. Cheaper than value-initialising the whole struct (2.5 KB of text arrays).
void clean_verdict(tg_verdict& v) noexcept {
  v.action = TG_ACTION_PASS;
  v.lookalike = 0;
  v.in_scope = 0;
  v.watched = 0;
  v.blocks = 0;
  v.client_index = -1;
  v.technique = 0;
  v.secondary = 0;
  for (char* text : {v.technique_name, v.protected_domain, v.matched, v.evidence, v.ede_text,
                     v.mx_host, v.soa_mname, v.soa_rname, v.policy_revision}) {
    text[0] = '\0';
  }
  v.ttl = 0;
  v.has_ipv4 = 0;
  v.has_ipv6 = 0;
  v.mx_kind = TG_MX_NONE;
  v.mx_preference = 0;
  v.soa_owner_labels = 0;
  v.monitor = 0;
}

/// The engine's evaluation as a C verdict.
void to_verdict(const tg::Evaluation& e, tg_verdict& v) {
  if (!e.match.is_lookalike()) {
    clean_verdict(v);
    return;
  }
  const tg::Match& m = e.match;
  v = tg_verdict{};
  v.lookalike = 1;
  fill_answer(v, *e.policy);
  v.technique = static_cast<std::uint8_t>(m.technique);
  v.secondary = static_cast<std::uint8_t>(m.secondary);
  copy_text(v.technique_name, tg::technique_name(m.technique));
  copy_text(v.protected_domain, m.protected_domain);
  copy_text(v.matched, m.matched);
  copy_text(v.evidence, m.evidence);
  if (e.policy->extended_dns_error) copy_text(v.ede_text, tg::ede_text(m));
  v.action = static_cast<tg_action>(e.decision.decision.action);
  v.watched = e.decision.decision.watched ? 1 : 0;
  v.in_scope = e.decision.any_in_scope ? 1 : 0;
  v.blocks = e.decision.blocks() ? 1 : 0;
  v.client_index = e.decision.client_index;
  v.soa_owner_labels = static_cast<std::uint8_t>(std::min<std::size_t>(e.soa_owner_labels, 127));
}

/// Clients held on the stack up to this many (a query merged from more clients allocates).
constexpr std::size_t kStackClients = 8;

tg_status evaluate(const tg::Engine& engine, const std::uint8_t* qname, std::size_t qname_len,
                   std::uint16_t qtype, const tg_client* clients, std::size_t client_count,
                   tg_verdict& v) {
  std::array<tg::ClientAddress, kStackClients> on_stack{};
  std::vector<tg::ClientAddress> on_heap;
  std::span<tg::ClientAddress> addresses(on_stack.data(), client_count);
  if (client_count > kStackClients) {
    on_heap.resize(client_count);
    addresses = on_heap;
  }
  for (std::size_t i = 0; i < client_count; ++i) {
    addresses[i].present = true;
    addresses[i].ipv6 = clients[i].ipv6 != 0;
    std::memcpy(addresses[i].bytes.data(), clients[i].address, addresses[i].bytes.size());
  }
  to_verdict(engine.evaluate({qname, qname_len}, qtype, addresses), v);
  return TG_OK;
}

/// The C runtime as the engine's: C callbacks wrapped, strings copied.
tg::EngineRuntime to_runtime(tg_engine* handle, const tg_runtime& rt) {
  tg::EngineRuntime r;
  if (rt.log != nullptr) {
    r.log = [fn = rt.log, arg = rt.log_arg](tg::LogLevel level, const std::string& message) {
      fn(arg, static_cast<tg_log_level>(level), message.c_str());
    };
  }
  if (rt.on_swap != nullptr) {
    r.on_swap = [fn = rt.on_swap, arg = rt.swap_arg, handle] { fn(arg, handle); };
  }
  r.watch_interval = std::chrono::milliseconds(rt.watch_interval_ms);
  if (rt.event_log_path != nullptr) r.event_log_path = rt.event_log_path;
  r.event_queue_size = rt.event_queue_size;
  return r;
}

}  // namespace

extern "C" {

const char* tg_strerror(tg_status status) noexcept {
  switch (status) {
    case TG_OK:
      return "success";
    case TG_ERR_ARGUMENT:
      return "invalid argument";
    case TG_ERR_POLICY:
      return "policy error";
    case TG_ERR_MEMORY:
      return "out of memory";
    case TG_ERR_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

tg_status tg_engine_open(const char* policy_path, tg_engine** engine, char* error,
                         std::size_t error_len) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  *engine = nullptr;
  return guarded(error, error_len, "while loading the policy", [&] {
    auto handle = std::make_unique<tg_engine>();
    handle->engine = tg::Engine::open(policy_path != nullptr ? policy_path : "");
    *engine = handle.release();
  });
}

void tg_engine_close(tg_engine* engine) noexcept { delete engine; }

tg_status tg_engine_reload(tg_engine* engine, char* error, std::size_t error_len) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  return guarded(error, error_len, "while reloading; the previous policy stays",
                 [&] { engine->engine->reload(); });
}

tg_status tg_engine_describe(const tg_engine* engine, char* out, std::size_t out_len) noexcept {
  if (engine == nullptr || out == nullptr || out_len == 0) return TG_ERR_ARGUMENT;
  return guarded(nullptr, 0, "", [&] { copy_text_n(out, out_len, engine->engine->describe()); });
}

tg_status tg_evaluate(const tg_engine* engine, const std::uint8_t* qname, std::size_t qname_len,
                      std::uint16_t qtype, const tg_client* clients, std::size_t client_count,
                      tg_verdict* verdict) noexcept {
  if (engine == nullptr || verdict == nullptr || (qname == nullptr && qname_len != 0) ||
      (clients == nullptr && client_count != 0)) {
    return TG_ERR_ARGUMENT;
  }
  try {
    return evaluate(*engine->engine, qname, qname_len, qtype, clients, client_count, *verdict);
  } catch (const std::bad_alloc&) {
    return TG_ERR_MEMORY;
  } catch (...) {
    return TG_ERR_INTERNAL;
  }
}

int tg_may_be_lookalike(const tg_engine* engine, const std::uint8_t* qname,
                        std::size_t qname_len) noexcept {
  if (engine == nullptr || qname == nullptr) return 1;
  try {
    return engine->engine->may_be_lookalike({qname, qname_len}) ? 1 : 0;
  } catch (...) {  // thread_local set-up failed (out of memory): tg_evaluate() decides
    return 1;
  }
}

int tg_is_lookalike(const tg_engine* engine, const std::uint8_t* qname,
                    std::size_t qname_len) noexcept {
  if (engine == nullptr || qname == nullptr) return 0;
  try {
    return engine->engine->is_lookalike({qname, qname_len}) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

tg_status tg_engine_start(tg_engine* engine, const tg_runtime* runtime, char* error,
                          std::size_t error_len) noexcept {
  if (engine == nullptr || runtime == nullptr) return TG_ERR_ARGUMENT;
  try {
    engine->engine->start(to_runtime(engine, *runtime));
    return TG_OK;
  } catch (const tg::EngineError& e) {
    copy_text_n(error, error_len, e.what());
    return TG_ERR_ARGUMENT;
  } catch (const std::bad_alloc&) {
    copy_text_n(error, error_len, "out of memory while starting the engine's threads");
    return TG_ERR_MEMORY;
  } catch (const std::exception& ex) {
    copy_text_n(error, error_len, fmt::format("cannot start the engine's threads: {}", ex.what()));
    return TG_ERR_INTERNAL;
  } catch (...) {
    copy_text_n(error, error_len, "cannot start the engine's threads");
    return TG_ERR_INTERNAL;
  }
}

tg_status tg_engine_open_last_good(const char* policy_path, tg_engine** engine) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  *engine = nullptr;
  if (policy_path == nullptr || *policy_path == '\0') return TG_ERR_ARGUMENT;
  try {
    auto handle = std::make_unique<tg_engine>();
    handle->engine = tg::Engine::open_last_good(policy_path);
    if (!handle->engine) return TG_ERR_POLICY;
    *engine = handle.release();
    return TG_OK;
  } catch (const std::bad_alloc&) {
    return TG_ERR_MEMORY;
  } catch (...) {
    return TG_ERR_INTERNAL;
  }
}

tg_status tg_engine_record(tg_engine* engine, const tg_event* event) noexcept {
  if (engine == nullptr || event == nullptr || event->verdict == nullptr ||
      (event->qname == nullptr && event->qname_len != 0)) {
    return TG_ERR_ARGUMENT;
  }
  return engine->engine->record(tg::capi::to_event(*event)) ? TG_OK : TG_ERR_INTERNAL;
}

std::uint64_t tg_engine_generation(const tg_engine* engine) noexcept {
  return engine != nullptr ? engine->engine->generation() : 0;
}

tg_status tg_engine_flush(tg_engine* engine) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  engine->engine->flush();
  return TG_OK;
}

tg_status tg_engine_stats(const tg_engine* engine, tg_stats* stats) noexcept {
  if (engine == nullptr || stats == nullptr) return TG_ERR_ARGUMENT;
  const tg::EngineStats s = engine->engine->stats();
  *stats = tg_stats{};
  stats->events_queued = s.events_queued;
  stats->events_written = s.events_written;
  stats->events_dropped = s.events_dropped;
  stats->event_log_reopens = s.event_log_reopens;
  stats->reloads = s.reloads;
  stats->reload_failures = s.reload_failures;
  stats->policy_generation = s.policy_generation;
  stats->policy_bytes = s.policy_bytes;
  return TG_OK;
}

}  // extern "C"
