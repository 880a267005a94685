#pragma once
// LocalCluster: a scheduler and workers as CAF actors in this process, as
// Dask's LocalCluster(processes=False). Owns its actor system; stopping the
// cluster (or destroying it) stops every actor.
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
  const std::vector<caf::actor>& workers() const;
  int n_workers() const noexcept { return options_.n_workers; }
  int threads_per_worker() const noexcept { return options_.threads_per_worker; }
  /// "inproc://tessera-<n>"
  std::string address() const;
  /// Stops every actor, but keeps the actor system's memory alive until the
  /// process ends. For clusters stopped at exit: by then CAF's thread-local
  /// state of the main thread is gone, and destroying the system would touch it.
  void stop_at_exit();

  /// Number of values held by each worker's store (tests: nothing leaked).
  std::vector<std::size_t> stored_per_worker();

 private:
  struct Impl;
  LocalClusterOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
