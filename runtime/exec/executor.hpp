#pragma once
// Executor: what `.compute()` calls. One process-wide default, chosen per call
// or globally as dask.config.set(scheduler=...):
//   "sync" (also "single-threaded"): the reference executor, one thread;
//   "threads": an in-process cluster of CAF actors (the default);
//   a Client: its cluster becomes the default while the Client lives.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera {

class Executor {
 public:
  virtual ~Executor() = default;
  /// "sync", "threads", "distributed", ...
  virtual std::string name() const = 0;
  /// Computes `outputs` of `graph` and returns their values in order. A failed
  /// task throws TaskError with its key, function and original message.
  virtual std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) = 0;
};

using ExecutorPtr = std::shared_ptr<Executor>;
using ExecutorFactory = std::function<ExecutorPtr()>;

/// Makes `name` available to set_scheduler()/compute(name). Returns true.
bool register_executor(const std::string& name, ExecutorFactory factory);

/// The executor called `name` ("" = the current default). Throws ValueError
/// naming the known schedulers when `name` is unknown.
ExecutorPtr get_executor(std::string_view name = {});

/// Drops the executors made by name (their clusters stop). Runs at exit,
/// before static destruction, so that no actor system outlives main's world.
void shutdown_executors();

namespace config {
/// Sets the process-wide default scheduler by name ("sync", "threads", ...).
void set_scheduler(const std::string& name);
/// Makes `executor` the default (a Client does this when it is created);
/// nullptr goes back to the named default.
void set_default_executor(ExecutorPtr executor);
/// The name of the current default scheduler.
std::string scheduler();

/// Sets the scheduler for a scope, as `with dask.config.set(scheduler=...)`.
class ScopedScheduler {
 public:
  explicit ScopedScheduler(const std::string& name);
  ~ScopedScheduler();
  ScopedScheduler(const ScopedScheduler&) = delete;
  ScopedScheduler& operator=(const ScopedScheduler&) = delete;

 private:
  std::string previous_name_;
  ExecutorPtr previous_executor_;
};
}  // namespace config

}  // namespace tessera
