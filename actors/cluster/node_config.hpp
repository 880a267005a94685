#pragma once
// The CAF configuration every Tessera process of a distributed cluster uses:
// the middleman (TCP), the protocol's message types, heartbeats on, direct
// connections between workers (so data never detours through the scheduler),
// CAF's own console logger off.
#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "net/tls_context.hpp"

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
  /// TLS (`--tls-cert/--tls-key/--tls-ca`): all set, the control plane runs
  /// through CAF's openssl module (both sides present a certificate signed
  /// by the CA; config openssl.certificate/key/cafile) and the data plane
  /// through Asio's ssl::stream. All empty: plain TCP.
  net::TlsOptions tls;
};

/// Shortens how long CAF's idle scheduler threads poll before sleeping, so
/// they do not preempt running tasks (configure_node does it too).
void calm_idle_threads(caf::actor_system_config& cfg);

/// Loads the middleman and the message types into `cfg` and applies `node`.
/// With `node.tls`, also loads caf::openssl::manager (after checking the files:
/// throws Error naming a missing one).
void configure_node(caf::actor_system_config& cfg, const NodeConfig& node = {});

/// Publishes `whom` on host:port (0: any free port) through TLS when `tls`
/// is on (CAF's openssl module, which configure_node loaded), else plainly.
caf::expected<std::uint16_t> publish_node(const caf::actor& whom, std::uint16_t port, const std::string& host,
                                          const net::TlsOptions& tls);
/// Closes the port publish_node opened for `whom`.
void unpublish_node(const caf::actor& whom, std::uint16_t port, const net::TlsOptions& tls);
/// Connects to the actor published at host:port, through TLS when `tls` is on.
caf::expected<caf::actor> remote_node(caf::actor_system& sys, const std::string& host, std::uint16_t port,
                                      const net::TlsOptions& tls);

}  // namespace tessera::actors
