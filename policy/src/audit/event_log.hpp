// SPDX-License-Identifier: BSD-3-Clause
// The SOC event log writer: JSON lines appended to a file by one background thread, so that a
// resolver thread never waits for the disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace tg::audit {

/// Severity of an operational message about the event log itself.
enum class Severity { Error, Warning, Info };

/// Receives operational messages (file cannot be opened, reopened after rotation, drops).
/// Called from the writer thread or from set_path()/the destructor; must be thread-safe.
using Reporter = std::function<void(Severity, const std::string&)>;

/// Counters of one EventLog, monotonic over its life.
struct EventLogStats {
  std::uint64_t queued = 0;   ///< lines accepted by submit()
  std::uint64_t written = 0;  ///< lines written to the file
  std::uint64_t dropped = 0;  ///< queue overruns + lines that found no open file
  std::uint64_t reopens = 0;  ///< the file was (re)opened after rotation or an error
};

/// Writes submitted lines to a file, asynchronously. Owns its writer thread (a private spdlog
/// async logger with its own thread pool, never the global registry); the destructor flushes
/// what is queued and joins the thread. Thread-safe: submit() and stats() from any thread.
class EventLog {
 public:
  /// Starts the writer thread with room for `queue_size` waiting lines (0 = 8192). Throws
  /// std::bad_alloc / std::system_error when the thread cannot be started.
  EventLog(std::size_t queue_size, Reporter reporter);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Directs the log to `path` (absolute; "" = no file: lines are counted as dropped). Opening
  /// happens on the writer thread; a failure is reported and retried every few seconds.
  /// Never throws.
  void set_path(const std::string& path) noexcept;

  /// Queues one line (without the newline). Never blocks, never throws: a full queue drops
  /// the oldest waiting line; a failure to queue counts as a drop. The line is copied.
  void submit(std::string_view line) noexcept;

  /// Writes what is queued now and waits until it is in the file (tests, shutdown); gives up
  /// after 10 s without progress (a hung disk). Never throws.
  void flush() noexcept;

  /// A consistent-enough snapshot of the counters.
  [[nodiscard]] EventLogStats stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tg::audit
