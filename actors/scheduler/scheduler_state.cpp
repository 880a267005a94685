#include "actors/scheduler/scheduler_state.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tessera::actors {

std::string_view task_state_name(TaskState s) noexcept {
  switch (s) {
    case TaskState::released: return "released";
    case TaskState::waiting: return "waiting";
    case TaskState::queued: return "queued";
    case TaskState::processing: return "processing";
    case TaskState::memory: return "memory";
    case TaskState::erred: return "erred";
  }
  return "?";
}

namespace {
bool finished(TaskState s) { return s == TaskState::memory || s == TaskState::erred; }
constexpr auto heap_cmp = [](const auto& a, const auto& b) { return a > b; };  // min-heap
}  // namespace

// ---- records ---------------------------------------------------------------

TaskId SchedulerState::id_of(std::uint32_t slot) const {
  return (static_cast<TaskId>(tasks_[slot].generation) << 32) | slot;
}

TaskRecord* SchedulerState::get(TaskId id) {
  auto slot = slot_of(id);
  if (slot >= tasks_.size()) return nullptr;
  auto& t = tasks_[slot];
  if (!t.alive || t.generation != static_cast<std::uint32_t>(id >> 32)) return nullptr;
  return &t;
}

std::optional<TaskId> SchedulerState::task_id(const Key& key) const {
  auto it = key_index_.find(key);
  if (it == key_index_.end()) return std::nullopt;
  return id_of(it->second);
}

const TaskRecord* SchedulerState::find(const Key& key) const {
  auto it = key_index_.find(key);
  return it == key_index_.end() ? nullptr : &tasks_[it->second];
}

TaskId SchedulerState::create(Key key, std::shared_ptr<const TaskSpec> spec, std::int64_t priority) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(tasks_.size());
    tasks_.emplace_back();
  }
  auto& t = tasks_[slot];
  auto generation = t.generation + 1;
  t = TaskRecord{};
  t.generation = generation;
  t.alive = true;
  t.key = std::move(key);
  t.spec = std::move(spec);
  t.priority = priority;
  key_index_.emplace(t.key, slot);
  return id_of(slot);
}

// ---- workers and clients ---------------------------------------------------

WorkerId SchedulerState::add_worker(caf::actor handle, std::string name, std::uint32_t nthreads,
                                    Outbox& out, double now) {
  if (now < 0)
    now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  WorkerRecord w;
  w.handle = std::move(handle);
  w.name = std::move(name);
  w.nthreads = std::max<std::uint32_t>(1, nthreads);
  w.last_seen = now;
  workers_.push_back(std::move(w));
  auto id = static_cast<WorkerId>(workers_.size() - 1);
  place_waiting(out);
  fill_workers(out);
  balance(out);  // and work from the busy ones
  return id;
}

ClientId SchedulerState::add_client(caf::actor handle) {
  clients_.push_back(ClientRecord{std::move(handle), true, {}});
  return static_cast<ClientId>(clients_.size() - 1);
}

void SchedulerState::remove_client(ClientId client, Outbox& out) {
  if (client >= clients_.size() || !clients_[client].alive) return;
  auto wants = std::move(clients_[client].wants);
  clients_[client].wants.clear();
  clients_[client].alive = false;
  for (auto id : wants) drop_wanter(id, client, true, out);
}

// ---- submission ------------------------------------------------------------

