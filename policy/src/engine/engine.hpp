// SPDX-License-Identifier: BSD-3-Clause
// The engine: the policy in force as an immutable Snapshot behind an atomic shared_ptr
// (readers take a reference for one call, a reload swaps a new one in), the last good policy
// of each path, the policy-file watcher and the event log. What the C interface (capi.cpp)
// wraps; C++ tests drive it directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "audit/event.hpp"
#include "classify/match.hpp"
#include "decide/decide.hpp"
#include "engine/snapshot.hpp"

namespace tg {

namespace audit {
class EventLog;
}
class FileWatcher;
struct FileSignature;

/// Why an engine call failed, besides std::bad_alloc and unexpected exceptions.
class EngineError : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    Argument,  ///< the call is not allowed here (no policy named, already started)
    Policy,    ///< the policy did not load; what() says where and why
  };
  EngineError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

/// Severity of an operational message from the engine's background threads.
enum class LogLevel : std::uint8_t { Error = 0, Warning = 1, Info = 2 };

/// What Engine::start() runs.
struct EngineRuntime {
  /// Operational messages (reloads, event-log trouble); called from the engine's threads,
  /// must be thread-safe and must not throw. Empty: none are reported.
  std::function<void(LogLevel, const std::string&)> log;
  /// Called on the watcher's thread after a changed policy file was swapped in. Must not throw.
  std::function<void()> on_swap;
  std::chrono::milliseconds watch_interval{0};  ///< 0: the policy file is not watched
  std::string event_log_path;                   ///< overrides the policy's path when not empty
  std::size_t event_queue_size = 0;             ///< 0: 8192 lines
};

/// The outcome of evaluating one name for one query.
struct Evaluation {
  Match match;               ///< why; is_lookalike() false: nothing below is meaningful
  ClientsDecision decision;  ///< what, for the most restrictive client
  /// The policy that decided: the snapshot in force for this thread, valid until the same
  /// thread calls the engine again.
  const Policy* policy = nullptr;
  /// How many rightmost labels of the name own the SOA of a synthesised negative answer: its
  /// public suffix when the list names it (a zone that exists: "ml" of mail.army.ml, "co.uk"),
  /// else 0 (the root): never the look-alike's own apex, which the answer says does not exist.
  /// Computed when the decision blocks; 0 (the root) for a look-alike answered otherwise (the
  /// resolution-failure path's NXDOMAIN for a client out of scope).
  std::size_t soa_owner_labels = 0;
};

/// Counters since the engine was opened (tg_stats).
struct EngineStats {
  std::uint64_t events_queued = 0;
  std::uint64_t events_written = 0;
  std::uint64_t events_dropped = 0;  ///< queue overrun, no file, write or format failure
  std::uint64_t event_log_reopens = 0;
  std::uint64_t reloads = 0;          ///< swaps by the watcher
  std::uint64_t reload_failures = 0;  ///< changed policy files that did not load
  std::uint64_t policy_generation = 0;
  std::uint64_t policy_bytes = 0;
};

/// One engine per resolver. Evaluation is thread-safe and lock-free against reloads; open,
/// start and destruction are not concurrent with anything else on the same engine.
class Engine {
 public:
  /// Opens an engine on a policy file (JSON or XML) or the built-in demo policy
  /// (TG_BUILTIN_DEMO_POLICY). Throws EngineError: Argument for an empty path, Policy when it
  /// does not load ("file:line: data path: message"; the message of an unknown builtin: name
  /// lists the known ones); std::bad_alloc; anything else is a bug.
  [[nodiscard]] static std::unique_ptr<Engine> open(const std::string& policy_path);

  /// An engine on the last policy that loaded in this process from `policy_path`, which it
  /// keeps as its file (a repaired file is picked up by the watcher); nullptr when none ever
  /// did. Throws std::bad_alloc only.
  [[nodiscard]] static std::unique_ptr<Engine> open_last_good(const std::string& policy_path);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  /// Stops the watcher, then flushes and stops the event log (joins both threads).
  ~Engine();

  /// Loads the policy again and swaps it in; on failure the policy in force stays and
  /// EngineError(Policy) says why. From a control thread: loading takes milliseconds.
  void reload();

  /// Starts the event-log writer and, for a policy file and a non-zero interval, the watcher.
  /// An event log that cannot be opened is reported and retried, not thrown. Throws
  /// EngineError(Argument) when already started, std::system_error when a thread cannot start
  /// (the engine then still evaluates, without events), std::bad_alloc.
  void start(EngineRuntime runtime);

