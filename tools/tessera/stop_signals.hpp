#pragma once
// SIGINT / SIGTERM as a flag that long-running commands poll.
#include <atomic>

namespace tessera::tools {

/// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& stop_requested();

}  // namespace tessera::tools