void SchedulerState::submit(ClientId client, const GraphSubmissionPtr& submission, Outbox& out) {
  const TaskGraph& g = submission->graph.graph;
  const auto n = static_cast<std::int32_t>(g.size());
  std::vector<TaskId> ids(static_cast<std::size_t>(n));
  std::vector<char> fresh(static_cast<std::size_t>(n), 0);
  const std::int64_t base = next_priority_;
  next_priority_ += n;

  // 1. Records: reuse known keys, create the others.
  for (std::int32_t i = 0; i < n; ++i) {
    const auto& spec = g.task(i);
    if (auto it = key_index_.find(spec.key); it != key_index_.end()) {
      ids[static_cast<std::size_t>(i)] = id_of(it->second);
      continue;
    }
    std::shared_ptr<const TaskSpec> sp(submission, &spec);
    ids[static_cast<std::size_t>(i)] =
        create(spec.key, std::move(sp), base + submission->graph.priority[static_cast<std::size_t>(i)]);
    fresh[static_cast<std::size_t>(i)] = 1;
  }

  // 2. Dependencies of new tasks: in-graph ones by index, external ones by key.
  std::vector<TaskId> missing_errors;
  for (std::int32_t i = 0; i < n; ++i) {
    if (!fresh[static_cast<std::size_t>(i)]) continue;
    auto id = ids[static_cast<std::size_t>(i)];
    std::vector<TaskId> deps;
    for (auto d : g.dependencies(i)) deps.push_back(ids[static_cast<std::size_t>(d)]);
    if (!g.external_keys().empty()) {
      for_each_ref(g.task(i).args, [&](const Key& k) {
        if (g.contains(k)) return;
        auto it = key_index_.find(k);
        if (it == key_index_.end()) {
          auto* t = get(id);
          if (!t->error)
            t->error = std::make_shared<ErrorInfo>(ErrorInfo{
                k.str(), "", "key " + k.str() + " is not on the cluster (was its future released?)", {}});
          return;
        }
        auto dep = id_of(it->second);
        if (std::find(deps.begin(), deps.end(), dep) == deps.end()) deps.push_back(dep);
      });
    }
    auto* t = get(id);
    if (t->error) missing_errors.push_back(id);
    for (auto dep : deps) get(dep)->dependents.push_back(id);
    t->deps = std::move(deps);
    count_dep_refs(*t);
  }

  // 3. Wanted keys hold a reference for the client.
  for (const auto& k : submission->wanted) {
    auto it = key_index_.find(k);
    if (it != key_index_.end()) add_wanter(id_of(it->second), client, out);
  }

  // 4. New tasks wait for their dependencies or become ready; a dependency
  //    whose data was released is recomputed from its lineage.
  for (auto id : missing_errors) {
    auto* t = get(id);
    auto err = t->error;
    t->state = TaskState::waiting;
    finish_error(id, err, out);
  }
  for (std::int32_t i = 0; i < n; ++i) {
    if (!fresh[static_cast<std::size_t>(i)]) continue;
    auto id = ids[static_cast<std::size_t>(i)];
    auto* t = get(id);
    if (t->state != TaskState::released) continue;  // erred already
    ensure_computed(id, out);
  }
  fill_workers(out);
}

void SchedulerState::ensure_computed(TaskId root, Outbox& out) {
  std::vector<TaskId> stack{root};
  std::vector<TaskId> order;
  // Walk released tasks that must run again; then count what each waits on.
  while (!stack.empty()) {
    auto id = stack.back();
    stack.pop_back();
    auto* t = get(id);
    if (t->state != TaskState::released) continue;
    if (!t->spec) {  // scattered data that was freed cannot be recomputed
      finish_error(id, std::make_shared<ErrorInfo>(ErrorInfo{t->key.str(), "scatter",
                       "the data of " + t->key.str() + " was released and has no lineage", {}}), out);
      continue;
    }
    t->state = TaskState::waiting;
    if (!t->holds_dep_refs) count_dep_refs(*t);  // it ran before: its inputs are needed again
    order.push_back(id);
    for (auto d : t->deps)
      if (get(d)->state == TaskState::released) stack.push_back(d);
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    auto* t = get(*it);
    if (t->state != TaskState::waiting) continue;
    t->waiting_on = 0;
    std::shared_ptr<const ErrorInfo> dep_error;
    for (auto d : t->deps) {
      auto* dt = get(d);
      if (dt->state == TaskState::erred) dep_error = dt->error;
      else if (dt->state != TaskState::memory) ++t->waiting_on;
    }
    if (dep_error) finish_error(*it, dep_error, out);
    else if (t->waiting_on == 0) make_ready(*it, out);
  }
}

void SchedulerState::make_ready(TaskId id, Outbox& out) {
  auto* t = get(id);
  if (t->deps.empty()) {
    t->state = TaskState::queued;
    root_queue_.emplace_back(t->priority, id);
    std::push_heap(root_queue_.begin(), root_queue_.end(), heap_cmp);
    return;
  }
  if (auto w = choose_worker(*t)) {
    assign(id, *w, out);
  } else {
    t->state = TaskState::queued;
    no_worker_.push_back(id);
  }
}

void SchedulerState::place_waiting(Outbox& out) {
  if (no_worker_.empty()) return;
  auto waiting = std::move(no_worker_);
  no_worker_.clear();
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    auto* t = get(waiting[i]);
    if (!t || t->state != TaskState::queued) continue;  // placed or reset since
    auto w = choose_worker(*t);
    if (!w) {  // still nobody running: the rest wait on
      no_worker_.insert(no_worker_.end(), waiting.begin() + static_cast<std::ptrdiff_t>(i), waiting.end());
      return;
    }
    assign(waiting[i], *w, out);
  }
}

