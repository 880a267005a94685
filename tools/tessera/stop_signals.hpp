#pragma once
// SIGINT / SIGTERM as a flag that long-running commands poll.
#include <atomic>

namespace tessera::tools {

/// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& stop_requested();

/// Also sets the flag when this process's parent goes away (it is then
/// re-parented): processes started by tests or a LocalCluster end with them,
/// even when the parent was killed without a chance to stop them.
void stop_with_parent();

}  // namespace tessera::tools
