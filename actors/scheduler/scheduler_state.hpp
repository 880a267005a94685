#pragma once
// SchedulerState: the one owner of task state, as Dask's scheduler. A plain
// class (no actor inside) that the scheduler actor drives and tests drive
// directly. Every call that changes state fills an Outbox with what must be
// sent; the actor sends it, batched per worker and per client.
//
// Task states: released → waiting → (queued) → processing → memory | erred,
// then forgotten when no client wants the key and no live task depends on it.
//
// Placement:
//  1. A ready task with dependencies goes at once to the worker holding most
//     of its input bytes; ties go to the least occupied worker.
//  2. A ready root task (no dependencies) waits in a priority queue; workers
//     are fed from it as they free up, each taking a run of consecutive
//     priorities, so siblings of a reduction land on the same worker and the
//     data in flight stays small (Dask's queuing). How many roots a worker
//     may hold depends on the measured task duration (≈2 ms of work a thread).
//
// Release:
//  1. A task's data is freed on its workers when every dependent has finished
//     and no client wants it; its record stays (state released) while live
//     dependents exist, so it can be recomputed from lineage.
//  2. A task is forgotten when no client wants it and it has no dependents;
//     forgetting cascades to its dependencies.
#include <caf/actor.hpp>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/container/inlined_vector.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/protocol/messages.hpp"

namespace tessera::actors {

enum class TaskState : std::uint8_t { released, waiting, queued, processing, memory, erred };

std::string_view task_state_name(TaskState s) noexcept;

struct ErrorInfo {
  std::string key, function, message;
};

struct TaskRecord {
  Key key;
  std::shared_ptr<const TaskSpec> spec;  // nullptr: data scattered by a client
  TaskState state = TaskState::released;
  std::uint32_t generation = 0;
  bool alive = false;
  std::int64_t priority = 0;
  std::vector<TaskId> deps;
  std::vector<TaskId> dependents;
  std::int32_t waiting_on = 0;  // dependencies not yet in memory
  std::int32_t waiters = 0;     // dependents not yet finished
  absl::InlinedVector<std::pair<ClientId, std::int32_t>, 1> wanted_by;
  absl::InlinedVector<WorkerId, 1> who_has;
  std::optional<WorkerId> processing_on;
  std::size_t nbytes = 0;
  std::shared_ptr<const ErrorInfo> error;

  bool wanted() const noexcept { return !wanted_by.empty(); }
};

struct WorkerRecord {
  caf::actor handle;
  std::string name;
  std::uint32_t nthreads = 1;
  bool alive = true;
  absl::flat_hash_set<TaskId> processing;
  absl::flat_hash_set<TaskId> has_what;
  std::size_t nbytes = 0;
};

struct ClientRecord {
  caf::actor handle;
  bool alive = true;
  absl::flat_hash_set<TaskId> wants;
};

/// What a state change asks the actor to send.
struct Outbox {
  std::map<WorkerId, ComputeBatch> compute;
  std::map<WorkerId, std::vector<TaskId>> free;
  std::map<WorkerId, StoreItems> store;
  std::map<ClientId, KeyReportBatch> reports;
  bool empty() const { return compute.empty() && free.empty() && store.empty() && reports.empty(); }
};

class SchedulerState {
 public:
  WorkerId add_worker(caf::actor handle, std::string name, std::uint32_t nthreads, Outbox& out);
  ClientId add_client(caf::actor handle);
  /// Releases every key the client wanted.
  void remove_client(ClientId client, Outbox& out);

  /// Adds a client's graph; keys already known are reused, not recomputed.
  void submit(ClientId client, const GraphSubmissionPtr& submission, Outbox& out);
  /// Records a worker's finished tasks and schedules what became ready.
  void tasks_finished(WorkerId worker, const OutcomeBatch& outcomes, Outbox& out);
  /// A worker now holds copies of these tasks' data (fetched from peers).
  void data_acquired(WorkerId worker, const std::vector<TaskId>& ids, Outbox& out);
  /// The client drops one reference to each key.
  void release(ClientId client, const std::vector<Key>& keys, Outbox& out);
  /// The client drops every reference to each key; its futures are cancelled.
  void cancel(ClientId client, const std::vector<Key>& keys, Outbox& out);
  /// Stores client data on workers (all of them when `broadcast`).
  void scatter(ClientId client, ScatterBatch items, bool broadcast, Outbox& out);

  SchedulerInfo info() const;
  std::size_t num_tasks() const noexcept { return key_index_.size(); }
  const TaskRecord* find(const Key& key) const;
  const caf::actor& worker_handle(WorkerId w) const { return workers_[w].handle; }
  const caf::actor& client_handle(ClientId c) const { return clients_[c].handle; }

 private:
  TaskRecord* get(TaskId id);
  TaskId create(Key key, std::shared_ptr<const TaskSpec> spec, std::int64_t priority);
  TaskId id_of(std::uint32_t slot) const;
  static std::uint32_t slot_of(TaskId id) { return static_cast<std::uint32_t>(id); }

  void add_wanter(TaskId id, ClientId client, Outbox& out);
  bool drop_wanter(TaskId id, ClientId client, bool all, Outbox& out);
  void make_ready(TaskId id, Outbox& out);
  void ensure_computed(TaskId id, Outbox& out);
  void assign(TaskId id, WorkerId worker, Outbox& out);
  std::optional<WorkerId> choose_worker(const TaskRecord& t) const;
  void fill_workers(Outbox& out);
  std::size_t root_capacity(const WorkerRecord& w) const;
  void finish_memory(TaskId id, WorkerId worker, std::size_t nbytes, Outbox& out);
  void finish_error(TaskId id, std::shared_ptr<const ErrorInfo> error, Outbox& out);
  void dependency_done(TaskId dep, Outbox& out);
  void release_data(TaskId id, Outbox& out);
  void maybe_forget(TaskId id, Outbox& out);
  void report(const TaskRecord& t, TaskId id, Outbox& out);

  std::vector<TaskRecord> tasks_;
  std::vector<std::uint32_t> free_slots_;
  absl::flat_hash_map<Key, std::uint32_t> key_index_;
  std::vector<WorkerRecord> workers_;
  std::vector<ClientRecord> clients_;
  // Ready root tasks, min-heap on (priority, id); stale entries are skipped.
  std::vector<std::pair<std::int64_t, TaskId>> root_queue_;
  std::vector<TaskId> no_worker_;  // ready tasks waiting for a worker to join
  std::int64_t next_priority_ = 0;
  double mean_task_seconds_ = 0.001;
};

}  // namespace tessera::actors
