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
//
// Worker loss (remove_worker; worker_loss.cpp), as Ray's object recovery:
//  1. The worker's queued messages are dropped from the Outbox, and its
//     handle from the holders listed in messages still queued for others.
//  2. Each task processing on it counts one more death; one death beyond
//     allowed_failures errs it with KilledWorker (dependents err, clients are
//     told); the others go back to waiting and are placed again.
//  3. It leaves the holders of every key it held. A key with other holders
//     stays in memory; its dependents processing elsewhere that would fetch
//     it are re-sent with the holders left (Outbox::refresh), and clients
//     that want it are sent it again with those holders (a client gathers
//     from the holders it was last told of).
//  4. A key it alone held is lost: its waiting dependents wait on it again,
//     and if still needed (wanted, or an unfinished dependent) it is
//     recomputed from lineage, walking back through inputs whose data was
//     released too. Scattered data has no lineage: it errs, with its
//     dependents. Dependents processing elsewhere are re-sent with no holder
//     for it: their worker reports them as missing data.
//  5. A worker that could not fetch an input reports missing data
//     (TaskOutcome::missing_data): the holder it asked is dropped, the input
//     recomputed if nobody holds it now, and the task placed again; it is
//     never erred for this.
//
// Work stealing (balance, steal_confirmed; work_stealing.cpp):
//  1. Occupancy of a worker = tasks assigned to it × the measured mean task
//     duration / its threads. Thieves are workers with a free thread; the
//     balanced level is all assigned tasks over all threads.
//  2. A victim holding more than its share (and more than one task a
//     thread) is asked to give back its excess, latest-priority tasks first
//     (the ones it will run last), skipping tasks whose inputs would take
//     longer to move than to compute, and only when the work moved is worth
//     steal_min_seconds. One request per victim is in flight at a time.
//  3. The victim answers with the tasks it had not started
//     (steal_confirmed); they go to the least occupied other worker (the one
//     holding most of their inputs first). Started ones stay.
//  Tried when a worker joins, when a worker's batch leaves a thread free,
//  and whenever the actor calls balance (periodically, e.g. every 100 ms).
//
// Paused workers (heartbeat; as Dask's Status.paused): a worker past its
// memory pause threshold says so in its heartbeats (and at once when it
// changes). While paused:
//  1. It gets no new task: placement (choose_worker), the root queue
//     (fill_workers) and stealing skip it as a thief; it still takes data
//     (scatter, retire copies) and keeps what it was given.
//  2. It is a victim of stealing: beyond one task a thread (those it runs
//     first), its tasks go to running workers, whatever their inputs cost
//     to move (it may stay paused for long); started ones stay.
//  3. With no running worker left, ready tasks wait (root queue, no_worker_),
//     never lost; when a worker resumes (or joins) they are placed at once.
//
// Graceful retire (retire_workers; retire.cpp):
//  1. The workers stop getting work; their assigned tasks are offered to
//     others through steal requests (started ones finish where they are).
//  2. Once a retiring worker processes nothing, every key that no other
//     staying worker holds is copied to the staying worker with the least
//     data (Outbox::acquire); copies are confirmed by data_acquired.
//  3. When it holds nothing unique, it leaves the state and the actor is
//     told it may close it (Outbox::close); clients wanting its keys are
//     re-sent their remaining holders. Nothing is recomputed.
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

struct DashboardSnapshot;
struct DashboardQuery;

enum class TaskState : std::uint8_t { released, waiting, queued, processing, memory, erred };

std::string_view task_state_name(TaskState s) noexcept;

struct ErrorInfo {
  std::string key, function, message;
  std::string type;  // KeyReport::error_type: "" (TaskError) or killed_worker
  static constexpr const char* killed_worker = "KilledWorker";
};

/// Knobs of the scheduler, as Dask's distributed.scheduler config.
struct SchedulerOptions {
  /// Deaths of workers a task may survive while processing on them; one more
  /// errs it with KilledWorker (distributed.scheduler.allowed-failures).
  std::uint32_t allowed_failures = 3;
  /// Bytes a second assumed between workers, to price moving a task's inputs
  /// when stealing (distributed.scheduler.bandwidth).
  double bandwidth = 100e6;
  /// Work (seconds) a steal must move to be worth its messages.
  double steal_min_seconds = 0.005;
};

