// SPDX-License-Identifier: BSD-3-Clause
// The C interface (typoguard/typoguard.h): every entry point is noexcept and turns exceptions
// into status codes. The engine keeps the policy in force as an immutable Snapshot behind an
// atomic shared_ptr: readers take a reference for one call, reload swaps a new one in.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include <fmt/format.h>

#include "audit/event_format.hpp"
#include "audit/event_log.hpp"
#include "config/file_watcher.hpp"
#include "config/loader.hpp"
#include "decide/decide.hpp"
#include "engine/snapshot.hpp"
#include "name/psl.hpp"
#include "typoguard/typoguard.h"

static_assert(TG_ACTION_PASS == static_cast<int>(tg::Action::Pass));
static_assert(TG_ACTION_LOG_ONLY == static_cast<int>(tg::Action::LogOnly));
static_assert(TG_ACTION_NXDOMAIN == static_cast<int>(tg::Action::NxDomain));
static_assert(TG_ACTION_SINKHOLE == static_cast<int>(tg::Action::Sinkhole));
static_assert(TG_MX_NONE == static_cast<int>(tg::AnswerSettings::MxKind::None));
static_assert(TG_MX_HOST == static_cast<int>(tg::AnswerSettings::MxKind::Host));
static_assert(TG_MX_NULL == static_cast<int>(tg::AnswerSettings::MxKind::NullMx));
static_assert(tg::kDemoPolicyName == TG_BUILTIN_DEMO_POLICY);

/// The engine behind the opaque C handle. Members below `snapshot` exist once
/// tg_engine_start() ran; they are destroyed in reverse order, so the watcher (which reloads
/// and re-targets the event log) stops before the event log.
struct tg_engine {
  tg_engine();

  const std::uint64_t id;   // unique in the process (the per-thread snapshot cache's key)
  std::string policy_path;  // a policy file, or TG_BUILTIN_DEMO_POLICY
  std::atomic<std::shared_ptr<const tg::Snapshot>> snapshot;
  std::atomic<std::uint64_t> generation{1};
  std::atomic<std::uint64_t> reloads{0};
  std::atomic<std::uint64_t> reload_failures{0};
  std::atomic<std::uint64_t> format_failures{0};

  tg_runtime runtime{};            // copied at start; strings below
  std::string event_log_override;  // runtime.event_log_path, owned
  std::string hostname;            // observer.hostname of events
  std::atomic<bool> events_enabled{false};
  std::unique_ptr<tg::audit::EventLog> events;
  std::unique_ptr<tg::FileWatcher> watcher;

  ~tg_engine() {
    watcher.reset();  // joins the watcher thread first: it may touch `events`
    events.reset();   // flushes and joins the writer
  }
};

