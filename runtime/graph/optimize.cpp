#include "runtime/graph/optimize.hpp"

#include <mutex>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include <absl/container/flat_hash_set.h>

#include "runtime/util/error.hpp"

namespace tessera {

namespace {

std::size_t at(std::int32_t i) { return static_cast<std::size_t>(i); }

// ---------------------------------------------------------------------------
// cull

// Marks the tasks that `outputs` need: 1 = needed. Returns how many are.
// Outputs that are external keys are appended to `external_outputs`.
std::size_t mark_needed(const TaskGraph& graph, std::span<const Key> outputs,
                        std::vector<char>& keep, std::vector<Key>& external_outputs) {
  keep.assign(graph.size(), 0);
  std::size_t kept = 0;
  std::vector<std::int32_t> stack;
  absl::flat_hash_set<std::string_view> external;  // filled on the first miss
  // 1. Seed the walk with the outputs; an unknown one must be external.
  for (const auto& k : outputs) {
    auto i = graph.find(k);
    if (i < 0) {
      if (external.empty())
        for (const auto& e : graph.external_keys()) external.insert(e.str());
      if (!external.contains(k.str())) throw KeyError("key " + k.str() + " is not in the graph");
      external_outputs.push_back(k);
      continue;
    }
    if (!keep[at(i)]) {
      keep[at(i)] = 1;
      ++kept;
      stack.push_back(i);
    }
  }
  // 2. Walk the dependencies with an explicit stack.
  while (!stack.empty()) {
    auto i = stack.back();
    stack.pop_back();
    for (auto d : graph.dependencies(i))
      if (!keep[at(d)]) {
        keep[at(d)] = 1;
        ++kept;
        stack.push_back(d);
      }
  }
  return kept;
}

// Whether every external key of `graph` is still needed when all its tasks
// are: referenced by some task, or wanted as an output. A key that was only
// declared external (persisted data) and is not wanted must be dropped.
bool all_externals_needed(const TaskGraph& graph, const std::vector<Key>& external_outputs) {
  const auto& external = graph.external_keys();
  if (external.empty()) return true;
  absl::flat_hash_set<std::string_view> needed;
  for (const auto& k : external_outputs) needed.insert(k.str());
  for (const auto& t : graph.tasks())
    for_each_ref(t.args, [&](const Key& k) {
      if (graph.find(k) < 0) needed.insert(k.str());
    });
  return needed.size() == external.size();
}

// ---------------------------------------------------------------------------
// fuse_linear

// How many times `key` is referenced anywhere in `args`, counting up to 2.
int count_refs(const ArgList& args, const Key& key) {
  int n = 0;
  for_each_ref(args, [&](const Key& k) {
    if (n < 2 && k == key) ++n;
  });
  return n;
}

bool contains_ref(const ArgList& args, const Key& key) {
  bool found = false;
  for_each_ref(args, [&](const Key& k) { found = found || k == key; });
  return found;
}

// Replaces the reference to `key` in `args` by `with` (consumed). Nested lists
// and calls on the way are rebuilt (they are immutable and may be shared);
// the recursion follows the consumer's own argument nesting only, never the
// inlined producer. Returns false when `key` does not occur.
bool substitute(ArgList& args, const Key& key, Arg& with) {
  for (auto& a : args) {
    switch (a.kind()) {
      case Arg::Kind::literal: break;
      case Arg::Kind::ref:
        if (a.ref() == key) {
          a = std::move(with);
          return true;
        }
        break;
      case Arg::Kind::list:
        if (contains_ref(a.list(), key)) {
          ArgList copy = a.list();
          substitute(copy, key, with);
          a = Arg(std::move(copy));
          return true;
        }
        break;
      case Arg::Kind::call:
        if (contains_ref(a.call().args, key)) {
          auto call = std::make_shared<Call>(Call{a.call().fn, a.call().args, a.call().key});
          substitute(call->args, key, with);
          a = Arg(std::shared_ptr<const Call>(std::move(call)));
          return true;
        }
        break;
    }
  }
  return false;
}

// Inlines `producer` (consumed) into `consumer`, which references it once.
void inline_into(TaskSpec& consumer, TaskSpec&& producer) {
  // A bare alias of the producer simply becomes the producer under its own key.
  if (!consumer.fn && consumer.args.size() == 1 && consumer.args[0].kind() == Arg::Kind::ref &&
      consumer.args[0].ref() == producer.key) {
    consumer.fn = std::move(producer.fn);
    consumer.args = std::move(producer.args);
    return;
  }
  Arg with;
  if (producer.fn)
    with = Arg(std::make_shared<const Call>(
        Call{std::move(producer.fn), std::move(producer.args), producer.key}));
  else if (!producer.args.empty())
    with = std::move(producer.args[0]);
  else
    with = Arg(Value());
  if (!substitute(consumer.args, producer.key, with))
    throw Error("fuse_linear: task " + consumer.key.str() + " does not reference " +
                producer.key.str() + " (internal error)");
}

struct FusePlan {
  std::vector<std::int32_t> prev;  // prev[j]: the task inlined into j, or -1
  std::vector<char> absorbed;      // absorbed[i]: i disappears into its dependent
  bool any = false;
};

// Finds every link a → b that satisfies the four rules of fuse_linear.
FusePlan plan_fusion(const TaskGraph& graph, std::span<const Key> outputs, std::size_t max_chain) {
  if (max_chain == 0) throw ValueError("fuse_linear: max_chain must be at least 1, got 0");
  const auto n = static_cast<std::int32_t>(graph.size());
  FusePlan plan;
  if (max_chain == 1 || n < 2) return plan;
  plan.prev.assign(at(n), -1);
  plan.absorbed.assign(at(n), 0);
  // 1. Outputs are never absorbed.
  std::vector<char> is_output(at(n), 0);
  for (const auto& k : outputs)
    if (auto i = graph.find(k); i >= 0) is_output[at(i)] = 1;
  // 2. Rules 2–4 for every task (the reference count only for candidates).
  for (std::int32_t a = 0; a < n; ++a) {
    if (is_output[at(a)]) continue;
    auto dependents = graph.dependents(a);
    if (dependents.size() != 1) continue;
    auto b = dependents[0];
    if (graph.dependencies(b).size() != 1) continue;
    if (count_refs(graph.task(b).args, graph.task(a).key) != 1) continue;
    plan.prev[at(b)] = a;
    plan.absorbed[at(a)] = 1;
    plan.any = true;
  }
  return plan;
}

// Builds the fused task list from `tasks` (consumed) following `plan`.
std::vector<TaskSpec> apply_fusion(std::vector<TaskSpec>&& tasks, const FusePlan& plan,
                                   std::size_t max_chain) {
  const auto n = static_cast<std::int32_t>(tasks.size());
  std::vector<TaskSpec> out;
  out.reserve(tasks.size());
  std::vector<std::int32_t> chain;
  std::vector<char> used(tasks.size(), 0);
  std::size_t consumed = 0;
  for (std::int32_t t = 0; t < n; ++t) {
    // 1. Each chain is handled at its tail (the task that is not absorbed).
    if (plan.absorbed[at(t)]) continue;
    if (plan.prev[at(t)] < 0) {
      out.push_back(std::move(tasks[at(t)]));
      used[at(t)] = 1;
      ++consumed;
      continue;
    }
    // 2. Collect the chain head → tail by following `prev` back from the tail.
    chain.clear();
    for (auto c = t; c >= 0; c = plan.prev[at(c)]) chain.push_back(c);
    std::reverse(chain.begin(), chain.end());
    consumed += chain.size();
    for (auto c : chain) used[at(c)] = 1;
    // 3. Cut it from the head into segments of max_chain tasks; fuse each one
    //    front to back, so the accumulated task is inlined into the next.
    for (std::size_t begin = 0; begin < chain.size(); begin += max_chain) {
      const auto end = std::min(chain.size(), begin + max_chain);
      TaskSpec acc = std::move(tasks[at(chain[begin])]);
      for (auto c = begin + 1; c < end; ++c) {
        TaskSpec next = std::move(tasks[at(chain[c])]);
        inline_into(next, std::move(acc));
        acc = std::move(next);
      }
      out.push_back(std::move(acc));
    }
  }
  // 4. A task in no chain ending at a tail lies on a cycle of single links.
  if (consumed != tasks.size())
    for (std::int32_t t = 0; t < n; ++t)
      if (!used[at(t)])
        throw ValueError("the graph has a cycle through key " + tasks[at(t)].key.str());
  return out;
}

}  // namespace

// The culled graph knows the external keys its tasks reference (found again
// when it is indexed) and those wanted as outputs (passed on explicitly).
TaskGraph cull(const TaskGraph& graph, std::span<const Key> outputs) {
  std::vector<char> keep;
  std::vector<Key> external_outputs;
  const auto kept = mark_needed(graph, outputs, keep, external_outputs);
  std::vector<TaskSpec> tasks;
  tasks.reserve(kept);
  for (std::size_t i = 0; i < graph.size(); ++i)
    if (keep[i]) tasks.push_back(graph.tasks()[i]);
  return TaskGraph(std::move(tasks), std::move(external_outputs));
}

TaskGraph cull(TaskGraph&& graph, std::span<const Key> outputs) {
  std::vector<char> keep;
  std::vector<Key> external_outputs;
  const auto kept = mark_needed(graph, outputs, keep, external_outputs);
  if (kept == graph.size() && all_externals_needed(graph, external_outputs))
    return std::move(graph);
  auto all = std::move(graph).release();
  std::vector<TaskSpec> tasks;
  tasks.reserve(kept);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (keep[i]) tasks.push_back(std::move(all[i]));
  return TaskGraph(std::move(tasks), std::move(external_outputs));
}

TaskGraph fuse_linear(const TaskGraph& graph, std::span<const Key> outputs, std::size_t max_chain) {
  auto plan = plan_fusion(graph, outputs, max_chain);
  if (!plan.any) return graph;
  // Fusion keeps every reference to an external key: pass them all on, so
  // keys declared external without a reference survive too.
  return TaskGraph(apply_fusion(std::vector<TaskSpec>(graph.tasks()), plan, max_chain),
                   graph.external_keys());
}

TaskGraph fuse_linear(TaskGraph&& graph, std::span<const Key> outputs, std::size_t max_chain) {
  auto plan = plan_fusion(graph, outputs, max_chain);
  if (!plan.any) return std::move(graph);
  auto external = graph.external_keys();
  return TaskGraph(apply_fusion(std::move(graph).release(), plan, max_chain), std::move(external));
}

std::vector<std::int32_t> order(const TaskGraph& graph) {
  const auto n = static_cast<std::int32_t>(graph.size());
  std::vector<std::int32_t> rank(at(n), -1);
  std::vector<char> entered(at(n), 0);
  std::int32_t next = 0;
  // Explicit DFS stack: (task, index of the next dependency to visit).
  std::vector<std::pair<std::int32_t, std::uint32_t>> stack;
  // 1. Start from every task nothing depends on, in task order.
  for (std::int32_t root = 0; root < n; ++root) {
    if (entered[at(root)] || !graph.dependents(root).empty()) continue;
    entered[at(root)] = 1;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [t, child] = stack.back();
      auto deps = graph.dependencies(t);
      // 2. Descend into the next unvisited dependency, in argument order.
      if (child < deps.size()) {
        auto d = deps[child++];
        if (!entered[at(d)]) {
          entered[at(d)] = 1;
          stack.emplace_back(d, 0);
        } else if (rank[at(d)] < 0) {
          // Entered but not ranked: d is on the stack, so it depends on itself.
          throw ValueError("the graph has a cycle through key " + graph.task(d).key.str());
        }
        continue;
      }
      // 3. All dependencies ranked: rank the task (post-order).
      rank[at(t)] = next++;
      stack.pop_back();
    }
  }
  // 4. Tasks never reached lie on cycles with no way out (every task of them
  //    has a dependent), which a DAG cannot have.
  if (next != n)
    for (std::int32_t i = 0; i < n; ++i)
      if (rank[at(i)] < 0)
        throw ValueError("the graph has a cycle through key " + graph.task(i).key.str());
  return rank;
}

OptimizedGraph optimize(const HighLevelGraph& graph, std::span<const Key> outputs,
                        const OptimizeOptions& options) {
  TaskGraph g = graph.materialize();
  if (options.cull) g = cull(std::move(g), outputs);
  if (options.fuse) g = fuse_linear(std::move(g), outputs, options.max_chain);
  auto priority = order(g);
  return {std::move(g), std::move(priority)};
}

}  // namespace tessera

namespace tessera::config {
namespace {
std::mutex optimize_mutex;
OptimizeOptions current_optimize;
}  // namespace

OptimizeOptions optimize_options() {
  std::lock_guard lock(optimize_mutex);
  return current_optimize;
}

void set_optimize_options(const OptimizeOptions& options) {
  std::lock_guard lock(optimize_mutex);
  current_optimize = options;
}
}  // namespace tessera::config
