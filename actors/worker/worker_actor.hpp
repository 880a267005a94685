#pragma once
// The worker actor: owns a WorkerState (data store and ready queue), a task
// actor per thread, fetches inputs from peers, and reports finished tasks to
// the scheduler in batches.
#include <caf/fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace tessera::actors {

struct WorkerDataPlane;
namespace fault {
class FaultInjector;
}

struct WorkerOptions {
  std::string name;
  std::uint32_t nthreads = 1;
  std::uint64_t memory_limit = 0;  // bytes; 0: none
  std::string auth_token;          // the cluster secret, when the scheduler asks for one
  /// Large values move on this worker's data plane (worker processes); null:
  /// every value travels in CAF messages (one process).
  std::shared_ptr<WorkerDataPlane> data_plane;
  /// The fault injector (`tessera worker --fault`); null: none. Shared by
  /// the workers of one process.
  std::shared_ptr<fault::FaultInjector> faults;
};

/// Spawns a worker and registers it with `scheduler` (retrying while the
/// scheduler does not answer). The worker monitors the scheduler. It exits
/// with user_shutdown when the scheduler closes the cluster,
/// ProtocolError::scheduler_lost when the scheduler goes away or declares
/// it lost (lost_atom: its heartbeats stopped or its messages were lost), and
/// ProtocolError::refused when the scheduler refuses its cluster secret.
caf::actor spawn_worker(caf::actor_system& sys, caf::actor scheduler, WorkerOptions options);

}  // namespace tessera::actors