struct TaskRecord {
  Key key;
  std::shared_ptr<const TaskSpec> spec;  // nullptr: data scattered by a client
  TaskState state = TaskState::released;
  std::uint32_t generation = 0;
  bool alive = false;
  // (in what would be padding: the record does not grow)
  bool holds_dep_refs = false;    // counted in its dependencies' `waiters` (unfinished)
  bool steal_pending = false;     // in a steal request not yet answered
  std::uint32_t suspicious = 0;   // workers that died while it was processing on them
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
  bool retiring = false;
  absl::flat_hash_set<TaskId> processing;
  absl::flat_hash_set<TaskId> has_what;
  std::size_t nbytes = 0;
  double last_seen = 0;
  WorkerMetrics metrics;
  std::vector<TaskId> steal_requested;             // the request in flight, if any
  absl::flat_hash_map<TaskId, WorkerId> copying;   // retiring: key → receiver of its copy

  bool paused = false;  // its memory is past the pause threshold (heartbeat)

  /// Stays in the cluster: may be given data, and work unless paused.
  bool accepting() const noexcept { return alive && !retiring; }
  /// May be given new tasks (Dask's `running` workers).
  bool running() const noexcept { return accepting() && !paused; }
};

struct ClientRecord {
  caf::actor handle;
  bool alive = true;
  absl::flat_hash_set<TaskId> wants;
};

/// What a state change asks the actor to send. The actor sends, per worker:
/// store, free, compute, then refresh, steal and acquire; then the reports;
/// then it closes the workers in `close` and clears those in `clear`.
struct Outbox {
  std::map<WorkerId, ComputeBatch> compute;
  std::map<WorkerId, std::vector<TaskId>> free;
  std::map<WorkerId, StoreItems> store;
  std::map<ClientId, KeyReportBatch> reports;
  /// Tasks the worker already has, re-sent with the current holders of their
  /// inputs: it fetches what it still misses from these (an input with no
  /// holder left fails the task as missing data); a task it no longer has,
  /// or has all inputs of, is left as is.
  std::map<WorkerId, ComputeBatch> refresh;
  /// Steal requests, victim → tasks: the victim gives back those it has not
  /// started and answers with them (SchedulerState::steal_confirmed).
  std::map<WorkerId, std::vector<TaskId>> steal;
  /// Receiver → data to fetch from the listed holders and keep (copies off a
  /// retiring worker); the receiver confirms with data_acquired.
  std::map<WorkerId, std::vector<DepLocation>> acquire;
  /// Large values a client pushed to the worker's data server: keep the one
  /// of each key under its id (id 0: drop it, the key was already held).
  std::map<WorkerId, std::vector<DepLocation>> adopt;
  /// Retired workers that hold nothing needed any more: the actor closes them.
  std::vector<WorkerId> close;
  /// Workers that must drop every task and value they have (restart).
  std::vector<WorkerId> clear;
  bool empty() const {
    return compute.empty() && free.empty() && store.empty() && reports.empty() && refresh.empty() &&
           steal.empty() && acquire.empty() && adopt.empty() && close.empty() && clear.empty();
  }
};

class SchedulerState {
 public:
  SchedulerState() = default;
  explicit SchedulerState(SchedulerOptions options) : options_(options) {}

  /// Registers a worker and gives it work at once (queued tasks, steals).
  /// `now`: the registration time on the clock heartbeats use (default: the
  /// system clock, seconds since the epoch).
  WorkerId add_worker(caf::actor handle, std::string name, std::uint32_t nthreads, Outbox& out,
                      double now = -1);
  ClientId add_client(caf::actor handle);
  /// Releases every key the client wanted.
  void remove_client(ClientId client, Outbox& out);