std::optional<WorkerId> SchedulerState::choose_worker(const TaskRecord& t,
                                                      std::optional<WorkerId> exclude) const {
  std::optional<WorkerId> best;
  std::size_t best_bytes = 0;
  double best_load = 0;
  for (WorkerId w = 0; w < workers_.size(); ++w) {
    const auto& wr = workers_[w];
    if (!wr.running() || w == exclude) continue;
    std::size_t bytes = 0;
    for (auto d : t.deps) {
      const auto& dt = tasks_[slot_of(d)];
      if (std::find(dt.who_has.begin(), dt.who_has.end(), w) != dt.who_has.end())
        bytes += dt.nbytes + 1;
    }
    double load = static_cast<double>(wr.processing.size()) / wr.nthreads;
    if (!best || bytes > best_bytes || (bytes == best_bytes && load < best_load)) {
      best = w;
      best_bytes = bytes;
      best_load = load;
    }
  }
  return best;
}

std::size_t SchedulerState::root_capacity(const WorkerRecord& w) const {
  // About 2 ms of queued work a thread, at least one task, at most 256.
  double per_thread = std::clamp(std::ceil(0.002 / std::max(mean_task_seconds_, 1e-7)), 1.0, 256.0);
  return static_cast<std::size_t>(per_thread) * w.nthreads + w.nthreads;
}

void SchedulerState::fill_workers(Outbox& out) {
  while (!root_queue_.empty()) {
    // Idle threads first, most idle worker first: three roots and three idle
    // workers run at once instead of queueing on one. Then each worker's
    // queue is topped up to its capacity.
    auto pick = [&](auto free_slots) {
      std::optional<WorkerId> best;
      std::size_t most = 0;
      for (WorkerId w = 0; w < workers_.size(); ++w) {
        const auto& wr = workers_[w];
        if (!wr.running()) continue;
        auto n = free_slots(wr);
        if (n > most) most = n, best = w;
      }
      return std::make_pair(best, most);
    };
    auto free_below = [](std::size_t limit, std::size_t used) { return used < limit ? limit - used : 0; };
    auto [target, room] = pick([&](const WorkerRecord& wr) { return free_below(wr.nthreads, wr.processing.size()); });
    if (!target)
      std::tie(target, room) =
          pick([&](const WorkerRecord& wr) { return free_below(root_capacity(wr), wr.processing.size()); });
    if (!target) return;
    // A run of consecutive priorities goes to one worker (co-assignment).
    while (room > 0 && !root_queue_.empty()) {
      std::pop_heap(root_queue_.begin(), root_queue_.end(), heap_cmp);
      auto id = root_queue_.back().second;
      root_queue_.pop_back();
      auto* t = get(id);
      if (!t || t->state != TaskState::queued) continue;
      assign(id, *target, out);
      --room;
    }
  }
}

void SchedulerState::assign(TaskId id, WorkerId worker, Outbox& out) {
  auto* t = get(id);
  t->state = TaskState::processing;
  t->processing_on = worker;
  workers_[worker].processing.insert(id);
  out.compute[worker].push_back(compute_task(id));
}

ComputeTask SchedulerState::compute_task(TaskId id) const {
  const auto& t = tasks_[slot_of(id)];
  ComputeTask ct;
  ct.id = id;
  ct.spec = t.spec;
  ct.priority = t.priority;
  ct.deps.reserve(t.deps.size());
  for (auto d : t.deps) {
    const auto& dt = tasks_[slot_of(d)];
    DepLocation loc{d, dt.key, {}};
    for (auto w : dt.who_has) loc.holders.push_back(workers_[w].handle);
    ct.deps.push_back(std::move(loc));
  }
  return ct;
}

// ---- completion ------------------------------------------------------------

