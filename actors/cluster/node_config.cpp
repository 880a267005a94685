#include "actors/cluster/node_config.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/function_view.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>

#include <cstdio>

#include "actors/cluster/openssl_error_queue.hpp"
#include "actors/protocol/message_types.hpp"

namespace tessera::actors {

void calm_idle_threads(caf::actor_system_config& cfg) {
  // CAF's idle scheduler threads poll their queues every 50 us for 500
  // rounds (25 ms) after every message before they sleep on a condition
  // variable. On a machine whose cores all run tasks, every timer tick (heartbeats,
  // the memory monitor) thus bought 25 ms of wake-ups every 50 us that
  // preempted the task threads: W6's BLAS ran 20-30% slower for it. A short
  // busy phase keeps hand-offs fast and lets idle threads sleep soon.
  cfg.set("work-stealing.moderate-poll-attempts", std::size_t{10});
}

void configure_node(caf::actor_system_config& cfg, const NodeConfig& node) {
  calm_idle_threads(cfg);
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  cfg.set("middleman.heartbeat-interval", caf::timespan{node.heartbeat_interval});
  cfg.set("middleman.connection-timeout", caf::timespan{node.connection_timeout});
  // A proxy for an actor on a third node gets its own connection instead of
  // routing every message through the node that introduced it.
  // Not with TLS: CAF 0.17 opens automatic connections through the plain
  // middleman, which a TLS port refuses (messages then route through the scheduler).
  cfg.set("middleman.enable-automatic-connections", node.automatic_connections && !node.tls.enabled());
  cfg.set("logger.console", caf::atom("none"));
  if (node.threads > 0) cfg.set("scheduler.max-threads", node.threads);
  if (node.tls.enabled()) {
    net::check_tls_files(node.tls);
    if (!openssl_error_queue_guarded())
      std::fprintf(stderr,
                   "tessera: warning: CAF's TLS sessions run without the error-queue workaround "
                   "(actors/cluster/openssl_error_queue.hpp); one refused TLS peer may close the others\n");
    cfg.load<caf::openssl::manager>();
    // CAF's sessions read these members (openssl.certificate, openssl.key,
    // openssl.cafile); a CA file turns on peer verification both ways.
    cfg.openssl_certificate = node.tls.cert;
    cfg.openssl_key = node.tls.key;
    cfg.openssl_cafile = node.tls.ca;
  }
}

caf::expected<std::uint16_t> publish_node(const caf::actor& whom, std::uint16_t port, const std::string& host,
                                          const net::TlsOptions& tls) {
  if (tls.enabled()) return caf::openssl::publish(whom, port, host.c_str(), true);
  return whom.home_system().middleman().publish(whom, port, host.c_str(), true);
}

void unpublish_node(const caf::actor& whom, std::uint16_t port, const net::TlsOptions& tls) {
  auto& sys = whom.home_system();
  if (!tls.enabled()) {
    sys.middleman().unpublish(whom, port);
    return;
  }
  // caf/openssl/unpublish.hpp does not compile in 0.17.6 (it leaves out the
  // actor): ask the openssl manager's middleman actor directly.
  auto f = caf::make_function_view(sys.openssl_manager().actor_handle());
  f(caf::unpublish_atom_v, caf::actor_cast<caf::actor_addr>(whom), port);
}

caf::expected<caf::actor> remote_node(caf::actor_system& sys, const std::string& host, std::uint16_t port,
                                      const net::TlsOptions& tls) {
  if (tls.enabled()) return caf::openssl::remote_actor(sys, host, port);
  return sys.middleman().remote_actor(host, port);
}

}  // namespace tessera::actors
