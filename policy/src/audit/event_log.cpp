// SPDX-License-Identifier: BSD-3-Clause
#include "audit/event_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/base_sink.h>
#include <sys/stat.h>

namespace tg::audit {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kDefaultQueue = 8192;
constexpr auto kRotationCheck = std::chrono::seconds(1);
constexpr auto kOpenRetry = std::chrono::seconds(5);
constexpr auto kDropCheck = std::chrono::seconds(1);
constexpr auto kDropReport = std::chrono::seconds(10);
constexpr auto kFlushStall = std::chrono::seconds(10);
/// Lines are written in batches of up to this many bytes...
constexpr std::size_t kBatchBytes = std::size_t{64} * 1024;
/// ...and once the queue is empty the writer rests this long before it takes the next line:
/// while it rests it waits on nothing, so a resolver thread queueing a line wakes no one (no
/// futex call, no context switch per event); lines wait at most this long.
constexpr auto kBatchWait = std::chrono::milliseconds(20);

/// State shared by the EventLog and its sink; the sink keeps it alive for as long as the
/// writer thread may still touch it.
struct Shared {
  explicit Shared(Reporter r) : reporter(std::move(r)) {}

  /// Calls the reporter; swallows whatever it throws.
  void report(Severity severity, const std::string& message) noexcept {
    if (!reporter) return;
    try {
      reporter(severity, message);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a reporter must not stop the writer
    }
  }

  /// Wakes flush() after the writer has dealt with a line.
  void progressed() noexcept {
    { const std::lock_guard<std::mutex> lock(progress_mutex); }
    progress.notify_all();
  }

  Reporter reporter;
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> written{0};
  std::atomic<std::uint64_t> sink_dropped{0};  ///< no path, no open file, write error
  std::atomic<std::uint64_t> failed{0};        ///< exceptions while queueing or in spdlog
  std::atomic<std::uint64_t> reopens{0};
  std::mutex progress_mutex;
  std::condition_variable progress;
};

std::string errno_text(int error) {
  std::array<char, 128> buf{};
  // GNU strerror_r returns the message (maybe not in buf).
  return ::strerror_r(error, buf.data(), buf.size());
}

/// The sink on the writer thread: appends lines to the file with write(2) in batches (when
/// kBatchBytes are waiting, and whenever the queue is empty, before resting kBatchWait), reopens
/// it when logrotate moved it, retries a file that cannot be opened, counts what it cannot write.
/// All file state is touched only under base_sink's mutex (i.e. on the writer thread);
/// set_path() hands the new path over through its own small mutex.
class FileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  FileSink(std::shared_ptr<Shared> shared, std::weak_ptr<spdlog::details::thread_pool> pool)
      : shared_(std::move(shared)), pool_(std::move(pool)) {}