void SchedulerState::tasks_finished(WorkerId worker, const OutcomeBatch& outcomes, Outbox& out) {
  for (const auto& o : outcomes) {
    auto* t = get(o.id);
    if (!t || t->state != TaskState::processing || t->processing_on != worker) {
      // Forgotten or stale: the worker must not keep the data.
      if (o.ok && (!t || std::find(t->who_has.begin(), t->who_has.end(), worker) == t->who_has.end()))
        out.free[worker].push_back(o.id);
      continue;
    }
    if (!o.ok && o.missing_data) {
      missing_data(worker, o, out);
      continue;
    }
    workers_[worker].processing.erase(o.id);
    t->processing_on.reset();
    if (o.stop > o.start) mean_task_seconds_ = 0.9 * mean_task_seconds_ + 0.1 * (o.stop - o.start);
    if (o.ok) finish_memory(o.id, worker, o.nbytes, out);
    else
      finish_error(o.id, std::make_shared<ErrorInfo>(
                             ErrorInfo{o.error_key.empty() ? t->key.str() : o.error_key, o.error_function,
                                       o.error_message, {}}), out);
  }
  fill_workers(out);
  if (retiring_ > 0) advance_retirements(out);
  maybe_balance_after(worker, out);
}

void SchedulerState::count_dep_refs(TaskRecord& t) {
  for (auto d : t.deps) ++tasks_[slot_of(d)].waiters;
  t.holds_dep_refs = true;
}

void SchedulerState::drop_dep_refs(TaskRecord& t, Outbox& out) {
  if (!t.holds_dep_refs) return;
  t.holds_dep_refs = false;
  for (auto d : t.deps) dependency_done(d, out);
}

void SchedulerState::finish_memory(TaskId id, WorkerId worker, std::size_t nbytes, Outbox& out) {
  auto* t = get(id);
  t->state = TaskState::memory;
  t->nbytes = nbytes;
  t->who_has.assign(1, worker);
  workers_[worker].has_what.insert(id);
  workers_[worker].nbytes += nbytes;
  report(*t, id, out);
  auto dependents = t->dependents;  // a copy: make_ready may touch other records
  for (auto d : dependents) {
    auto* dt = get(d);
    if (dt->state != TaskState::waiting) continue;
    if (--dt->waiting_on == 0) make_ready(d, out);
  }
  drop_dep_refs(*get(id), out);
  auto* self = get(id);
  if (self && !self->wanted() && self->waiters == 0) {
    release_data(id, out);
    maybe_forget(id, out);
  }
}

void SchedulerState::finish_error(TaskId root, std::shared_ptr<const ErrorInfo> error, Outbox& out) {
  std::vector<TaskId> stack{root};
  std::vector<TaskId> erred;
  while (!stack.empty()) {
    auto id = stack.back();
    stack.pop_back();
    auto* t = get(id);
    if (!t || finished(t->state)) continue;
    if (t->processing_on) {
      workers_[*t->processing_on].processing.erase(id);
      t->processing_on.reset();
    }
    t->state = TaskState::erred;
    t->error = error;
    erred.push_back(id);
    report(*t, id, out);
    for (auto d : t->dependents) stack.push_back(d);
  }
  for (auto id : erred)
    if (auto* t = get(id)) drop_dep_refs(*t, out);
  for (auto id : erred) maybe_forget(id, out);
}

void SchedulerState::dependency_done(TaskId dep, Outbox& out) {
  auto* d = get(dep);
  if (!d) return;
  if (--d->waiters == 0 && !d->wanted() && d->state == TaskState::memory) release_data(dep, out);
}

void SchedulerState::release_data(TaskId id, Outbox& out) {
  auto* t = get(id);
  for (auto w : t->who_has) {
    out.free[w].push_back(id);
    workers_[w].has_what.erase(id);
    workers_[w].nbytes -= std::min(workers_[w].nbytes, t->nbytes);
  }
  t->who_has.clear();
  if (t->state == TaskState::memory) t->state = TaskState::released;
}

void SchedulerState::maybe_forget(TaskId root, Outbox& out) {
  std::vector<TaskId> stack{root};
  while (!stack.empty()) {
    auto id = stack.back();
    stack.pop_back();
    auto* t = get(id);
    if (!t || t->wanted() || !t->dependents.empty()) continue;
    if (t->state == TaskState::memory) release_data(id, out);
    if (t->processing_on) workers_[*t->processing_on].processing.erase(id);
    bool counted = t->holds_dep_refs;
    auto deps = std::move(t->deps);
    key_index_.erase(t->key);
    auto slot = slot_of(id);
    tasks_[slot].alive = false;
    tasks_[slot].spec.reset();
    tasks_[slot].error.reset();
    tasks_[slot].dependents.clear();
    tasks_[slot].who_has.clear();
    free_slots_.push_back(slot);
    for (auto d : deps) {
      auto* dt = get(d);
      if (!dt) continue;
      auto& ds = dt->dependents;
      if (auto it = std::find(ds.begin(), ds.end(), id); it != ds.end()) {
        *it = ds.back();
        ds.pop_back();
      }
      if (counted) dependency_done(d, out);
      stack.push_back(d);
    }
  }
}

