#pragma once
// Graph optimisation before a graph runs, as Dask's: cull what the wanted keys
// do not need, fuse linear chains into single tasks, and order tasks
// depth-first so that memory stays low (as dask.order).
//
// Every pass is iterative (a 100,000-long chain must not overflow the stack)
// and linear in the size of the graph. The rvalue overloads reuse the graph
// they are given: when a pass changes nothing, the graph is returned as it
// is, without copying a task or rebuilding its index.
#include <cstdint>
#include <span>
#include <vector>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera {

/// Keeps only the tasks that `outputs` need (iterative; graphs of any depth).
/// An output may be an external key (one that tasks reference, or that the
/// graph declares, but that no task defines): it needs no task. Throws
/// KeyError "key X is not in the graph" when an output is neither in the
/// graph nor external. Kept tasks stay in their original relative order; the
/// result's external keys are those its tasks reference plus the external
/// outputs (a declared external key that nothing needs is dropped).
TaskGraph cull(const TaskGraph& graph, std::span<const Key> outputs);
/// As above, reusing `graph`: returned unchanged when every task is needed.
TaskGraph cull(TaskGraph&& graph, std::span<const Key> outputs);

/// Fuses linear chains: a task whose only dependent has it as its only
/// dependency is inlined into that dependent as a nested call, unless the task
/// is an output. The fused task keeps the key of the chain's last task. Chains
/// are cut every `max_chain` tasks so that evaluation depth stays bounded.
///
/// Precisely, task `a` is inlined into task `b` when
///   1. `a` is not one of `outputs`,
///   2. `b` is the only task that depends on `a`,
///   3. `a` is the only in-graph dependency of `b` (external keys may remain),
///   4. `b` references `a` exactly once (anywhere in its arguments), so that
///      inlining never computes `a` twice.
/// The reference to `a` in `b` becomes `Call{a.fn, a.args}`, or `a.args[0]`
/// when `a` has no function; when `b` is a bare alias of `a` (no function, one
/// argument that is `a`'s key), `b` simply takes `a`'s function and arguments.
/// A chain c0 → c1 → ... → cL-1 is cut from its head into segments of
/// `max_chain` tasks, each fused into one task named by its segment's last
/// key, so a chain becomes ceil(L / max_chain) tasks with at most
/// max_chain - 1 nested calls each. Surviving tasks keep their relative order.
/// External keys (referenced or declared) are kept. Throws ValueError when
/// `max_chain` is 0, or naming a key on a cycle of single links.
TaskGraph fuse_linear(const TaskGraph& graph, std::span<const Key> outputs,
                      std::size_t max_chain = 64);
/// As above, reusing `graph`: returned unchanged when nothing fuses.
TaskGraph fuse_linear(TaskGraph&& graph, std::span<const Key> outputs,
                      std::size_t max_chain = 64);

/// Priorities: result[i] is task i's rank (0 runs first). A topological order
/// (every task after its dependencies) that walks the graph depth-first from
/// the outputs, finishing one branch before starting the next, so that
/// intermediate results are released early (as dask.order). Iterative and
/// deterministic:
///   1. the walk starts from each task that nothing depends on, in task order;
///   2. a task's dependencies are visited in argument order (order of first
///      reference), each one's whole subtree before the next one's;
///   3. a task is ranked as soon as all its dependencies are ranked (post-order),
///      so a reduction's inputs run right before the reduction itself.
/// Throws ValueError naming a key on a cycle when the graph is not a DAG.
std::vector<std::int32_t> order(const TaskGraph& graph);

struct OptimizeOptions {
  bool cull = true;
  bool fuse = true;
  std::size_t max_chain = 64;
};

namespace config {
/// The optimisation every executor applies (as dask.config's
/// "optimization.fuse.active"); thread-safe.
OptimizeOptions optimize_options();
void set_optimize_options(const OptimizeOptions& options);

/// Sets the optimisation options for a scope.
class ScopedOptimize {
 public:
  explicit ScopedOptimize(const OptimizeOptions& options)
      : previous_(optimize_options()) { set_optimize_options(options); }
  ~ScopedOptimize() { set_optimize_options(previous_); }
  ScopedOptimize(const ScopedOptimize&) = delete;
  ScopedOptimize& operator=(const ScopedOptimize&) = delete;

 private:
  OptimizeOptions previous_;
};
}  // namespace config

struct OptimizedGraph {
  TaskGraph graph;
  std::vector<std::int32_t> priority;  // per task of graph, from order()
};

/// materialize → cull → fuse → order (cull and fuse reuse the materialised
/// graph, so a graph that nothing changes is never copied).
OptimizedGraph optimize(const HighLevelGraph& graph, std::span<const Key> outputs,
                        const OptimizeOptions& options = config::optimize_options());

}  // namespace tessera