namespace {

std::uint64_t next_engine_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// The snapshot in force as a resolver thread reads it: a per-thread copy of the engine's
// shared_ptr, taken again when the engine or its policy generation changed. Spares every query
// the atomic shared_ptr's lock and reference count (four atomic operations on one cache line
// that all resolver threads share). Reloads store the snapshot before they raise the
// generation, and the generation is read first, so a thread never keeps an older snapshot
// under a newer generation. A thread holds a superseded snapshot until its next call (or its
// exit): a policy's worth of memory per idle thread at most. The reference is valid until the
// same thread calls again.
const tg::Snapshot& current_snapshot(const tg_engine& engine) {
  struct Cached {
    std::uint64_t engine = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const tg::Snapshot> snapshot;
  };
  thread_local Cached cached;
  const std::uint64_t generation = engine.generation.load(std::memory_order_acquire);
  if (cached.engine != engine.id || cached.generation != generation || !cached.snapshot) {
    cached.snapshot = engine.snapshot.load();
    cached.engine = engine.id;
    cached.generation = generation;
  }
  return *cached.snapshot;
}

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

// True for a name of the built-in namespace ("builtin:..."): never a file, never watched.
bool is_builtin(std::string_view path) noexcept {
  return path.starts_with(TG_BUILTIN_POLICY_PREFIX);
}

tg::LoadResult load(const std::string& path) {
  if (path == TG_BUILTIN_DEMO_POLICY) return tg::load_default_policy();
  if (is_builtin(path)) {
    tg::LoadResult r;
    r.errors.push_back(tg::PolicyError{
        path, 0, {}, "no such built-in policy: the only one is " TG_BUILTIN_DEMO_POLICY});
    return r;
  }
  return tg::load_policy_file(path);
}

// What tg_engine_open() says when no policy is named.
constexpr const char* kNoPolicyNamed =
    "no policy named: give the path of a policy file, or " TG_BUILTIN_DEMO_POLICY
    " for the embedded demo policy";

std::string first_errors(const tg::LoadResult& result) {
  std::string text;
  for (const tg::PolicyError& e : result.errors) {
    if (!text.empty()) text += "; ";
    text += e.to_string();
  }
  return text.empty() ? std::string("the policy could not be loaded") : text;
}

std::string ede_text(const tg::Match& m) {
  if (m.technique == tg::Technique::BlockedSuffix) {
    return fmt::format("typoguard: blocked suffix {}", m.protected_domain);
  }
  if (m.secondary != tg::Technique::None) {
    return fmt::format("typoguard: look-alike of {} ({} + {})", m.protected_domain,
                       tg::technique_name(m.technique), tg::technique_name(m.secondary));
  }
  return fmt::format("typoguard: look-alike of {} ({})", m.protected_domain,
                     tg::technique_name(m.technique));
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
  v.monitor = 0;
}

tg_status evaluate(const tg_engine& engine, const std::uint8_t* qname, std::size_t qname_len,
                   std::uint16_t qtype, const tg_client* clients, std::size_t client_count,
                   tg_verdict& v) {
  const tg::Snapshot& snap = current_snapshot(engine);
  const tg::Policy& policy = snap.policy();
  const tg::NameInfo name = tg::analyse_wire_name(
      qname, qname_len, tg::PublicSuffixList::instance(), policy.private_suffixes);
  const tg::Match m = snap.classify(name);
  if (!m.is_lookalike()) {
    clean_verdict(v);
    return TG_OK;
  }
  v = tg_verdict{};
  v.client_index = -1;
  v.lookalike = 1;
  fill_answer(v, policy);
  v.technique = static_cast<std::uint8_t>(m.technique);
  v.secondary = static_cast<std::uint8_t>(m.secondary);
  copy_text(v.technique_name, tg::technique_name(m.technique));
  copy_text(v.protected_domain, m.protected_domain);
  copy_text(v.matched, m.matched);
  copy_text(v.evidence, m.evidence);
  if (policy.extended_dns_error) copy_text(v.ede_text, ede_text(m));
  // The most restrictive decision over the clients; no client (an internal look-up) passes.
  tg::Decision best = tg::decide(m, policy, qtype, tg::ClientAddress{});
  v.watched = best.watched ? 1 : 0;
  for (std::size_t i = 0; i < client_count; ++i) {
    tg::ClientAddress addr;
    addr.present = true;
    addr.ipv6 = clients[i].ipv6 != 0;
    std::memcpy(addr.bytes.data(), clients[i].address, addr.bytes.size());
    const tg::Decision d = tg::decide(m, policy, qtype, addr);
    if (d.in_scope) v.in_scope = 1;
    if (static_cast<int>(d.action) > static_cast<int>(best.action)) {
      best = d;
      v.client_index = static_cast<int>(i);
    }
  }
  v.action = static_cast<tg_action>(best.action);
  return TG_OK;
}

// The last policy that loaded in this process, by path: what a resolver keeps in force when
// its policy file turns bad between two reloads (tg_engine_open_last_good). Not per query.
struct LastGood {
  std::mutex mutex;
  std::string path;
  std::shared_ptr<const tg::Snapshot> snapshot;
};

LastGood& last_good() {
  static LastGood instance;
  return instance;
}

void remember_last_good(const std::string& path, std::shared_ptr<const tg::Snapshot> snap) {
  LastGood& lg = last_good();
  const std::lock_guard lock(lg.mutex);
  lg.path = path;
  lg.snapshot = std::move(snap);
}

// Loads the engine's policy file, compiles it and swaps the new snapshot in; on any failure
// the snapshot in force (if any) stays and `error` says why. `context` ends the messages of
// unexpected failures ("while reloading; the previous policy stays").
tg_status load_into(tg_engine& engine, char* error, std::size_t error_len,
                    std::string_view context) noexcept {
  try {
    tg::LoadResult result = load(engine.policy_path);
    if (!result.ok()) {
      copy_text_n(error, error_len, first_errors(result));
      return TG_ERR_POLICY;
    }
    std::shared_ptr<const tg::Snapshot> snap = tg::Snapshot::compile(std::move(*result.policy));
    remember_last_good(engine.policy_path, snap);
    engine.snapshot.store(std::move(snap));
    return TG_OK;
  } catch (const std::bad_alloc&) {
    copy_text_n(error, error_len, fmt::format("out of memory {}", context));
    return TG_ERR_MEMORY;
  } catch (const std::exception& ex) {
    copy_text_n(error, error_len, fmt::format("{} {}", ex.what(), context));
    return TG_ERR_INTERNAL;
  } catch (...) {
    copy_text_n(error, error_len, fmt::format("unknown exception {}", context));
    return TG_ERR_INTERNAL;
  }
}

// Sends an operational message to the resolver's log, if the runtime has one. Never throws.
void report(const tg_engine& engine, tg_log_level level, const std::string& message) noexcept {
  if (engine.runtime.log != nullptr)
    engine.runtime.log(engine.runtime.log_arg, level, message.c_str());
}

// Points the event log at the override or at the policy's path ("" = no event log).
void target_event_log(tg_engine& engine, const tg::Snapshot& snap) noexcept {
  if (!engine.events) return;
  const std::string& path =
      !engine.event_log_override.empty() ? engine.event_log_override : snap.policy().event_log_path;
  engine.events->set_path(path);
  engine.events_enabled.store(!path.empty());
}

// The watcher's reaction to a changed policy file: reload, keep the last good policy on
// failure, re-target the event log and let the module purge its cache on success.
void on_policy_file_change(tg_engine& engine, const tg::FileSignature& sig) noexcept {
  try {
    if (!sig.exists) {
      engine.reload_failures.fetch_add(1);
      report(engine, TG_LOG_ERROR,
             fmt::format("policy file {} cannot be read ({}); the policy in force "
                         "(revision {}) stays",
                         engine.policy_path, std::strerror(sig.error),
                         engine.snapshot.load()->policy().revision));
      return;
    }
    char error[1024] = "";
    const tg_status st =
        load_into(engine, error, sizeof(error), "while reloading; the previous policy stays");
    const auto snap = engine.snapshot.load();
    if (st != TG_OK) {
      engine.reload_failures.fetch_add(1);
      report(engine, TG_LOG_ERROR,
             fmt::format("changed policy file rejected, revision {} stays in force: {}",
                         snap->policy().revision, error));
      return;
    }
    engine.generation.fetch_add(1);
    engine.reloads.fetch_add(1);
    target_event_log(engine, *snap);
    const tg::Policy& p = snap->policy();
    report(engine, TG_LOG_INFO,
           fmt::format("policy file changed, now in force: {} (revision {}; protected "
                       "domains: {})",
                       p.source, p.revision, p.protected_domains.size()));
    if (engine.runtime.on_swap != nullptr) engine.runtime.on_swap(engine.runtime.swap_arg, &engine);
  } catch (...) {
    report(engine, TG_LOG_ERROR, "unexpected failure while reloading the policy file");
  }
}

tg_status start(tg_engine& engine, const tg_runtime& rt, char* error, std::size_t error_len) {
  if (engine.events || engine.watcher) {
    copy_text_n(error, error_len, "the engine is already started");
    return TG_ERR_ARGUMENT;
  }
  engine.runtime = rt;
  engine.event_log_override = rt.event_log_path != nullptr ? rt.event_log_path : "";
  engine.runtime.event_log_path = nullptr;  // the copy above owns it
  char host[256] = "";
  if (::gethostname(host, sizeof(host) - 1) == 0) engine.hostname = host;
  tg_engine* self = &engine;
  engine.events = std::make_unique<tg::audit::EventLog>(
      rt.event_queue_size, [self](tg::audit::Severity s, const std::string& message) {
        const tg_log_level level = s == tg::audit::Severity::Error     ? TG_LOG_ERROR
                                   : s == tg::audit::Severity::Warning ? TG_LOG_WARNING
                                                                       : TG_LOG_INFO;
        report(*self, level, message);
      });
  target_event_log(engine, *engine.snapshot.load());
  if (rt.watch_interval_ms > 0 && !is_builtin(engine.policy_path)) {
    engine.watcher = std::make_unique<tg::FileWatcher>(
        engine.policy_path, std::chrono::milliseconds(rt.watch_interval_ms),
        [self](const tg::FileSignature& sig) { on_policy_file_change(*self, sig); });
  }
  return TG_OK;
}

}  // namespace

