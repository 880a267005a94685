#pragma once
// TaskGraph: the flat, materialised task-level graph that executors run.
// Tasks are numbered 0..size()-1; dependencies and dependents are kept as
// compact adjacency arrays of those numbers. Keys a task references that are
// not in the graph are "external" (futures or data already on the cluster).
#include <cstdint>
#include <span>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "runtime/graph/task_spec.hpp"

namespace tessera {

class TaskGraph {
 public:
  TaskGraph() = default;
  /// Indexes `tasks`. When two tasks share a key the first is kept (the same
  /// key is the same computation).
  /// `external` adds keys known to live outside the graph (persisted data).
  explicit TaskGraph(std::vector<TaskSpec> tasks, std::vector<Key> external = {});
  TaskGraph(TaskGraph&&) noexcept = default;
  TaskGraph& operator=(TaskGraph&&) noexcept = default;
  /// Copies re-index (the index points into this graph's own keys).
  TaskGraph(const TaskGraph& other);
  TaskGraph& operator=(const TaskGraph& other);

  std::size_t size() const noexcept { return tasks_.size(); }
  const std::vector<TaskSpec>& tasks() const noexcept { return tasks_; }
  const TaskSpec& task(std::int32_t i) const { return tasks_[static_cast<std::size_t>(i)]; }
  /// The task's number, or -1 when the key is not in the graph.
  std::int32_t find(const Key& key) const;
  bool contains(const Key& key) const { return find(key) >= 0; }
  /// In-graph dependencies of task i (distinct, in order of first reference).
  std::span<const std::int32_t> dependencies(std::int32_t i) const;
  /// Tasks that depend on task i.
  std::span<const std::int32_t> dependents(std::int32_t i) const;
  /// Distinct keys referenced by some task but not defined in the graph.
  const std::vector<Key>& external_keys() const noexcept { return external_; }
  /// Moves the tasks out (the graph is empty afterwards).
  std::vector<TaskSpec> release() &&;

 private:
  std::vector<TaskSpec> tasks_;
  void build(std::vector<Key> external);
  // Views of tasks_[i].key: stable, since tasks_ never reallocates after
  // indexing and moving a vector keeps its elements in place.
  absl::flat_hash_map<std::string_view, std::int32_t> index_;
  std::vector<std::int32_t> dep_offsets_, deps_, rdep_offsets_, rdeps_;
  std::vector<Key> external_;
};

}  // namespace tessera