  ~FileSink() override {
    write_batch();
    close_file();
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  /// Makes the next line open `path` (never throws: a failed copy keeps the old path).
  void set_path(const std::string& path) noexcept {
    try {
      const std::lock_guard<std::mutex> lock(path_mutex_);
      pending_path_ = path;
      path_changed_ = true;
    } catch (...) {  // NOLINT(bugprone-empty-catch): documented: the old path stays
    }
  }

  /// Lines lost so far: sink drops + spdlog failures + queue overruns.
  [[nodiscard]] std::uint64_t dropped_total() const noexcept {
    std::uint64_t total = shared_->sink_dropped.load() + shared_->failed.load();
    if (const auto pool = pool_.lock()) {
      try {
        total += pool->overrun_counter();
      } catch (...) {  // NOLINT(bugprone-empty-catch): a mutex failure; count what is known
      }
    }
    return total;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const Clock::time_point now = Clock::now();
    try {
      take_new_path();
      if (ensure_open(now)) {
        // The line as queued (the logger's pattern is "%v"): no formatter, no copy but this.
        batch_.append(msg.payload.data(), msg.payload.size());
        batch_.push_back('\n');
        ++batch_lines_;
        if (batch_.size() >= kBatchBytes) write_batch();
      } else {
        shared_->sink_dropped.fetch_add(1);
      }
    } catch (...) {
      shared_->sink_dropped.fetch_add(1);
    }
    if (queue_empty()) {
      write_batch();
      shared_->progressed();
      report_drops(now);
      std::this_thread::sleep_for(kBatchWait);
    }
  }

  /// Writes what is batched.
  void flush_() override { write_batch(); }

 private:
  /// Whether the writer has caught up (an unknown queue counts as empty).
  [[nodiscard]] bool queue_empty() const noexcept {
    try {
      const auto pool = pool_.lock();
      return !pool || pool->queue_size() == 0;
    } catch (...) {
      return true;
    }
  }

  /// Writes the batched lines to the open file and counts them, written or dropped.
  void write_batch() noexcept {
    if (batch_lines_ == 0) return;
    bool ok = false;
    try {
      ok = fd_ >= 0 && write_all(batch_.data(), batch_.size());
    } catch (...) {  // NOLINT(bugprone-empty-catch): a failed report; the lines count as dropped
    }
    (ok ? shared_->written : shared_->sink_dropped).fetch_add(batch_lines_);
    batch_.clear();
    batch_lines_ = 0;
  }

  void take_new_path() {
    const std::lock_guard<std::mutex> lock(path_mutex_);
    if (!path_changed_) return;
    path_changed_ = false;
    write_batch();  // into the file the lines were meant for
    close_file();
    path_ = std::move(pending_path_);
    pending_path_.clear();
    open_failing_ = false;
    write_failing_ = false;
    next_open_ = std::nullopt;
  }

  void close_file() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  /// Opens path_; on failure reports once per streak and schedules the next attempt.
  bool open_file(Clock::time_point now) {
    const int fd =
        ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0) {
      fd_ = fd;
      dev_ = st.st_dev;
      ino_ = st.st_ino;
      last_check_ = now;
      next_open_ = std::nullopt;
      if (open_failing_) {
        open_failing_ = false;
        shared_->reopens.fetch_add(1);
        shared_->report(Severity::Info, "event log opened again after an error: " + path_);
      }
      return true;
    }
    const int error = errno;
    if (fd >= 0) ::close(fd);
    next_open_ = now + kOpenRetry;
    if (!open_failing_) {
      open_failing_ = true;
      shared_->report(Severity::Error, "cannot open event log " + path_ + ": " + errno_text(error));
    }
    return false;
  }

  /// True when a file is open for the next line: opens it (at most every kOpenRetry after a
  /// failure) or, at most every kRotationCheck, reopens it when the path names another file.
  bool ensure_open(Clock::time_point now) {
    if (path_.empty()) return false;
    if (fd_ < 0) {
      if (next_open_ && now < *next_open_) return false;
      return open_file(now);
    }
    if (now - last_check_ < kRotationCheck) return true;
    last_check_ = now;
    struct stat st {};
    const bool vanished = ::stat(path_.c_str(), &st) != 0 && errno == ENOENT;
    const bool moved = !vanished && (st.st_dev != dev_ || st.st_ino != ino_) && st.st_ino != 0;
    if (!vanished && !moved) return true;
    write_batch();  // the lines before the rotation go into the rotated file
    close_file();
    if (!open_file(now)) return false;
    shared_->reopens.fetch_add(1);
    shared_->report(Severity::Info, "event log reopened after rotation: " + path_);
    return true;
  }

  /// Writes all of data (retrying EINTR and short writes); reports a failure once per streak.
  bool write_all(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = n < 0 ? errno : EIO;
        if (!write_failing_) {
          write_failing_ = true;
          shared_->report(Severity::Error,
                          "cannot write event log " + path_ + ": " + errno_text(error));
        }
        return false;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    if (write_failing_) {
      write_failing_ = false;
      shared_->report(Severity::Info, "event log writable again: " + path_);
    }
    return true;
  }

  /// Reports lost lines when their number grew, at most every kDropReport.
  void report_drops(Clock::time_point now) noexcept {
    if (last_drop_check_ && now - *last_drop_check_ < kDropCheck) return;
    if (last_drop_report_ && now - *last_drop_report_ < kDropReport) return;
    last_drop_check_ = now;
    const std::uint64_t total = dropped_total();
    if (total <= reported_drops_) return;
    try {
      shared_->report(Severity::Warning, "event log dropped " +
                                             std::to_string(total - reported_drops_) + " lines (" +
                                             std::to_string(total) + " in all): queue overrun or " +
                                             "no writable file");
    } catch (...) {  // NOLINT(bugprone-empty-catch): the next check reports them
      return;
    }
    reported_drops_ = total;
    last_drop_report_ = now;
  }

