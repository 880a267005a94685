#pragma once
// The "threads" executor: an in-process LocalCluster (one worker, a task
// thread per core) started on first use, as Dask's threaded scheduler.
#include "runtime/exec/executor.hpp"

namespace tessera {

/// Registers "threads" (and "local") with the executor registry. Called by
/// the inline variable below, so any program that includes this header (the
/// umbrella actors/tessera.hpp does) gets it.
bool register_threads_executor();

inline const bool threads_executor_registered = register_threads_executor();

}  // namespace tessera
