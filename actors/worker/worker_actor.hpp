#pragma once
// The worker actor: owns a WorkerState (data store and ready queue), a task
// actor per thread, fetches inputs from peers, and reports finished tasks to
// the scheduler in batches.
#include <caf/fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tessera::actors {

struct WorkerDataPlane;
namespace fault {
class FaultInjector;
}

/// Dask's memory thresholds, as fractions of the worker's memory limit (0:
/// that step is off). Memory management, every 100 ms while a limit is set:
///   1. target: the store's values in memory are kept under target * limit;
///      past it the least recently used are spilled to disk (SpillStore).
///   2. spill: when the process's resident memory passes spill * limit,
///      values are spilled, oldest first, whatever their total, until it is
///      back under target * limit or none is left in memory.
///   3. pause: past pause * limit the worker starts no new task and fetches
///      no new input; it resumes when memory is back under it.
///   4. terminate: past terminate * limit the worker's spill folder is
///      removed and its process restarted (WorkerOptions::restart); the
///      scheduler sees the worker lost and reschedules its work.
struct MemoryFractions {
  double target = 0.6, spill = 0.7, pause = 0.8, terminate = 0.95;
};

struct WorkerOptions {
  std::string name;
  std::uint32_t nthreads = 1;
  std::uint64_t memory_limit = 0;  // bytes; 0: none (no spilling, pausing or restarting)
  MemoryFractions memory;
  /// Where spilled values go (a folder of the worker's own is made in it);
  /// empty: the system's temporary directory.
  std::string local_directory;
  /// Step 4 of MemoryFractions: restarts the process (`tessera worker` execs
  /// itself); null: the worker quits with ProtocolError::scheduler_lost.
  std::function<void()> restart;
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
