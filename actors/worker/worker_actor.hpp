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
  std::uint64_t memory_limit = 0;  // bytes; 0: none
  std::string auth_token;          // the cluster secret, when the scheduler asks for one
};

/// Spawns a worker and registers it with `scheduler` (retrying while the
/// scheduler does not answer). The worker monitors the scheduler. It exits
/// with user_shutdown when the scheduler closes the cluster,
/// ProtocolError::scheduler_lost when the scheduler goes away, and
/// ProtocolError::refused when the scheduler refuses its cluster secret.
caf::actor spawn_worker(caf::actor_system& sys, caf::actor scheduler, WorkerOptions options);

}  // namespace tessera::actors
