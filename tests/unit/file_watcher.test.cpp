// SPDX-License-Identifier: BSD-3-Clause
// FileWatcher (config/file_watcher.hpp) directly, with a 5 ms poll: every wait is bounded and
// ends as soon as the expected call has come.
#include "config/file_watcher.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch_compat.hpp"
#include "temp_dir.hpp"

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kInterval{5};
constexpr milliseconds kPatience{3000};  // the longest a change may take to be reported
constexpr milliseconds kQuiet{60};       // twelve polls: time enough to see a stray call

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

/// The signatures the watcher reported, in order, and a bounded wait for the next ones.
class Calls {
 public:
  tg::FileWatcher::Callback callback() {
    return [this](const tg::FileSignature& s) {
      {
        const std::lock_guard lock(mutex_);
        seen_.push_back(s);
      }
      changed_.notify_all();
    };
  }
  /// Waits (at most kPatience) until the latest call reports a signature for which `want` is
  /// true; returns whether one did. An in-place write may be seen half done (truncated) first.
  template <class Want>
  bool wait_until(Want want) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return !seen_.empty() && want(seen_.back()); });
  }
  std::size_t count() {
    const std::lock_guard lock(mutex_);
    return seen_.size();
  }
  tg::FileSignature last() {
    const std::lock_guard lock(mutex_);
    REQUIRE_FALSE(seen_.empty());
    return seen_.back();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<tg::FileSignature> seen_;
};

}  // namespace

TEST_CASE("file watcher: file_signature", "[watcher]") {
  const tg::test::TempDir dir("tg-watch");
  const std::filesystem::path file = dir.path() / "policy.json";
  const tg::FileSignature missing = tg::file_signature(file.string());
  CHECK_FALSE(missing.exists);
  CHECK(missing.error == ENOENT);
  write(file, "12345");
  const tg::FileSignature a = tg::file_signature(file.string());
  CHECK(a.exists);
  CHECK(a.error == 0);
  CHECK(a.size == 5);
  CHECK(a.inode != 0);
  CHECK(a == tg::file_signature(file.string()));  // nothing changed, nothing differs
}

TEST_CASE("file watcher: reports each kind of change, once", "[watcher][runtime]") {
  const tg::test::TempDir dir("tg-watch");
  const std::filesystem::path file = dir.path() / "policy.json";
  write(file, "one");
  // A hard link keeps the inode allocated, so a replacement cannot reuse its number.
  std::filesystem::create_hard_link(file, dir.path() / "old");
  const tg::FileSignature original = tg::file_signature(file.string());
  Calls calls;
  const tg::FileWatcher watcher(file.string(), kInterval, calls.callback());

  SECTION("nothing changed: no call") {
    std::this_thread::sleep_for(kQuiet);
    CHECK(calls.count() == 0);
  }
  SECTION("content rewritten in place") {
    write(file, "two, longer");
    REQUIRE(calls.wait_until([](const tg::FileSignature& s) { return s.size == 11; }));
    CHECK(calls.last().inode == original.inode);
    const std::size_t n = calls.count();
    std::this_thread::sleep_for(kQuiet);
    CHECK(calls.count() == n);  // nothing more once the file is still
  }
  SECTION("only the modification time") {
    std::filesystem::last_write_time(
        file, std::filesystem::last_write_time(file) - std::chrono::hours(1));
    REQUIRE(calls.wait_until(
        [&](const tg::FileSignature& s) { return s.mtime_ns != original.mtime_ns; }));
    CHECK(calls.count() == 1);
    CHECK(calls.last().size == original.size);
  }
  SECTION("replaced by a rename (a new inode, the same bytes)") {
    write(dir.path() / "new.tmp", "one");
    std::filesystem::rename(dir.path() / "new.tmp", file);
    REQUIRE(
        calls.wait_until([&](const tg::FileSignature& s) { return s.inode != original.inode; }));
    CHECK(calls.count() == 1);  // a rename is atomic: one change
    CHECK(calls.last().size == original.size);
  }
  SECTION("deleted, then re-created") {
    std::filesystem::remove(file);
    REQUIRE(calls.wait_until([](const tg::FileSignature& s) { return !s.exists; }));
    CHECK(calls.count() == 1);
    CHECK(calls.last().error == ENOENT);
    std::this_thread::sleep_for(kQuiet);
    CHECK(calls.count() == 1);  // still missing is no further change
    write(file, "back");
    REQUIRE(calls.wait_until([](const tg::FileSignature& s) { return s.exists && s.size == 4; }));
  }
}

TEST_CASE("file watcher: a file missing at the start counts from its absence",
          "[watcher][runtime]") {
  const tg::test::TempDir dir("tg-watch");
  const std::filesystem::path file = dir.path() / "later.json";
  Calls calls;
  const tg::FileWatcher watcher(file.string(), kInterval, calls.callback());
  std::this_thread::sleep_for(kQuiet);
  CHECK(calls.count() == 0);
  write(file, "{}");
  REQUIRE(calls.wait_until([](const tg::FileSignature& s) { return s.exists && s.size == 2; }));
}

TEST_CASE("file watcher: a throwing callback does not stop the watching", "[watcher][runtime]") {
  const tg::test::TempDir dir("tg-watch");
  const std::filesystem::path file = dir.path() / "policy.json";
  write(file, "a");
  Calls calls;
  std::atomic<int> thrown{0};
  const tg::FileWatcher watcher(file.string(), kInterval,
                                [&, inner = calls.callback()](const tg::FileSignature& s) {
                                  const bool first = thrown++ == 0;  // counted before seen
                                  inner(s);
                                  if (first) throw std::runtime_error("first call");
                                });
  write(file, "bb");
  REQUIRE(calls.wait_until([](const tg::FileSignature& s) { return s.size == 2; }));
  CHECK(thrown >= 1);
  write(file, "ccc");
  CHECK(calls.wait_until([](const tg::FileSignature& s) { return s.size == 3; }));
}

TEST_CASE("file watcher: destruction is prompt and waits for a running callback",
          "[watcher][runtime]") {
  const tg::test::TempDir dir("tg-watch");
  const std::filesystem::path file = dir.path() / "policy.json";
  write(file, "a");

  SECTION("a long interval does not delay the destructor") {
    const auto start = Clock::now();
    {
      const tg::FileWatcher watcher(file.string(), std::chrono::hours(1),
                                    [](const tg::FileSignature&) {});
    }
    CHECK(Clock::now() - start < milliseconds(500));
  }
  SECTION("a callback running at destruction finishes first") {
    std::atomic<bool> entered{false};
    std::atomic<bool> finished{false};
    {
      const tg::FileWatcher watcher(file.string(), kInterval, [&](const tg::FileSignature&) {
        entered = true;
        std::this_thread::sleep_for(milliseconds(50));
        finished = true;
      });
      write(file, "changed");
      const auto deadline = Clock::now() + kPatience;
      while (!entered && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(1));
      REQUIRE(entered);
    }
    CHECK(finished);
  }
}
