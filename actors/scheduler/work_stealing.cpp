// SchedulerState: work stealing (steps 1-3 of "Work stealing" in scheduler_state.hpp).
#include <algorithm>
#include <cmath>
#include <functional>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {

double SchedulerState::occupancy(const WorkerRecord& w) const {
  return static_cast<double>(w.processing.size()) * mean_task_seconds_ / w.nthreads;
}

bool SchedulerState::worth_moving(const TaskRecord& t) const {
  std::size_t bytes = 0;
  for (auto d : t.deps) bytes += tasks_[slot_of(d)].nbytes;
  return static_cast<double>(bytes) / options_.bandwidth <= 2 * mean_task_seconds_;
}

void SchedulerState::maybe_balance_after(WorkerId worker, Outbox& out) {
  if (workers_.size() < 2) return;
  const auto& wr = workers_[worker];
  if (wr.running() && wr.processing.size() < wr.nthreads) balance(out);
}

void SchedulerState::balance(Outbox& out) {
  if (workers_.size() < 2) return;
  // 1. Is a thread free anywhere, and what is the balanced level?
  std::size_t tasks = 0, threads = 0;
  bool idle = false;
  for (const auto& w : workers_) {
    if (!w.running()) continue;
    tasks += w.processing.size();
    threads += w.nthreads;
    idle = idle || w.processing.size() < w.nthreads;
  }
  if (!idle) return;
  const double level = static_cast<double>(tasks) / static_cast<double>(threads);
  // 2. Victims give back what they hold above it, latest priorities first;
  //    a paused victim starts nothing more: it keeps what it may be running.
  std::vector<std::pair<std::int64_t, TaskId>> candidates;
  for (WorkerId v = 0; v < workers_.size(); ++v) {
    const auto& wr = workers_[v];
    if (!wr.accepting() || !wr.steal_requested.empty()) continue;
    const auto keep = wr.paused ? std::size_t{wr.nthreads}
                                : std::max<std::size_t>(wr.nthreads, static_cast<std::size_t>(std::ceil(level * wr.nthreads)));
    if (wr.processing.size() <= keep) continue;
    std::size_t excess = wr.processing.size() - keep;
    // (Work left on a paused worker may wait for long: moving it always pays.)
    if (!wr.paused && static_cast<double>(excess) * mean_task_seconds_ < options_.steal_min_seconds) continue;
    candidates.clear();
    for (auto id : wr.processing) {
      const auto& t = tasks_[slot_of(id)];
      if (!t.steal_pending && (wr.paused || worth_moving(t))) candidates.emplace_back(t.priority, id);
    }
    excess = std::min(excess, candidates.size());
    if (excess == 0) continue;
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(excess - 1),
                     candidates.end(), std::greater<>());
    candidates.resize(excess);
    std::sort(candidates.begin(), candidates.end());
    std::vector<TaskId> ids;
    ids.reserve(excess);
    for (const auto& c : candidates) ids.push_back(c.second);
    request_steal(v, std::move(ids), out);
  }
}

void SchedulerState::request_steal(WorkerId victim, std::vector<TaskId> ids, Outbox& out) {
  auto& wr = workers_[victim];
  for (auto id : ids) tasks_[slot_of(id)].steal_pending = true;
  wr.steal_requested.insert(wr.steal_requested.end(), ids.begin(), ids.end());
  auto& queued = out.steal[victim];
  queued.insert(queued.end(), ids.begin(), ids.end());
}

void SchedulerState::steal_confirmed(WorkerId victim, const std::vector<TaskId>& released, Outbox& out) {
  if (victim >= workers_.size()) return;
  auto& v = workers_[victim];
  for (auto id : v.steal_requested)
    if (auto* t = get(id)) t->steal_pending = false;
  v.steal_requested.clear();
  if (!v.alive) return;  // its tasks were placed again when it was removed
  // 3. What it gave up goes to the best other worker; started tasks stay.
  for (auto id : released) {
    auto* t = get(id);
    if (!t || t->state != TaskState::processing || t->processing_on != victim) continue;
    v.processing.erase(id);
    t->processing_on.reset();
    t->steal_pending = false;
    if (auto w = choose_worker(*t, victim)) {
      assign(id, *w, out);
    } else if (v.running()) {
      assign(id, victim, out);  // nobody else takes work
    } else {
      make_ready(id, out);  // queued until a worker joins or resumes
    }
  }
  if (v.retiring) advance_retire(victim, out);
}

}  // namespace tessera::actors
