#include "actors/scheduler/dashboard_snapshot.hpp"

#include <caf/node_id.hpp>

#include <map>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {
namespace {

DashboardWorker dashboard_worker(WorkerId id, const WorkerRecord& w) {
  DashboardWorker d;
  d.id = id;
  d.name = w.name;
  d.address = w.handle ? to_string(w.handle.node()) : std::string{};
  d.nthreads = w.nthreads;
  d.processing = w.processing.size();
  d.keys_in_memory = w.has_what.size();
  d.bytes_in_memory = w.nbytes;
  d.metrics = w.metrics;
  d.last_seen = w.last_seen;
  d.retiring = w.retiring;
  return d;
}

void count_for_prefix(PrefixProgress& p, TaskState s) {
  switch (s) {
    case TaskState::memory: ++p.memory; break;
    case TaskState::processing: ++p.processing; break;
    case TaskState::waiting:
    case TaskState::queued: ++p.waiting; break;
    case TaskState::erred: ++p.erred; break;
    case TaskState::released: break;  // data freed after use (done), or not needed
  }
}

}  // namespace

const TaskRecord* SchedulerState::find(TaskId id) const {
  auto slot = slot_of(id);
  if (slot >= tasks_.size()) return nullptr;
  const auto& t = tasks_[slot];
  if (!t.alive || t.generation != static_cast<std::uint32_t>(id >> 32)) return nullptr;
  return &t;
}

void SchedulerState::fill_dashboard(DashboardSnapshot& s, const DashboardQuery& q) const {
  for (WorkerId w = 0; w < workers_.size(); ++w)
    if (workers_[w].alive) s.workers.push_back(dashboard_worker(w, workers_[w]));
  std::map<std::string_view, PrefixProgress> prefixes;
  for (const auto& [key, slot] : key_index_) {
    const auto& t = tasks_[slot];
    ++s.tasks_by_state[static_cast<std::size_t>(t.state)];
    auto& p = prefixes[t.key.prefix()];
    count_for_prefix(p, t.state);
  }
  s.tasks_total = key_index_.size();
  for (auto& [name, p] : prefixes) {
    p.prefix = std::string(name);
    s.prefixes.push_back(std::move(p));
  }
  for (const auto& c : clients_) s.clients += c.alive;
  if (q.graph && key_index_.size() <= DashboardQuery::max_graph_tasks) fill_graph(s);
  if (!q.task.empty()) fill_task_detail(s, q.task);
}

void SchedulerState::fill_graph(DashboardSnapshot& s) const {
  absl::flat_hash_map<std::uint32_t, std::uint32_t> index;  // slot → node
  for (const auto& [key, slot] : key_index_) {
    index.emplace(slot, static_cast<std::uint32_t>(s.graph.size()));
    const auto& t = tasks_[slot];
    s.graph.push_back({t.key.str(), std::string(t.key.prefix()), std::string(task_state_name(t.state)), {}});
  }
  for (const auto& [key, slot] : key_index_) {
    auto& node = s.graph[index[slot]];
    for (auto d : tasks_[slot].deps) {
      if (!find(d)) continue;  // forgotten: its slot may hold another task now
      if (auto it = index.find(slot_of(d)); it != index.end()) node.deps.push_back(it->second);
    }
  }
  s.graph_included = true;
}

void SchedulerState::fill_task_detail(DashboardSnapshot& s, const std::string& key) const {
  auto it = key_index_.find(Key::from_string(key));
  if (it == key_index_.end()) return;
  const auto& t = tasks_[it->second];
  TaskDetail d;
  d.key = t.key.str();
  d.state = std::string(task_state_name(t.state));
  d.prefix = std::string(t.key.prefix());
  d.nbytes = t.nbytes;
  d.priority = t.priority;
  for (auto w : t.who_has) d.who_has.push_back(workers_[w].name);
  if (t.processing_on) d.processing_on = workers_[*t.processing_on].name;
  for (auto dep : t.deps)
    if (const auto* r = find(dep)) d.dependencies.push_back(r->key.str());
  for (auto dep : t.dependents)
    if (const auto* r = find(dep)) d.dependents.push_back(r->key.str());
  for (const auto& [client, refs] : t.wanted_by) d.wanted_by.push_back("client-" + std::to_string(client));
  if (t.error) d.error = t.error->message;
  s.task = std::move(d);
}

}  // namespace tessera::actors
