#pragma once
// LocalCluster: a scheduler and workers as CAF actors in this process, as
// Dask's LocalCluster(processes=False). Owns its actor system; stopping the
// cluster (or destroying it) stops every actor.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

namespace tessera {

struct LocalClusterOptions {
  /// Workers; 0 = one.
  int n_workers = 1;
  /// Task threads per worker; 0 = this machine's cores divided among workers.
  int threads_per_worker = 0;
  /// Workers in processes of their own (the `tessera` program, started as
  /// `tessera worker` on loopback), as Dask's LocalCluster(processes=True);
  /// the scheduler stays in this process.
  bool processes = false;
  /// With processes: the tessera program (default: $TESSERA_PROGRAM, this
  /// executable when it is tessera, else `tessera` on PATH).
  std::string program = {};
  /// The cluster secret workers and clients must present (processes only).
  std::string auth_token = {};
  /// With processes: more arguments for each `tessera worker` (e.g. --plugin lib.so).
  std::vector<std::string> worker_args = {};
};

class LocalCluster {
 public:
  explicit LocalCluster(LocalClusterOptions options = {});
  LocalCluster(int n_workers, int threads_per_worker)
      : LocalCluster(LocalClusterOptions{n_workers, threads_per_worker}) {}
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  caf::actor_system& system();
  const caf::actor& scheduler() const;
  /// The in-process workers (empty with processes).
  const std::vector<caf::actor>& workers() const;
  bool processes() const noexcept { return options_.processes; }
  const std::string& auth_token() const noexcept { return options_.auth_token; }
  /// With processes: the worker processes' ids (tests kill them).
  std::vector<int> worker_pids() const;
  int n_workers() const noexcept { return options_.n_workers; }
  int threads_per_worker() const noexcept { return options_.threads_per_worker; }
  /// "tcp://127.0.0.1:PORT" with processes, else "inproc://tessera-<n>".
  std::string address() const;
  /// Stops every actor, but keeps the actor system's memory alive until the
  /// process ends. For clusters stopped at exit: by then CAF's thread-local
  /// state of the main thread is gone, and destroying the system would touch it.
  void stop_at_exit();

  /// Number of values held by each worker's store (tests: nothing leaked);
  /// with processes, as the scheduler sees them.
  std::vector<std::size_t> stored_per_worker();

 private:
  void start_in_process();
  void start_processes();
  void wait_for_workers(std::chrono::milliseconds timeout);
  /// Stops workers (closing worker processes) and the scheduler.
  void shutdown();

  struct Impl;
  LocalClusterOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
