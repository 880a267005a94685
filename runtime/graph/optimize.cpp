#include "runtime/graph/optimize.hpp"

#include <algorithm>

#include "runtime/util/error.hpp"

namespace tessera {

TaskGraph cull(const TaskGraph& graph, std::span<const Key> outputs) {
  const auto n = graph.size();
  std::vector<char> keep(n, 0);
  std::vector<std::int32_t> stack;
  for (const auto& k : outputs) {
    auto i = graph.find(k);
    if (i < 0) {
      if (std::find(graph.external_keys().begin(), graph.external_keys().end(), k) !=
          graph.external_keys().end())
        continue;
      throw KeyError("key " + k.str() + " is not in the graph");
    }
    if (!keep[static_cast<std::size_t>(i)]) {
      keep[static_cast<std::size_t>(i)] = 1;
      stack.push_back(i);
    }
  }
  while (!stack.empty()) {
    auto i = stack.back();
    stack.pop_back();
    for (auto d : graph.dependencies(i))
      if (!keep[static_cast<std::size_t>(d)]) {
        keep[static_cast<std::size_t>(d)] = 1;
        stack.push_back(d);
      }
  }
  std::vector<TaskSpec> tasks;
  for (std::size_t i = 0; i < n; ++i)
    if (keep[i]) tasks.push_back(graph.task(static_cast<std::int32_t>(i)));
  return TaskGraph(std::move(tasks));
}

TaskGraph fuse_linear(const TaskGraph& graph, std::span<const Key> outputs, std::size_t max_chain) {
  // Placeholder until the fusion pass lands: no fusion.
  (void)outputs;
  (void)max_chain;
  return TaskGraph(std::vector<TaskSpec>(graph.tasks()));
}

std::vector<std::int32_t> order(const TaskGraph& graph) {
  const auto n = static_cast<std::int32_t>(graph.size());
  std::vector<std::int32_t> rank(static_cast<std::size_t>(n), -1);
  std::vector<char> entered(static_cast<std::size_t>(n), 0);
  std::int32_t next = 0;
  // Iterative post-order DFS from the tasks nothing depends on.
  std::vector<std::pair<std::int32_t, std::size_t>> stack;
  for (std::int32_t root = 0; root < n; ++root) {
    if (!graph.dependents(root).empty() || entered[static_cast<std::size_t>(root)]) continue;
    stack.emplace_back(root, 0);
    entered[static_cast<std::size_t>(root)] = 1;
    while (!stack.empty()) {
      auto& [t, child] = stack.back();
      auto deps = graph.dependencies(t);
      if (child < deps.size()) {
        auto d = deps[child++];
        if (!entered[static_cast<std::size_t>(d)]) {
          entered[static_cast<std::size_t>(d)] = 1;
          stack.emplace_back(d, 0);
        }
        continue;
      }
      rank[static_cast<std::size_t>(t)] = next++;
      stack.pop_back();
    }
  }
  return rank;
}

OptimizedGraph optimize(const HighLevelGraph& graph, std::span<const Key> outputs,
                        const OptimizeOptions& options) {
  TaskGraph g = graph.materialize();
  if (options.cull) g = cull(g, outputs);
  if (options.fuse) g = fuse_linear(g, outputs, options.max_chain);
  auto priority = order(g);
  return {std::move(g), std::move(priority)};
}

}  // namespace tessera