  /// Adds a client's graph; keys already known are reused, not recomputed.
  void submit(ClientId client, const GraphSubmissionPtr& submission, Outbox& out);
  /// Records a worker's finished tasks and schedules what became ready.
  void tasks_finished(WorkerId worker, const OutcomeBatch& outcomes, Outbox& out);
  /// A worker now holds copies of these tasks' data (fetched from peers).
  void data_acquired(WorkerId worker, const std::vector<TaskId>& ids, Outbox& out);
  /// The client drops each key: every reference it took (by submitting or
  /// wanting the key, maybe several times) goes, as a client releases a key
  /// once, when its last future of it is gone.
  void release(ClientId client, const std::vector<Key>& keys, Outbox& out);
  /// The client drops every reference to each key; its futures are cancelled.
  void cancel(ClientId client, const std::vector<Key>& keys, Outbox& out);
  /// Stores client data on workers (all of them when `broadcast`).
  void scatter(ClientId client, ScatterBatch items, bool broadcast, Outbox& out);
  /// Where a client should push large values it scatters over the data
  /// plane: every accepting worker (broadcast) or one each, round robin.
  /// Keys already in memory get no holder (nothing to push).
  ScatterPlacement place_scatter(const ScatterPlacement& wanted, bool broadcast);
  /// The client pushed them: each key is in memory on the holders that took
  /// it (workers that left meanwhile are skipped), as scatter would have it.
  void adopt_scattered(ClientId client, const ScatterPlacement& placed, Outbox& out);

  // ---- workers coming and going (worker_loss.cpp, worker_health.cpp) ----
  /// A worker died (its CAF monitor fired, or its heartbeats expired): see
  /// "Worker loss" above. Unknown or already removed workers are ignored.
  /// `count_deaths` false: the worker did not die, its link was reset (lost
  /// messages): its tasks are placed again without counting towards
  /// KilledWorker (step 2).
  void remove_worker(WorkerId worker, Outbox& out, bool count_deaths = true);
  /// Records a heartbeat. False when the worker is not (or no longer)
  /// registered: the actor tells it to register again. A change of
  /// `metrics.paused` takes effect at once (see "Paused workers" above):
  /// pausing offers its queued work to others, resuming gives it work.
  bool heartbeat(WorkerId worker, const WorkerMetrics& metrics, double now, Outbox& out);
  /// Live workers whose last heartbeat (or registration) is older than
  /// `now - timeout`; the actor removes them.
  std::vector<WorkerId> expired_workers(double now, double timeout) const;
  /// Live workers that take work (for wait_for_workers), paused ones too.
  std::size_t num_workers() const noexcept;

  // ---- work stealing (work_stealing.cpp) ----
  /// Moves queued work from busy workers to idle ones (steal requests).
  void balance(Outbox& out);
  /// The victim's answer to a steal request: `released` are the tasks it
  /// gave up (not started); they are placed on other workers.
  void steal_confirmed(WorkerId victim, const std::vector<TaskId>& released, Outbox& out);

  // ---- graceful retire (retire.cpp) ----
  /// Retires workers: see "Graceful retire" above. Throws KeyError for an
  /// unknown worker, ValueError when no worker would remain to take their
  /// data or work (nothing changes then).
  void retire_workers(const std::vector<WorkerId>& workers, Outbox& out);

  // ---- datasets and restart (datasets.cpp, restart.cpp) ----
  /// Publishes keys under a name: the scheduler holds them until unpublished.
  /// KeyError when the name exists (unless `override`) or a key is unknown.
  void publish_dataset(const std::string& name, const std::vector<Key>& keys, Outbox& out,
                       bool override = false);
  /// The keys of a dataset; KeyError naming it when unknown.
  const std::vector<Key>& get_dataset(const std::string& name) const;
  /// Drops a dataset's references; KeyError naming it when unknown.
  void unpublish_dataset(const std::string& name, Outbox& out);
  /// Names of the published datasets, sorted.
  std::vector<std::string> list_datasets() const;
  /// The client takes one reference to each key already on the cluster
  /// (futures of a dataset); finished keys are reported at once. KeyError
  /// naming a key that is not on the cluster (nothing changes then).
  void want_keys(ClientId client, const std::vector<Key>& keys, Outbox& out);
  /// Forgets every task; clients get every key they held reported cancelled
  /// ("cluster restarted"); workers are told to clear (Outbox::clear);
  /// datasets are dropped. Workers and clients stay registered.
  void restart(Outbox& out);

  SchedulerInfo info() const;
  std::size_t num_tasks() const noexcept { return key_index_.size(); }
  const TaskRecord* find(const Key& key) const;

