// SPDX-License-Identifier: BSD-3-Clause
// Watches one file for changes from a background thread, so that a changed policy is picked up
// without a resolver reload. Polls stat(2): works inside a chroot, on every filesystem, and
// sees editors that replace the file (new inode) as well as those that rewrite it in place.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tg {

/// What stat(2) says about a file; two differ when the file was changed or replaced.
struct FileSignature {
  bool exists = false;
  int error = 0;  ///< errno of stat() when !exists
  unsigned long long device = 0, inode = 0, size = 0;
  long long mtime_ns = 0, ctime_ns = 0;
  friend bool operator==(const FileSignature&, const FileSignature&) = default;
};

/// The signature of `path` now. Never throws.
[[nodiscard]] FileSignature file_signature(const std::string& path) noexcept;

/// Calls `on_change(signature)` on its own thread whenever the signature of `path` differs
/// from the last one seen (the first one is taken at construction). A missing or unreadable
/// file is a change too (the callback decides what it means). The destructor wakes and joins
/// the thread; a callback running at that moment finishes first.
class FileWatcher {
 public:
  using Callback = std::function<void(const FileSignature&)>;

  /// Starts watching; throws std::system_error when the thread cannot be started.
  FileWatcher(std::string path, std::chrono::milliseconds interval, Callback on_change);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

 private:
  void run();

  std::string path_;
  std::chrono::milliseconds interval_;
  Callback on_change_;
  FileSignature last_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started after every other member is ready
};

}  // namespace tg