void SchedulerState::data_acquired(WorkerId worker, const std::vector<TaskId>& ids, Outbox& out) {
  for (auto id : ids) {
    auto* t = get(id);
    if (!t || t->state != TaskState::memory) {
      out.free[worker].push_back(id);
      continue;
    }
    if (worker >= workers_.size() || !workers_[worker].alive) continue;
    if (std::find(t->who_has.begin(), t->who_has.end(), worker) != t->who_has.end()) continue;
    t->who_has.push_back(worker);
    workers_[worker].has_what.insert(id);
    workers_[worker].nbytes += t->nbytes;
  }
  if (retiring_ > 0) advance_retirements(out);
}

// ---- clients ---------------------------------------------------------------

void SchedulerState::report(const TaskRecord& t, TaskId id, Outbox& out) {
  if (t.wanted_by.empty()) return;
  KeyReport r;
  r.key = t.key;
  r.id = id;
  if (t.state == TaskState::memory) {
    r.status = KeyReport::Status::finished;
    r.nbytes = t.nbytes;
    for (auto w : t.who_has) r.holders.push_back(workers_[w].handle);
  } else {
    r.status = KeyReport::Status::error;
    r.error_key = t.error->key;
    r.error_function = t.error->function;
    r.error_message = t.error->message;
    r.error_type = t.error->type;
  }
  for (auto [c, n] : t.wanted_by)
    if (clients_[c].alive) out.reports[c].push_back(r);
}

void SchedulerState::add_wanter(TaskId id, ClientId client, Outbox& out) {
  auto* t = get(id);
  bool first = true;
  for (auto& [c, n] : t->wanted_by)
    if (c == client) {
      ++n;
      first = false;
    }
  if (first) {
    t->wanted_by.emplace_back(client, 1);
    clients_[client].wants.insert(id);
  }
  if (finished(t->state)) {
    auto saved = t->wanted_by;
    t->wanted_by.assign(1, {client, 1});
    report(*t, id, out);
    t->wanted_by = std::move(saved);
  } else if (t->state == TaskState::released) {
    ensure_computed(id, out);
  }
}

bool SchedulerState::drop_wanter(TaskId id, ClientId client, bool all, Outbox& out) {
  auto* t = get(id);
  if (!t) return false;
  auto& wb = t->wanted_by;
  auto it = std::find_if(wb.begin(), wb.end(), [&](auto& p) { return p.first == client; });
  if (it == wb.end()) return false;
  if (!all && --it->second > 0) return true;
  wb.erase(it);
  clients_[client].wants.erase(id);
  if (!t->wanted()) {
    if (t->waiters == 0 && t->state == TaskState::memory) release_data(id, out);
    maybe_forget(id, out);
  }
  return true;
}

void SchedulerState::release(ClientId client, const std::vector<Key>& keys, Outbox& out) {
  // A client releases a key once, when its last future of it is gone, however
  // often it submitted or wanted it (Dask's who_wants is a set). Only the
  // datasets' holder counts: one reference per dataset naming the key.
  const bool all = client != datasets_client_;
  for (const auto& k : keys)
    if (auto it = key_index_.find(k); it != key_index_.end())
      drop_wanter(id_of(it->second), client, all, out);
}

void SchedulerState::cancel(ClientId client, const std::vector<Key>& keys, Outbox& out) {
  for (const auto& k : keys) {
    auto it = key_index_.find(k);
    if (it == key_index_.end()) continue;
    auto id = id_of(it->second);
    KeyReport r;
    r.key = k;
    r.id = id;
    r.status = KeyReport::Status::cancelled;
    if (drop_wanter(id, client, true, out)) out.reports[client].push_back(std::move(r));
  }
  fill_workers(out);
}

std::vector<WorkerId> SchedulerState::accepting_workers() const {
  // Running workers first: a paused one is short of memory. Only when every
  // worker is paused does data go to them anyway (it has nowhere else to go).
  std::vector<WorkerId> running, alive;
  for (WorkerId w = 0; w < workers_.size(); ++w) {
    if (workers_[w].running()) running.push_back(w);
    if (workers_[w].accepting()) alive.push_back(w);
  }
  return running.empty() ? alive : running;
}

std::vector<WorkerId> SchedulerState::scatter_targets(const std::vector<WorkerId>& alive, bool broadcast,
                                                      std::size_t& next) const {
  if (alive.empty()) return {};
  if (broadcast) return alive;
  return {alive[next++ % alive.size()]};
}