  std::shared_ptr<Shared> shared_;
  std::weak_ptr<spdlog::details::thread_pool> pool_;

  std::mutex path_mutex_;  // guards the two members below
  std::string pending_path_;
  bool path_changed_ = false;

  std::string path_;  // the rest: writer thread only
  int fd_ = -1;
  std::string batch_;  // lines formatted, not yet written
  std::uint64_t batch_lines_ = 0;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  Clock::time_point last_check_{};
  std::optional<Clock::time_point> next_open_;
  bool open_failing_ = false;
  bool write_failing_ = false;
  std::optional<Clock::time_point> last_drop_check_;
  std::optional<Clock::time_point> last_drop_report_;
  std::uint64_t reported_drops_ = 0;
};

}  // namespace

/// Destruction order matters: the logger goes first (queued lines keep it alive), then the
/// thread pool, whose destructor drains the queue and joins the writer thread.
struct EventLog::Impl {
  std::shared_ptr<Shared> shared;
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<FileSink> sink;
  std::shared_ptr<spdlog::async_logger> logger;
};

EventLog::EventLog(std::size_t queue_size, Reporter reporter) : impl_(std::make_unique<Impl>()) {
  impl_->shared = std::make_shared<Shared>(std::move(reporter));
  impl_->pool = std::make_shared<spdlog::details::thread_pool>(
      queue_size == 0 ? kDefaultQueue : queue_size, 1);
  impl_->sink = std::make_shared<FileSink>(impl_->shared, impl_->pool);
  impl_->logger = std::make_shared<spdlog::async_logger>(
      "typoguard-events", impl_->sink, impl_->pool, spdlog::async_overflow_policy::overrun_oldest);
  impl_->logger->set_pattern("%v");
  impl_->logger->set_level(spdlog::level::info);
  std::weak_ptr<Shared> weak = impl_->shared;
  impl_->logger->set_error_handler([weak](const std::string&) {
    if (const auto shared = weak.lock()) shared->failed.fetch_add(1);
  });
}

EventLog::~EventLog() {
  flush();
  const EventLogStats last = stats();
  impl_->logger.reset();
  impl_->pool.reset();
  if (last.dropped > 0) {
    try {
      impl_->shared->report(Severity::Warning, "event log closed: " + std::to_string(last.written) +
                                                   " lines written, " +
                                                   std::to_string(last.dropped) + " dropped");
    } catch (...) {  // NOLINT(bugprone-empty-catch): nothing left to tell it to
    }
  }
}

void EventLog::set_path(const std::string& path) noexcept { impl_->sink->set_path(path); }

void EventLog::submit(std::string_view line) noexcept {
  impl_->shared->queued.fetch_add(1);
  try {
    impl_->logger->log(spdlog::level::info, spdlog::string_view_t{line.data(), line.size()});
  } catch (...) {
    impl_->shared->failed.fetch_add(1);
  }
}

void EventLog::flush() noexcept {
  Shared& shared = *impl_->shared;
  const std::uint64_t target = shared.queued.load();
  auto done = [&] {
    const EventLogStats s = stats();
    return s.written + s.dropped;
  };
  std::uint64_t seen = done();
  Clock::time_point last_progress = Clock::now();
  while (seen < target) {
    try {
      std::unique_lock<std::mutex> lock(shared.progress_mutex);
      shared.progress.wait_for(lock, std::chrono::milliseconds(20));
    } catch (...) {  // NOLINT(bugprone-empty-catch): fall back to polling
    }
    const std::uint64_t now_done = done();
    const Clock::time_point now = Clock::now();
    if (now_done != seen) {
      seen = now_done;
      last_progress = now;
    } else if (now - last_progress > kFlushStall) {
      return;
    }
  }
}

EventLogStats EventLog::stats() const noexcept {
  EventLogStats s;
  s.queued = impl_->shared->queued.load();
  s.written = impl_->shared->written.load();
  s.dropped = impl_->sink->dropped_total();
  s.reopens = impl_->shared->reopens.load();
  return s;
}

}  // namespace tg::audit
