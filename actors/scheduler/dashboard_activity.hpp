#pragma once
// DashboardActivity: what the dashboard needs that SchedulerState forgets —
// the last finished tasks (a bounded ring, for the task stream), how many
// tasks of each prefix finished (their records may be forgotten already),
// a histogram of task durations and the bytes copied between workers.
// The scheduler actor keeps one only when a dashboard is served (it costs a
// little per task) and feeds it before the state sees each message.
// Not thread-safe: lives in the scheduler actor.
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "actors/scheduler/dashboard_snapshot.hpp"

namespace tessera::actors {

class SchedulerState;

class DashboardActivity {
 public:
  /// Keeps the last `capacity` finished tasks for the task stream.
  explicit DashboardActivity(std::size_t capacity = 10000);

  /// A worker's completions; call before SchedulerState::tasks_finished
  /// (which may forget the tasks). Stale outcomes (the task is no longer
  /// processing there) and missing-data reports are not recorded.
  void tasks_finished(const SchedulerState& state, WorkerId worker, const OutcomeBatch& outcomes);
  /// A worker copied these tasks' data from peers (fetched_atom).
  void data_fetched(const SchedulerState& state, const std::vector<TaskId>& ids);
  /// A worker's transfers and spills (from its heartbeat), as bars of their
  /// own kind in the task stream.
  void worker_activity(WorkerId worker, const std::vector<WorkerActivity>& activity);
  /// Adds the stream since `since`, the per-prefix completions (to the
  /// prefixes the state filled in), the histogram and the totals. A prefix
  /// with nothing left to do is marked idle: its next completion starts its
  /// count afresh (a new computation of the same function).
  void fill(DashboardSnapshot& snapshot, double since);

  std::size_t size() const noexcept { return full_ ? ring_.size() : next_; }

 private:
  struct PrefixCount {
    std::size_t done = 0;
    bool idle = false;
    double last_done = 0;
  };
  std::uint32_t lane_for(WorkerId worker, double start, double stop);
  void record(TaskStreamRecord r);
  void drop_old_prefixes(double now);

  std::vector<TaskStreamRecord> ring_;
  std::size_t next_ = 0;
  bool full_ = false;
  std::map<std::string, PrefixCount, std::less<>> prefixes_;
  // Per worker, when each lane (thread row) is next free.
  absl::flat_hash_map<WorkerId, std::vector<double>> lane_free_at_;
  DurationHistogram durations_;
  std::uint64_t finished_ = 0, failed_ = 0, bytes_transferred_ = 0;
};

}  // namespace tessera::actors
