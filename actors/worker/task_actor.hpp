#pragma once
// The task actor: runs batches of tasks for its worker, one at a time, and
// reports their outcomes. A worker has one task actor per thread.
#include <caf/fwd.hpp>

#include "actors/protocol/messages.hpp"

namespace tessera::actors {

/// Runs one task with its resolved inputs; never throws (failures become
/// an outcome with ok == false carrying the function name and message).
TaskOutcome run_one(const TaskRun& run);

/// Spawns a task actor that answers (run_atom, TaskRunBatch) by sending
/// (done_atom, index, OutcomeBatch) back to `worker`.
caf::actor spawn_task_actor(caf::actor_system& sys, caf::actor worker, std::uint32_t index);

}  // namespace tessera::actors