  // ---- the dashboard's view (dashboard_snapshot.cpp) ----
  /// The live task with this id, or null (forgotten, or a stale generation).
  const TaskRecord* find(TaskId id) const;
  /// Fills workers, tasks by state, live per-prefix counts and, as the
  /// query asks, the graph and one task's details.
  void fill_dashboard(DashboardSnapshot& snapshot, const DashboardQuery& query) const;
  /// The id of a key's task, if the key is on the scheduler.
  std::optional<TaskId> task_id(const Key& key) const;
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
  ComputeTask compute_task(TaskId id) const;
  std::optional<WorkerId> choose_worker(const TaskRecord& t,
                                        std::optional<WorkerId> exclude = std::nullopt) const;
  void fill_workers(Outbox& out);
  /// Places the ready tasks that found no running worker (no_worker_).
  void place_waiting(Outbox& out);
  std::size_t root_capacity(const WorkerRecord& w) const;
  void finish_memory(TaskId id, WorkerId worker, std::size_t nbytes, Outbox& out);
  void finish_error(TaskId id, std::shared_ptr<const ErrorInfo> error, Outbox& out);
  void dependency_done(TaskId dep, Outbox& out);
  void release_data(TaskId id, Outbox& out);
  void maybe_forget(TaskId id, Outbox& out);
  void report(const TaskRecord& t, TaskId id, Outbox& out);
  void count_dep_refs(TaskRecord& t);
  void drop_dep_refs(TaskRecord& t, Outbox& out);

  // worker_loss.cpp
  void purge_outbox(WorkerId worker, Outbox& out) const;
  void drop_holder(TaskId id, WorkerId worker);
  void lose_data(TaskId id, const std::string& why, std::vector<TaskId>& refresh, Outbox& out);
  void reschedule(TaskId id, Outbox& out);
  void send_refresh(std::vector<TaskId>& ids, Outbox& out);
  void missing_data(WorkerId worker, const TaskOutcome& o, Outbox& out);
  std::optional<WorkerId> worker_of(const caf::actor& handle) const;
  // scatter (a client's own data)
  std::vector<WorkerId> accepting_workers() const;
  /// Every worker of `alive` (broadcast), or the next one round robin.
  std::vector<WorkerId> scatter_targets(const std::vector<WorkerId>& alive, bool broadcast, std::size_t& next) const;
  /// The task of a scattered key (made, without a spec, if new).
  TaskId scattered_task(const Key& key);
  /// The key is in memory on `holders`, `nbytes` each.
  void hold_scattered(TaskId id, const std::vector<WorkerId>& holders, std::size_t nbytes);
  // dashboard_snapshot.cpp
  void fill_graph(DashboardSnapshot& snapshot) const;
  void fill_task_detail(DashboardSnapshot& snapshot, const std::string& key) const;
  // work_stealing.cpp
  double occupancy(const WorkerRecord& w) const;
  void request_steal(WorkerId victim, std::vector<TaskId> ids, Outbox& out);
  bool worth_moving(const TaskRecord& t) const;
  void maybe_balance_after(WorkerId worker, Outbox& out);
  // retire.cpp
  void advance_retire(WorkerId worker, Outbox& out);
  void advance_retirements(Outbox& out);
  void detach_worker(WorkerId worker);

  std::vector<TaskRecord> tasks_;
  std::vector<std::uint32_t> free_slots_;
  absl::flat_hash_map<Key, std::uint32_t> key_index_;
  std::vector<WorkerRecord> workers_;
  std::vector<ClientRecord> clients_;
  // Ready root tasks, min-heap on (priority, id); stale entries are skipped.
  std::vector<std::pair<std::int64_t, TaskId>> root_queue_;
  std::vector<TaskId> no_worker_;  // ready tasks waiting for a running worker
  std::int64_t next_priority_ = 0;
  std::size_t next_scatter_ = 0;  // round robin of place_scatter
  double mean_task_seconds_ = 0.001;
  SchedulerOptions options_;
  std::size_t retiring_ = 0;  // workers being retired (skips the retire checks when 0)
  std::map<std::string, std::vector<Key>> datasets_;
  std::optional<ClientId> datasets_client_;  // holds the datasets' references; never reported to
};

}  // namespace tessera::actors
