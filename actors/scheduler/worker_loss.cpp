// SchedulerState: a worker is lost (steps 1-5 of "Worker loss" in
// scheduler_state.hpp), and a worker could not fetch an input.
#include <algorithm>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {

namespace {

template <class Vec, class T>
void erase_value(Vec& v, const T& x) {
  v.erase(std::remove(v.begin(), v.end(), x), v.end());
}

template <class Vec, class T>
bool contains(const Vec& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string killed_worker_message(const TaskRecord& t, const std::string& last_worker) {
  return "Attempted to run task " + t.key.str() + " on " + std::to_string(t.suspicious) +
         " different workers, but all those workers died while running it. The last worker that "
         "attempted to run the task was " + last_worker + ".";
}

}  // namespace

void SchedulerState::remove_worker(WorkerId worker, Outbox& out, bool count_deaths) {
  if (worker >= workers_.size() || !workers_[worker].alive) return;
  // 1. Nothing more is sent to it, nor does anyone fetch from it.
  purge_outbox(worker, out);
  auto& wr = workers_[worker];
  wr.alive = false;
  if (wr.retiring) {
    wr.retiring = false;
    --retiring_;
  }
  const std::string name = wr.name.empty() ? "worker " + std::to_string(worker) : wr.name;
  std::vector<TaskId> processing(wr.processing.begin(), wr.processing.end());
  std::vector<TaskId> held(wr.has_what.begin(), wr.has_what.end());
  wr.processing.clear();
  wr.has_what.clear();
  wr.nbytes = 0;
  wr.copying.clear();
  for (auto id : wr.steal_requested)
    if (auto* t = get(id)) t->steal_pending = false;
  wr.steal_requested.clear();
  // Copies that were being made onto it are planned again.
  if (retiring_ > 0)
    for (auto& r : workers_) {
      if (!r.retiring) continue;
      for (auto it = r.copying.begin(); it != r.copying.end();) {
        if (it->second == worker) r.copying.erase(it++);
        else ++it;
      }
    }
  // Placed again in priority order, as they were first.
  std::sort(processing.begin(), processing.end(),
            [&](TaskId a, TaskId b) { return tasks_[slot_of(a)].priority < tasks_[slot_of(b)].priority; });
  std::sort(held.begin(), held.end());

  // 2. Its processing tasks count one more death each.
  std::vector<TaskId> requeue, killed;
  for (auto id : processing) {
    auto* t = get(id);
    if (!t || t->state != TaskState::processing) continue;
    t->processing_on.reset();
    t->steal_pending = false;
    t->state = TaskState::waiting;
    if (count_deaths && ++t->suspicious > options_.allowed_failures) killed.push_back(id);
    else requeue.push_back(id);
  }

  // 3-4. Its data: kept where others hold it, recomputed where nobody does.
  std::vector<TaskId> refresh;
  for (auto id : held) {
    auto* t = get(id);
    if (!t) continue;
    erase_value(t->who_has, worker);
    if (t->state != TaskState::memory) continue;
    if (t->who_has.empty()) {
      lose_data(id, "was lost with " + name, refresh, out);
      continue;
    }
    report(*t, id, out);  // clients that want it learn the holders left
    for (auto d : t->dependents) {
      const auto* dt = get(d);
      if (dt && dt->state == TaskState::processing && !contains(t->who_has, *dt->processing_on))
        refresh.push_back(d);
    }
  }

  for (auto id : killed) {
    auto* t = get(id);
    if (!t || t->state != TaskState::waiting) continue;
    finish_error(id, std::make_shared<ErrorInfo>(ErrorInfo{
                         t->key.str(), t->spec ? t->spec->function_name() : std::string("scatter"),
                         killed_worker_message(*t, name), ErrorInfo::killed_worker}),
                 out);
  }
  for (auto id : requeue) reschedule(id, out);
  send_refresh(refresh, out);
  fill_workers(out);
  if (retiring_ > 0) advance_retirements(out);
}

void SchedulerState::purge_outbox(WorkerId worker, Outbox& out) const {
  out.compute.erase(worker);
  out.free.erase(worker);
  out.store.erase(worker);
  out.refresh.erase(worker);
  out.steal.erase(worker);
  out.acquire.erase(worker);
  out.adopt.erase(worker);
  erase_value(out.close, worker);
  erase_value(out.clear, worker);
  // Messages still queued for others must not point at it. (A null handle,
  // as in tests without actors, names no one in particular: left alone.)
  const auto& h = workers_[worker].handle;
  if (!h) return;
  for (auto* batches : {&out.compute, &out.refresh})
    for (auto& [w, batch] : *batches)
      for (auto& ct : batch)
        for (auto& d : ct.deps) erase_value(d.holders, h);
  for (auto& [w, locs] : out.acquire) {  // a copy off it can no longer be made
    for (auto& d : locs) erase_value(d.holders, h);
    locs.erase(std::remove_if(locs.begin(), locs.end(), [](const DepLocation& d) { return d.holders.empty(); }),
               locs.end());
  }
  for (auto& [c, reports] : out.reports)
    for (auto& r : reports) erase_value(r.holders, h);
}

void SchedulerState::drop_holder(TaskId id, WorkerId worker) {
  auto* t = get(id);
  erase_value(t->who_has, worker);
  auto& wr = workers_[worker];
  if (wr.has_what.erase(id)) wr.nbytes -= std::min(wr.nbytes, t->nbytes);
}

void SchedulerState::lose_data(TaskId id, const std::string& why, std::vector<TaskId>& refresh,
                               Outbox& out) {
  auto* t = get(id);
  t->state = TaskState::released;
  if (!t->wanted() && t->waiters == 0) {  // nobody needs it any more
    maybe_forget(id, out);
    return;
  }
  if (!t->spec) {
    finish_error(id, std::make_shared<ErrorInfo>(ErrorInfo{
                         t->key.str(), "scatter",
                         "the data of " + t->key.str() + " " + why +
                             " and cannot be recomputed: it was scattered, not computed",
                         {}}),
                 out);
    return;
  }
  for (auto d : t->dependents) {
    auto* dt = get(d);
    if (!dt) continue;
    switch (dt->state) {
      case TaskState::waiting: ++dt->waiting_on; break;
      case TaskState::queued:  // ready, waiting for a worker (no_worker_): not any more
        dt->state = TaskState::waiting;
        dt->waiting_on = 1;
        break;
      case TaskState::processing: refresh.push_back(d); break;
      default: break;
    }
  }
  ensure_computed(id, out);
}

void SchedulerState::reschedule(TaskId id, Outbox& out) {
  auto* t = get(id);
  if (!t || t->state != TaskState::waiting) return;
  for (auto d : t->deps)  // released inputs run again (lose_data did it for lost ones)
    if (get(d)->state == TaskState::released) ensure_computed(d, out);
  t = get(id);
  if (t->state != TaskState::waiting) return;  // an input erred
  t->waiting_on = 0;
  std::shared_ptr<const ErrorInfo> dep_error;
  for (auto d : t->deps) {
    const auto* dt = get(d);
    if (dt->state == TaskState::erred) dep_error = dt->error;
    else if (dt->state != TaskState::memory) ++t->waiting_on;
  }
  if (dep_error) finish_error(id, dep_error, out);
  else if (t->waiting_on == 0) make_ready(id, out);
}

void SchedulerState::send_refresh(std::vector<TaskId>& ids, Outbox& out) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (auto id : ids) {
    const auto* t = get(id);
    if (t && t->state == TaskState::processing) out.refresh[*t->processing_on].push_back(compute_task(id));
  }
}

