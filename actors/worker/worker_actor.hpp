#pragma once
// The worker actor: owns a WorkerState (data store and ready queue), a task
// actor per thread, fetches inputs from peers, and reports finished tasks to
// the scheduler in batches.
#include <caf/fwd.hpp>

#include <cstdint>
#include <string>

namespace tessera::actors {

struct WorkerOptions {
  std::string name;
  std::uint32_t nthreads = 1;
};

/// Spawns a worker and registers it with `scheduler`.
caf::actor spawn_worker(caf::actor_system& sys, caf::actor scheduler, WorkerOptions options);

}  // namespace tessera::actors
