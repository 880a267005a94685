#pragma once
// Registers every protocol type with an actor system's configuration, under
// the same names in every process (CAF 0.17 matches types across nodes by
// name; an unregistered type arrives as an empty message).
#include <caf/fwd.hpp>

namespace tessera::actors {

void add_message_types(caf::actor_system_config& cfg);

}  // namespace tessera::actors
