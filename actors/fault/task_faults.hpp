#pragma once
// The fault injector in a worker's task loop: tasks that fail on purpose
// (fail=GLOB), the process killed after N tasks (kill-after=N), and the
// worker cut off for a while (cut=T, cut-after=N). The worker actor calls
// these when it hands tasks to its task actors and when they finish.
#include <string>

#include "actors/fault/fault_injector.hpp"
#include "actors/protocol/messages.hpp"

namespace tessera::actors::fault {

/// Removes from `batch` the tasks whose key matches a fail pattern and
/// returns them as erred outcomes: the error names the key, the task's
/// function and the injected fault ("injected fault: fail=GLOB matches
/// this task's key"). They never run.
OutcomeBatch take_injected_failures(const FaultInjector& faults, TaskRunBatch& batch);

/// `n` tasks finished on `worker` (its name, for the log). When the process
/// total reaches kill-after, the process ends at once (_exit with
/// killed_exit_code: no destructors, no goodbye, as kill -9). When it
/// reaches cut-after, the calling actor stops for the cut's duration: it
/// handles no message and sends no heartbeat, so the scheduler declares it
/// lost; afterwards it learns so and registers again.
void on_tasks_finished(FaultInjector& faults, std::size_t n, const std::string& worker);

}  // namespace tessera::actors::fault
