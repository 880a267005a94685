#include "actors/cluster/node_config.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>

#include "actors/protocol/message_types.hpp"

namespace tessera::actors {

void configure_node(caf::actor_system_config& cfg, const NodeConfig& node) {
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  cfg.set("middleman.heartbeat-interval", caf::timespan{node.heartbeat_interval});
  cfg.set("middleman.connection-timeout", caf::timespan{node.connection_timeout});
  // A proxy for an actor on a third node gets its own connection instead of
  // routing every message through the node that introduced it.
  cfg.set("middleman.enable-automatic-connections", node.automatic_connections);
  cfg.set("logger.console", caf::atom("none"));
  if (node.threads > 0) cfg.set("scheduler.max-threads", node.threads);
}

}  // namespace tessera::actors