tg_engine::tg_engine() : id(next_engine_id()) {}

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
  if (policy_path == nullptr || *policy_path == '\0') {
    copy_text_n(error, error_len, kNoPolicyNamed);
    return TG_ERR_ARGUMENT;
  }
  std::unique_ptr<tg_engine> e;
  try {
    e = std::make_unique<tg_engine>();
    e->policy_path = policy_path;
  } catch (...) {
    copy_text_n(error, error_len, "out of memory while loading the policy");
    return TG_ERR_MEMORY;
  }
  const tg_status status = load_into(*e, error, error_len, "while loading the policy");
  if (status == TG_OK) *engine = e.release();
  return status;
}

void tg_engine_close(tg_engine* engine) noexcept { delete engine; }

tg_status tg_engine_reload(tg_engine* engine, char* error, std::size_t error_len) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  const tg_status st =
      load_into(*engine, error, error_len, "while reloading; the previous policy stays");
  if (st == TG_OK) {
    engine->generation.fetch_add(1);
    target_event_log(*engine, *engine->snapshot.load());
  }
  return st;
}

tg_status tg_engine_describe(const tg_engine* engine, char* out, std::size_t out_len) noexcept {
  if (engine == nullptr || out == nullptr || out_len == 0) return TG_ERR_ARGUMENT;
  try {
    const auto snap = engine->snapshot.load();
    const tg::Policy& p = snap->policy();
    copy_text_n(
        out, out_len,
        fmt::format("{} (revision {}, mode {}; protected domains: {}, blocked suffixes: {}, "
                    "allow-list entries: {}; public suffixes from {})",
                    p.source, p.revision, p.mode == tg::Mode::Monitor ? "monitor" : "enforce",
                    p.protected_domains.size(), p.blocked_suffixes.size(), p.allow.size(),
                    tg::PublicSuffixList::instance().source()));
    return TG_OK;
  } catch (const std::bad_alloc&) {
    return TG_ERR_MEMORY;
  } catch (...) {
    return TG_ERR_INTERNAL;
  }
}

