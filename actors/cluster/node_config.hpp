#pragma once
// The CAF configuration every Tessera process of a distributed cluster uses:
// the middleman (TCP), the protocol's message types, heartbeats on, direct
// connections between workers (so data never detours through the scheduler),
// CAF's own console logger off.
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace tessera::actors {

struct NodeConfig {
  /// CAF's transport heartbeat; a peer silent for `connection_timeout` is
  /// dropped (a hung or cut-off process). Must exceed the longest message
  /// transfer: big values go over the data plane, so control messages stay small.
  std::chrono::milliseconds heartbeat_interval{500};
  std::chrono::milliseconds connection_timeout{10'000};
  /// CAF scheduler threads (0: CAF's default).
  std::size_t threads = 0;
  /// Open direct connections to nodes learned about through others (workers
  /// fetching from peers). Off for clients: CAF 0.17's actor system could
  /// hang on shutdown while such a connection was being set up.
  bool automatic_connections = true;
};

/// Loads the middleman and the message types into `cfg` and applies `node`.
void configure_node(caf::actor_system_config& cfg, const NodeConfig& node = {});

}  // namespace tessera::actors
