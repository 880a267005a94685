#pragma once
// FaultInjector: the decisions of the fault injector of one process (see
// fault_spec.hpp for what it can do and how it is turned on). A seeded
// generator decides the fate of each message; counters decide when a worker
// is killed or cut off; glob patterns decide which tasks fail. It acts on
// nothing itself: FaultChannel (messages) and task_faults.hpp (tasks) do.
//
// Which messages each fault touches (the protocol must survive it):
//   drop       every message a worker sends its scheduler. A heartbeat may
//              be lost (the next one follows in 0.5 s); the loss of any
//              other (done, fetched, steal reply) is detected by the
//              scheduler, which resets the worker's link (DeliveryAudit).
//              Never the scheduler's messages: nothing detects their loss.
//   duplicate  messages whose handlers are idempotent: heartbeat, done and
//              fetched (worker → scheduler); free, store, refresh, acquire,
//              clear and close (scheduler → worker). Never compute (a worker
//              would count a twice-queued task's inputs twice) nor steal
//              (a stale answer could clear a newer request).
//   delay      every message through the channel; order per destination is
//              kept (a slow link, not a reordering one).
//
// Thread-safety: every member may be called from any thread (the workers of
// one process share one injector).
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "actors/fault/fault_spec.hpp"

namespace tessera::actors::fault {

enum class MessageKind : std::uint8_t {
  // worker → scheduler
  heartbeat,
  done,
  fetched,
  steal_reply,
  // scheduler → worker
  compute,
  free,
  store,
  refresh,
  steal_request,
  acquire,
  clear,
  close,
  other,
};

std::string_view message_kind_name(MessageKind kind) noexcept;
/// The fault may touch this kind of message (see the table above).
constexpr bool may_drop(MessageKind kind) noexcept {
  return kind == MessageKind::heartbeat || kind == MessageKind::done || kind == MessageKind::fetched ||
         kind == MessageKind::steal_reply;
}
constexpr bool may_duplicate(MessageKind kind) noexcept {
  switch (kind) {
    case MessageKind::heartbeat:
    case MessageKind::done:
    case MessageKind::fetched:
    case MessageKind::free:
    case MessageKind::store:
    case MessageKind::refresh:
    case MessageKind::acquire:
    case MessageKind::clear:
    case MessageKind::close: return true;
    default: return false;
  }
}
/// Counted by the sender and the receiver, so that a loss is detected:
/// done, fetched and steal replies (heartbeats carry the sender's count).
constexpr bool audited(MessageKind kind) noexcept {
  return kind == MessageKind::done || kind == MessageKind::fetched || kind == MessageKind::steal_reply;
}

class FaultInjector {
 public:
  FaultInjector(FaultSpec spec, Role role);

  const FaultSpec& spec() const noexcept { return spec_; }
  Role role() const noexcept { return role_; }

  /// What happens to one message. `delay` is zero when it is not delayed.
  struct Fate {
    bool drop = false;
    bool duplicate = false;
    std::chrono::microseconds delay{0};
  };
  /// Draws the fate of the next message of `kind` (reproducible: the same
  /// seed and the same sequence of kinds give the same fates).
  Fate decide(MessageKind kind);
  /// True when some messages may be delayed (then every message goes
  /// through the actor clock, to keep the order per destination).
  bool delays_messages() const noexcept { return spec_.delay > 0 && spec_.max_delay.count() > 0; }

  /// The first fail pattern that `key` matches, or nullptr.
  const std::string* failing_pattern(std::string_view key) const;

  /// What finishing `n` more tasks in this process triggers: `kill` once
  /// the total reaches kill-after, `cut` (its duration) once it reaches
  /// cut-after. Each fires once per process.
  struct TaskEvent {
    bool kill = false;
    std::chrono::microseconds cut{0};
    std::uint64_t tasks = 0;  // tasks finished so far in this process
  };
  TaskEvent tasks_finished(std::size_t n);

  /// How many messages were dropped, duplicated and delayed so far.
  struct Counts {
    std::uint64_t dropped = 0, duplicated = 0, delayed = 0;
  };
  Counts counts() const;

 private:
  double uniform();  // in [0, 1); the caller holds mutex_

  const FaultSpec spec_;
  const Role role_;
  mutable std::mutex mutex_;
  std::uint64_t rng_;
  std::uint64_t tasks_ = 0;
  bool killed_ = false, cut_ = false;
  Counts counts_;
};

/// The injector a process runs with: nullptr when `spec` is empty (no
/// `--fault` given), so that a process without faults has no injector.
/// Throws ValueError for a bad spec (parse_fault_spec).
std::shared_ptr<FaultInjector> make_fault_injector(std::string_view spec, Role role);

}  // namespace tessera::actors::fault
