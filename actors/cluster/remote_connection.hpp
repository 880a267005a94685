#pragma once
// RemoteConnection: this process's link to a scheduler in another process
// (`Client client{"tcp://host:8786"}`): an actor system with the middleman,
// and a proxy for the remote scheduler actor.
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "actors/cluster/node_config.hpp"

namespace tessera::actors {

class RemoteConnection {
 public:
  /// Connects, retrying until `timeout`; throws Error naming the address.
  RemoteConnection(const std::string& address, std::chrono::milliseconds timeout, NodeConfig node = {});
  ~RemoteConnection();
  RemoteConnection(const RemoteConnection&) = delete;
  RemoteConnection& operator=(const RemoteConnection&) = delete;

  caf::actor_system& system();
  const caf::actor& scheduler() const;
  /// Normalised "tcp://host:port".
  const std::string& address() const noexcept { return address_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string address_;
};

}  // namespace tessera::actors
