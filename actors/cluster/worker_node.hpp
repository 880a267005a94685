#pragma once
// A worker process's main loop (`tessera worker`): connects to a remote
// scheduler, runs `nworkers` worker actors, and keeps them connected. When
// the scheduler is lost the workers stop and the node reconnects with
// backoff, registering fresh workers, until `death_timeout` passes without
// a scheduler; when the scheduler says close, the node ends.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/cluster/node_config.hpp"
#include "actors/worker/worker_actor.hpp"

namespace tessera::actors {

namespace fault {
class FaultInjector;
}

struct WorkerNodeOptions {
  std::string scheduler_address;  // tcp://HOST:PORT
  std::string name;               // default: host-pid; "-i" added per worker when nworkers > 1
  std::uint32_t nthreads = 0;     // task threads per worker; 0: cores / nworkers
  /// Workers in this process. `tessera worker --nworkers N` never uses more
  /// than 1: it runs N processes of one worker each (cluster_commands.cpp),
  /// because the memory steps 2-4 of MemoryFractions measure the process's
  /// memory, which cannot be attributed to one of several workers sharing
  /// it: here, each worker would compare the whole process's memory with its
  /// own limit, and one past its terminate fraction restarts the process,
  /// taking every worker of it down (all re-register after the restart).
  int nworkers = 1;
  std::uint64_t memory_limit = 0;  // bytes per worker; 0: none
  MemoryFractions memory;          // spill, pause and restart thresholds (worker_actor.hpp)
  /// Where the workers spill (each makes a folder of its own in it, removed
  /// when the node ends); empty: the system's temporary directory.
  std::string local_directory;
  std::string auth_token;
  std::chrono::milliseconds death_timeout{60'000};
  /// Interface the workers listen on for peers and clients.
  std::string listen_host = "127.0.0.1";
  NodeConfig node;
  /// The fault injector (`--fault`), shared by the node's workers; null: none.
  std::shared_ptr<fault::FaultInjector> faults;
};

/// How run_worker_node ended.
enum class WorkerNodeExit : int {
  closed = 0,            // the scheduler closed the cluster, or stop was requested
  unreachable = 1,       // no scheduler for death_timeout
  refused = 2,           // the scheduler refused us (cluster secret)
};

/// Restarts this process in place (the same program, arguments and process
/// id): every descriptor but stdin/out/err closes, so the scheduler sees its
/// workers lost. Returns only when the exec failed.
void restart_this_process();

/// Removes the spill folders this process (this process id) left in
/// `local_directory` (empty: the temporary directory).
void remove_spill_folders(const std::string& local_directory);

/// Runs the node until it ends; `stop` (set from a signal handler) ends it
/// early. Its actor system is left running (a task in progress cannot be
/// interrupted): the caller ends the process with _Exit afterwards.
WorkerNodeExit run_worker_node(const WorkerNodeOptions& options, const std::atomic<bool>& stop);

}  // namespace tessera::actors
