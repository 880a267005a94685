#pragma once
// The scheduler actor: decodes messages, drives SchedulerState, and sends
// what the state's Outbox holds (one message per worker and per client).
// It monitors every worker and client: a worker that dies or stops
// heartbeating is removed (its work rescheduled), a client that disconnects
// has its keys released. A worker whose heartbeat shows that messages it
// sent were lost is removed too and told it is lost (lost_atom), as is a
// worker that heartbeats after being removed: its node registers a fresh one
// (actors/fault/fault_channel.hpp). Messages to workers go through the
// fault injector's channel (`--fault`; a plain send without one).
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {

namespace fault {
class FaultInjector;
}

struct SchedulerActorOptions {
  /// Cluster secret: workers and clients must present it (empty: no check).
  std::string auth_token;
  /// A worker whose heartbeats stop for this long is declared lost.
  std::chrono::milliseconds worker_timeout{5000};
  /// How often the scheduler checks heartbeats and balances work.
  std::chrono::milliseconds tick{100};
  /// The state machine's knobs (allowed_failures, ...).
  SchedulerOptions state;
  /// The fault injector on its messages to workers (`--fault`); null: none.
  std::shared_ptr<fault::FaultInjector> faults;
  /// Record what the dashboard shows (task stream, completions; a little
  /// work per task). Snapshots (dashboard_atom) are answered either way.
  bool dashboard = false;
};

caf::actor spawn_scheduler(caf::actor_system& sys, SchedulerActorOptions options = {});

}  // namespace tessera::actors
