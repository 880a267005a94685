#pragma once
// Graph optimisation before a graph runs, as Dask's: cull what the wanted keys
// do not need, fuse linear chains into single tasks, and order tasks
// depth-first so that memory stays low (as dask.order).
#include <cstdint>
#include <span>
#include <vector>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera {

/// Keeps only the tasks that `outputs` need (iterative; graphs of any depth).
/// Throws KeyError when an output is neither in the graph nor external.
TaskGraph cull(const TaskGraph& graph, std::span<const Key> outputs);

/// Fuses linear chains: a task whose only dependent has it as its only
/// dependency is inlined into that dependent as a nested call, unless the task
/// is an output. The fused task keeps the key of the chain's last task. Chains
/// are cut every `max_chain` tasks so that evaluation depth stays bounded.
TaskGraph fuse_linear(const TaskGraph& graph, std::span<const Key> outputs,
                      std::size_t max_chain = 64);

/// Priorities: result[i] is task i's rank (0 runs first). A topological order
/// (every task after its dependencies) that walks the graph depth-first from
/// the outputs, finishing one branch before starting the next, so that
/// intermediate results are released early (as dask.order). Iterative.
std::vector<std::int32_t> order(const TaskGraph& graph);

struct OptimizeOptions {
  bool cull = true;
  bool fuse = true;
  std::size_t max_chain = 64;
};

struct OptimizedGraph {
  TaskGraph graph;
  std::vector<std::int32_t> priority;  // per task of graph, from order()
};

/// materialize → cull → fuse → order.
OptimizedGraph optimize(const HighLevelGraph& graph, std::span<const Key> outputs,
                        const OptimizeOptions& options = {});

}  // namespace tessera
