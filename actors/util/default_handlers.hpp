#pragma once
// Guards against CAF 0.17's traps (shared/CAF-0.17.md §9): an unexpected
// message is logged and dropped instead of killing its sender, and an error
// message is logged instead of quitting the actor.
#include <caf/fwd.hpp>

namespace tessera::actors {

/// Installs the default and error handlers on `self`; `who` names it in logs.
void install_default_handlers(caf::scheduled_actor* self, const char* who);

}  // namespace tessera::actors
