#include "runtime/graph/task_graph.hpp"

#include <absl/container/flat_hash_set.h>

namespace tessera {

TaskGraph::TaskGraph(std::vector<TaskSpec> tasks, std::vector<Key> external) {
  index_.reserve(tasks.size());
  tasks_.reserve(tasks.size());
  for (auto& t : tasks) {
    if (index_.contains(t.key.str())) continue;
    tasks_.push_back(std::move(t));
    index_.emplace(tasks_.back().key.str(), static_cast<std::int32_t>(tasks_.size() - 1));
  }
  build(std::move(external));
}

TaskGraph::TaskGraph(const TaskGraph& other) : tasks_(other.tasks_) {
  index_.reserve(tasks_.size());
  for (std::size_t i = 0; i < tasks_.size(); ++i)
    index_.emplace(tasks_[i].key.str(), static_cast<std::int32_t>(i));
  dep_offsets_ = other.dep_offsets_;
  deps_ = other.deps_;
  rdep_offsets_ = other.rdep_offsets_;
  rdeps_ = other.rdeps_;
  external_ = other.external_;
}

TaskGraph& TaskGraph::operator=(const TaskGraph& other) {
  if (this != &other) *this = TaskGraph(other);
  return *this;
}

void TaskGraph::build(std::vector<Key> external) {
  const auto n = tasks_.size();
  dep_offsets_.assign(n + 1, 0);
  absl::flat_hash_set<Key> external_seen;
  for (auto& k : external)
    if (!index_.contains(k.str()) && external_seen.insert(k).second) external_.push_back(std::move(k));
  std::vector<std::int32_t> local;
  for (std::size_t i = 0; i < n; ++i) {
    local.clear();
    for_each_ref(tasks_[i].args, [&](const Key& k) {
      auto it = index_.find(k.str());
      if (it == index_.end()) {
        if (external_seen.insert(k).second) external_.push_back(k);
        return;
      }
      for (auto d : local)
        if (d == it->second) return;
      local.push_back(it->second);
    });
    deps_.insert(deps_.end(), local.begin(), local.end());
    dep_offsets_[i + 1] = static_cast<std::int32_t>(deps_.size());
  }
  // Reverse adjacency by counting sort.
  rdep_offsets_.assign(n + 1, 0);
  for (auto d : deps_) ++rdep_offsets_[static_cast<std::size_t>(d) + 1];
  for (std::size_t i = 0; i < n; ++i) rdep_offsets_[i + 1] += rdep_offsets_[i];
  rdeps_.resize(deps_.size());
  std::vector<std::int32_t> fill(rdep_offsets_.begin(), rdep_offsets_.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    for (auto d : dependencies(static_cast<std::int32_t>(i)))
      rdeps_[static_cast<std::size_t>(fill[static_cast<std::size_t>(d)]++)] =
          static_cast<std::int32_t>(i);
}

std::int32_t TaskGraph::find(const Key& key) const {
  auto it = index_.find(key.str());
  return it == index_.end() ? -1 : it->second;
}

std::span<const std::int32_t> TaskGraph::dependencies(std::int32_t i) const {
  auto b = static_cast<std::size_t>(dep_offsets_[static_cast<std::size_t>(i)]);
  auto e = static_cast<std::size_t>(dep_offsets_[static_cast<std::size_t>(i) + 1]);
  return {deps_.data() + b, e - b};
}

std::span<const std::int32_t> TaskGraph::dependents(std::int32_t i) const {
  auto b = static_cast<std::size_t>(rdep_offsets_[static_cast<std::size_t>(i)]);
  auto e = static_cast<std::size_t>(rdep_offsets_[static_cast<std::size_t>(i) + 1]);
  return {rdeps_.data() + b, e - b};
}

std::vector<TaskSpec> TaskGraph::release() && {
  index_.clear();
  return std::move(tasks_);
}

}  // namespace tessera
