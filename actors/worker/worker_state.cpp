#include "actors/worker/worker_state.hpp"

#include <absl/container/flat_hash_set.h>

#include "runtime/util/error.hpp"

#include <iostream>
#include <map>

namespace tessera::actors {

WorkerState::WorkerState() : store_(std::make_unique<SpillStore>(std::filesystem::path{}, 0)) {}

WorkerState::~WorkerState() = default;

void WorkerState::configure_memory(std::filesystem::path local_directory, std::size_t target_bytes) {
  if (store_->size() != 0) throw ValueError("WorkerState::configure_memory: values are already stored");
  store_ = std::make_unique<SpillStore>(std::move(local_directory), target_bytes);
  observe_store();
}

void WorkerState::observe_store() {
  if (!shared_) return store_->set_observer({});
  // Raw pointer: the store is owned here and never outlives shared_'s holder.
  SharedValues* shared = shared_.get();
  store_->set_observer({[shared](std::uint64_t id, const std::filesystem::path& file) { shared->spilled(id, file); },
                        [shared](std::uint64_t id, const Value& v) { shared->unspilled(id, v); }});
}

std::filesystem::path WorkerState::spill_directory() const { return store_->made_directory(); }

WorkerState::FetchPlan WorkerState::add_tasks(ComputeBatch batch) {
  FetchPlan plan;
  for (auto& task : batch) {
    std::size_t missing = 0;
    for (const auto& dep : task.deps) {
      if (store_->contains(dep.id)) continue;
      ++missing;
      auto [it, first] = fetching_.try_emplace(dep.id);
      // Once per task: a task placed here again (after a failed fetch of
      // another input, or sent twice) may still be listed.
      if (std::find(it->second.begin(), it->second.end(), task.id) == it->second.end())
        it->second.push_back(task.id);
      if (first) plan_fetch(dep, plan);
    }
    if (missing == 0) make_ready(std::move(task));
    else {
      auto id = task.id;
      pending_.emplace(id, Pending{std::move(task), missing});
    }
  }
  return plan;
}

void WorkerState::plan_fetch(const DepLocation& dep, FetchPlan& plan) {
  caf::actor from = dep.holders.empty() ? caf::actor{} : dep.holders.front();
  source_[dep.id] = from;
  auto p = std::find_if(plan.begin(), plan.end(), [&](auto& e) { return e.first == from; });
  if (p == plan.end()) plan.emplace_back(from, std::vector<TaskId>{dep.id});
  else p->second.push_back(dep.id);
}

bool WorkerState::fetching_from(TaskId input, const caf::actor_addr& from) const {
  auto it = source_.find(input);
  return it == source_.end() || it->second.address() == from;
}

void WorkerState::make_ready(ComputeTask task) {
  auto priority = task.priority;
  ready_.push(ReadyEntry{priority, seq_++, std::move(task)});
}

std::vector<WorkerState::MissingInput> WorkerState::inputs_arrived(const caf::actor_addr& from,
                                                                   const std::vector<TaskId>& ids,
                                                                   DataReply reply) {
  std::vector<TaskId> missing;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i < reply.found.size() && reply.found[i] && i < reply.values.size()) {
      // A value is a value: kept even when a newer fetch of it is under way.
      store(ids[i], std::move(reply.values[i]));
      auto it = fetching_.find(ids[i]);
      if (it == fetching_.end()) continue;
      for (auto t : it->second) {
        auto p = pending_.find(t);
        if (p == pending_.end()) continue;
        if (--p->second.missing == 0) {
          make_ready(std::move(p->second.task));
          pending_.erase(p);
        }
      }
      fetching_.erase(it);
      source_.erase(ids[i]);
    } else {
      missing.push_back(ids[i]);
    }
  }
  return inputs_failed(from, missing);
}

Key WorkerState::input_key(TaskId input) const {
  auto it = fetching_.find(input);
  if (it == fetching_.end()) return {};
  for (auto t : it->second)
    if (auto p = pending_.find(t); p != pending_.end())
      for (const auto& d : p->second.task.deps)
        if (d.id == input) return d.key;
  return {};
}

std::vector<WorkerState::MissingInput> WorkerState::inputs_failed(const caf::actor_addr& from,
                                                                  const std::vector<TaskId>& ids) {
  std::vector<MissingInput> failed;
  for (auto id : ids) {
    auto it = fetching_.find(id);
    if (it == fetching_.end() || !fetching_from(id, from)) continue;  // another fetch decides
    for (auto t : it->second) {
      auto p = pending_.find(t);
      if (p == pending_.end()) continue;
      Key missing_key;
      for (const auto& d : p->second.task.deps)
        if (d.id == id) missing_key = d.key;
      failed.push_back(MissingInput{t, id, missing_key});
      pending_.erase(p);
    }
    fetching_.erase(it);
    source_.erase(id);
  }
  return failed;
}

WorkerState::FetchPlan WorkerState::refresh(ComputeBatch batch) {
  FetchPlan plan;
  for (auto& task : batch) {
    auto p = pending_.find(task.id);
    if (p == pending_.end()) continue;
    p->second.task.deps = task.deps;
    for (const auto& dep : task.deps) {
      if (store_->contains(dep.id)) continue;
      auto [it, first] = fetching_.try_emplace(dep.id);
      if (std::find(it->second.begin(), it->second.end(), task.id) == it->second.end())
        it->second.push_back(task.id);
      // In flight from a worker that still holds it: that fetch goes on. A
      // fetch from a holder that has since left may never be answered (a
      // request to a node that died before we reached it): fetch again.
      if (!first && std::find_if(dep.holders.begin(), dep.holders.end(),
                                 [&](const caf::actor& h) { return fetching_from(dep.id, h.address()); }) != dep.holders.end())
        continue;
      plan_fetch(dep, plan);
    }
  }
  return plan;
}

