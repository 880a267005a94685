#include "runtime/graph/high_level_graph.hpp"

#include <absl/container/flat_hash_set.h>

namespace tessera {

Layer::~Layer() {
  // While an outer ~Layer is draining, nested destructors hand their
  // dependencies to it instead of recursing.
  thread_local std::vector<LayerPtr>* draining = nullptr;
  if (draining != nullptr) {
    for (auto& d : dependencies) draining->push_back(std::move(d));
    return;
  }
  std::vector<LayerPtr> stack = std::move(dependencies);
  draining = &stack;
  while (!stack.empty()) {
    LayerPtr p = std::move(stack.back());
    stack.pop_back();
    p.reset();
  }
  draining = nullptr;
}

LayerPtr make_layer(std::string name, std::vector<TaskSpec> tasks, std::vector<LayerPtr> deps) {
  return std::make_shared<const Layer>(std::move(name), std::move(tasks), std::move(deps));
}

std::vector<const Layer*> HighLevelGraph::layers() const {
  std::vector<const Layer*> out;
  absl::flat_hash_set<const Layer*> seen;
  std::vector<const Layer*> stack;
  for (const auto& t : tops_)
    if (t && seen.insert(t.get()).second) stack.push_back(t.get());
  while (!stack.empty()) {
    const Layer* l = stack.back();
    stack.pop_back();
    out.push_back(l);
    for (const auto& d : l->dependencies)
      if (d && seen.insert(d.get()).second) stack.push_back(d.get());
  }
  return out;
}

TaskGraph HighLevelGraph::materialize() const {
  auto ls = layers();
  std::size_t n = 0;
  for (const auto* l : ls) n += l->tasks.size();
  std::vector<TaskSpec> tasks;
  tasks.reserve(n);
  std::vector<Key> external;
  for (const auto* l : ls) {
    tasks.insert(tasks.end(), l->tasks.begin(), l->tasks.end());
    external.insert(external.end(), l->external.begin(), l->external.end());
  }
  return TaskGraph(std::move(tasks), std::move(external));
}

}  // namespace tessera
