#pragma once
// Every message between the scheduler, workers, task actors and clients,
// declared once. Messages are batched: one message carries many tasks,
// completions or releases, never one network message per task on a hot path.
// Inside a process they travel by reference (task specs are shared, values
// share their payloads).
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/type_id.hpp>
#include <caf/actor.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/graph/optimize.hpp"
#include "runtime/value/value.hpp"

namespace tessera::actors {

/// A task's identity on the scheduler: slot index plus generation, so that a
/// reused slot never aliases an old task.
using TaskId = std::uint64_t;
using WorkerId = std::uint32_t;
using ClientId = std::uint32_t;

/// A graph submitted by a client: optimised tasks, their priorities and the
/// keys the client wants (it holds a reference to each).
struct GraphSubmission {
  OptimizedGraph graph;
  std::vector<Key> wanted;
};
using GraphSubmissionPtr = std::shared_ptr<const GraphSubmission>;

/// Where a dependency can be fetched from.
struct DepLocation {
  TaskId id = 0;
  Key key;
  std::vector<caf::actor> holders;  // workers that hold it
};

/// Scheduler → worker: run this task.
struct ComputeTask {
  TaskId id = 0;
  std::shared_ptr<const TaskSpec> spec;
  std::int64_t priority = 0;
  std::vector<DepLocation> deps;
};
using ComputeBatch = std::vector<ComputeTask>;

/// Worker → task actor: a task with its inputs resolved.
struct TaskRun {
  TaskId id = 0;
  std::shared_ptr<const TaskSpec> spec;
  std::vector<std::pair<Key, Value>> inputs;
};
using TaskRunBatch = std::vector<TaskRun>;

/// Task actor → worker → scheduler: how a task ended.
struct TaskOutcome {
  TaskId id = 0;
  bool ok = true;
  Value value;                  // when ok (not forwarded to the scheduler)
  std::size_t nbytes = 0;
  std::string error_key;        // when not ok: the failing (possibly fused) task, if not this one
  std::string error_function;
  std::string error_message;
  double start = 0, stop = 0;   // seconds since the epoch
};
using OutcomeBatch = std::vector<TaskOutcome>;

/// Scheduler → client: a wanted key finished.
struct KeyReport {
  Key key;
  enum class Status : std::uint8_t { finished, error, cancelled, lost } status = Status::finished;
  TaskId id = 0;
  std::vector<caf::actor> holders;
  std::size_t nbytes = 0;
  std::string error_key;  // the task that failed (may be a dependency of key)
  std::string error_function;
  std::string error_message;
};
using KeyReportBatch = std::vector<KeyReport>;

/// A value a client scatters to the cluster.
struct ScatterItem {
  Key key;
  Value value;
};
using ScatterBatch = std::vector<ScatterItem>;

/// Scheduler → worker: data to keep (scattered by a client).
using StoreItems = std::vector<std::pair<TaskId, Value>>;

/// Introspection: what the scheduler knows about one worker.
struct WorkerInfo {
  WorkerId id = 0;
  std::string name;
  std::uint32_t nthreads = 0;
  std::size_t processing = 0;
  std::size_t keys_in_memory = 0;
  std::size_t bytes_in_memory = 0;
  std::vector<std::string> keys;  // has_what
};

struct SchedulerInfo {
  std::vector<WorkerInfo> workers;
  std::size_t tasks_total = 0;
  std::size_t tasks_waiting = 0;
  std::size_t tasks_queued = 0;
  std::size_t tasks_processing = 0;
  std::size_t tasks_memory = 0;
  std::size_t tasks_erred = 0;
  std::size_t tasks_released = 0;
  std::size_t clients = 0;
};

/// Reply of a worker to get_data: values in the order asked; a missing key
/// has found == false.
struct DataReply {
  std::vector<Value> values;
  std::vector<char> found;
};

}  // namespace tessera::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::GraphSubmissionPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::ComputeBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::TaskRunBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::OutcomeBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::KeyReportBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::ScatterBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::SchedulerInfo)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::DataReply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<tessera::Key>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<tessera::actors::TaskId>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::StoreItems)

// Atoms (CAF 0.17.6's CAF_ADD_ATOM; an atom is at most 10 characters).
CAF_ADD_ATOM(tessera, tessera::actors, submit_atom, "submit")
CAF_ADD_ATOM(tessera, tessera::actors, release_atom, "release")
CAF_ADD_ATOM(tessera, tessera::actors, cancel_atom, "cancel")
CAF_ADD_ATOM(tessera, tessera::actors, register_atom, "register")
CAF_ADD_ATOM(tessera, tessera::actors, compute_atom, "compute")
CAF_ADD_ATOM(tessera, tessera::actors, run_atom, "run")
CAF_ADD_ATOM(tessera, tessera::actors, done_atom, "done")
CAF_ADD_ATOM(tessera, tessera::actors, free_atom, "free")
CAF_ADD_ATOM(tessera, tessera::actors, fetched_atom, "fetched")
CAF_ADD_ATOM(tessera, tessera::actors, get_data_atom, "get_data")
CAF_ADD_ATOM(tessera, tessera::actors, store_atom, "store")
CAF_ADD_ATOM(tessera, tessera::actors, scatter_atom, "scatter")
CAF_ADD_ATOM(tessera, tessera::actors, report_atom, "report")
CAF_ADD_ATOM(tessera, tessera::actors, info_atom, "info")
CAF_ADD_ATOM(tessera, tessera::actors, flush_atom, "flush")
CAF_ADD_ATOM(tessera, tessera::actors, client_atom, "client")
CAF_ADD_ATOM(tessera, tessera::actors, bye_atom, "bye")
