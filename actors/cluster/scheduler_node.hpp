#pragma once
// SchedulerNode: a scheduler actor published on a TCP port, in its own actor
// system, for workers and clients in other processes (`tessera scheduler`,
// and LocalCluster with processes). Stopping it tells every worker to close,
// closes the port and stops the actor.
#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/cluster/node_config.hpp"
#include "actors/scheduler/scheduler_actor.hpp"

namespace tessera::actors {

struct SchedulerNodeOptions {
  /// Interface to listen on; loopback unless told otherwise.
  std::string host = "127.0.0.1";
  /// 0: any free port.
  std::uint16_t port = 8786;
  SchedulerActorOptions scheduler;
  NodeConfig node;
};

class SchedulerNode {
 public:
  /// Publishes the scheduler; throws Error naming the address when the port
  /// cannot be bound.
  explicit SchedulerNode(SchedulerNodeOptions options);
  ~SchedulerNode();
  SchedulerNode(const SchedulerNode&) = delete;
  SchedulerNode& operator=(const SchedulerNode&) = delete;

  /// "tcp://host:port" with the bound port.
  std::string address() const;
  std::uint16_t port() const noexcept { return port_; }
  caf::actor_system& system();
  const caf::actor& scheduler() const;
  /// Tells the workers to close, unpublishes, stops the scheduler. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

}  // namespace tessera::actors