WorkerState::FetchPlan WorkerState::still_needed(FetchPlan plan) {
  for (auto& [from, ids] : plan)
    std::erase_if(ids, [&](TaskId id) {
      auto it = fetching_.find(id);
      if (it == fetching_.end()) return true;  // arrived or failed meanwhile
      if (!it->second.empty()) return false;
      fetching_.erase(it);
      source_.erase(id);
      return true;
    });
  std::erase_if(plan, [](const auto& e) { return e.second.empty(); });
  return plan;
}

std::vector<TaskId> WorkerState::release_unstarted(const std::vector<TaskId>& ids) {
  absl::flat_hash_set<TaskId> wanted(ids.begin(), ids.end());
  std::vector<TaskId> released;
  for (auto id : ids) {
    auto p = pending_.find(id);
    if (p == pending_.end()) continue;
    for (const auto& d : p->second.task.deps) {
      auto f = fetching_.find(d.id);
      if (f == fetching_.end()) continue;
      std::erase(f->second, id);  // the fetch goes on; its result is kept
    }
    pending_.erase(p);
    released.push_back(id);
  }
  // The ready queue is a heap: rebuild it without the released tasks.
  std::vector<ReadyEntry> keep;
  while (!ready_.empty()) {
    auto& top = const_cast<ReadyEntry&>(ready_.top());
    if (wanted.contains(top.task.id)) released.push_back(top.task.id);
    else keep.push_back(std::move(top));
    ready_.pop();
  }
  for (auto& e : keep) ready_.push(std::move(e));
  return released;
}

void WorkerState::clear() {
  if (shared_) shared_->clear();
  store_->clear();
  ready_ = {};
  pending_.clear();
  fetching_.clear();
  source_.clear();
}

TaskRunBatch WorkerState::take_ready(std::size_t n) {
  TaskRunBatch out;
  out.reserve(std::min(n, ready_.size()));
  while (n-- > 0 && !ready_.empty()) {
    // priority_queue::top is const: move out through a const_cast, then pop.
    auto& top = const_cast<ReadyEntry&>(ready_.top());
    if (!out.empty() && std::any_of(top.task.deps.begin(), top.task.deps.end(),
                                    [&](const DepLocation& d) { return store_->is_spilled(d.id); }))
      break;  // its inputs are read back when it is the first of a batch
    TaskRun run;
    run.id = top.task.id;
    run.spec = std::move(top.task.spec);
    run.inputs.reserve(top.task.deps.size());
    for (auto& d : top.task.deps) {
      if (!store_->contains(d.id)) {
        run.inputs.emplace_back(std::move(d.key), Value());
        continue;
      }
      try {
        run.inputs.emplace_back(std::move(d.key), store_->get(d.id));
      } catch (const std::exception& e) {  // left out: the task fails naming the input
        read_errors_.push_back(e.what());
      }
    }
    ready_.pop();
    out.push_back(std::move(run));
  }
  return out;
}

void WorkerState::share_large_values(std::shared_ptr<SharedValues> shared, std::string address) {
  shared_ = std::move(shared);
  data_address_ = std::move(address);
  observe_store();
  if (!shared_) return;
  // Values stored before: in memory ones shared as they are, spilled ones as their files.
  std::vector<TaskId> ids;
  store_->for_each_id([&](std::uint64_t id) { ids.push_back(id); });
  for (auto id : ids) {
    if (store_->nbytes_of(id) < shared_->threshold()) continue;
    if (const auto* v = store_->find_in_memory(id)) shared_->put(id, *v);
    else {
      shared_->put(id, Value());
      shared_->spilled(id, store_->path_of(id));
    }
  }
}

std::vector<Key> WorkerState::adopt_pushed(const std::vector<DepLocation>& items) {
  std::vector<Key> missing;
  for (const auto& item : items) {
    auto v = shared_ ? shared_->take_pushed(item.key.str()) : std::nullopt;
    if (!v) missing.push_back(item.key);
    else if (item.id != 0) store(item.id, std::move(*v));
  }
  return missing;
}

void WorkerState::store(TaskId id, Value v) {
  if (store_->contains(id)) return;  // a copy already held is kept (same key, same value)
  // Shared first: when the store spills it at once, the observer finds it.
  if (shared_ && shared_->serves(v)) shared_->put(id, v);
  store_->put(id, std::move(v));
}

void WorkerState::free(const std::vector<TaskId>& ids) {
  for (auto id : ids) {
    if (!store_->contains(id)) continue;
    if (shared_) shared_->erase(id);
    store_->erase(id);
  }
}

std::optional<Value> WorkerState::find(TaskId id) {
  if (!store_->contains(id)) return std::nullopt;
  return store_->get(id);
}

DataReply WorkerState::get_data(const std::vector<TaskId>& ids) {
  DataReply r;
  r.values.reserve(ids.size());
  r.found.reserve(ids.size());
  for (auto id : ids) {
    bool held = store_->contains(id);
    bool on_plane = held && shared_ && store_->nbytes_of(id) >= shared_->threshold();
    if (on_plane && r.on_data_plane.empty()) {
      r.on_data_plane.assign(ids.size(), 0);
      r.data_address = data_address_;
    }
    if (on_plane) r.on_data_plane[r.values.size()] = 1;
    Value v;
    if (held && !on_plane) {
      try {
        v = store_->get(id);
      } catch (const std::exception& e) {  // unreadable spill file: answered as not held
        std::cerr << "tessera worker: " << e.what() << std::endl;
        held = false;
      }
    }
    r.values.push_back(std::move(v));
    r.found.push_back(held);
  }
  return r;
}

}  // namespace tessera::actors
