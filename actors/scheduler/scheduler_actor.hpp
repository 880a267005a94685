#pragma once
// The scheduler actor: decodes messages, drives SchedulerState, and sends
// what the state's Outbox holds (one message per worker and per client).
#include <caf/fwd.hpp>

namespace tessera::actors {

caf::actor spawn_scheduler(caf::actor_system& sys);

}  // namespace tessera::actors
