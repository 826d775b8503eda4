// SPDX-License-Identifier: BSD-3-Clause
#include "config/file_watcher.hpp"

#include <cerrno>
#include <utility>

#include <sys/stat.h>

namespace tg {

FileSignature file_signature(const std::string& path) noexcept {
  FileSignature s;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    s.error = errno;
    return s;
  }
  s.exists = true;
  s.device = st.st_dev;
  s.inode = st.st_ino;
  s.size = static_cast<unsigned long long>(st.st_size);
  s.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<long long>(st.st_ctim.tv_sec) * 1'000'000'000LL + st.st_ctim.tv_nsec;
  return s;
}

FileWatcher::FileWatcher(std::string path, std::chrono::milliseconds interval, Callback on_change)
    : path_(std::move(path)),
      interval_(interval),
      on_change_(std::move(on_change)),
      last_(file_signature(path_)),
      thread_([this] { run(); }) {}

FileWatcher::~FileWatcher() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FileWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    const FileSignature now = file_signature(path_);
    if (now == last_) continue;
    last_ = now;
    lock.unlock();
    try {
      on_change_(now);
    } catch (...) {  // the callback reports its own failures; a stray exception ends nothing
    }
    lock.lock();
  }
}

}  // namespace tg
