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
#include <queue>
#include <vector>

#include "actors/protocol/messages.hpp"
#include "actors/worker/shared_values.hpp"

namespace tessera::actors {

class WorkerState {
 public:
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
  /// Gives up the tasks of `ids` that have not started (work stealing):
  /// returns those removed; the others are running or done.
  std::vector<TaskId> release_unstarted(const std::vector<TaskId>& ids);
  /// Drops every task and value (the cluster restarted).
  void clear();
  std::size_t num_pending() const noexcept { return pending_.size(); }

  bool has_ready() const noexcept { return !ready_.empty(); }
  std::size_t num_ready() const noexcept { return ready_.size(); }
  /// Up to `n` ready tasks, highest priority first, with inputs attached.
  TaskRunBatch take_ready(std::size_t n);

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

  void store(TaskId id, Value v);
  void free(const std::vector<TaskId>& ids);
  const Value* find(TaskId id) const;
  DataReply get_data(const std::vector<TaskId>& ids) const;
  std::size_t num_stored() const noexcept { return store_.size(); }
  std::size_t bytes_stored() const noexcept { return bytes_; }

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
  /// Adds `dep` to the plan, from its first holder, and remembers the source.
  void plan_fetch(const DepLocation& dep, FetchPlan& plan);
  /// True when `input` is being fetched from `from` (or from nowhere known).
  bool fetching_from(TaskId input, const caf::actor_addr& from) const;

  absl::flat_hash_map<TaskId, Value> store_;
  std::size_t bytes_ = 0;
  std::priority_queue<ReadyEntry> ready_;
  std::uint64_t seq_ = 0;
  absl::flat_hash_map<TaskId, Pending> pending_;             // by task
  absl::flat_hash_map<TaskId, std::vector<TaskId>> fetching_;  // input → tasks waiting on it
  absl::flat_hash_map<TaskId, caf::actor> source_;             // input → holder it is fetched from
  std::shared_ptr<SharedValues> shared_;                      // null: no data plane
  std::string data_address_;
};

}  // namespace tessera::actors
