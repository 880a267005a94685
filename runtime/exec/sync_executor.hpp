#pragma once
// SyncExecutor: the synchronous reference executor. Runs tasks one at a time
// in the calling thread, in priority order, releasing each intermediate value
// as soon as its last dependent has run. Every other executor's results are
// tested against it.
#include "runtime/exec/executor.hpp"
#include "runtime/util/error.hpp"

namespace tessera {

class SyncExecutor final : public Executor {
 public:
  std::string name() const override { return "sync"; }
  std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) override;
};

/// Builds the TaskError for a failure of `task` (shared by every executor).
TaskError task_error(const TaskSpec& task, const std::exception& e);

}  // namespace tessera
