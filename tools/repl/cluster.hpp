#pragma once
// The REPL's connection: a Client of a remote scheduler or of an in-process
// cluster it starts, the dashboard's address, and an Executor that every
// .compute() goes through while the REPL runs. Waits poll
// interrupt_requested() (Ctrl-C): the running computation's keys are
// cancelled on the cluster and Interrupted is thrown.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "actors/tessera.hpp"

namespace tessera::tools {
class Dashboard;
}

namespace tessera::repl {

struct ClusterOptions {
  std::string address;       // "" = start an in-process cluster
  int workers = 1;
  int threads = 2;
  int dashboard_port = 8787; // in-process cluster: 0 any free port; -1 none
};

class ReplCluster {
 public:
  /// Connects or starts; throws Error when the scheduler cannot be reached.
  explicit ReplCluster(const ClusterOptions& options);
  ~ReplCluster();
  ReplCluster(const ReplCluster&) = delete;
  ReplCluster& operator=(const ReplCluster&) = delete;

  Client& client() noexcept { return *client_; }
  const std::string& address() const noexcept { return address_; }
  const std::string& dashboard() const noexcept { return dashboard_; }

 private:
  std::unique_ptr<Client> client_;
  std::unique_ptr<tools::Dashboard> dashboard_server_;
  std::shared_ptr<Executor> executor_;
  std::string address_, dashboard_;
};

/// Waits until no key is pending; on Ctrl-C cancels them and throws Interrupted.
void wait_interruptibly(actors::ClientCore& core, const std::vector<Key>& keys);

/// Submits `graph` and returns a future per key (the results stay on the cluster).
std::vector<Future<Value>> submit_keys(Client& client, const LayerPtr& layer, const std::vector<Key>& keys);

/// A layer that stands for keys already on the cluster, keeping their futures alive (persist).
LayerPtr persisted_layer(const std::vector<Future<Value>>& futures);

}  // namespace tessera::repl
