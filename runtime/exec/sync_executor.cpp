#include "runtime/exec/sync_executor.hpp"

#include <algorithm>
#include <numeric>

#include "runtime/graph/optimize.hpp"
#include "runtime/util/error.hpp"

namespace tessera {

TaskError task_error(const TaskSpec& task, const std::exception& e) {
  if (auto* f = dynamic_cast<const FunctionFailure*>(&e))
    return TaskError(task.key.str(), f->function(), f->message());
  if (auto* t = dynamic_cast<const TaskError*>(&e)) return *t;
  return TaskError(task.key.str(), task.function_name(), e.what());
}

namespace {

class SlotLookup final : public ValueLookup {
 public:
  SlotLookup(const TaskGraph& g, const std::vector<Value>& slots) : g_(g), slots_(slots) {}
  const Value& get(const Key& key) const override {
    auto i = g_.find(key);
    if (i < 0) throw KeyError("key " + key.str() + " is not available to the sync executor");
    return slots_[static_cast<std::size_t>(i)];
  }

 private:
  const TaskGraph& g_;
  const std::vector<Value>& slots_;
};

}  // namespace

std::vector<Value> SyncExecutor::compute(const HighLevelGraph& graph, std::span<const Key> outputs) {
  auto opt = optimize(graph, outputs);
  const TaskGraph& g = opt.graph;
  if (!g.external_keys().empty())
    throw ValueError("the sync executor cannot use key " + g.external_keys().front().str() +
                     ", which lives on a cluster; compute it with that cluster's Client");
  const auto n = static_cast<std::int32_t>(g.size());
  std::vector<std::int32_t> run_order(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) run_order[static_cast<std::size_t>(opt.priority[static_cast<std::size_t>(i)])] = i;

  std::vector<char> is_output(static_cast<std::size_t>(n), 0);
  for (const auto& k : outputs) is_output[static_cast<std::size_t>(g.find(k))] = 1;
  std::vector<std::int32_t> waiting(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) waiting[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(g.dependents(i).size());

  std::vector<Value> slots(static_cast<std::size_t>(n));
  SlotLookup lookup(g, slots);
  for (auto i : run_order) {
    const auto& task = g.task(i);
    try {
      slots[static_cast<std::size_t>(i)] = run_task(task, lookup);
    } catch (const std::exception& e) {
      throw task_error(task, e);
    }
    for (auto d : g.dependencies(i))
      if (--waiting[static_cast<std::size_t>(d)] == 0 && !is_output[static_cast<std::size_t>(d)])
        slots[static_cast<std::size_t>(d)] = Value();
  }
  std::vector<Value> out;
  out.reserve(outputs.size());
  for (const auto& k : outputs) out.push_back(slots[static_cast<std::size_t>(g.find(k))]);
  return out;
}

}  // namespace tessera