TaskId SchedulerState::scattered_task(const Key& key) {
  if (auto it = key_index_.find(key); it != key_index_.end()) return id_of(it->second);
  return create(key, nullptr, next_priority_++);
}

void SchedulerState::hold_scattered(TaskId id, const std::vector<WorkerId>& holders, std::size_t nbytes) {
  auto* t = get(id);
  for (auto w : holders) {
    t->who_has.push_back(w);
    workers_[w].has_what.insert(id);
    workers_[w].nbytes += nbytes;
  }
  t->state = TaskState::memory;
  t->nbytes = nbytes;
}

void SchedulerState::scatter(ClientId client, ScatterBatch items, bool broadcast, Outbox& out) {
  auto alive = accepting_workers();
  std::size_t next = 0;
  for (auto& item : items) {
    auto id = scattered_task(item.key);
    if (get(id)->state != TaskState::memory && !alive.empty()) {
      auto targets = scatter_targets(alive, broadcast, next);
      for (auto w : targets) out.store[w].emplace_back(id, item.value);
      hold_scattered(id, targets, item.value.nbytes());
    }
    add_wanter(id, client, out);
  }
}

ScatterPlacement SchedulerState::place_scatter(const ScatterPlacement& wanted, bool broadcast) {
  auto alive = accepting_workers();
  ScatterPlacement placement;
  placement.reserve(wanted.size());
  for (const auto& item : wanted) {
    PlacedValue p{item.key, item.nbytes, {}};
    auto it = key_index_.find(item.key);
    bool held = it != key_index_.end() && get(id_of(it->second))->state == TaskState::memory;
    if (!held)
      for (auto w : scatter_targets(alive, broadcast, next_scatter_)) p.holders.push_back(workers_[w].handle);
    placement.push_back(std::move(p));
  }
  return placement;
}

void SchedulerState::adopt_scattered(ClientId client, const ScatterPlacement& placed, Outbox& out) {
  for (const auto& item : placed) {
    std::vector<WorkerId> holders;
    for (const auto& h : item.holders)
      if (auto w = worker_of(h)) holders.push_back(*w);
    auto id = scattered_task(item.key);
    auto* t = get(id);
    bool take = t->state != TaskState::memory && !holders.empty();
    for (auto w : holders) out.adopt[w].push_back(DepLocation{take ? id : TaskId{0}, item.key, {}});
    if (take) hold_scattered(id, holders, item.nbytes);
    if (t->state == TaskState::released && !t->spec) {
      // Nothing holds it and nothing can compute it: the client learns why.
      t->wanted_by.emplace_back(client, 1);
      clients_[client].wants.insert(id);
      finish_error(id, std::make_shared<ErrorInfo>(ErrorInfo{
                           item.key.str(), "scatter",
                           "the workers " + item.key.str() + " was pushed to left before it was placed", {}}),
                   out);
      continue;
    }
    add_wanter(id, client, out);
  }
}

SchedulerInfo SchedulerState::info() const {
  SchedulerInfo info;
  for (WorkerId w = 0; w < workers_.size(); ++w) {
    const auto& wr = workers_[w];
    if (!wr.alive) continue;
    WorkerInfo wi;
    wi.id = w;
    wi.name = wr.name;
    wi.nthreads = wr.nthreads;
    wi.processing = wr.processing.size();
    wi.keys_in_memory = wr.has_what.size();
    wi.bytes_in_memory = wr.nbytes;
    for (auto id : wr.has_what) wi.keys.push_back(tasks_[slot_of(id)].key.str());
    std::sort(wi.keys.begin(), wi.keys.end());
    wi.metrics = wr.metrics;
    wi.last_seen = wr.last_seen;
    wi.occupancy = occupancy(wr);
    wi.retiring = wr.retiring;
    info.workers.push_back(std::move(wi));
  }
  for (const auto& [k, slot] : key_index_) {
    ++info.tasks_total;
    switch (tasks_[slot].state) {
      case TaskState::released: ++info.tasks_released; break;
      case TaskState::waiting: ++info.tasks_waiting; break;
      case TaskState::queued: ++info.tasks_queued; break;
      case TaskState::processing: ++info.tasks_processing; break;
      case TaskState::memory: ++info.tasks_memory; break;
      case TaskState::erred: ++info.tasks_erred; break;
    }
  }
  for (const auto& c : clients_) info.clients += c.alive;
  return info;
}

}  // namespace tessera::actors