std::optional<WorkerId> SchedulerState::worker_of(const caf::actor& handle) const {
  if (!handle) return std::nullopt;
  for (WorkerId w = 0; w < workers_.size(); ++w)
    if (workers_[w].alive && workers_[w].handle == handle) return w;
  return std::nullopt;
}

void SchedulerState::missing_data(WorkerId worker, const TaskOutcome& o, Outbox& out) {
  auto* t = get(o.id);
  workers_[worker].processing.erase(o.id);
  t->processing_on.reset();
  t->steal_pending = false;
  t->state = TaskState::waiting;
  std::vector<TaskId> refresh;
  if (contains(t->deps, o.missing_dep)) {
    auto* dep = get(o.missing_dep);
    // The holder it asked does not have it: forget that copy (and make sure
    // the holder keeps none we no longer count).
    if (auto h = worker_of(o.missing_from); h && contains(dep->who_has, *h)) {
      drop_holder(o.missing_dep, *h);
      out.free[*h].push_back(o.missing_dep);
    }
    if (dep->state == TaskState::memory && dep->who_has.empty())
      lose_data(o.missing_dep, "is held by no worker", refresh, out);
    else if (dep->state == TaskState::memory)
      report(*dep, o.missing_dep, out);  // clients that want it learn the holders left
  }
  reschedule(o.id, out);
  send_refresh(refresh, out);
}

}  // namespace tessera::actors