tg_status tg_evaluate(const tg_engine* engine, const std::uint8_t* qname, std::size_t qname_len,
                      std::uint16_t qtype, const tg_client* clients, std::size_t client_count,
                      tg_verdict* verdict) noexcept {
  if (engine == nullptr || verdict == nullptr || (qname == nullptr && qname_len != 0) ||
      (clients == nullptr && client_count != 0)) {
    return TG_ERR_ARGUMENT;
  }
  try {
    return evaluate(*engine, qname, qname_len, qtype, clients, client_count, *verdict);
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
    return current_snapshot(*engine).may_be_lookalike(qname, qname_len) ? 1 : 0;
  } catch (...) {  // thread_local set-up failed (out of memory): classify() decides
    return 1;
  }
}

int tg_is_lookalike(const tg_engine* engine, const std::uint8_t* qname,
                    std::size_t qname_len) noexcept {
  if (engine == nullptr || qname == nullptr) return 0;
  try {
    const tg::Snapshot& snap = current_snapshot(*engine);
    if (!snap.may_be_lookalike(qname, qname_len)) return 0;
    const tg::NameInfo name = tg::analyse_wire_name(
        qname, qname_len, tg::PublicSuffixList::instance(), snap.policy().private_suffixes);
    return snap.classify(name).is_lookalike() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

tg_status tg_engine_start(tg_engine* engine, const tg_runtime* runtime, char* error,
                          std::size_t error_len) noexcept {
  if (engine == nullptr || runtime == nullptr) return TG_ERR_ARGUMENT;
  try {
    return start(*engine, *runtime, error, error_len);
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
    const std::string path = policy_path;
    std::shared_ptr<const tg::Snapshot> snap;
    {
      LastGood& lg = last_good();
      const std::lock_guard lock(lg.mutex);
      if (lg.snapshot && lg.path == path) snap = lg.snapshot;
    }
    if (!snap) return TG_ERR_POLICY;
    auto e = std::make_unique<tg_engine>();
    e->policy_path = path;
    e->snapshot.store(std::move(snap));
    *engine = e.release();
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
  if (!engine->events || !engine->events_enabled.load(std::memory_order_relaxed)) return TG_OK;
  try {
    // On the resolver's stack: the line is copied into the writer's queue, never allocated here.
    std::array<char, tg::audit::kMaxEventLine>
        line;  // NOLINT(cppcoreguidelines-pro-type-member-init)
    const std::size_t n = tg::audit::format_event_into(
        line.data(), line.size(), *event, std::chrono::system_clock::now(), engine->hostname);
    if (n == 0) {
      engine->format_failures.fetch_add(1);
      return TG_ERR_INTERNAL;
    }
    engine->events->submit(std::string_view(line.data(), n));
    return TG_OK;
  } catch (const std::bad_alloc&) {
    engine->format_failures.fetch_add(1);
    return TG_ERR_MEMORY;
  } catch (...) {
    engine->format_failures.fetch_add(1);
    return TG_ERR_INTERNAL;
  }
}

std::uint64_t tg_engine_generation(const tg_engine* engine) noexcept {
  return engine != nullptr ? engine->generation.load(std::memory_order_acquire) : 0;
}

tg_status tg_engine_flush(tg_engine* engine) noexcept {
  if (engine == nullptr) return TG_ERR_ARGUMENT;
  if (engine->events) engine->events->flush();
  return TG_OK;
}

tg_status tg_engine_stats(const tg_engine* engine, tg_stats* stats) noexcept {
  if (engine == nullptr || stats == nullptr) return TG_ERR_ARGUMENT;
  *stats = tg_stats{};
  if (engine->events) {
    const tg::audit::EventLogStats es = engine->events->stats();
    stats->events_queued = es.queued;
    stats->events_written = es.written;
    stats->events_dropped = es.dropped;
    stats->event_log_reopens = es.reopens;
  }
  stats->events_dropped += engine->format_failures.load();
  stats->reloads = engine->reloads.load();
  stats->reload_failures = engine->reload_failures.load();
  stats->policy_generation = engine->generation.load();
  if (const std::shared_ptr<const tg::Snapshot> snapshot = engine->snapshot.load()) {
    stats->policy_bytes = snapshot->memory_bytes();
  }
  return TG_OK;
}

}  // extern "C"
