#pragma once
// WorkerState: a worker's data store and task queue, without any actor inside
// (the worker actor drives it; tests drive it directly).
//
// A task assigned by the scheduler is ready when all of its inputs are in the
// store; otherwise its missing inputs are fetched from the workers that hold
// them, and it becomes ready when they arrive. Ready tasks run in priority
// order, handed in batches to the worker's task actors.
#include <absl/container/flat_hash_map.h>
#include <caf/actor_addr.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <queue>
#include <vector>

#include "actors/protocol/messages.hpp"
#include "actors/worker/shared_values.hpp"
#include "actors/worker/spill_store.hpp"

namespace tessera::actors {

class WorkerState {
 public:
  /// A store that never spills, its folder (if ever needed) in the system's
  /// temporary directory.
  WorkerState();
  ~WorkerState();
  /// Spill past `target_bytes` (0: only when asked, spill_oldest) into a
  /// folder under `local_directory` (empty: the temporary directory). Only
  /// while nothing is stored. Throws ValueError when the directory cannot be made.
  void configure_memory(std::filesystem::path local_directory, std::size_t target_bytes);

  /// Missing inputs to fetch, grouped by the worker to fetch them from.
  using FetchPlan = std::vector<std::pair<caf::actor, std::vector<TaskId>>>;

  /// Queues tasks; returns the inputs that must be fetched first.
  FetchPlan add_tasks(ComputeBatch batch);
  /// A task that can no longer run here because an input could not be fetched.
  struct MissingInput {
    TaskId task = 0;
    TaskId dep = 0;
    Key key;
  };
  /// Stores inputs fetched from `from` (found[i] false: the holder no longer
  /// had it); returns the tasks that can no longer run, with the input that
  /// was missing. A miss from a holder the input is no longer fetched from
  /// (refresh chose another) is ignored: the newer fetch decides.
  std::vector<MissingInput> inputs_arrived(const caf::actor_addr& from, const std::vector<TaskId>& ids, DataReply reply);
  /// The key of an input being fetched (empty when none waits for it).
  Key input_key(TaskId input) const;
  /// Drops the tasks waiting on `ids` (a fetch from `from` failed); returns
  /// them. Inputs no longer being fetched, or now fetched from another
  /// holder, are skipped (safe to call twice).
  std::vector<MissingInput> inputs_failed(const caf::actor_addr& from, const std::vector<TaskId>& ids);
  /// Tasks already queued here, re-sent with the current holders of their
  /// inputs: inputs neither stored nor in flight from one of those holders
  /// are fetched from them (a plan entry with no holder means none is left).
  /// Tasks not queued here are ignored.
  FetchPlan refresh(ComputeBatch batch);
  /// The part of a fetch plan held back (the worker was paused) that tasks
  /// here still wait for; inputs no task waits on any more (their tasks were
  /// stolen or dropped meanwhile) are forgotten instead of fetched.
  FetchPlan still_needed(FetchPlan plan);
  /// Gives up the tasks of `ids` that have not started (work stealing):
  /// returns those removed; the others are running or done.
  std::vector<TaskId> release_unstarted(const std::vector<TaskId>& ids);
  /// Drops every task and value (the cluster restarted).
  void clear();
  std::size_t num_pending() const noexcept { return pending_.size(); }

  bool has_ready() const noexcept { return !ready_.empty(); }
  std::size_t num_ready() const noexcept { return ready_.size(); }
  /// Up to `n` ready tasks, highest priority first, with inputs attached.
  /// Spilled inputs are read back; a task that needs that ends the batch
  /// unless it is its first (so that one dispatch reads back only what one
  /// task needs). An input that cannot be read back is left out (the task
  /// fails naming it) and the error is in `read_errors`.
  TaskRunBatch take_ready(std::size_t n);
  /// Errors reading spilled values back since the last call.
  std::vector<std::string> take_read_errors() { return std::exchange(read_errors_, {}); }

  /// Puts values of at least `shared->threshold()` bytes into `shared` too
  /// (the data server's view of the store); get_data then answers them with
  /// "on the data plane at `address`" instead of the value.
  void share_large_values(std::shared_ptr<SharedValues> shared, std::string address);

  /// Keeps the values clients pushed to this worker's data server under the
  /// ids the scheduler gave their keys (id 0: drop the push, the key was
  /// already held); returns the keys whose push is not here.
  std::vector<Key> adopt_pushed(const std::vector<DepLocation>& items);
  /// This worker's data-plane address ("" without a data plane).
  const std::string& data_address() const noexcept { return data_address_; }

  /// Keeps `v` (a copy already held is kept instead); may spill others.
  void store(TaskId id, Value v);
  void free(const std::vector<TaskId>& ids);
  bool has(TaskId id) const { return store_->contains(id); }
  /// The value, read back from disk when spilled; nullopt when not held.
  /// Throws ValueError when its spill file cannot be read.
  std::optional<Value> find(TaskId id);
  /// Values for a peer or client: small ones in the reply (read back when
  /// spilled), large ones left on the data plane (served from memory or file).
  DataReply get_data(const std::vector<TaskId>& ids);
  std::size_t num_stored() const noexcept { return store_->size(); }
  /// Bytes held, in memory and on disk.
  std::size_t bytes_stored() const noexcept { return store_->memory_bytes() + store_->spilled_bytes(); }
  std::size_t bytes_in_memory() const noexcept { return store_->memory_bytes(); }
  std::size_t bytes_spilled() const noexcept { return store_->spilled_bytes(); }
  std::size_t num_spilled() const noexcept { return store_->num_spilled(); }
  const SpillMetrics& spill_metrics() const noexcept { return store_->metrics(); }
  /// The spills and read-backs since the last call (for the dashboard).
  std::vector<SpillEvent> take_spill_events() { return store_->take_events(); }
  /// Spills the least recently used value in memory (process memory is
  /// high); false when none is left or the write failed (spill_metrics()).
  bool spill_oldest() { return store_->spill_oldest(); }
  /// The store's folder under the local directory ("" until the first spill).
  std::filesystem::path spill_directory() const;

 private:
  struct Pending {
    ComputeTask task;
    std::size_t missing = 0;
  };
  struct ReadyEntry {
    std::int64_t priority;
    std::uint64_t seq;
    ComputeTask task;
    bool operator<(const ReadyEntry& o) const {
      return priority != o.priority ? priority > o.priority : seq > o.seq;
    }
  };
  void make_ready(ComputeTask task);
  void observe_store();
  /// Adds `dep` to the plan, from its first holder, and remembers the source.
  void plan_fetch(const DepLocation& dep, FetchPlan& plan);
  /// True when `input` is being fetched from `from` (or from nowhere known).
  bool fetching_from(TaskId input, const caf::actor_addr& from) const;

  std::unique_ptr<SpillStore> store_;
  std::vector<std::string> read_errors_;
  std::priority_queue<ReadyEntry> ready_;
  std::uint64_t seq_ = 0;
  absl::flat_hash_map<TaskId, Pending> pending_;             // by task
  absl::flat_hash_map<TaskId, std::vector<TaskId>> fetching_;  // input → tasks waiting on it
  absl::flat_hash_map<TaskId, caf::actor> source_;             // input → holder it is fetched from
  std::shared_ptr<SharedValues> shared_;                      // null: no data plane
  std::string data_address_;
};

}  // namespace tessera::actors
