// SPDX-License-Identifier: BSD-3-Clause
#include "engine/engine.hpp"

#include <unistd.h>

#include <array>
#include <cstring>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "audit/event_format.hpp"
#include "audit/event_log.hpp"
#include "config/file_watcher.hpp"
#include "config/loader.hpp"
#include "name/psl.hpp"

namespace tg {
namespace {

/// The prefix of built-in policy names: such a path never names a file and is never watched.
constexpr std::string_view kBuiltinPrefix = "builtin:";

bool is_builtin(std::string_view path) noexcept { return path.starts_with(kBuiltinPrefix); }

std::uint64_t next_engine_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

LoadResult load(const std::string& path) {
  if (path == kDemoPolicyName) return load_default_policy();
  if (is_builtin(path)) {
    LoadResult r;
    r.errors.push_back(PolicyError{
        path, 0, {}, fmt::format("no such built-in policy: the only one is {}", kDemoPolicyName)});
    return r;
  }
  return load_policy_file(path);
}

std::string first_errors(const LoadResult& result) {
  std::string text;
  for (const PolicyError& e : result.errors) {
    if (!text.empty()) text += "; ";
    text += e.to_string();
  }
  return text.empty() ? std::string("the policy could not be loaded") : text;
}

/// The last policy that loaded in this process, by path: what a resolver keeps in force when
/// its policy file turns bad between two reloads. Not per query.
struct LastGood {
  std::mutex mutex;
  std::string path;
  std::shared_ptr<const Snapshot> snapshot;
};

LastGood& last_good() {
  static LastGood instance;
  return instance;
}

/// Loads and compiles the policy at `path`, remembered as the last good one for that path.
/// Throws EngineError(Policy) with the loader's errors.
std::shared_ptr<const Snapshot> load_snapshot(const std::string& path) {
  LoadResult result = load(path);
  if (!result.ok()) throw EngineError(EngineError::Kind::Policy, first_errors(result));
  std::shared_ptr<const Snapshot> snap = Snapshot::compile(std::move(*result.policy));
  LastGood& lg = last_good();
  const std::lock_guard lock(lg.mutex);
  lg.path = path;
  lg.snapshot = snap;
  return snap;
}

/// The labels of the existing zone that owns a negative answer's SOA for `name`: its public
/// suffix when the list names it (not merely the "*" rule), else 0 (the root).
std::size_t soa_owner_labels(const NameInfo& name, bool private_suffixes) {
  const std::size_t n = name.suffix_labels;
  if (n == 0 || n > name.labels.size()) return 0;
  const PublicSuffixList& psl = PublicSuffixList::instance();
  if (n == 1) {  // the common case, a TLD: its label as it is, nothing joined
    return psl.is_public_suffix(name.labels.back().ascii, private_suffixes, true) ? 1 : 0;
  }
  return psl.is_public_suffix(name.tail(name.labels.size() - n, false), private_suffixes, true) ? n
                                                                                                : 0;
}

}  // namespace

Engine::Engine(std::string policy_path, std::shared_ptr<const Snapshot> snapshot)
    : id_(next_engine_id()), path_(std::move(policy_path)), snapshot_(std::move(snapshot)) {}

Engine::~Engine() {
  watcher_.reset();  // joins the watcher thread first: it may touch events_
  events_.reset();   // flushes and joins the writer
}

std::unique_ptr<Engine> Engine::open(const std::string& policy_path) {
  if (policy_path.empty()) {
    throw EngineError(EngineError::Kind::Argument,
                      fmt::format("no policy named: give the path of a policy file, or {} for "
                                  "the embedded demo policy",
                                  kDemoPolicyName));
  }
  return std::unique_ptr<Engine>(new Engine(policy_path, load_snapshot(policy_path)));
}

std::unique_ptr<Engine> Engine::open_last_good(const std::string& policy_path) {
  std::shared_ptr<const Snapshot> snap;
  {
    LastGood& lg = last_good();
    const std::lock_guard lock(lg.mutex);
    if (lg.snapshot && lg.path == policy_path) snap = lg.snapshot;
  }
  if (!snap) return nullptr;
  return std::unique_ptr<Engine>(new Engine(policy_path, std::move(snap)));
}

void Engine::reload() {
  snapshot_.store(load_snapshot(path_));
  generation_.fetch_add(1);
  target_event_log(*snapshot_.load());
}

Evaluation Engine::evaluate(std::span<const std::uint8_t> qname, std::uint16_t qtype,
                            std::span<const ClientAddress> clients) const {
  const Snapshot& snap = current();
  const Policy& policy = snap.policy();
  const NameInfo name = analyse_wire_name(qname.data(), qname.size(), PublicSuffixList::instance(),
                                          policy.private_suffixes);
  // Built in place: the match's strings are neither copied nor moved.
  Evaluation e{snap.classify(name), ClientsDecision{}, &policy};
  if (e.match.is_lookalike()) {
    e.decision = decide_for_clients(e.match, policy, qtype, clients);
    // Only a block answer carries the SOA on the common path: the ~150 instructions of the
    // listed-suffix check are not spent on look-alikes that resolve.
    if (e.decision.blocks()) e.soa_owner_labels = soa_owner_labels(name, policy.private_suffixes);
  }
  return e;
}

bool Engine::is_lookalike(std::span<const std::uint8_t> qname) const {
  const Snapshot& snap = current();
  if (!snap.may_be_lookalike(qname.data(), qname.size())) return false;
  const NameInfo name = analyse_wire_name(qname.data(), qname.size(), PublicSuffixList::instance(),
                                          snap.policy().private_suffixes);
  return snap.classify(name).is_lookalike();
}

bool Engine::record(const audit::Event& event) noexcept {
  if (!events_ || !events_enabled_.load(std::memory_order_relaxed)) return true;
  // On the resolver's stack: the line is copied into the writer's queue, never allocated here.
  std::array<char, audit::kMaxEventLine> line;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  const std::size_t n = audit::format_event_into(line.data(), line.size(), event,
                                                 std::chrono::system_clock::now(), hostname_);
  if (n == 0) {
    count_dropped();
    return false;
  }
  events_->submit(std::string_view(line.data(), n));
  return true;
}

void Engine::count_dropped() noexcept { format_failures_.fetch_add(1); }

void Engine::flush() noexcept {
  if (events_) events_->flush();
}

std::string Engine::describe() const {
  const auto snap = snapshot_.load();
  const Policy& p = snap->policy();
  return fmt::format(
      "{} (revision {}, mode {}; protected domains: {}, blocked suffixes: {}, allow-list "
      "entries: {}; public suffixes from {})",
      p.source, p.revision, p.mode == Mode::Monitor ? "monitor" : "enforce",
      p.protected_domains.size(), p.blocked_suffixes.size(), p.allow.size(),
      PublicSuffixList::instance().source());
}

EngineStats Engine::stats() const noexcept {
  EngineStats s;
  if (events_) {
    const audit::EventLogStats es = events_->stats();
    s.events_queued = es.queued;
    s.events_written = es.written;
    s.events_dropped = es.dropped;
    s.event_log_reopens = es.reopens;
  }
  s.events_dropped += format_failures_.load();
  s.reloads = reloads_.load();
  s.reload_failures = reload_failures_.load();
  s.policy_generation = generation_.load();
  if (const std::shared_ptr<const Snapshot> snapshot = snapshot_.load()) {
    s.policy_bytes = snapshot->memory_bytes();
  }
  return s;
}

void Engine::report(LogLevel level, const std::string& message) const noexcept {
  if (runtime_.log) runtime_.log(level, message);
}

void Engine::target_event_log(const Snapshot& snap) noexcept {
  if (!events_) return;
  const std::string& path =
      !runtime_.event_log_path.empty() ? runtime_.event_log_path : snap.policy().event_log_path;
  events_->set_path(path);
  events_enabled_.store(!path.empty());
}

void Engine::on_policy_file_change(const FileSignature& sig) noexcept {
  try {
    if (!sig.exists) {
      reload_failures_.fetch_add(1);
      report(LogLevel::Error,
             fmt::format("policy file {} cannot be read ({}); the policy in force (revision {}) "
                         "stays",
                         path_, std::strerror(sig.error), snapshot_.load()->policy().revision));
      return;
    }
    try {
      snapshot_.store(load_snapshot(path_));
    } catch (const EngineError& e) {
      reload_failures_.fetch_add(1);
      report(LogLevel::Error, fmt::format("changed policy file rejected, revision {} stays in "
                                          "force: {}",
                                          snapshot_.load()->policy().revision, e.what()));
      return;
    } catch (const std::exception& e) {
      reload_failures_.fetch_add(1);
      report(LogLevel::Error,
             fmt::format("changed policy file rejected, revision {} stays in force: {} while "
                         "reloading; the previous policy stays",
                         snapshot_.load()->policy().revision, e.what()));
      return;
    }
    generation_.fetch_add(1);
    reloads_.fetch_add(1);
    const auto snap = snapshot_.load();
    target_event_log(*snap);
    const Policy& p = snap->policy();
    report(LogLevel::Info,
           fmt::format("policy file changed, now in force: {} (revision {}; protected domains: "
                       "{})",
                       p.source, p.revision, p.protected_domains.size()));
    if (runtime_.on_swap) runtime_.on_swap();
  } catch (...) {
    report(LogLevel::Error, "unexpected failure while reloading the policy file");
  }
}

void Engine::start(EngineRuntime runtime) {
  if (events_ || watcher_) {
    throw EngineError(EngineError::Kind::Argument, "the engine is already started");
  }
  runtime_ = std::move(runtime);
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) == 0) hostname_ = host.data();
  events_ = std::make_unique<audit::EventLog>(
      runtime_.event_queue_size, [this](audit::Severity s, const std::string& message) {
        const LogLevel level = s == audit::Severity::Error     ? LogLevel::Error
                               : s == audit::Severity::Warning ? LogLevel::Warning
                                                               : LogLevel::Info;
        report(level, message);
      });
  target_event_log(*snapshot_.load());
  if (runtime_.watch_interval.count() > 0 && !is_builtin(path_)) {
    watcher_ = std::make_unique<FileWatcher>(
        path_, runtime_.watch_interval,
        [this](const FileSignature& sig) { on_policy_file_change(sig); });
  }
}

}  // namespace tg
