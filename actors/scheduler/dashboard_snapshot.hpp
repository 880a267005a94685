#pragma once
// What the dashboard sees of the scheduler: a snapshot built inside the
// scheduler actor (so nothing reads SchedulerState from another thread) in
// answer to (dashboard_atom, DashboardQuery), handed out as a shared
// immutable DashboardSnapshot. Never leaves the process.
//
// The snapshot has two sources: SchedulerState (workers, tasks by state,
// the live graph, one task's details; fill_dashboard in
// dashboard_snapshot.cpp) and DashboardActivity (dashboard_activity.hpp:
// finished tasks for the task stream, per-prefix completions, durations,
// bytes transferred), which the actor feeds as completions arrive.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/protocol/messages.hpp"

namespace tessera::actors {

/// What the dashboard asks for; the parts not asked for stay empty.
struct DashboardQuery {
  /// Task stream records that finished after this time (seconds since the epoch).
  double stream_since = 0;
  /// Include the graph (when it has at most max_graph_tasks tasks).
  bool graph = false;
  /// Include the details of this key (empty: none).
  std::string task;
  static constexpr std::size_t max_graph_tasks = 5000;
};

/// One finished task, for the task stream.
struct TaskStreamRecord {
  std::string key;
  std::string prefix;
  WorkerId worker = 0;
  std::uint32_t lane = 0;  // the worker thread's row: concurrent tasks get different lanes
  double start = 0, stop = 0;
  bool ok = true;
  /// 0: a task; else a WorkerActivity::Kind (a transfer, a spill or an unspill).
  std::uint8_t kind = 0;
  std::uint64_t bytes = 0;  // moved, for transfers and spills
};

/// "task", "transfer", "spill" or "unspill".
inline const char* stream_kind_name(std::uint8_t kind) noexcept {
  switch (kind) {
    case WorkerActivity::transfer: return "transfer";
    case WorkerActivity::spill: return "spill";
    case WorkerActivity::unspill: return "unspill";
    default: return "task";
  }
}

/// A task prefix's progress ("inc" for "inc-3f2a..."). `done` counts tasks
/// finished since the prefix last had nothing to do, including those already
/// forgotten; `memory` those whose data is held now.
struct PrefixProgress {
  std::string prefix;
  std::size_t done = 0, memory = 0, processing = 0, waiting = 0, erred = 0;
  std::size_t total() const noexcept { return std::max(done, memory) + processing + waiting + erred; }
};

struct DashboardWorker {
  WorkerId id = 0;
  std::string name;
  std::string address;  // the worker's CAF node (host id and pid)
  std::uint32_t nthreads = 0;
  std::size_t processing = 0;
  std::size_t keys_in_memory = 0;
  std::size_t bytes_in_memory = 0;  // managed, as the scheduler counts it
  WorkerMetrics metrics;            // its last heartbeat: cpu, rss, spilled, limit, executing
  double last_seen = 0;
  bool retiring = false;
};

struct GraphNode {
  std::string key;
  std::string prefix;
  std::string state;
  std::vector<std::uint32_t> deps;  // indices into DashboardSnapshot::graph
};

struct TaskDetail {
  std::string key;
  std::string state;
  std::string prefix;
  std::size_t nbytes = 0;
  std::int64_t priority = 0;
  std::vector<std::string> who_has;  // worker names
  std::string processing_on;         // worker name, empty when not processing
  std::vector<std::string> dependencies, dependents;
  std::vector<std::string> wanted_by;  // "client-N"
  std::string error;                   // erred: the message
};

/// Durations of finished tasks, Prometheus style: counts[i] = tasks that
/// took at most bounds[i] seconds (cumulative), plus the sum and count.
struct DurationHistogram {
  static constexpr std::array<double, 12> bounds{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05,
                                                 0.1,    0.5,    1,     5,     10,   60};
  std::array<std::uint64_t, bounds.size()> counts{};
  std::uint64_t count = 0;
  double sum = 0;
  void add(double seconds);
};

struct DashboardSnapshot {
  double time = 0;  // when it was taken (seconds since the epoch)
  std::vector<DashboardWorker> workers;
  /// Live tasks per state, indexed by TaskState.
  std::array<std::size_t, 6> tasks_by_state{};
  std::size_t tasks_total = 0;
  std::size_t clients = 0;
  std::vector<PrefixProgress> prefixes;  // sorted by name
  std::vector<TaskStreamRecord> stream;  // finished after the query's stream_since, oldest first
  DurationHistogram durations;
  std::uint64_t tasks_finished = 0, tasks_failed = 0;  // since the scheduler started
  std::uint64_t bytes_transferred = 0;                 // copied between workers, since the start
  bool graph_included = false;  // false: not asked for, or too large (tasks_total says how large)
  std::vector<GraphNode> graph;
  std::optional<TaskDetail> task;  // the key asked for, when it is on the scheduler
};
using DashboardSnapshotPtr = std::shared_ptr<const DashboardSnapshot>;

}  // namespace tessera::actors

// The query and the snapshot travel between the dashboard's thread and the
// scheduler actor of the same process only.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::DashboardQuery)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tessera::actors::DashboardSnapshotPtr)
