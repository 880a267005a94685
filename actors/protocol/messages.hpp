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
  /// The tasks already serialised (by a client of a remote cluster, so that
  /// an unsendable function fails at submission); empty otherwise.
  std::vector<std::string> encoded_tasks;
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
  /// When not ok: the task never ran because an input could not be fetched
  /// (its holder died or no longer had it). The scheduler drops the stale
  /// holder and reschedules the task; it never errs the task for this.
  bool missing_data = false;
  TaskId missing_dep = 0;       // the input that could not be fetched
  caf::actor missing_from;      // the holder it was asked from (null: none was left)
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
  std::string error_message;    // for cancelled: the reason, when there is one ("cluster restarted")
  /// Which exception the client raises for an error: empty for a task that
  /// raised (TaskError), "KilledWorker" when its workers kept dying.
  std::string error_type;
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

/// A large value a client scatters over the data plane: the scheduler names
/// the workers to push it to (holders), the client pushes it to their data
/// servers, then reports where it landed (holders that took it, nbytes).
struct PlacedValue {
  Key key;
  std::size_t nbytes = 0;
  std::vector<caf::actor> holders;
};
using ScatterPlacement = std::vector<PlacedValue>;

/// What a worker reports in each heartbeat.
/// Something a worker did besides running tasks, for the dashboard's task
/// stream: a transfer of inputs from a peer, or values written to disk or
/// read back. Sent with the next heartbeat.
struct WorkerActivity {
  enum Kind : std::uint8_t { transfer = 1, spill = 2, unspill = 3 };
  std::uint8_t kind = transfer;
  double start = 0, stop = 0;  // the worker's clock (seconds since the epoch)
  std::uint64_t bytes = 0;
  std::uint32_t count = 0;     // values moved
  std::string key;             // the first of them
};

struct WorkerMetrics {
  double cpu = 0;                       // percent of one core, over the last interval
  std::size_t memory_rss = 0;           // resident bytes of the worker process
  std::size_t memory_limit = 0;         // bytes; 0: none
  std::uint32_t executing = 0;          // tasks running now
  std::uint32_t ready = 0;              // tasks queued on the worker, inputs present
  std::uint32_t in_flight = 0;          // inputs being fetched
  std::size_t bytes_in_memory = 0;      // the store's bytes in memory
  std::size_t bytes_spilled = 0;        // the store's bytes spilled to disk
  std::uint64_t spilled_total = 0;      // bytes written to disk since the worker started
  std::uint64_t unspilled_total = 0;    // bytes read back since the worker started
  double spill_seconds = 0;             // time spent writing them
  double unspill_seconds = 0;           // time spent reading them back
  bool paused = false;                  // process memory past the pause threshold: starts no tasks
  double time = 0;                      // the worker's clock (seconds since the epoch)
  /// Audited messages (done, fetched, steal replies) the worker sent before
  /// this heartbeat: the scheduler detects lost ones (fault/fault_channel.hpp).
  std::uint64_t sent = 0;
  /// Transfers and spills since the last heartbeat (bounded); the scheduler
  /// hands them to the dashboard and does not keep them.
  std::vector<WorkerActivity> activity;
};

/// Introspection: what the scheduler knows about one worker.
struct WorkerInfo {
  WorkerId id = 0;
  std::string name;
  std::uint32_t nthreads = 0;
  std::size_t processing = 0;
  std::size_t keys_in_memory = 0;
  std::size_t bytes_in_memory = 0;
  std::vector<std::string> keys;  // has_what
  WorkerMetrics metrics;          // from its last heartbeat
  double last_seen = 0;           // its last heartbeat (or registration), scheduler's clock
  double occupancy = 0;           // seconds of assigned work per thread (estimated)
  bool retiring = false;          // being retired: gets no new work
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
/// has found == false. A large value (SharedValues::threshold) is not in the
/// message: on_data_plane[i] is set, and the asker streams it from the
/// holder's data server at data_address.
struct DataReply {
  std::vector<Value> values;
  std::vector<char> found;
  std::vector<char> on_data_plane;  // empty: none
  std::string data_address;
};

}  // namespace tessera::actors

// Between a worker and its own task actors only: never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::TaskRunBatch)
// Every other message type is serialisable (wire.hpp) and registered with
// each actor system by add_message_types (message_types.hpp).
#include "actors/protocol/wire.hpp"

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
CAF_ADD_ATOM(tessera, tessera::actors, close_atom, "close")
CAF_ADD_ATOM(tessera, tessera::actors, heartbeat_atom, "heartbeat")
CAF_ADD_ATOM(tessera, tessera::actors, tick_atom, "tick")
CAF_ADD_ATOM(tessera, tessera::actors, refresh_atom, "refresh")
CAF_ADD_ATOM(tessera, tessera::actors, steal_atom, "steal")
CAF_ADD_ATOM(tessera, tessera::actors, acquire_atom, "acquire")
CAF_ADD_ATOM(tessera, tessera::actors, clear_atom, "clear")
CAF_ADD_ATOM(tessera, tessera::actors, retire_atom, "retire")
CAF_ADD_ATOM(tessera, tessera::actors, restart_atom, "restart")
CAF_ADD_ATOM(tessera, tessera::actors, publish_atom, "publish")
CAF_ADD_ATOM(tessera, tessera::actors, dataset_atom, "dataset")
CAF_ADD_ATOM(tessera, tessera::actors, unpublish_atom, "unpublish")
CAF_ADD_ATOM(tessera, tessera::actors, want_atom, "want")
// Scheduler → worker: you were declared lost (heartbeats stopped, or messages
// were lost): end, and let the node register a fresh worker.
CAF_ADD_ATOM(tessera, tessera::actors, lost_atom, "lost")
CAF_ADD_ATOM(tessera, tessera::actors, plane_atom, "plane")
// Client → scheduler: large values pushed to workers' data servers are placed;
// scheduler → worker: keep the pushed values of these keys under these ids.
CAF_ADD_ATOM(tessera, tessera::actors, adopt_atom, "adopt")
// Client → scheduler: where to push large values (answered with a placement).
CAF_ADD_ATOM(tessera, tessera::actors, place_atom, "place")
// Dashboard → scheduler (same process): a snapshot (actors/scheduler/dashboard_snapshot.hpp).
CAF_ADD_ATOM(tessera, tessera::actors, dashboard_atom, "dashboard")
