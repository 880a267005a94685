#pragma once
// FaultChannel: how a worker sends to its scheduler, and the scheduler to
// its workers — the fault injector's place in the message path. Each actor
// owns one. Without an injector a message is sent as it is (one branch and
// a counter increment). With one, each message meets its fate (dropped,
// duplicated, delayed: FaultInjector::decide); delayed messages go through
// the actor clock at non-decreasing times per destination, so that a
// destination receives them in the order they were sent (a slow link).
//
// Loss detection and link reset. The protocol cannot survive a lost
// completion (the task would stay processing forever), fetch confirmation or
// steal reply, and CAF over TCP never loses one message alone; so a loss is
// detected and handled as a broken link:
//  1. The channel counts the audited messages it hands to the network (done,
//     fetched, steal replies; a duplicate counts twice, a dropped one once);
//     the worker puts the count in every heartbeat (WorkerMetrics::sent).
//  2. Messages between two actors arrive in order (delays here keep that
//     order), so when a heartbeat arrives every audited message sent before
//     it has arrived, unless it was lost. The scheduler compares the count
//     with what it received (DeliveryAudit).
//  3. On a loss it removes the worker, as a lost one (its tasks placed again,
//     its data recomputed), but without counting towards KilledWorker, and
//     tells it so (lost_atom).
//  4. The worker ends with scheduler_lost; its node registers a fresh worker
//     (as after a lost connection). A heartbeat from a worker the scheduler
//     no longer knows (declared lost while cut off or hung) is answered with
//     lost_atom as well.
#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_clock.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/make_message.hpp>

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <type_traits>

#include "actors/fault/fault_injector.hpp"
#include "actors/protocol/messages.hpp"

namespace tessera::actors::fault {

/// The kind of a message, from its atom and who sends it.
template <class Atom>
constexpr MessageKind kind_of(Role sender) noexcept {
  if constexpr (std::is_same_v<Atom, heartbeat_atom>) return MessageKind::heartbeat;
  else if constexpr (std::is_same_v<Atom, done_atom>) return MessageKind::done;
  else if constexpr (std::is_same_v<Atom, fetched_atom>) return MessageKind::fetched;
  else if constexpr (std::is_same_v<Atom, steal_atom>)
    return sender == Role::worker ? MessageKind::steal_reply : MessageKind::steal_request;
  else if constexpr (std::is_same_v<Atom, compute_atom>) return MessageKind::compute;
  else if constexpr (std::is_same_v<Atom, free_atom>) return MessageKind::free;
  else if constexpr (std::is_same_v<Atom, store_atom>) return MessageKind::store;
  else if constexpr (std::is_same_v<Atom, refresh_atom>) return MessageKind::refresh;
  else if constexpr (std::is_same_v<Atom, acquire_atom>) return MessageKind::acquire;
  else if constexpr (std::is_same_v<Atom, clear_atom>) return MessageKind::clear;
  else if constexpr (std::is_same_v<Atom, close_atom>) return MessageKind::close;
  else return MessageKind::other;
}

class FaultChannel {
 public:
  /// `faults` may be null (no injection). `sender`: who owns the channel.
  explicit FaultChannel(std::shared_ptr<FaultInjector> faults = nullptr, Role sender = Role::worker)
      : faults_(std::move(faults)), sender_(sender) {}

  /// Sends `atom, xs...` from `self` to `dest` (see above).
  template <class Atom, class... Ts>
  void send(caf::event_based_actor* self, const caf::actor& dest, Atom atom, Ts&&... xs) {
    if (!faults_) {
      if (audited(kind_of<Atom>(sender_))) ++sent_;
      self->send(dest, atom, std::forward<Ts>(xs)...);
      return;
    }
    send_message(self, dest, kind_of<Atom>(sender_), caf::make_message(atom, std::forward<Ts>(xs)...));
  }

  /// Audited messages handed to the network so far (see above).
  std::uint64_t sent() const noexcept { return sent_; }
  /// The injector (null when faults are off).
  FaultInjector* faults() const noexcept { return faults_.get(); }

 private:
  void send_message(caf::event_based_actor* self, const caf::actor& dest, MessageKind kind, caf::message msg);

  std::shared_ptr<FaultInjector> faults_;
  Role sender_;
  std::uint64_t sent_ = 0;
  // Delays: the release time of the last message to each destination.
  absl::flat_hash_map<caf::actor_addr, caf::actor_clock::time_point> release_;
};

}  // namespace tessera::actors::fault