  /// Classifies a wire-format name and decides for the query's clients (none: an internal
  /// look-up). Malformed names are classified as far as they can be read. Throws
  /// std::bad_alloc only.
  [[nodiscard]] Evaluation evaluate(std::span<const std::uint8_t> qname, std::uint16_t qtype,
                                    std::span<const ClientAddress> clients) const;

  /// The screen: false proves that evaluate() finds no look-alike under the policy in force.
  /// Throws only when this thread's snapshot cache cannot be set up (std::bad_alloc). Inline:
  /// every query of the resolver asks it first.
  [[nodiscard]] bool may_be_lookalike(std::span<const std::uint8_t> qname) const {
    return current().may_be_lookalike(qname.data(), qname.size());
  }

  /// Whether the name is a look-alike for any client. Throws std::bad_alloc only.
  [[nodiscard]] bool is_lookalike(std::span<const std::uint8_t> qname) const;

  /// Formats the event and queues it for the writer; never blocks, never does I/O. Returns
  /// false, counting the event as dropped, when the line cannot be built. Does nothing (true)
  /// when not started or no event log is configured. Never throws.
  bool record(const audit::Event& event) noexcept;

  /// Counts one event lost before record() could take it (its conversion failed).
  void count_dropped() noexcept;

  /// Waits until every queued event is written or dropped (at most 10 s without progress).
  void flush() noexcept;

  /// One line for operational logs: the policy in force (source, revision, counts) and where
  /// the public suffixes came from. Throws std::bad_alloc only.
  [[nodiscard]] std::string describe() const;

  /// 1 for the policy opened, +1 per swap. One atomic load.
  [[nodiscard]] std::uint64_t generation() const noexcept {
    return generation_.load(std::memory_order_acquire);
  }

  /// The counters. Never throws.
  [[nodiscard]] EngineStats stats() const noexcept;

  /// The snapshot in force as the calling thread sees it (a per-thread reference, renewed when
  /// the generation changed); valid until the same thread calls the engine again. Throws only
  /// when the thread's cache cannot be set up (std::bad_alloc).
  [[nodiscard]] const Snapshot& current() const {
    // A per-thread copy of the shared_ptr, taken again when the engine or its policy
    // generation changed: spares every query the atomic shared_ptr's lock and reference count
    // (four atomic operations on one cache line that all resolver threads share). Reloads
    // store the snapshot before they raise the generation, and the generation is read first,
    // so a thread never keeps an older snapshot under a newer generation. A thread holds a
    // superseded snapshot until its next call (or its exit): a policy's worth of memory per
    // idle thread. Defined here so that the query path inlines it.
    struct Cached {
      std::uint64_t engine = 0;
      std::uint64_t generation = 0;
      std::shared_ptr<const Snapshot> snapshot;
    };
    thread_local Cached cached;
    const std::uint64_t generation = generation_.load(std::memory_order_acquire);
    if (cached.engine != id_ || cached.generation != generation || !cached.snapshot) {
      cached.snapshot = snapshot_.load();
      cached.engine = id_;
      cached.generation = generation;
    }
    return *cached.snapshot;
  }

 private:
  Engine(std::string policy_path, std::shared_ptr<const Snapshot> snapshot);
  void report(LogLevel level, const std::string& message) const noexcept;
  void target_event_log(const Snapshot& snap) noexcept;
  void on_policy_file_change(const FileSignature& sig) noexcept;

  const std::uint64_t id_;  // unique in the process (the per-thread snapshot cache's key)
  const std::string path_;  // a policy file, or TG_BUILTIN_DEMO_POLICY
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::atomic<std::uint64_t> generation_{1};
  std::atomic<std::uint64_t> reloads_{0};
  std::atomic<std::uint64_t> reload_failures_{0};
  std::atomic<std::uint64_t> format_failures_{0};

  EngineRuntime runtime_;
  std::string hostname_;  // observer.hostname of events
  std::atomic<bool> events_enabled_{false};
  // Destroyed in reverse order: the watcher (which reloads and re-targets the event log)
  // stops before the event log.
  std::unique_ptr<audit::EventLog> events_;
  std::unique_ptr<FileWatcher> watcher_;
};

}  // namespace tg
